"""YouTube quota: units per method, the Pacific quota day, stopping before the quota is spent, resuming."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from civicpulse.collect.http import Http, MemoryLedger, Session
from civicpulse.collect.run import CollectOptions, RunReport, collect
from civicpulse.collect.youtube.client import YoutubeConnector, YoutubeSettings
from civicpulse.collect.youtube.paging import COSTS, Call
from civicpulse.errors import TerminalError
from civicpulse.store.home import Home
from tests.collect.contract import TOKEN_ENV, FakeClock, assert_matches_truth, latest_posts, write_home
from tests.collect.fakeserver import FakeServer, Request
from tests.collect.test_youtube_contract import NOW, YoutubePlatform
from tests.collect.youtube_fake import TOKEN, error_reply


class Env:
    def __init__(self, fake: YoutubePlatform, server: FakeServer, home: Home) -> None:
        self.fake, self.server, self.home = fake, server, home
        self.clock = FakeClock(NOW)

    def run(self) -> RunReport:
        return collect(self.home, CollectOptions(), clock=self.clock)

    def units(self, since: int = 0) -> int:
        """Quota units the requests after the ``since``-th cost, by YouTube's price list."""
        return sum(cost_of(r) for r in self.server.requests[since:])


def cost_of(request: Request) -> int:
    resource = request.path.rsplit("/", 1)[-1]
    return COSTS[f"{resource}.list"]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[YoutubePlatform, Path]]:
    fake = YoutubePlatform()
    monkeypatch.setenv(TOKEN_ENV, fake.token)
    yield fake, tmp_path


def make_env(fake: YoutubePlatform, server: FakeServer, path: Path, **settings: Any) -> Env:
    return Env(fake, server, write_home(path / "home", fake, server.url, **settings))


def next_pacific_midnight(clock: FakeClock) -> None:
    """Move the fake clock to the next midnight in America/Los_Angeles (plus a minute)."""
    pacific = clock.now().astimezone(dt.timezone(dt.timedelta(hours=-8)))  # PST: NOW is in winter
    midnight = (pacific + dt.timedelta(days=1)).replace(hour=0, minute=1, second=0)
    clock.advance(seconds=(midnight - pacific).total_seconds())


def test_a_small_daily_quota_stops_the_platform_and_the_next_days_finish_the_work(
    world: tuple[YoutubePlatform, Path],
) -> None:
    fake, path = world
    quota = 180
    with FakeServer(fake.handler()) as server:
        # the first search of an entity may come days late: its window must still reach the world's videos
        env = make_env(fake, server, path, daily_quota=quota, mention_backfill_days=30)
        first = env.run()
        assert env.units() <= quota
        stopped = [o for o in first.outcomes if o.status == "skipped" and (o.reason or "").startswith("quota")]
        assert stopped, "the quota should have stopped the first day"
        assert first.outcomes[-1].status == "skipped"  # the rest of the platform was not tried
        assert first.summaries[0].quota_left is not None

        # later the same Pacific day: nothing is sent, the quota is still spent
        env.clock.advance(minutes=30)
        before = len(server.requests)
        again = env.run()
        assert len(server.requests) == before
        assert all(o.status == "skipped" for o in again.outcomes)

        # each following Pacific day continues where the last stopped, within the day's quota
        days, done = 0, False
        while days < 12 and not done:
            next_pacific_midnight(env.clock)
            sent = len(server.requests)
            env.run()
            days += 1
            assert env.units(sent) <= quota, f"day {days} spent more than the quota"
            done = latest_posts(env.home, "youtube").keys() == fake.truth().posts.keys()
        assert done, "the work was not finished in 12 days"
        assert days > 2  # it did need several days
        assert_matches_truth(env.home, "youtube", fake.truth())


def test_searches_that_cannot_be_paid_are_skipped_alone_and_authors_still_go(
    world: tuple[YoutubePlatform, Path],
) -> None:
    fake, path = world
    with FakeServer(fake.handler()) as server:
        measure = make_env(fake, server, path / "measure")
        collect(measure.home, CollectOptions(targets="official"), clock=measure.clock)
        official = measure.units()
        server.requests.clear()
        # enough for the channels and the profiles, not for one search of 100 units
        env = make_env(fake, server, path, daily_quota=official + 60)
        report = env.run()
        mentions = [o for o in report.outcomes if o.target.kind == "mentions"]
        assert mentions and all(o.status == "skipped" and (o.reason or "").startswith("quota") for o in mentions)
        assert not any(r.path.endswith("/search") for r in server.requests)
        authors = next(o for o in report.outcomes if o.target.kind == "authors")
        assert authors.status == "ok" and authors.requests > 0


