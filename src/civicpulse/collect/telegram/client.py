"""The Telegram connector: open channels through the web preview (no login) or through MTProto.

``source = "web"`` (the default) reads ``https://t.me/s/<channel>``: no account, no token. Each
page has about 20 posts, oldest first; ``?before=<id>`` pages back. A pass reads pages down to
its boundary (``--since``, else the older of the newest post already collected and
``refresh_days`` ago, else ``backfill_days`` ago). The first page gives the snapshot. The preview
shows rounded counts and no comments: for exact counts and comments use MTProto.

``source = "mtproto"`` logs in as a user (a Telethon session string, the app's ``api_id`` and
``api_hash``): ``channels.getFullChannel`` (subscribers, the linked discussion group), then
``messages.getHistory`` (100 per call, newest first, ``offset_id`` = the oldest id seen) down to
the boundary, then ``messages.getReplies`` for every post whose comment count changed since the
last pass (100 per call). FloodWait is honoured by :class:`~civicpulse.collect.telegram.mtproto.Caller`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import httpx
import orjson
from pydantic import Field, SecretStr, model_validator

from civicpulse.collect.base import Connector, Cursor, FetchContext, Page, ParseResult, Target
from civicpulse.collect.http import Check, Exchange, Http, error_label, labelled
from civicpulse.collect.settings import ConnectorSettings, SecretSetting
from civicpulse.collect.telegram.errors import no_preview
from civicpulse.collect.telegram.mtproto import Caller, MtprotoClient, TelethonClient
from civicpulse.collect.telegram.parse import page_messages, parse_payload, trailing_album
from civicpulse.collect.telegram.web import PreviewPage, is_preview, parse_preview
from civicpulse.collect.values import as_int, epoch, items, mapping
from civicpulse.collect.window import PassState, boundary_of, finished
from civicpulse.errors import TerminalError, TokenError, TransientError

PREVIEW = "t.me/s"
HISTORY_PAGE = 100
REPLIES_PAGE = 100


class TelegramSettings(ConnectorSettings):
    """``[collect.telegram]``: the web preview needs nothing; MTProto needs a user session and an app."""

    source: Literal["web", "mtproto"] = Field(default="web", description="web (t.me/s preview) or mtproto.")
    token: SecretStr | None = Field(default=None, description="mtproto: the Telethon StringSession of a user.")
    api_id: int | None = Field(default=None, description="mtproto: the app's api_id (my.telegram.org).")
    api_hash: SecretSetting | None = Field(default=None, description="mtproto: the app's api_hash.")
    base_url: str = Field(default="https://t.me", description="web: where the preview pages are.")
    rate: float = Field(default=0.5, gt=0, description="Requests (or MTProto calls) per second.")
    comments: bool = Field(default=True, description="mtproto: collect comments from the linked discussion group.")

    @model_validator(mode="after")
    def _mtproto_needs_a_login(self) -> TelegramSettings:
        if self.source == "mtproto":
            missing = [name for name in ("token", "api_id", "api_hash") if getattr(self, name) is None]
            if missing:
                raise ValueError(f"source = mtproto needs {', '.join(missing)}")
        return self

    def secret_values(self) -> list[str]:
        extra = [self.api_hash.get_secret_value()] if self.api_hash is not None else []
        return [*super().secret_values(), *extra]


def telethon_factory(settings: TelegramSettings) -> MtprotoClient:
    """The production MTProto client (Telethon); tests replace it with a fake."""
    assert settings.token is not None and settings.api_id is not None and settings.api_hash is not None
    return TelethonClient(
        settings.token.get_secret_value(), settings.api_id, settings.api_hash.get_secret_value(), settings.timeout
    )


class PageHttp(Http):
    """The HTTP layer, also taking the preview's HTML as an answer (the body is stored as a JSON string)."""

    def _classify(
        self, target: str, method: str, response: httpx.Response, description: dict[str, Any], check: Check | None
    ) -> Exchange:
        if method != PREVIEW or response.status_code != 200:
            return super()._classify(target, method, response, description, check)
        text = response.text
        if not is_preview(text):
            reason = f"{method}: not a channel preview page ({len(response.content)} bytes)"
            raise labelled(TransientError(target, reason), "bad body")
        body = self.redactor.text(orjson.dumps(text).decode())
        return Exchange(self.platform, method, description, 200, body, self.clock.now(), text)


