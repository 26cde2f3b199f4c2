"""X runs the shared connector contract on its fake (tests/collect/x_fake.py).

The fake world is dated relative to the present hour: recent search reaches back 7 days from
the real clock, which the SIGKILL test's subprocesses run on.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from tests.collect.contract import ConnectorContract
from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.vk_fake import Truth
from tests.collect.x_fake import DRIFTS, TOKEN, XFake, XWorld, case

NOW = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)


class XPlatform:
    platform = "x"
    token = TOKEN
    now = NOW
    drifts = DRIFTS
    unsupported: ClassVar[dict[str, str]] = {
        "test_authors_a_failed_run_left_are_profiled_by_the_next": (
            "X profiles come with the search answers (includes.users): there is no authors target"
        ),
    }

    def __init__(self, **world: Any) -> None:
        self.world = XWorld.generate(int(NOW.timestamp()), **world)

    def handler(self, drift: str | None = None) -> Callable[[Request], Reply]:
        return XFake(self.world, drift=drift)

    def registry_yaml(self) -> str:
        return self.world.registry_yaml()

    def settings(self, base_url: str) -> dict[str, Any]:
        return {"base_url": base_url + "/2/", "rate": 1000, "burst": 1000}

    def truth(self, drift: str | None = None) -> Truth:
        return self.world.truth(views=drift not in ("missing_optional", "older_shapes"))

    def rate_limited(self) -> Any:
        # X says when the window resets (epoch seconds), no Retry-After; each refusal names a later reset
        resets = itertools.count(int(NOW.timestamp()) + 30, 30)
        return lambda _request: json_reply(
            case("error_429.json"), 429, **{"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(next(resets))}
        )

    def token_expired(self) -> Reply:
        return json_reply(case("error_401.json"), 401)

    def echoing_error(self, token: str) -> Reply:
        body = {"title": "Service Unavailable", "status": 503, "detail": f"upstream refused Bearer {token}"}
        return json_reply(body, 503)

    def bad_targets(self) -> dict[str, str]:
        return {"x:closed_akimat": "deleted: ", "x:protected_akim": "private: "}

    def target_of(self, request: Request) -> str | None:
        parts = request.path.split("/")
        if request.path.startswith("/2/users/by/username/"):
            return f"x:{parts[-1]}"
        if len(parts) == 5 and parts[4] == "tweets":
            user = self.world.users.get(int(parts[3]))
            return f"x:{user.username}" if user else None
        return None


class TestXContract(ConnectorContract):
    @pytest.fixture
    def fake(self) -> XPlatform:
        return XPlatform()
