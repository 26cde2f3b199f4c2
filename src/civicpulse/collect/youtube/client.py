"""The YouTube connector: sends what the passes of :mod:`~civicpulse.collect.youtube.paging` plan.

YouTube Data API v3 with an API key (public data needs no OAuth), sent in the ``X-Goog-Api-Key``
header rather than as ``key=`` so that it is never part of a URL (HTTP libraries log URLs). Methods: ``channels.list``
(snapshots, author profiles), ``playlistItems.list`` (uploads), ``videos.list`` (counts),
``commentThreads.list`` and ``comments.list`` (comments), ``search.list`` (mentions).

**Quota.** Every call costs units of the project's daily quota (10,000 by default), charged
before it is sent, every try included (Google charges invalid requests too): 1 for the list
methods, ``search_cost`` (100) for ``search.list``. The quota day is Pacific time (it resets at
midnight in America/Los_Angeles). A call the day's remaining units cannot pay is not sent: a
channel stops with :class:`~civicpulse.errors.QuotaExhausted` (the platform stops; its cursor
keeps its place and the next run continues it), a mention search that cannot pay for
``search.list`` is skipped alone so that the cheap author profiles still go. Since June 2026
Google counts ``search.list`` in a bucket of its own (100 calls a day); ``search_quota = 100``
selects that model. When YouTube says ``quotaExceeded`` anyway (another program spends the same
project's quota), the rest of the day is marked spent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

import httpx
from pydantic import Field, SecretStr

from civicpulse.collect.base import Connector, Cursor, FetchContext, Page, ParseResult, Target
from civicpulse.collect.http import Exchange, labelled
from civicpulse.collect.settings import ConnectorSettings
from civicpulse.collect.window import finished, resumes
from civicpulse.collect.youtube.errors import YoutubeError, error_for
from civicpulse.collect.youtube.paging import COSTS, Call, ChannelPass, MentionSearch, author_calls
from civicpulse.collect.youtube.parse import parse_payload, profiled
from civicpulse.errors import TerminalError, TransientError

PATHS = {
    "channels.list": "channels",
    "playlistItems.list": "playlistItems",
    "videos.list": "videos",
    "commentThreads.list": "commentThreads",
    "comments.list": "comments",
    "search.list": "search",
}
SEARCH_BUCKET = "search.list"


def channel_id(target: Target) -> str:
    """The registry's channel id (or handle) of an official account."""
    if not target.account:
        raise labelled(TerminalError(target.name, "the registry gives no channel id"), "bad id")
    return target.account


class YoutubeSettings(ConnectorSettings):
    """``[collect.youtube]``: an API key of a Google Cloud project with YouTube Data API v3 enabled."""

    token: SecretStr = Field(description="YouTube Data API v3 key (Google Cloud console, APIs & Services).")
    base_url: str = Field(default="https://www.googleapis.com/youtube/v3/", description="YouTube Data API endpoint.")
    rate: float = Field(default=5.0, gt=0, description="Requests per second (the API limits units per day, not speed).")
    daily_quota: int | None = Field(default=10_000, ge=1, description="Quota units per day of the key's project.")
    quota_reset_tz: str = Field(default="America/Los_Angeles", description="The quota resets at midnight here.")
    search_cost: int = Field(default=100, ge=0, description="Units of daily_quota one search.list call costs.")
    search_quota: int | None = Field(
        default=None,
        ge=1,
        description="search.list calls per day in a bucket of their own (Google's model since June 2026: 100); "
        "when set, search.list costs nothing from daily_quota.",
    )
    comments: bool = Field(default=True, description="Collect the comments under the official videos.")
    search_region: str | None = Field(default=None, description="regionCode of mention searches (e.g. KZ).")
    search_language: str | None = Field(default=None, description="relevanceLanguage of mention searches (e.g. ru).")


