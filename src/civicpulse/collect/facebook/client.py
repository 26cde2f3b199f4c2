"""The Facebook connector, and what it shares with Instagram's: Graph API requests and their limits.

:class:`GraphConnector` sends Graph API requests (``GET https://graph.facebook.com/<version>/<path>``)
for both platforms: the access token in the ``Authorization: Bearer`` header (never in a URL;
Graph API's own ``paging.next`` links do carry it, and are redacted before a body is stored),
``appsecret_proof`` when the app secret is configured, the errors of
:mod:`~civicpulse.collect.facebook.errors`, and the usage headers: past ``usage_pause_at``
percent of a limit the token rests ``usage_pause`` seconds before its next request, and a
throttled token waits as long as Graph API says (or, past ``max_wait``, the platform stops
until the next run).

:class:`FacebookConnector` walks each official page (:mod:`~civicpulse.collect.facebook.paging`).
Facebook offers no search of public posts, so there are no mention targets.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal, TypeVar

import httpx
from pydantic import Field, SecretStr, field_validator

from civicpulse.collect.base import Connector, Cursor, FetchContext, Page, ParseResult, Target
from civicpulse.collect.facebook.errors import GraphError, Usage, error_for, read_usage
from civicpulse.collect.facebook.paging import Call, PagePass
from civicpulse.collect.facebook.parse import parse_payload
from civicpulse.collect.http import Exchange, labelled
from civicpulse.collect.settings import ConnectorSettings
from civicpulse.collect.window import finished
from civicpulse.config import resolve_secret
from civicpulse.errors import ConfigError, TerminalError

GRAPH_VERSION = "v25.0"
ACCOUNT = re.compile(r"[A-Za-z0-9._-]+")


class GraphSettings(ConnectorSettings):
    """What the Facebook and Instagram connectors share."""

    token: SecretStr = Field(description="Graph API access token.")
    base_url: str = Field(default="https://graph.facebook.com/", description="Graph API endpoint.")
    version: str = Field(default=GRAPH_VERSION, description="Graph API version (vNN.0).")
    rate: float = Field(default=1.0, gt=0, description="Requests per second for this token.")
    app_secret: SecretStr | None = Field(
        default=None, description="The app's secret: when set, every request carries appsecret_proof."
    )
    usage_pause_at: float = Field(
        default=90.0, gt=0, le=100, description="Percent of a rate limit (usage headers) at which the token rests."
    )
    usage_pause: float = Field(default=60.0, ge=0, description="Seconds the token rests past usage_pause_at.")

    @field_validator("app_secret", mode="before")
    @classmethod
    def _secret_reference(cls, value: Any) -> Any:
        if isinstance(value, dict):
            try:
                return resolve_secret(value, what="app_secret")
            except ConfigError as exc:
                raise ValueError(str(exc)) from None
        return value

    def secret_values(self) -> list[str]:
        secrets = super().secret_values()
        if self.app_secret is not None:
            secrets.append(self.app_secret.get_secret_value())
        return secrets


class FacebookSettings(GraphSettings):
    """``[collect.facebook]``: a token that may read the pages' public content."""

    token: SecretStr = Field(
        description="A Page access token, or an app/system-user token with Page Public Content Access."
    )
    edge: Literal["feed", "posts"] = Field(
        default="feed", description="feed: the page's posts and visitors' posts; posts: the page's own only."
    )
    page_size: int = Field(default=25, ge=1, le=100, description="Posts per feed request (with all summaries).")
    comments: bool = Field(default=True, description="Collect the comments under the official posts.")


G = TypeVar("G", bound=GraphSettings)


class GraphConnector(Connector[G]):
    """Graph API requests for one platform: token, proof, errors, usage headers."""

    def graph_get(self, target: str, call: Call) -> Exchange:
        """Send ``call``; returns the exchange or raises the mapped error."""
        s = self.settings
        token = s.token.get_secret_value()
        params = dict(call.params)
        if s.app_secret is not None:
            params["appsecret_proof"] = hmac.new(
                s.app_secret.get_secret_value().encode(), token.encode(), hashlib.sha256
            ).hexdigest()

        def check(data: Any, response: httpx.Response) -> bool:
            usage = read_usage(response.headers)
            self._pace(usage)
            if not isinstance(data, Mapping) or "error" not in data:
                return False
            error = GraphError.from_payload(data["error"], response.status_code, call.method)
            if call.purpose == "comments" and error.scope in ("missing", "permission"):
                return True  # one post deleted or hidden meanwhile: the pass notes it and goes on
            wait = usage.regain_seconds or None
            raise error_for(error, target, wait, s.max_wait, f"[collect.{self.platform}]")

        return self.http.call(
            target,
            url=f"{s.base_url.rstrip('/')}/{s.version}/{call.path}",
            method=call.method,
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            describe=call.describe(),
            check=check,
        )

    def _pace(self, usage: Usage) -> None:
        """Rest the token before Graph API throttles it (the usage headers say how close it is)."""
        if usage.regain_seconds > 0:
            self.http.limiter.hold(min(usage.regain_seconds, self.settings.max_wait))
        elif usage.percent >= self.settings.usage_pause_at:
            self.http.limiter.hold(self.settings.usage_pause)


def checked_account(target: Target) -> str:
    """The registry's id of a page or account, safe to put in a Graph API path or field expansion."""
    account = (target.account or "").strip()
    if not ACCOUNT.fullmatch(account):
        raise labelled(
            TerminalError(target.name, f"{account!r} is not a page or account name (letters, digits, '.', '_', '-')"),
            "bad id",
        )
    return account


class FacebookConnector(GraphConnector[FacebookSettings]):
    """Facebook: official pages (snapshots, posts with reaction/comment/share summaries, comments)."""

    platform: ClassVar[str] = "facebook"
    settings_model: ClassVar[type[ConnectorSettings]] = FacebookSettings
    kinds: ClassVar[frozenset[str]] = frozenset({"official"})

    def fetch(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        if target.kind != "official":
            raise ValueError(f"Facebook has no {target.kind} targets")
        return self._page(target, cursor, context)

    @classmethod
    def parse(cls, payload: str) -> ParseResult:
        return parse_payload(payload)

    def _page(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        if finished(cursor):
            return
        walk = PagePass.resumed(cursor) or PagePass.start(
            checked_account(target),
            cursor.state,
            context.now,
            context.since,
            s.backfill_days,
            s.refresh_days,
            edge=s.edge,
            limit=s.page_size,
            comments=s.comments,
        )
        while not walk.done:
            call = walk.plan()
            exchange = self.graph_get(target.name, call)
            notes, failure = walk.advance(call, exchange.data)
            if failure is not None:
                yield Page(exchange, walk.failed_state(), tuple(notes))
                raise labelled(TerminalError(target.name, failure.reason), failure.label)
            yield Page(exchange, walk.state(), tuple(notes))
