"""VK runs the shared connector contract on its fake (tests/collect/vk_fake.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from civicpulse.collect.vk.paging import AUTHOR_FIELDS
from tests.collect.contract import ConnectorContract
from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.vk_fake import DRIFTS, TOKEN, Truth, VkFake, VkWorld, error_body, parse_code

NOW = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)


class VkPlatform:
    platform = "vk"
    token = TOKEN
    now = NOW
    drifts = DRIFTS
    unsupported: ClassVar[dict[str, str]] = {}

    def __init__(self, **world: Any) -> None:
        self.world = VkWorld.generate(int(NOW.timestamp()), **world)

    def handler(self, drift: str | None = None) -> Callable[[Request], Reply]:
        return VkFake(self.world, drift=drift)

    def registry_yaml(self) -> str:
        return self.world.registry_yaml()

    def settings(self, base_url: str) -> dict[str, Any]:
        return {"base_url": base_url + "/method/", "rate": 1000, "burst": 1000}

    def truth(self, drift: str | None = None) -> Truth:
        legacy = drift == "legacy_shapes"
        return self.world.truth(views=drift not in ("legacy_shapes", "missing_optional"), threads=not legacy)

    def rate_limited(self) -> Reply:
        return json_reply(error_body(6))

    def token_expired(self) -> Reply:
        return json_reply(error_body(5))

    def echoing_error(self, token: str) -> Reply:
        return json_reply(error_body(6, token=token))

    def bad_targets(self) -> dict[str, str]:
        return {"vk:-201": "VK error 15", "vk:-202": "deleted"}

    def target_of(self, request: Request) -> str | None:
        for method, params in parse_code(request.param("code") or ""):
            if method == "users.get" and params.get("fields") == AUTHOR_FIELDS:
                return "vk:authors"
            owner = params.get("owner_id")
            if owner is None and "group_id" in params:
                owner = -int(params["group_id"])
            if owner is not None:
                return f"vk:{owner}"
        return None


class TestVkContract(ConnectorContract):
    @pytest.fixture
    def fake(self) -> VkPlatform:
        return VkPlatform()