def _settled(state: Mapping[str, Any]) -> dict[str, Any]:
    """What the last finished pass left (a failed pass keeps the one before it)."""
    if state.get("phase") == "failed":
        return dict(mapping(state.get("settled")))
    return {k: state[k] for k in ("newest", "seen") if k in state}


@dataclass
class WebPass(PassState):
    """One pass over a channel's preview pages, newest first, down to ``boundary``."""

    channel: str
    boundary: int
    before: int | None = None
    newest: int | None = None
    done: bool = False
    settled: dict[str, Any] = field(default_factory=dict)

    def advance(self, page: PreviewPage) -> None:
        dates = [epoch(m.published_at) for m in page.messages if m.published_at is not None and not m.service]
        if dates:
            self.newest = max([*dates, *([self.newest] if self.newest is not None else [])])
        reached = any(d < self.boundary for d in dates)
        progressed = page.before is not None and (self.before is None or page.before < self.before)
        self.before = page.before
        self.done = reached or not page.messages or not progressed


@dataclass
class ChannelPass(PassState):
    """One MTProto pass: full channel, history down to ``boundary``, then the comment threads that changed."""

    done_keys: ClassVar[tuple[str, ...]] = ("newest", "seen")

    channel: str
    boundary: int
    comments: bool = True
    step: str = "full"
    channel_id: int | None = None
    discussion: bool = False
    offset_id: int = 0
    newest: int | None = None
    jobs: list[list[int]] = field(default_factory=list)
    """Threads to read: ``[post id, offset id]`` (0: from the newest comment)."""
    seen: dict[str, int] = field(default_factory=dict)
    """Post id -> comment count as last collected, so unchanged threads are not read again."""
    settled: dict[str, Any] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.step == "done"

    def plan(self) -> tuple[str, dict[str, Any], dict[str, Any]]:
        """``(method, params, description)`` of the next call."""
        describe: dict[str, Any] = {"channel": self.channel}
        if self.step == "full":
            return "channels.getFullChannel", {"channel": self.channel}, describe
        if self.step == "history":
            params = {"peer": self.channel, "offset_id": self.offset_id, "limit": HISTORY_PAGE}
            return "messages.getHistory", params, {**describe, "channel_id": self.channel_id, **params}
        post, offset = self.jobs[0]
        params = {"peer": self.channel, "msg_id": post, "offset_id": offset, "limit": REPLIES_PAGE}
        return "messages.getReplies", params, {**describe, **params}

    def advance(self, method: str, data: Any) -> None:
        body = mapping(data)
        if method == "channels.getFullChannel":
            full = mapping(body.get("full_chat"))
            self.channel_id = as_int(full.get("id"))
            self.discussion = as_int(full.get("linked_chat_id")) is not None
            self.step = "history"
        elif method == "messages.getHistory":
            self._history(body)
        else:
            raw = [m for m in items(body.get("messages")) if isinstance(m, Mapping)]
            ids = [i for i in (as_int(m.get("id")) for m in raw) if i is not None]
            if len(raw) >= REPLIES_PAGE and ids:
                self.jobs[0][1] = min(ids)
            else:
                self.jobs.pop(0)
            if not self.jobs:
                self.step = "done"

    def skip_thread(self) -> None:
        """Give up the current thread (its comments could not be read) and go on with the others."""
        self.jobs.pop(0)
        if not self.jobs:
            self.step = "done"

    def _history(self, body: Mapping[str, Any]) -> None:
        raw = [m for m in items(body.get("messages")) if isinstance(m, Mapping)]
        messages, _problems = page_messages(body, HISTORY_PAGE)
        reached = False
        for message in messages:
            moment = epoch(message.date)
            if moment < self.boundary:
                reached = True
                continue
            self.newest = moment if self.newest is None else max(self.newest, moment)
            count = message.replies or 0
            wanted = self.comments and self.discussion and message.comments_open and count > 0
            if wanted and self.seen.get(str(message.id)) != count:
                self.jobs.append([message.id, 0])
            self.seen[str(message.id)] = count
        ids = [i for i in (as_int(m.get("id")) for m in raw) if i is not None]
        trailing = trailing_album(raw, HISTORY_PAGE)
        below = [as_int(m.get("id")) for m in raw if trailing is None or as_int(m.get("grouped_id")) != trailing]
        rest = [i for i in below if i is not None]
        if reached or len(raw) < HISTORY_PAGE or not ids or not rest:
            self.step = "comments" if self.jobs else "done"
        else:
            self.offset_id = min(rest) if trailing is not None else min(ids)


