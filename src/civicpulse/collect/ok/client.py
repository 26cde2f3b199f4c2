"""The Odnoklassniki connector: signed REST calls for group snapshots and group topics.

Every call is a form ``POST`` to ``https://api.ok.ru/fb.do`` (every method also answers POST) of
``method``, ``application_key``, ``format=json``, the method's parameters, ``sig`` and
``access_token``: in the body, the token never appears in a URL. The signature is computed as
the apiok.ru REST page prescribes:

1. the signing secret is ``session_secret_key`` when one is configured (an app owner's "eternal"
   token comes with one), else ``md5(access_token + application_secret_key)`` in lower case;
2. ``access_token`` (or ``session_key``) is left out of the signed parameters;
3. the parameters are sorted by name and joined as ``name=value`` with nothing between them;
4. ``sig = md5(joined + secret)`` in lower case.

A pass over a group sends ``group.getInfo`` (``members_count``: the snapshot; a group that is
gone comes back empty), ``group.getCounters`` only when ``members_count`` did not come back, then
``mediatopic.getTopics`` pages newest first (``anchor`` from the previous page, ``direction =
FORWARD``) down to the pass's boundary. OK publishes no per-token rate; the default is 2
requests per second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
from pydantic import Field, SecretStr, model_validator

from civicpulse.collect.base import Connector, Cursor, FetchContext, Page, ParseResult, Target
from civicpulse.collect.http import Exchange, labelled
from civicpulse.collect.ok.errors import is_error, raise_error
from civicpulse.collect.ok.parse import parse_payload
from civicpulse.collect.ok.types import OkGroup, OkTopic
from civicpulse.collect.settings import ConnectorSettings, SecretSetting
from civicpulse.collect.values import as_bool, as_str, epoch, items, mapping
from civicpulse.collect.window import PassState, boundary_of, finished, settled_newest
from civicpulse.errors import TerminalError

TOPICS_PAGE = 50
GROUP_FIELDS = "uid,name,shortname,members_count,access_type,status"
UNSIGNED = frozenset({"access_token", "session_key", "sig"})


class OkSettings(ConnectorSettings):
    """``[collect.ok]``: an access token of an OK application, its public key, and a secret to sign with."""

    token: SecretStr = Field(description="OK access_token (OAuth, or the app owner's eternal token).")
    application_key: str = Field(description="The application's public key (application_key).")
    application_secret_key: SecretSetting | None = Field(
        default=None, description="The application's secret key, to sign with md5(access_token + secret)."
    )
    session_secret_key: SecretSetting | None = Field(
        default=None, description="A session secret key given with the token; signs instead of the app secret."
    )
    base_url: str = Field(default="https://api.ok.ru/fb.do", description="OK REST endpoint.")
    rate: float = Field(default=2.0, gt=0, description="Requests per second (OK publishes no per-token rate).")

    @model_validator(mode="after")
    def _a_secret(self) -> OkSettings:
        if self.application_secret_key is None and self.session_secret_key is None:
            raise ValueError("set application_secret_key or session_secret_key: OK requests must be signed")
        return self

    def secret_values(self) -> list[str]:
        extra = [s.get_secret_value() for s in (self.application_secret_key, self.session_secret_key) if s]
        return [*super().secret_values(), *extra]

    def signing_secret(self) -> str:
        """``session_secret_key``, else ``md5(access_token + application_secret_key)`` in lower case."""
        if self.session_secret_key is not None:
            return self.session_secret_key.get_secret_value()
        assert self.application_secret_key is not None  # the validator ensures one of the two
        return md5(self.token.get_secret_value() + self.application_secret_key.get_secret_value())


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest().lower()  # the protocol says md5


def signature(params: Mapping[str, Any], secret: str) -> str:
    """``sig`` of a request: md5 of the sorted ``name=value`` pairs (token left out) and the secret."""
    joined = "".join(f"{name}={params[name]}" for name in sorted(params) if name not in UNSIGNED)
    return md5(joined + secret)


def group_id(target: Target) -> str:
    """The numeric id of the registry's group (groups are registered by it: ok.ru/group/<id>)."""
    gid = str(target.account or "").strip()
    if not gid.isdigit():
        raise labelled(
            TerminalError(target.name, "OK groups are registered by their numeric id (ok.ru/group/<id>)"), "bad id"
        )
    return gid


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, str]


