"""X parsing: documented fixtures, real recordings when present, query building, errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from civicpulse.collect.http import Exchange
from civicpulse.collect.x.client import MentionSearch, TimelinePass, search_queries
from civicpulse.collect.x.errors import raise_request_problem, raise_resource_problem
from civicpulse.collect.x.parse import parse_payload
from civicpulse.collect.x.types import XUser
from civicpulse.errors import QuotaExhausted, TerminalError, TokenError
from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord

CASES = Path(__file__).resolve().parents[1] / "cases" / "x"
SAMPLES = Path("/work/shared/samples/twitter")
OBSERVED = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)


def case(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def stored(method: str, request: dict[str, Any], body: Any) -> str:
    text = body if isinstance(body, str) else orjson.dumps(body).decode()
    return Exchange("x", method, request, 200, text, OBSERVED).payload()


def posts_of(records: list[Any]) -> dict[str, PostRecord]:
    return {str(r.id): r for r in records if isinstance(r, PostRecord)}


def test_user_snapshot() -> None:
    result = parse_payload(stored("users.by.username", {"account": "Akimat_North"}, case("users.by.username.json")))
    assert not result.problems
    [snapshot] = result.records
    assert isinstance(snapshot, SnapshotRecord)
    assert (snapshot.account, snapshot.followers, snapshot.posts_total) == ("Akimat_North", 48210, 9120)


def test_timeline_kinds_media_and_long_text() -> None:
    request = {"account": "akimat_north", "user_id": "1450000000000000001"}
    result = parse_payload(stored("users.tweets", request, case("users.tweets.json")))
    assert not result.problems
    posts = posts_of(result.records)
    school = posts["1765000000000000005"]
    assert (school.account, school.author, school.kind, school.media) == (
        "akimat_north",
        "1450000000000000001",
        "post",
        "photo",
    )
    assert (school.likes, school.comments, school.reposts, school.views) == (210, 9, 14 + 3, 15400)
    assert school.published_at == dt.datetime(2024, 3, 8, 4, 0, tzinfo=dt.UTC)
    retweet = posts["1764900000000000004"]
    assert (retweet.kind, retweet.repost_of, retweet.media) == ("repost", "1764800000000000001", "text")
    reply = posts["1764800000000000003"]
    assert (reply.kind, reply.reply_to) == ("comment", "1764700000000000009")
    quote = posts["1764700000000000002"]
    assert (quote.kind, quote.repost_of, quote.media) == ("post", "1764600000000000042", "video")
    assert quote.text.startswith("Важное разъяснение") and "каждую среду" in quote.text  # note_tweet, not the cut text
    assert quote.url == "https://x.com/i/status/1764700000000000002"


def test_search_accounts_and_authors() -> None:
    result = parse_payload(stored("tweets.search.recent", {"query": "q"}, case("tweets.search.recent.json")))
    assert not result.problems
    posts = posts_of(result.records)
    assert posts["1765100000000000011"].account == "resident_2001"
    assert posts["1765100000000000011"].url == "https://x.com/resident_2001/status/1765100000000000011"
    assert posts["1765000000000000077"].media == "video"  # an animated GIF
    authors = {r.id: r for r in result.records if isinstance(r, AuthorRecord)}
    assert authors["2001"].has_avatar is False and authors["2001"].following == 410
    assert authors["2002"].verified is True and authors["2002"].created_at == dt.datetime(
        2012, 6, 15, 7, 30, tzinfo=dt.UTC
    )


def test_drifted_values() -> None:
    body = case("users.tweets.json")
    tweet = body["data"][0]
    tweet["public_metrics"] = {k: str(v) for k, v in tweet["public_metrics"].items() if k != "impression_count"}
    del tweet["attachments"]
    body["data"].append({"id": "1", "text": "no time"})
    result = parse_payload(stored("users.tweets", {"account": "a"}, body))
    assert len(result.problems) == 1 and "created_at" in result.problems[0]
    post = posts_of(result.records)["1765000000000000005"]
    assert (post.likes, post.views, post.media) == (210, None, "text")
    assert XUser.from_payload({"id": "1", "protected": 1, "verified": "0"}).protected is True


@pytest.mark.skipif(not SAMPLES.exists(), reason="the real samples are not present")
def test_real_recordings() -> None:
    timeline = (SAMPLES / "v2_user_timeline_public_metrics.json").read_text(encoding="utf-8")
    result = parse_payload(stored("users.tweets", {"account": "TwitterDev"}, timeline))
    assert not result.problems
    posts = posts_of(result.records)
    assert len(posts) == 5 and all(p.account == "TwitterDev" and p.views is None for p in posts.values())
    first = posts["1364275610764201984"]
    assert (first.likes, first.comments, first.reposts) == (37, 2, 10 + 1)
    search = (SAMPLES / "v2_search_recent_includes.json").read_text(encoding="utf-8")
    found = parse_payload(stored("tweets.search.recent", {}, search))
    assert not found.problems
    replies = posts_of(found.records)
    assert replies["1276035977375477760"].account == "happycamper"  # from includes.users
    assert replies["1276035977375477760"].reply_to == "1275653067283759104"
    assert {r.id for r in found.records if isinstance(r, AuthorRecord)} == {"63046977", "17200003", "196883832"}
    users = json.loads((SAMPLES / "v2_users_public_metrics.json").read_text(encoding="utf-8"))
    first_user = users["data"][0]
    snapshot = parse_payload(stored("users.by.username", {"account": "Twitter"}, {"data": first_user}))
    assert [(r.account, r.followers, r.posts_total) for r in snapshot.records] == [("Twitter", 58677711, 13944)]


def test_queries_fit_the_length_limit() -> None:
    queries, left = search_queries(["Северная область", "Солтүстік облысы", 'Аким "области"'], 60, True)
    assert queries == ['("Северная область" OR "Солтүстік облысы") -is:retweet', '("Аким области") -is:retweet']
    assert left == []
    assert all(len(q) <= 60 for q in queries)
    _queries, too_long = search_queries(["x" * 100], 60, False)
    assert too_long == ["x" * 100]


def test_search_window_is_cut_to_seven_days() -> None:
    now = OBSERVED
    first = MentionSearch.begin(["q"], {}, now, None, 30, 60)
    assert first.start >= int((now - dt.timedelta(days=7)).timestamp()) and first.end == int(now.timestamp()) - 30
    later = MentionSearch.begin(["q"], {"until": int(now.timestamp()) - 3600}, now, None, 7, 60)
    assert later.start == int(now.timestamp()) - 7200


def test_timeline_pass_pages_and_stops() -> None:
    walk = TimelinePass.start("akimat_north", {}, OBSERVED, None, 30, 7)
    lookup = walk.plan()
    assert lookup.path == "users/by/username/akimat_north"
    assert walk.advance(lookup, case("users.by.username.json")) is None
    page = walk.plan()
    assert page.path == "users/1450000000000000001/tweets" and "pagination_token" not in page.params
    walk.advance(page, case("users.tweets.json"))
    assert not walk.done and walk.plan().params["pagination_token"] == "7140dibdnow9c7btw4z3zd6c8t9w1ii7o08bftfvbmq2"
    walk.advance(walk.plan(), {"meta": {"result_count": 0}})
    assert walk.done and walk.state()["newest"] == int(dt.datetime(2024, 3, 8, 4, 0, tzinfo=dt.UTC).timestamp())
    locked = TimelinePass.start("locked", {}, OBSERVED, None, 30, 7)
    assert "protected" in (locked.advance(locked.plan(), {"data": {"id": "9", "protected": True}}) or "")


@pytest.mark.parametrize(
    ("name", "cls", "label"),
    [
        ("error_client_forbidden.json", TokenError, "token"),
        ("error_usage_capped.json", QuotaExhausted, "quota"),
        ("error_invalid_request.json", TerminalError, "bad request"),
    ],
)
def test_request_problems(name: str, cls: type[Exception], label: str) -> None:
    with pytest.raises(cls) as raised:
        raise_request_problem(case(name), "users.tweets", "x:a")
    assert getattr(raised.value, "label", None) == label


@pytest.mark.parametrize(
    ("name", "label"), [("error_not_found.json", "deleted"), ("error_not_authorized.json", "private")]
)
def test_resource_problems(name: str, label: str) -> None:
    with pytest.raises(TerminalError) as raised:
        raise_resource_problem(case(name)["errors"][0], "users.by.username", "x:a")
    assert getattr(raised.value, "label", None) == label


def test_a_429_waits_until_x_rate_limit_reset() -> None:
    import httpx

    from civicpulse.collect.base import Cursor, FetchContext, Target
    from civicpulse.collect.http import Session
    from civicpulse.collect.x.client import XConnector, XSettings
    from tests.collect.contract import FakeClock

    clock = FakeClock(OBSERVED)
    reset = int(OBSERVED.timestamp()) + 420  # epoch seconds, as X sends it
    answers = [
        httpx.Response(429, json=case("error_429.json"), headers={"x-rate-limit-reset": str(reset)}),
        httpx.Response(200, json=case("users.by.username.json")),
        httpx.Response(200, json={"meta": {"result_count": 0}}),
    ]
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    settings = XSettings.model_validate({"token": "bearer-secret", "rate": 100, "burst": 100})
    connector = XConnector(httpx.Client(transport=httpx.MockTransport(answer)), settings, Session(clock=clock))
    target = Target("x", "official", "akimat_north", account="akimat_north")
    pages = list(connector.fetch(target, Cursor(), FetchContext(now=OBSERVED)))
    assert len(pages) == 2 and pages[-1].state["phase"] == "done"
    assert clock.sleeps == [pytest.approx(420)]  # exactly until the reset, then the same request again
    assert seen[0].url == seen[1].url and seen[0].headers["authorization"] == "Bearer bearer-secret"