class YoutubeConnector(Connector[YoutubeSettings]):
    """YouTube: official channels (snapshots, videos, comments), mention search, author profiles."""

    platform: ClassVar[str] = "youtube"
    settings_model: ClassVar[type[ConnectorSettings]] = YoutubeSettings
    kinds: ClassVar[frozenset[str]] = frozenset({"official", "mentions", "authors"})

    # -- the contract ------------------------------------------------------------------------

    def fetch(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        if target.kind == "official":
            return self._channel(target, cursor, context)
        if target.kind == "mentions":
            return self._mentions(target, cursor, context)
        raise ValueError(f"YouTube has no {target.kind} targets")

    def fetch_authors(self, ids: Sequence[str], context: FetchContext) -> Iterator[Page]:
        for done, call in enumerate(author_calls(list(ids)), 1):
            exchange = self.request("youtube:authors", call)
            yield Page(exchange, {"calls_done": done})

    def profiled(self, author_id: str) -> bool:
        return profiled(author_id)

    @classmethod
    def parse(cls, payload: str) -> ParseResult:
        return parse_payload(payload)

    # -- passes ------------------------------------------------------------------------------

    def _channel(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        if finished(cursor):
            return
        walk = ChannelPass.resumed(cursor) or ChannelPass.start(
            channel_id(target),
            cursor.state,
            context.now,
            context.since,
            s.backfill_days,
            s.refresh_days,
            comments=s.comments,
        )
        while not walk.done:
            call = walk.plan()
            exchange = self.request(target.name, call)
            notes, failure = walk.advance(call, exchange.data)
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
            call = search.plan(s.search_region, s.search_language)
            exchange = self.request(target.name, call)
            search.advance(call, exchange.data)
            yield Page(exchange, search.state())

    # -- the request -------------------------------------------------------------------------

    def request(self, target: str, call: Call) -> Exchange:
        """Send ``call`` with the key, charging its quota; returns the exchange or raises."""
        cost = COSTS[call.method]
        if call.method == "search.list":
            cost = self._search_allowance(target)

        def check(data: Any, response: httpx.Response) -> bool:
            if not isinstance(data, Mapping) or "error" not in data:
                return False
            error = YoutubeError.from_payload(data["error"], call.method)
            if call.purpose == "comments" and (error.scope == "item" or error.reason == "forbidden"):
                return True  # comments off, hidden or the video gone: the pass notes it and goes on
            if error.scope == "quota":
                self._spend_the_day()
            raise error_for(error, target)

        return self.http.call(
            target,
            url=self.settings.base_url.rstrip("/") + "/" + PATHS[call.method],
            method=call.method,
            params=call.params,
            headers={"X-Goog-Api-Key": self.settings.token.get_secret_value()},
            describe=call.describe(),
            cost=cost,
            check=check,
        )

    def _search_allowance(self, target: str) -> int:
        """The daily_quota units a search.list call costs, once it is known it can be paid today.

        Raises a target-level :class:`TransientError` (label ``quota``) when it cannot: the other
        mention searches are skipped the same way without a request, the author profiles still go.
        """
        s, http = self.settings, self.http
        day = http.quota_day()
        if s.search_quota is not None:
            bucket = f"{http.key}:{SEARCH_BUCKET}"
            used = http.ledger.quota_used(self.platform, bucket, day)
            if used >= s.search_quota:
                raise labelled(
                    TransientError(
                        target,
                        f"search.list: its daily bucket is spent ({used} of {s.search_quota} calls on {day}, "
                        f"{s.quota_reset_tz}); mention search resumes after the quota resets",
                    ),
                    "quota",
                )
            http.ledger.charge_quota(self.platform, bucket, day, 1)
            return 0
        left = http.quota_left()
        if left is not None and left < s.search_cost:
            raise labelled(
                TransientError(
                    target,
                    f"search.list costs {s.search_cost} units and {left} are left on {day} ({s.quota_reset_tz}); "
                    "mention search resumes after the quota resets",
                ),
                "quota",
            )
        return s.search_cost

    def _spend_the_day(self) -> None:
        """YouTube says the quota is spent: make the ledger agree, so no run tries again today."""
        left = self.http.quota_left()
        if left:
            self.http.ledger.charge_quota(self.platform, self.http.key, self.http.quota_day(), left)