@dataclass
class GroupPass(PassState):
    """One pass over a group: info (and counters), then topics newest first down to ``boundary``."""

    gid: str
    boundary: int
    step: str = "info"
    """``info``, ``counters``, ``topics`` or ``done``."""
    anchor: str | None = None
    newest: int | None = None
    settled: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        gid: str,
        settled: Mapping[str, Any],
        now: dt.datetime,
        since: dt.datetime | None,
        backfill: int,
        refresh: int,
    ) -> GroupPass:
        kept = settled_newest(settled)
        boundary = boundary_of(kept, now, since, backfill, refresh)
        return cls(gid, boundary, newest=kept.get("newest"), settled=kept)

    @property
    def done(self) -> bool:
        return self.step == "done"

    def plan(self) -> Call:
        if self.step == "info":
            return Call("group.getInfo", {"uids": self.gid, "fields": GROUP_FIELDS})
        if self.step == "counters":
            return Call("group.getCounters", {"group_id": self.gid, "counterTypes": "members"})
        params = {"gid": self.gid, "count": str(TOPICS_PAGE), "fields": "media_topic.*"}
        if self.anchor:
            params.update(anchor=self.anchor, direction="FORWARD")
        return Call("mediatopic.getTopics", params)

    def advance(self, call: Call, data: Any) -> tuple[str, str] | None:
        """Take an answer; returns ``(label, reason)`` when the group cannot be collected."""
        if call.method == "group.getInfo":
            groups = [OkGroup.from_payload(mapping(g)) for g in (data if isinstance(data, list) else [])]
            group = next((g for g in groups if g.id == self.gid), None)
            if group is None:
                return "deleted", "group.getInfo: no such group (deleted, blocked or a wrong id)"
            if group.status and group.status.upper() in ("BLOCKED", "DELETED", "DISABLED"):
                return "deleted", f"group.getInfo: the group is {group.status.lower()}"
            self.step = "counters" if group.members is None else "topics"
            return None
        if call.method == "group.getCounters":
            self.step = "topics"
            return None
        body = mapping(data)
        topics = [t for t in items(body.get("media_topics")) if isinstance(t, Mapping)]
        reached = False
        for item in topics:
            try:
                moment = epoch(OkTopic.from_payload(item).created_at)
            except (ValueError, TypeError):
                continue  # the parser reports it
            if moment < self.boundary:
                reached = True
                continue
            self.newest = moment if self.newest is None else max(self.newest, moment)
        self.anchor = as_str(body.get("anchor"))
        more = as_bool(body.get("has_more")) if "has_more" in body else bool(topics)
        if reached or not topics or not more or not self.anchor:
            self.step = "done"
        return None


class OkConnector(Connector[OkSettings]):
    """Odnoklassniki: official groups (snapshots, topics with likes, comments and reshares)."""

    platform: ClassVar[str] = "ok"
    settings_model: ClassVar[type[ConnectorSettings]] = OkSettings
    kinds: ClassVar[frozenset[str]] = frozenset({"official"})

    def fetch(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        if target.kind != "official":
            raise ValueError(f"OK has no {target.kind} targets")
        return self._group(target, cursor, context)

    @classmethod
    def parse(cls, payload: str) -> ParseResult:
        return parse_payload(payload)

    def _group(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        if finished(cursor):
            return
        walk = GroupPass.resumed(cursor) or GroupPass.start(
            group_id(target), cursor.state, context.now, context.since, s.backfill_days, s.refresh_days
        )
        while not walk.done:
            call = walk.plan()
            exchange = self.request(target.name, walk.gid, call)
            failure = walk.advance(call, exchange.data)
            if failure is not None:
                yield Page(exchange, walk.failed_state())
                raise labelled(TerminalError(target.name, failure[1]), failure[0])
            yield Page(exchange, walk.state())

    def signed(self, call: Call) -> dict[str, str]:
        """The call's parameters with ``application_key``, ``format``, ``sig`` and ``access_token``."""
        params = {**call.params, "method": call.method, "application_key": self.settings.application_key}
        params["format"] = "json"
        params["sig"] = signature(params, self.settings.signing_secret())
        params["access_token"] = self.settings.token.get_secret_value()
        return params

    def request(self, target: str, gid: str, call: Call) -> Exchange:
        """Send one signed call; returns the exchange or raises the mapped error."""

        def check(data: Any, response: httpx.Response) -> None:
            if is_error(data):
                raise_error(data, call.method, target)

        return self.http.call(
            target,
            url=self.settings.base_url,
            method=call.method,
            http_method="POST",  # in the body, the token stays out of URLs (and so out of httpx's own logs)
            data=self.signed(call),
            describe={"account": gid, **call.params},
            check=check,
        )
