"""VK collection: requests used per 1,000 posts against the minimum the API allows, and parse speed.

A fake VK API (``tests/collect/vk_fake.py``, loopback) serves a generated world: community walls
with comments and threads, a person's page, mention searches. A first collection (a backfill)
and a second one a day later (the nightly run) go through the real connector and runner on a fake
clock (no sleeping). The server counts the requests.

The minimum is computed from the world, not from what the connector did: every API call the data
needs (a snapshot per page, ``wall.get`` per 100 posts, ``wall.getComments`` per 100 top-level
comments of each post and per 100 replies of each thread beyond the 10 sent inline,
``newsfeed.search`` per 200 results of each alias, ``users.get`` per 1,000 authors), packed 25 to
an ``execute`` across all targets. The connector packs per target (a target's cursor commits
with its pages), so it cannot reach that bound when targets are small; the per-target bound is
printed too.

Parse throughput: every raw payload the backfill stored, parsed again (records per second).

``python -m bench.collect_requests [--quick]``; the bench runner calls :func:`main`.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from civicpulse.collect.run import CollectOptions, RunReport, collect
from civicpulse.collect.vk.client import VkConnector, VkSettings
from tests.collect.contract import TOKEN_ENV, FakeClock, raw_payloads, write_home
from tests.collect.fakeserver import FakeServer
from tests.collect.test_vk_contract import NOW, VkPlatform
from tests.collect.vk_fake import VkFake, VkWorld

EXECUTE = 25
FULL = {"walls": (400, 900, 1500, 250, 120), "person_posts": 60, "comments": 8, "mention_posts": 120, "big_alias": 700}
QUICK = {"walls": (80, 150), "person_posts": 10, "comments": 4, "mention_posts": 20, "big_alias": 60}
REFRESH_DAYS = 7


@dataclass
class Calls:
    """API calls a collection of the world needs, per target."""

    per_target: dict[str, int]
    authors: int

    @property
    def total(self) -> int:
        return sum(self.per_target.values()) + self.authors

    def minimum_requests(self) -> int:
        """Every call packed 25 to an execute, across targets."""
        return math.ceil(self.total / EXECUTE)

    def per_target_requests(self) -> int:
        """Calls packed 25 to an execute within each target (what a per-target cursor allows)."""
        return sum(math.ceil(n / EXECUTE) for n in self.per_target.values() if n) + math.ceil(self.authors / EXECUTE)


def needed_calls(world: VkWorld, *, since: int | None, mention_start: int, changed_only: bool) -> Calls:
    """The calls a perfect client makes; ``since``: oldest post date wanted (None: everything)."""
    per_target: dict[str, int] = {}
    authors: set[int] = set()
    for owner, group in world.groups.items():
        calls = 1  # snapshot
        if group.deactivated or group.private_wall:
            per_target[f"vk:{owner}"] = calls + (0 if group.deactivated else 1)
            continue
        wanted = [p for p in group.posts if since is None or p.date >= since]
        calls += max(1, math.ceil(len(wanted) / 100))
        for post in wanted:
            if changed_only or post.comments_closed or not post.visible_comments():
                continue
            calls += math.ceil(len(post.top_level()) / 100)
            for top in post.top_level():
                extra = len(top.visible_replies()) - 10
                calls += math.ceil(extra / 100) if extra > 0 else 0
            authors.update(c.from_id for c, _root in post.visible_comments())
            if post.from_id > 0:
                authors.add(post.from_id)
        per_target[f"vk:{owner}"] = calls
    for entity, aliases in world.entities.items():
        calls = 0
        for alias in aliases:
            found = [p for p in world.mentions[alias] if p.date >= mention_start]
            calls += max(1, math.ceil(min(len(found), 1000) / 200))
            if not changed_only:
                authors.update(p.from_id for p in found if p.from_id > 0)
        per_target[f"vk:mentions:{entity}"] = calls
    profiled = [a for a in authors if a in world.users]
    return Calls(per_target, math.ceil(len(profiled) / 1000))


def measure(quick: bool) -> dict[str, float]:
    """Run the two collections and the parse timing; returns the figures (also printed)."""
    platform = VkPlatform(**(QUICK if quick else FULL))
    world = platform.world
    os.environ[TOKEN_ENV] = platform.token
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="civicpulse-bench-") as tmp, FakeServer(VkFake(world)) as server:
        home = write_home(Path(tmp) / "home", platform, server.url, commit_every=50)
        clock = FakeClock(NOW)
        began = time.perf_counter()
        first = collect(home, CollectOptions(), clock=clock)
        seconds = time.perf_counter() - began
        backfill_requests = len(server.requests)
        posts = _posts_written(first)
        backfill_days = VkSettings.model_fields["mention_backfill_days"].default
        start = int((NOW - dt.timedelta(days=backfill_days)).timestamp())
        need = needed_calls(world, since=None, mention_start=start, changed_only=False)
        _report("backfill", backfill_requests, posts, need, figures)
        print(
            f"  backfill: {posts} posts and comments, {len(first.outcomes)} targets, "
            f"{seconds:.1f} s end to end ({posts / seconds:,.0f} posts/s through HTTP, parse and the lake)"
        )

        clock.advance(days=1)
        server.requests.clear()
        second = collect(home, CollectOptions(), clock=clock)
        nightly_requests = len(server.requests)
        boundary = int((clock.now() - dt.timedelta(days=REFRESH_DAYS)).timestamp())
        nightly = needed_calls(world, since=boundary, mention_start=int(NOW.timestamp()) - 3600, changed_only=True)
        _report("nightly", nightly_requests, _posts_written(second), nightly, figures)

        payloads = raw_payloads(home)
        began = time.perf_counter()
        records = sum(len(VkConnector.parse(payload).records) for payload in payloads)
        parse_seconds = time.perf_counter() - began
        figures["parse_records_per_s"] = records / parse_seconds
        print(
            f"  parse: {records} records from {len(payloads)} payloads in {parse_seconds:.2f} s "
            f"= {records / parse_seconds:,.0f} records/s"
        )
    return figures


def _posts_written(report: RunReport) -> int:
    """Posts and comments the run wrote (new or observed again), official pages and mentions."""
    return sum(s.new + s.updated for s in report.summaries if s.kind in ("official", "mentions"))


def _report(name: str, requests: int, posts: int, need: Calls, figures: dict[str, float]) -> None:
    per_1000 = 1000 * requests / posts
    minimum = 1000 * need.minimum_requests() / posts
    per_target = 1000 * need.per_target_requests() / posts
    figures[f"{name}_requests_per_1000"] = per_1000
    figures[f"{name}_minimum_per_1000"] = minimum
    figures[f"{name}_ratio"] = per_1000 / minimum
    print(
        f"  {name}: {requests} requests for {posts} posts = {per_1000:.2f} per 1,000; minimum {minimum:.2f} "
        f"({need.total} calls / {EXECUTE} per execute), per-target minimum {per_target:.2f}"
    )
    print(f"  {name}: ratio used/minimum {per_1000 / minimum:.2f}, used/per-target minimum {per_1000 / per_target:.2f}")


def main(quick: bool) -> None:
    """Print requests per 1,000 posts against the minimum (backfill and nightly) and parse throughput."""
    print("\n== VK collection: requests per 1,000 posts, parse throughput ==", flush=True)
    measure(quick)


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
