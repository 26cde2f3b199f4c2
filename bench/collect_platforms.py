"""Telegram, Odnoklassniki and X collection: requests per 1,000 posts against the minimum, and parse speed.

Each platform's fake (``tests/collect/*_fake.py``, loopback) serves a generated world; a first
collection (the backfill) goes through the real connector and runner on a fake clock and the
server counts the requests. The minimum is computed from the world: the calls the data needs at
the largest page each API allows, every target on its own (a target's cursor commits with its
pages, and none of these APIs batches calls of several targets):

* Telegram web: one page per 20 posts (the preview's fixed page), at least one per channel;
* Telegram MTProto: ``channels.getFullChannel``, ``messages.getHistory`` per 100 messages (album
  parts count one by one), ``messages.getReplies`` per 100 comments of each post that has any;
* Odnoklassniki: ``group.getInfo``, ``mediatopic.getTopics`` per 50 topics (the page the
  connector asks; apiok.ru gives no maximum);
* X: the user lookup and ``/users/:id/tweets`` per 100 posts; recent search per 100 results of
  each query.

Parse throughput: every raw payload the backfill stored, parsed again (records per second).

``python -m bench.collect_platforms [--quick]``; the bench runner calls :func:`main`.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from civicpulse.collect.run import CollectOptions, collect
from civicpulse.collect.telegram import TelegramConnector, TelegramSettings
from civicpulse.plugins import connectors
from tests.collect.contract import TOKEN_ENV, FakeClock, raw_payloads, write_home
from tests.collect.fakeserver import FakeServer
from tests.collect.ok_fake import OkWorld
from tests.collect.telegram_fake import TelegramWorld
from tests.collect.telegram_mtproto_fake import FakeMtproto
from tests.collect.test_ok_contract import OkPlatform
from tests.collect.test_telegram_contract import TelegramMtprotoPlatform, TelegramWebPlatform
from tests.collect.test_x_contract import XPlatform
from tests.collect.x_fake import XWorld

FULL = {"telegram": (900, 400, 120), "ok": (600, 300, 80), "x": (1500, 600, 200)}
QUICK = {"telegram": (120, 40, 12), "ok": (130, 40, 12), "x": (260, 40, 15)}


def telegram_minimum(world: TelegramWorld, web: bool) -> int:
    calls = 0
    for channel in world.channels.values():
        if channel.private or channel.missing:
            calls += 1
            continue
        if web:
            calls += max(1, math.ceil(len(channel.messages) / 20))
            continue
        parts = sum(m.album for m in channel.messages)
        calls += 1 + max(1, math.ceil(parts / 100))
        calls += sum(math.ceil(len(m.comments) / 100) for m in channel.messages if m.comments)
    return calls


def ok_minimum(world: OkWorld) -> int:
    calls = 0
    for group in world.groups.values():
        calls += 1 if group.deleted else 2 if group.closed else 1 + max(1, math.ceil(len(group.topics) / 50))
    return calls


def x_minimum(world: XWorld) -> int:
    calls = 0
    for name in world.official:
        user = world.by_name(name)
        calls += 1 if user is None or user.protected else 1 + max(1, math.ceil(len(user.tweets) / 100))
    for aliases in world.entities.values():
        found = {t.id for alias in aliases for t in world.mentions[alias]}
        calls += max(1, math.ceil(len(found) / 100))
    return calls


def measure(name: str, platform: Any, minimum: Callable[[], int]) -> dict[str, float]:
    """One backfill of ``platform``'s fake world; prints and returns requests per 1,000 posts and parse speed."""
    os.environ[TOKEN_ENV] = platform.token
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="civicpulse-bench-") as tmp, FakeServer(platform.handler()) as server:
        home = write_home(Path(tmp) / "home", platform, server.url, commit_every=50)
        report = collect(home, CollectOptions(), clock=FakeClock(platform.now))
        requests = len(server.requests)
        posts = sum(s.new + s.updated for s in report.summaries if s.kind in ("official", "mentions"))
        least = minimum()
        figures["requests_per_1000"] = 1000 * requests / posts
        figures["minimum_per_1000"] = 1000 * least / posts
        figures["ratio"] = requests / least
        print(
            f"  {name}: {requests} requests for {posts} posts = {figures['requests_per_1000']:.2f} per 1,000; "
            f"minimum {figures['minimum_per_1000']:.2f} ({least} calls); ratio used/minimum {figures['ratio']:.2f}"
        )
        payloads = raw_payloads(home)
        parse = connectors()[platform.platform].parse
        began = time.perf_counter()
        records = sum(len(parse(payload).records) for payload in payloads)
        seconds = time.perf_counter() - began
        figures["parse_records_per_s"] = records / seconds
        print(f"  {name} parse: {records} records from {len(payloads)} payloads = {records / seconds:,.0f} records/s")
    return figures


def main(quick: bool) -> None:
    """Print requests per 1,000 posts against the minimum and parse throughput for each platform."""
    sizes = QUICK if quick else FULL
    print("\n== Telegram, OK, X collection: requests per 1,000 posts, parse throughput ==", flush=True)
    web = TelegramWebPlatform()
    web.world = TelegramWorld.generate(int(web.now.timestamp()), sizes=sizes["telegram"])
    measure("telegram web", web, lambda: telegram_minimum(web.world, web=True))
    mtproto = TelegramMtprotoPlatform()
    mtproto.world = web.world

    def fake_client(settings: TelegramSettings) -> FakeMtproto:
        assert settings.token is not None
        return FakeMtproto(settings.base_url, settings.timeout, settings.token.get_secret_value())

    real_factory = TelegramConnector.mtproto_factory
    TelegramConnector.mtproto_factory = fake_client  # type: ignore[assignment]
    try:
        measure("telegram mtproto", mtproto, lambda: telegram_minimum(mtproto.world, web=False))
    finally:
        TelegramConnector.mtproto_factory = real_factory  # type: ignore[misc]
    ok = OkPlatform(sizes=sizes["ok"])
    measure("ok", ok, lambda: ok_minimum(ok.world))
    x = XPlatform(sizes=sizes["x"])
    measure("x", x, lambda: x_minimum(x.world))


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
