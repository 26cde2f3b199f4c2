"""Instagram runs the shared connector contract on its fake (tests/collect/instagram_fake.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from tests.collect.contract import ConnectorContract
from tests.collect.facebook_fake import graph_error
from tests.collect.fakeserver import Reply, Request
from tests.collect.instagram_fake import APP_USER, CASES, DRIFTS, TOKEN, InstagramFake, InstagramWorld, parse_fields
from tests.collect.vk_fake import Truth

NOW = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)


class InstagramPlatform:
    platform = "instagram"
    token = TOKEN
    now = NOW
    drifts = DRIFTS
    unsupported: ClassVar[dict[str, str]] = {
        "test_authors_a_failed_run_left_are_profiled_by_the_next": "business discovery profiles no other accounts",
    }

    def __init__(self, **world: Any) -> None:
        self.world = InstagramWorld.generate(int(NOW.timestamp()), **world)

    def handler(self, drift: str | None = None) -> Callable[[Request], Reply]:
        return InstagramFake(self.world, drift=drift)

    def registry_yaml(self) -> str:
        return self.world.registry_yaml()

    def settings(self, base_url: str) -> dict[str, Any]:
        return {"base_url": base_url + "/", "rate": 1000, "burst": 1000, "ig_user_id": APP_USER, "page_size": 25}

    def truth(self, drift: str | None = None) -> Truth:
        return self.world.truth()

    def rate_limited(self) -> Reply:
        return graph_error("80002", status=403, folder=CASES)

    def token_expired(self) -> Reply:
        return graph_error("190_463")

    def echoing_error(self, token: str) -> Reply:
        return graph_error("80002", status=403, folder=CASES, message=f"(#80002) too many calls; access_token={token}")

    def bad_targets(self) -> dict[str, str]:
        return {"instagram:private_person": "Cannot find User"}

    def target_of(self, request: Request) -> str | None:
        asked = parse_fields(request.query.get("fields", ""))
        return f"instagram:{asked[0]}" if asked else None


class TestInstagramContract(ConnectorContract):
    @pytest.fixture
    def fake(self) -> InstagramPlatform:
        return InstagramPlatform()
