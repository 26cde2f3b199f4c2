"""MTProto calls behind a small protocol: the Telethon client in production, a fake in tests.

:class:`MtprotoClient` is all the connector needs: ``call(method, params)`` sends one TL method
(``channels.getFullChannel``, ``messages.getHistory``, ``messages.getReplies``) and returns its
result as Telethon's ``to_dict()`` would, raising :class:`~civicpulse.collect.telegram.errors.RpcFault`
for RPC errors and ``TimeoutError``/``ConnectionError`` for transport faults. Parsing works on
those dicts only, so it is tested without Telethon and without any MTProto server.

:class:`TelethonClient` adapts Telethon (the optional extra ``civicpulse[telegram]``): a user
session given as a ``StringSession`` string, the app's ``api_id``/``api_hash`` from
my.telegram.org, and ``flood_sleep_threshold=0`` so that every FloodWait reaches
:class:`Caller`, which honours it on the run's clock: the token's bucket holds every call for the
seconds Telegram asked, or the target is left for the next run when the wait is longer than
``max_wait``.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import importlib
import logging
import random
import re
from collections.abc import Mapping
from typing import Any, Protocol

import orjson

from civicpulse.collect.http import Exchange, Http, labelled
from civicpulse.collect.telegram.errors import RpcFault, fault_error
from civicpulse.errors import ConfigError, TokenError, TransientError

log = logging.getLogger("civicpulse.collect")


class MtprotoClient(Protocol):
    """One MTProto session: sends TL methods, answers with ``to_dict()`` shapes."""

    def call(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The result of ``method`` as a dict; raises RpcFault, TimeoutError or ConnectionError."""
        ...

    def close(self) -> None: ...


def json_default(value: Any) -> Any:
    """What Telethon's ``to_json`` writes for values JSON lacks: ISO times and base64 bytes."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class Caller:
    """Rate-limited, retried, classified and redacted MTProto calls for one connector.

    It shares the connector's :class:`~civicpulse.collect.http.Http` bucket, clock, redactor and
    request counter, so MTProto calls count, wait and stay secret exactly as HTTP requests do.
    """

    def __init__(self, client: MtprotoClient, http: Http, platform: str) -> None:
        self.client = client
        self.http = http
        self.platform = platform

    def call(self, target: str, method: str, params: Mapping[str, Any], describe: Mapping[str, Any]) -> Exchange:
        """Send one call, retrying transient faults; returns the exchange or raises."""
        settings, attempt = self.http.settings, 0
        while True:
            attempt += 1
            try:
                return self._once(target, method, params, describe)
            except TransientError as exc:
                if exc.platform_wide or attempt >= settings.attempts:
                    raise
                backoff = min(settings.backoff_max, settings.backoff_initial * 2.0 ** (attempt - 1))
                wait = (
                    exc.retry_after
                    if exc.retry_after is not None
                    else backoff + random.uniform(0, settings.backoff_jitter)
                )
                if wait > settings.max_wait:
                    # a FloodWait longer than we may block: this target waits for the next run
                    raise labelled(TransientError(exc.target, exc.reason, retry_after=wait), "long wait") from None
                log.info("%s: %s; try %d of %d in %.1f s", target, exc.reason, attempt + 1, settings.attempts, wait)
                if exc.retry_after is not None:
                    self.http.limiter.hold(wait)  # a FloodWait binds the whole session, not this call only
                else:
                    self.http.clock.sleep(wait)

    def _once(self, target: str, method: str, params: Mapping[str, Any], describe: Mapping[str, Any]) -> Exchange:
        self.http.limiter.acquire()
        self.http.requests += 1
        redact = self.http.redactor.text
        try:
            result = self.client.call(method, params)
        except RpcFault as fault:
            error = fault_error(fault, method, target)
            error.reason = redact(error.reason)
            error.args = (f"{error.target}: {error.reason}",)
            raise error from None
        except TimeoutError:
            raise labelled(TransientError(target, f"{method}: no answer in time"), "timeout") from None
        except (ConnectionError, OSError) as exc:
            reason = redact(f"{method}: connection lost ({type(exc).__name__})")
            raise labelled(TransientError(target, reason), "network") from None
        body = redact(orjson.dumps(result, default=json_default).decode())
        description = orjson.loads(redact(orjson.dumps(dict(describe)).decode()))
        return Exchange(self.platform, method, description, 200, body, self.http.clock.now(), orjson.loads(body))


# -- Telethon ---------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


class TelethonClient:
    """:class:`MtprotoClient` over Telethon, run synchronously on a private event loop."""

    def __init__(self, session: str, api_id: int, api_hash: str, timeout: float) -> None:
        try:
            # the optional extra: imported when MTProto collection is configured, not before
            telethon = importlib.import_module("telethon")
            sessions = importlib.import_module("telethon.sessions")
        except ImportError as exc:
            raise ConfigError(
                "[collect.telegram] source = \"mtproto\" needs Telethon: pip install 'civicpulse[telegram]'"
            ) from exc
        self.errors = importlib.import_module("telethon.errors")
        self.functions = importlib.import_module("telethon.tl.functions")
        self.loop = asyncio.new_event_loop()
        self.client = telethon.TelegramClient(
            sessions.StringSession(session),
            api_id,
            api_hash,
            loop=self.loop,
            timeout=timeout,
            request_retries=1,  # civicpulse retries, on its own clock
            flood_sleep_threshold=0,  # every FloodWait comes back to the Caller
            receive_updates=False,
        )
        self._connected = False

    def _run(self, awaitable: Any) -> Any:
        return self.loop.run_until_complete(awaitable)

    def _connect(self) -> None:
        if self._connected:
            return
        self._run(self.client.connect())
        if not self._run(self.client.is_user_authorized()):
            raise TokenError("telegram", "the session string is not logged in: create it again (docs/collect.md)")
        self._connected = True

    def request(self, method: str, params: Mapping[str, Any]) -> Any:
        """The Telethon request object of a TL method with ``params`` (a username resolves to a peer)."""
        group, name = method.split(".")
        module = getattr(self.functions, group)
        cls = getattr(module, name[0].upper() + name[1:] + "Request")
        defaults = {"offset_date": None, "add_offset": 0, "max_id": 0, "min_id": 0, "hash": 0}
        fields = cls.__init__.__code__.co_varnames[1 : cls.__init__.__code__.co_argcount]
        return cls(**{k: params.get(k, defaults.get(k)) for k in fields})

    def call(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        self._connect()
        try:
            result = self._run(self.client(self.request(method, params)))
        except self.errors.RPCError as exc:
            raise RpcFault(int(exc.code or 400), rpc_name(exc), getattr(exc, "seconds", None)) from None
        except ValueError as exc:
            # Telethon raises ValueError when a username resolves to nobody
            raise RpcFault(400, "USERNAME_NOT_OCCUPIED") from exc
        out: dict[str, Any] = result.to_dict()
        return out

    def close(self) -> None:
        try:
            if self._connected:
                self._run(self.client.disconnect())
        finally:
            self.loop.close()


def rpc_name(exc: Any) -> str:
    """The RPC error's name (``CHANNEL_PRIVATE``, ``FLOOD_WAIT_X``) from a Telethon error."""
    name = type(exc).__name__
    if name.endswith("Error") and name not in ("RPCError", "BadRequestError", "FloodError", "ServerError"):
        return _CAMEL.sub("_", name[: -len("Error")]).upper()
    return str(getattr(exc, "message", "") or name).upper()
