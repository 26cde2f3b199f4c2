"""Facebook runs the shared connector contract on its fake (tests/collect/facebook_fake.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from tests.collect.contract import ConnectorContract
from tests.collect.facebook_fake import DRIFTS, TOKEN, FacebookFake, FacebookWorld, graph_error
from tests.collect.fakeserver import Reply, Request
from tests.collect.vk_fake import Truth

NOW = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)


class FacebookPlatform:
    platform = "facebook"
    token = TOKEN
    now = NOW
    drifts = DRIFTS
    unsupported: ClassVar[dict[str, str]] = {
        "test_authors_a_failed_run_left_are_profiled_by_the_next": "Graph API gives no public profiles of commenters",
    }

    def __init__(self, **world: Any) -> None:
        self.world = FacebookWorld.generate(int(NOW.timestamp()), **world)

    def handler(self, drift: str | None = None) -> Callable[[Request], Reply]:
        return FacebookFake(self.world, drift=drift)

    def registry_yaml(self) -> str:
        return self.world.registry_yaml()

    def settings(self, base_url: str) -> dict[str, Any]:
        # usage_pause short: the SIGKILL test runs on the real clock
        return {"base_url": base_url + "/", "rate": 1000, "burst": 1000, "usage_pause": 0.05}

    def truth(self, drift: str | None = None) -> Truth:
        return self.world.truth(legacy=drift == "legacy_shapes")

    def rate_limited(self) -> Reply:
        return graph_error("4", status=403)

    def token_expired(self) -> Reply:
        return graph_error("190_463")

    def echoing_error(self, token: str) -> Reply:
        return graph_error("4", status=403, message=f"(#4) Application request limit reached for access_token={token}")

    def bad_targets(self) -> dict[str, str]:
        return {"facebook:closed.page": "does not exist", "facebook:locked.page": "permission"}

    def target_of(self, request: Request) -> str | None:
        parts = request.path.strip("/").split("/")
        page = self.world.page_of(parts[1]) if len(parts) > 1 else None
        return f"facebook:{page.username}" if page else None


class TestFacebookContract(ConnectorContract):
    @pytest.fixture
    def fake(self) -> FacebookPlatform:
        return FacebookPlatform()