class TelegramConnector(Connector[TelegramSettings]):
    """Telegram: official channels (snapshots, posts; comments through MTProto)."""

    platform: ClassVar[str] = "telegram"
    settings_model: ClassVar[type[ConnectorSettings]] = TelegramSettings
    kinds: ClassVar[frozenset[str]] = frozenset({"official"})
    mtproto_factory: ClassVar[Callable[[TelegramSettings], MtprotoClient]] = telethon_factory

    def __init__(self, client: httpx.Client, settings: TelegramSettings, session: Any = None) -> None:
        super().__init__(client, settings, session)
        self.http = PageHttp(client, platform=self.platform, settings=settings, session=self.session)
        self._caller: Caller | None = None

    def fetch(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        if target.kind != "official":
            raise ValueError(f"Telegram has no {target.kind} targets")
        channel = (target.account or "").strip().lstrip("@").removeprefix("https://t.me/").strip("/")
        if not channel:
            raise labelled(TerminalError(target.name, "the registry gives no channel username"), "bad id")
        if self.settings.source == "mtproto":
            return self._mtproto(target, channel, cursor, context)
        return self._web(target, channel, cursor, context)

    @classmethod
    def parse(cls, payload: str) -> ParseResult:
        return parse_payload(payload)

    # -- the web preview -----------------------------------------------------------------------

    def _web(self, target: Target, channel: str, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        if finished(cursor):
            return
        walk = WebPass.resumed(cursor)
        if walk is None:
            settled = _settled(cursor.state)
            boundary = boundary_of(settled, context.now, context.since, s.backfill_days, s.refresh_days)
            walk = WebPass(channel, boundary, newest=as_int(settled.get("newest")), settled=settled)
        while not walk.done:
            params = {"before": walk.before} if walk.before is not None else {}
            try:
                exchange = self.http.call(
                    target.name,
                    url=f"{s.base_url.rstrip('/')}/s/{walk.channel}",
                    method=PREVIEW,
                    params=params,
                    headers={"Accept-Language": "en"},  # counters are read in English ("subscribers")
                    describe={"channel": walk.channel, **params},
                )
            except TerminalError as exc:
                if error_label(exc) == "redirect":
                    raise no_preview(target.name, walk.channel) from None
                raise
            walk.advance(parse_preview(exchange.data))
            yield Page(exchange, walk.state())

    # -- MTProto -------------------------------------------------------------------------------

    def caller(self) -> Caller:
        """The MTProto session, opened on first use and closed with the connector."""
        if self._caller is None:
            client = type(self).mtproto_factory(self.settings)
            weakref.finalize(self, client.close)
            self._caller = Caller(client, self.http, self.platform)
        return self._caller

    def _mtproto(self, target: Target, channel: str, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        if finished(cursor):
            return
        walk = ChannelPass.resumed(cursor)
        if walk is None:
            settled = _settled(cursor.state)
            boundary = boundary_of(settled, context.now, context.since, s.backfill_days, s.refresh_days)
            seen = {str(k): int(v) for k, v in mapping(settled.get("seen")).items() if as_int(v) is not None}
            walk = ChannelPass(
                channel, boundary, s.comments, newest=as_int(settled.get("newest")), seen=seen, settled=settled
            )
        caller = self.caller()
        notes: list[str] = []
        while not walk.done:
            method, params, describe = walk.plan()
            try:
                exchange = caller.call(target.name, method, params, describe)
            except TerminalError as exc:
                if method != "messages.getReplies" or isinstance(exc, TokenError):
                    raise
                # one thread that cannot be read (a deleted post, a closed discussion) is a note, not a failure
                notes.append(f"comments of {channel}/{walk.jobs[0][0]} skipped: {exc.reason}")
                walk.skip_thread()
                continue
            walk.advance(method, exchange.data)
            yield Page(exchange, walk.state(), tuple(notes))
            notes = []
