"""YouTube runs the shared connector contract on its fake (tests/collect/youtube_fake.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from tests.collect.contract import ConnectorContract
from tests.collect.fakeserver import Reply, Request
from tests.collect.vk_fake import Truth
from tests.collect.youtube_fake import DRIFTS, TOKEN, YoutubeFake, YoutubeWorld, error_reply

NOW = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)


class YoutubePlatform:
    platform = "youtube"
    token = TOKEN
    now = NOW
    drifts = DRIFTS
    unsupported: ClassVar[dict[str, str]] = {}

    def __init__(self, **world: Any) -> None:
        self.world = YoutubeWorld.generate(int(NOW.timestamp()), **world)

    def handler(self, drift: str | None = None) -> Callable[[Request], Reply]:
        return YoutubeFake(self.world, drift=drift)

    def registry_yaml(self) -> str:
        return self.world.registry_yaml()

    def settings(self, base_url: str) -> dict[str, Any]:
        return {"base_url": base_url + "/youtube/v3/", "rate": 1000, "burst": 1000}

    def truth(self, drift: str | None = None) -> Truth:
        return self.world.truth(views=drift != "missing_optional")

    def rate_limited(self) -> Reply:
        return error_reply("rateLimitExceeded")

    def token_expired(self) -> Reply:
        return error_reply("keyInvalid")

    def echoing_error(self, token: str) -> Reply:
        return error_reply("rateLimitExceeded", f"Rate limit exceeded for key={token}; slow down.")

    def bad_targets(self) -> dict[str, str]:
        closed = next(a for a, c in self.world.official.items() if self.world.channels[c].deleted)
        locked = next(a for a, c in self.world.official.items() if self.world.channels[c].uploads_forbidden)
        return {f"youtube:{closed}": "not found", f"youtube:{locked}": "playlistItemsNotAccessible"}

    def target_of(self, request: Request) -> str | None:
        query, world = request.query, self.world
        channel: str | None = None
        if "forHandle" in query:
            return f"youtube:{query['forHandle']}"
        if request.path.endswith("/channels"):
            if "contentDetails" not in query.get("part", ""):
                return "youtube:authors"  # profiles ask snippet and statistics only
            channel = query.get("id", "").split(",")[0]
        elif "playlistId" in query:
            channel = "UC" + query["playlistId"][2:]
        elif request.path.endswith("/videos"):
            video = world.video_of(query.get("id", "").split(",")[0])
            channel = video.channel if video else None
        elif "videoId" in query:
            video = world.video_of(query["videoId"])
            channel = video.channel if video else None
        elif "parentId" in query:
            thread = query["parentId"]
            channel = next(
                (c.id for c in world.channels.values() for v in c.videos for t in v.threads if t.id == thread), None
            )
        account = world.registry_id(channel) if channel else None
        return f"youtube:{account}" if account else None


class TestYoutubeContract(ConnectorContract):
    @pytest.fixture
    def fake(self) -> YoutubePlatform:
        return YoutubePlatform()
