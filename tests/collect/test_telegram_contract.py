"""Telegram runs the shared connector contract twice: the t.me/s preview and MTProto (a fake client).

The MTProto fake client (tests/collect/telegram_fake.py) carries each call to the suite's local
fake server, so that the same fault injections reach it; no MTProto server and no Telethon are
involved. The SIGKILL test needs the client inside a subprocess, which only the web variant has.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest

from civicpulse.collect.telegram import TelegramConnector, TelegramSettings
from tests.collect.contract import ConnectorContract
from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.telegram_fake import API_HASH, DRIFTS, TOKEN, WEB_DRIFTS, TelegramWorld, WebFake
from tests.collect.telegram_mtproto_fake import FakeMtproto, MtprotoFake
from tests.collect.vk_fake import Truth

NOW = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)
NO_AUTHORS = "Telegram has no authors target (MTProto profiles come with the comment threads)"


class TelegramWebPlatform:
    platform = "telegram"
    token = TOKEN
    now = NOW
    drifts = WEB_DRIFTS
    unsupported: ClassVar[dict[str, str]] = {
        "test_refused_token_stops_the_platform": "the web preview needs no token: there is none to refuse",
        "test_authors_a_failed_run_left_are_profiled_by_the_next": NO_AUTHORS,
    }

    def __init__(self) -> None:
        self.world = TelegramWorld.generate(int(NOW.timestamp()))

    def handler(self, drift: str | None = None) -> Callable[[Request], Reply]:
        return WebFake(self.world, drift)

    def registry_yaml(self) -> str:
        return self.world.registry_yaml()

    def settings(self, base_url: str) -> dict[str, Any]:
        return {"base_url": base_url, "rate": 1000, "burst": 1000}

    def truth(self, drift: str | None = None) -> Truth:
        return self.world.truth(web=True, views=drift != "missing_optional", exact=drift == "exact_counts")

    def rate_limited(self) -> Reply:
        return Reply(
            429, "<html><body>Too Many Requests</body></html>", {"Retry-After": "3", "Content-Type": "text/html"}
        )

    def token_expired(self) -> Reply:
        return Reply(503, "Service Unavailable", {"Content-Type": "text/plain"})  # nothing to expire: a plain fault

    def echoing_error(self, token: str) -> Reply:
        return Reply(503, f"<html><body>upstream failed for {token}</body></html>", {"Content-Type": "text/html"})

    def bad_targets(self) -> dict[str, str]:
        return {"telegram:closed_channel": "no preview: ", "telegram:no_such_channel": "no preview: "}

    def target_of(self, request: Request) -> str | None:
        parts = request.path.strip("/").split("/")
        return f"telegram:{parts[1]}" if len(parts) == 2 and parts[0] == "s" else None


class TelegramMtprotoPlatform(TelegramWebPlatform):
    drifts = DRIFTS
    unsupported: ClassVar[dict[str, str]] = {
        "test_sigkill_then_rerun_equals_an_uninterrupted_run": (
            "the fake MTProto client lives in the test process; the web variant runs this test"
        ),
        "test_authors_a_failed_run_left_are_profiled_by_the_next": NO_AUTHORS,
    }

    def handler(self, drift: str | None = None) -> Callable[[Request], Reply]:
        return MtprotoFake(self.world, drift)

    def settings(self, base_url: str) -> dict[str, Any]:
        return {
            "source": "mtproto",
            "api_id": 123456,
            "api_hash": API_HASH,
            "base_url": base_url + "/mtproto",
            "rate": 1000,
            "burst": 1000,
        }

    def truth(self, drift: str | None = None) -> Truth:
        views = drift not in ("missing_optional", "older_shapes")
        return self.world.truth(web=False, views=views, forwards=drift != "missing_optional")

    def rate_limited(self) -> Reply:
        return json_reply({"rpc_error": {"code": 420, "message": "FLOOD_WAIT_3"}})

    def token_expired(self) -> Reply:
        return json_reply({"rpc_error": {"code": 401, "message": "AUTH_KEY_UNREGISTERED"}})

    def echoing_error(self, token: str) -> Reply:
        return json_reply({"rpc_error": {"code": 500, "message": f"INTERNAL session {token}"}})

    def bad_targets(self) -> dict[str, str]:
        return {"telegram:closed_channel": "private: ", "telegram:no_such_channel": "not found: "}

    def target_of(self, request: Request) -> str | None:
        params = json.loads(request.form.get("params", "{}"))
        name = params.get("channel") or params.get("peer")
        return f"telegram:{name}" if name else None


class TestTelegramWebContract(ConnectorContract):
    @pytest.fixture
    def fake(self) -> TelegramWebPlatform:
        return TelegramWebPlatform()


class TestTelegramMtprotoContract(ConnectorContract):
    @pytest.fixture
    def fake(self) -> TelegramMtprotoPlatform:
        return TelegramMtprotoPlatform()

    @pytest.fixture(autouse=True)
    def fake_client(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FakeMtproto]]:
        made: list[FakeMtproto] = []

        def factory(settings: TelegramSettings) -> FakeMtproto:
            assert settings.token is not None
            client = FakeMtproto(settings.base_url, settings.timeout, settings.token.get_secret_value())
            made.append(client)
            return client

        monkeypatch.setattr(TelegramConnector, "mtproto_factory", factory)
        yield made