def test_search_in_a_bucket_of_its_own(world: tuple[YoutubePlatform, Path]) -> None:
    fake, path = world
    with FakeServer(fake.handler()) as server:
        env = make_env(fake, server, path, search_quota=2, mention_backfill_days=30)
        report = env.run()
        searches = [r for r in server.requests if r.path.endswith("/search")]
        assert len(searches) == 2
        skipped = [o for o in report.outcomes if o.target.kind == "mentions" and o.status == "skipped"]
        assert skipped and "daily bucket is spent" in (skipped[0].reason or "")
        # search.list cost nothing from daily_quota: what is left is 10,000 minus the list calls
        left = report.summaries[0].quota_left
        assert left == 10_000 - sum(cost_of(r) for r in server.requests if not r.path.endswith("/search"))
        for _ in range(5):
            next_pacific_midnight(env.clock)
            report = env.run()
        assert_matches_truth(env.home, "youtube", fake.truth())


def test_quota_exceeded_from_youtube_spends_the_rest_of_the_day(world: tuple[YoutubePlatform, Path]) -> None:
    fake, path = world
    with FakeServer(fake.handler()) as server:
        env = make_env(fake, server, path)
        server.inject(error_reply("quotaExceeded"), times=10**6, when=lambda r: len(server.requests) > 30)
        report = env.run()
        assert report.summaries[0].quota_left == 0
        assert any((o.reason or "").startswith("quota") and o.stop is not None for o in report.outcomes)
        server.clear_faults()
        env.clock.advance(minutes=10)
        sent = len(server.requests)
        env.run()
        assert len(server.requests) == sent  # the ledger agrees with YouTube: nothing more today
        next_pacific_midnight(env.clock)
        env.run()
        assert_matches_truth(env.home, "youtube", fake.truth())


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        ("2024-03-10T07:59:00+00:00", "2024-03-09"),  # 23:59 PST
        ("2024-03-10T08:00:00+00:00", "2024-03-10"),  # midnight PST
        ("2024-07-01T06:59:00+00:00", "2024-06-30"),  # 23:59 PDT
        ("2024-07-01T07:00:00+00:00", "2024-07-01"),  # midnight PDT
    ],
)
def test_the_quota_day_is_pacific(utc: str, day: str) -> None:
    clock = FakeClock(dt.datetime.fromisoformat(utc))
    settings = YoutubeSettings.model_validate({"token": TOKEN})
    http = Http(
        httpx.Client(), platform="youtube", settings=settings, session=Session(clock=clock, ledger=MemoryLedger())
    )
    assert http.quota_day() == day
    assert http.quota_left() == 10_000


def test_settings_defaults_follow_the_documentation() -> None:
    settings = YoutubeSettings.model_validate({"token": TOKEN})
    assert (settings.daily_quota, settings.quota_reset_tz, settings.search_cost) == (10_000, "America/Los_Angeles", 100)
    assert TOKEN not in repr(settings)


def connector_answering(reply: httpx.Response) -> YoutubeConnector:
    settings = YoutubeSettings.model_validate({"token": TOKEN, "attempts": 1, "base_url": "http://yt.test/youtube/v3/"})
    client = httpx.Client(transport=httpx.MockTransport(lambda request: reply))
    return YoutubeConnector(client, settings, Session(clock=FakeClock(NOW), ledger=MemoryLedger()))


@pytest.mark.parametrize("reason", ["commentsDisabled", "videoNotFound", "forbidden"])
def test_errors_about_one_videos_comments_are_answers(reason: str) -> None:
    body = {"error": {"code": 403, "message": "m", "errors": [{"reason": reason, "domain": "youtube.commentThread"}]}}
    connector = connector_answering(httpx.Response(403, json=body))
    comments = Call("commentThreads.list", {"videoId": "v"}, "comments", {"account": "a", "video": "v"})
    exchange = connector.request("youtube:a", comments)
    assert exchange.status == 403 and exchange.data == body
    with pytest.raises(TerminalError):  # the same answer about a channel's uploads fails the channel
        connector.request("youtube:a", Call("playlistItems.list", {"playlistId": "UUx"}, "uploads"))
    assert connector.http.quota_left() == 10_000 - 2  # both requests were paid for
