"""Odnoklassniki runs the shared connector contract on its fake (tests/collect/ok_fake.py), which checks signatures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from tests.collect.contract import ConnectorContract
from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.ok_fake import APP_KEY, APP_SECRET, DRIFTS, TOKEN, OkFake, OkWorld, error_body
from tests.collect.vk_fake import Truth

NOW = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)


class OkPlatform:
    platform = "ok"
    token = TOKEN
    now = NOW
    drifts = DRIFTS
    unsupported: ClassVar[dict[str, str]] = {
        "test_authors_a_failed_run_left_are_profiled_by_the_next": "OK collects group topics only: no authors target",
    }

    def __init__(self, **world: Any) -> None:
        self.world = OkWorld.generate(int(NOW.timestamp()), **world)

    def handler(self, drift: str | None = None) -> Callable[[Request], Reply]:
        return OkFake(self.world, drift=drift)

    def registry_yaml(self) -> str:
        return self.world.registry_yaml()

    def settings(self, base_url: str) -> dict[str, Any]:
        return {
            "base_url": base_url + "/fb.do",
            "application_key": APP_KEY,
            "application_secret_key": APP_SECRET,
            "rate": 1000,
            "burst": 1000,
        }

    def truth(self, drift: str | None = None) -> Truth:
        return self.world.truth(views=drift not in ("missing_optional", "older_shapes"))

    def rate_limited(self) -> Reply:
        return json_reply(error_body(8))

    def token_expired(self) -> Reply:
        return json_reply(error_body(102))

    def echoing_error(self, token: str) -> Reply:
        return json_reply(error_body(2, f"SERVICE : Service temporary unavailable (access_token={token})"))

    def bad_targets(self) -> dict[str, str]:
        return {"ok:53038939046011": "private: ", "ok:53038939046012": "deleted: "}

    def target_of(self, request: Request) -> str | None:
        params = {**request.query, **request.form}
        gid = params.get("gid") or params.get("uids") or params.get("group_id")
        return f"ok:{gid}" if gid else None


class TestOkContract(ConnectorContract):
    @pytest.fixture
    def fake(self) -> OkPlatform:
        return OkPlatform()
