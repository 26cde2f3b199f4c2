"""The Instagram connector: business discovery of each official account through the Graph API.

The Instagram Graph API reads other accounts only through **business discovery**: the app
user's own professional account (``ig_user_id``) asks about another business or creator
account by username. It gives that account's followers and media count and its media with
likes and comments counts; not the comments themselves, and no search of other people's posts,
so there are no mention targets. Requests, errors and usage headers are the Graph API's
(:class:`~civicpulse.collect.facebook.client.GraphConnector`); Instagram counts them against
its business use case rate limit (``X-Business-Use-Case-Usage``, type ``instagram``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field, SecretStr

from civicpulse.collect.base import Cursor, FetchContext, Page, ParseResult, Target
from civicpulse.collect.facebook.client import GraphConnector, GraphSettings, checked_account
from civicpulse.collect.http import labelled
from civicpulse.collect.instagram.paging import AccountPass
from civicpulse.collect.instagram.parse import parse_payload
from civicpulse.collect.settings import ConnectorSettings
from civicpulse.collect.window import finished
from civicpulse.errors import TerminalError


class InstagramSettings(GraphSettings):
    """``[collect.instagram]``: a user token of the app user and the id of its professional account."""

    token: SecretStr = Field(
        description="A long-lived Facebook user access token with instagram_basic, instagram_manage_insights "
        "and pages_read_engagement, of a user who manages the app user's Instagram professional account."
    )
    ig_user_id: str = Field(
        pattern=r"^\d+$", description="The app user's own Instagram professional account id (17841...)."
    )
    page_size: int = Field(default=25, ge=1, le=100, description="Media per business discovery request.")


class InstagramConnector(GraphConnector[InstagramSettings]):
    """Instagram: official business and creator accounts (snapshots, media with their counts)."""

    platform: ClassVar[str] = "instagram"
    settings_model: ClassVar[type[ConnectorSettings]] = InstagramSettings
    kinds: ClassVar[frozenset[str]] = frozenset({"official"})

    def fetch(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        if target.kind != "official":
            raise ValueError(f"Instagram has no {target.kind} targets")
        return self._account(target, cursor, context)

    @classmethod
    def parse(cls, payload: str) -> ParseResult:
        return parse_payload(payload)

    def _account(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        if finished(cursor):
            return
        walk = AccountPass.resumed(cursor) or AccountPass.start(
            checked_account(target),
            cursor.state,
            context.now,
            context.since,
            s.backfill_days,
            s.refresh_days,
            s.page_size,
        )
        while not walk.done:
            call = walk.plan(s.ig_user_id)
            exchange = self.graph_get(target.name, call)
            failure = walk.advance(call, exchange.data)
            if failure is not None:
                yield Page(exchange, walk.failed_state())
                raise labelled(TerminalError(target.name, failure.reason), failure.label)
            yield Page(exchange, walk.state())
