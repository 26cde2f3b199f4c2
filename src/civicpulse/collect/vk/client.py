"""The VK connector: sends what the passes of :mod:`~civicpulse.collect.vk.paging` plan, as ``execute``.

Every request is one ``execute`` of up to 25 API calls (``return [API.wall.get({...}), ...];``),
so the 3 requests per second of a user token (5 or more for a service key, 20 for a community
token) carry up to 75 calls. The token travels in the ``Authorization: Bearer`` header, never in
a URL. ``execute`` itself fails (``{"error": ...}``) only when the whole request fails; a failed
call inside it yields ``false`` and an entry of ``execute_errors``: transient, quota and token
errors there fail the request (and are retried or stop the platform), the others are handed to
the pass as that call's error (a private wall ends the target; closed comments on one post are a
note).

API 5.199 methods used: ``execute``, ``groups.getById``, ``users.get``, ``wall.get``,
``wall.getComments``, ``newsfeed.search`` (all callable with a service key).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

import httpx
import orjson
from pydantic import Field, SecretStr

from civicpulse.collect.base import Connector, Cursor, FetchContext, Page, ParseResult, Target
from civicpulse.collect.http import Exchange, labelled
from civicpulse.collect.settings import ConnectorSettings
from civicpulse.collect.vk.errors import VkError, raise_error
from civicpulse.collect.vk.paging import EXECUTE_CALLS, Call, CallResult, MentionSearch, WallPass, author_calls
from civicpulse.collect.vk.parse import parse_payload
from civicpulse.collect.window import finished, resumes
from civicpulse.errors import TerminalError

API_VERSION = "5.199"


class VkSettings(ConnectorSettings):
    """``[collect.vk]``: a token is required (a service key is enough for everything collected)."""

    token: SecretStr = Field(description="VK access token: a service key, or a user token.")
    base_url: str = Field(
        default="https://api.vk.com/method/", description="VK API endpoint (api.vk.com or api.vk.ru)."
    )
    rate: float = Field(default=3.0, gt=0, description="Requests per second (3 for user tokens, 5+ for service keys).")
    version: str = Field(default=API_VERSION, description="VK API version sent as v=.")
    execute_calls: int = Field(default=EXECUTE_CALLS, ge=1, le=EXECUTE_CALLS, description="API calls per execute.")
    comments: bool = Field(default=True, description="Collect comments under the official posts.")
    thread_items: int = Field(default=10, ge=0, le=10, description="Thread replies returned inline with comments.")


def execute_code(calls: Sequence[Call]) -> str:
    """VKScript that returns the results of ``calls`` in order: ``return [API.m({...}),...];``."""
    parts = [
        f"API.{call.method}({orjson.dumps(call.params).decode()})"  # a JSON object is a VKScript object literal
        for call in calls
    ]
    return "return [" + ",".join(parts) + "];"


def owner_id(account: str | None) -> int:
    """The numeric VK owner id of a registry account (``-123`` community, ``123`` person)."""
    try:
        return int(str(account).strip())
    except ValueError:
        raise labelled(
            TerminalError(
                f"vk:{account}",
                "VK accounts must be registered by numeric owner id (-<community id> or <user id>), not by "
                "screen name; open the page and copy the id from a post address vk.com/wall<owner>_<post>",
            ),
            "bad id",
        ) from None


class VkConnector(Connector[VkSettings]):
    """VKontakte: official walls (snapshots, posts, comments), mention search, author profiles."""

    platform: ClassVar[str] = "vk"
    settings_model: ClassVar[type[ConnectorSettings]] = VkSettings
    kinds: ClassVar[frozenset[str]] = frozenset({"official", "mentions", "authors"})

    # -- the contract ------------------------------------------------------------------------

    def fetch(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        if target.kind == "official":
            return self._wall(target, cursor, context)
        if target.kind == "mentions":
            return self._mentions(target, cursor, context)
        raise ValueError(f"VK has no {target.kind} targets")

    def fetch_authors(self, ids: Sequence[str], context: FetchContext) -> Iterator[Page]:
        calls = author_calls(ids)
        step = self.settings.execute_calls
        for start in range(0, len(calls), step):
            batch = calls[start : start + step]
            exchange, results = self.execute("vk:authors", batch)
            notes = tuple(f"profiles skipped: {r.error.reason()}" for r in results if r.error is not None)
            yield Page(exchange, {"calls_done": start + len(batch)}, notes)

    def profiled(self, author_id: str) -> bool:
        # people have positive ids; communities (negative) have no profile worth scoring
        return author_id.isdigit() and author_id != "0"

    @classmethod
    def parse(cls, payload: str) -> ParseResult:
        return parse_payload(payload)

    # -- passes ------------------------------------------------------------------------------

    def _wall(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        if finished(cursor):
            return
        walk = WallPass.resumed(cursor) or WallPass.start(
            owner_id(target.account),
            cursor.state,
            context.now,
            context.since,
            s.backfill_days,
            s.refresh_days,
            comments=s.comments,
            thread_items=s.thread_items,
        )
        while not walk.done:
            calls = walk.plan(s.execute_calls)
            exchange, results = self.execute(target.name, calls)
            notes, failure = walk.advance(calls, results)
            if failure is not None:
                yield Page(exchange, walk.failed_state(), tuple(notes))
                raise labelled(TerminalError(target.name, failure.reason), failure.label)
            yield Page(exchange, walk.state(), tuple(notes))

    def _mentions(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        if finished(cursor):
            return
        if resumes(cursor, "search"):
            search = MentionSearch.from_state(cursor.state)
        else:
            search = MentionSearch.begin(
                target.terms,
                cursor.state,
                context.now,
                context.since,
                s.mention_backfill_days,
                s.mention_overlap_minutes,
            )
        while not search.done:
            calls = search.plan(s.execute_calls)
            exchange, results = self.execute(target.name, calls)
            notes = search.advance(calls, results)
            yield Page(exchange, search.state(), tuple(notes))

    # -- the request -------------------------------------------------------------------------

    def execute(self, target: str, calls: Sequence[Call]) -> tuple[Exchange, list[CallResult]]:
        """Send ``calls`` as one ``execute``; returns the exchange and each call's result or error."""
        token = self.settings.token.get_secret_value()

        def check(data: Any, response: httpx.Response) -> None:
            if not isinstance(data, Mapping):
                return
            if "error" in data:
                raise_error(VkError.from_payload(data["error"], "execute"), target)
            for entry in data.get("execute_errors") or []:
                error = VkError.from_payload(entry)
                if error.scope != "target":
                    raise_error(error, target)

        exchange = self.http.call(
            target,
            url=self.settings.base_url.rstrip("/") + "/execute",
            method="execute",
            http_method="POST",
            data={"code": execute_code(calls), "v": self.settings.version},
            headers={"Authorization": f"Bearer {token}"},
            describe={"v": self.settings.version, "calls": [call.describe() for call in calls]},
            check=check,
        )
        return exchange, _results(exchange.data, calls, target)


def _results(data: Any, calls: Sequence[Call], target: str) -> list[CallResult]:
    response = data.get("response") if isinstance(data, Mapping) else None
    if not isinstance(response, list) or len(response) != len(calls):
        got = len(response) if isinstance(response, list) else type(response).__name__
        raise labelled(TerminalError(target, f"execute: expected {len(calls)} results, got {got}"), "bad response")
    errors = [VkError.from_payload(e) for e in (data.get("execute_errors") or [])]
    results = []
    for call, value in zip(calls, response, strict=True):
        if value is False or value is None:
            # execute_errors lists the failed calls in order; match them to the false results
            error = errors.pop(0) if errors else VkError(0, "the call failed without an error entry", call.method)
            results.append(CallResult(error=VkError(error.code, error.message, call.method)))
        else:
            results.append(CallResult(value=value))
    return results
