"""What to ask Instagram's business discovery next about one account, as resumable state.

No network here. **Account pass** (an official account, by username): the first request asks
the account's counters and its first media page together (``business_discovery.username(U)
{followers_count,media_count,media.limit(N){...}}``, made on the app user's own IG user id); the
next ones ask ``media.after(<cursor>)`` until a page ends older than the pass's *boundary*
(``--since``, else the older of the newest media of the last pass and ``refresh_days`` ago, else
``backfill_days`` ago), a page comes back empty, or no cursor is given (business discovery sends
``cursors.after`` without a ``next`` link, so the end shows as an empty page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from civicpulse.collect.facebook.paging import Call, Failure
from civicpulse.collect.instagram.types import IgMedia, media_edge
from civicpulse.collect.values import as_int, epoch, mapping
from civicpulse.collect.window import PassState, boundary_of, settled_of

MEDIA_FIELDS: Final = "id,caption,comments_count,like_count,media_type,media_product_type,permalink,timestamp"
ACCOUNT_FIELDS: Final = "id,username,name,followers_count,media_count"


@dataclass
class AccountPass(PassState):
    """One pass over an official account; see the module docstring."""

    account: str
    boundary: int
    limit: int = 25
    account_done: bool = False
    after: str | None = None
    media_done: bool = False
    newest: int | None = None
    settled: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        account: str,
        previous: Mapping[str, Any],
        now: dt.datetime,
        since: dt.datetime | None,
        backfill_days: int,
        refresh_days: int,
        limit: int = 25,
    ) -> AccountPass:
        settled = settled_of(previous)
        boundary = boundary_of(settled, now, since, backfill_days, refresh_days)
        return cls(account, boundary, limit, newest=as_int(settled.get("newest")), settled=settled)

    @property
    def done(self) -> bool:
        return self.account_done and self.media_done

    def plan(self, ig_user_id: str) -> Call:
        media = f"media.limit({self.limit}){{{MEDIA_FIELDS}}}"
        if self.after:
            media = f"media.after({self.after}).limit({self.limit}){{{MEDIA_FIELDS}}}"
        if not self.account_done:
            expansion = f"{ACCOUNT_FIELDS},{media}"
            purpose = "account"
        else:
            expansion = media
            purpose = "media"
        fields = f"business_discovery.username({self.account}){{{expansion}}}"
        return Call(ig_user_id, {"fields": fields}, purpose, {"account": self.account})

    def advance(self, call: Call, data: Any) -> Failure | None:
        """Take the answer to the planned call; returns why the account failed, if it did."""
        business = mapping(mapping(data).get("business_discovery"))
        self.account_done = True
        if not business:
            self.media_done = True
            return Failure("not found", f"{self.account}: business discovery returned nothing for this account")
        entries, after = media_edge(business)
        media = []
        for item in entries:
            try:
                media.append(IgMedia.from_payload(mapping(item)))
            except ValueError:
                continue  # the parser reports it
        for item in media:
            published = epoch(item.published_at)
            if published >= self.boundary:
                self.newest = published if self.newest is None else max(self.newest, published)
        reached = bool(media) and epoch(media[-1].published_at) < self.boundary
        if reached or not entries or not after or after == self.after:
            self.media_done = True
        else:
            self.after = after
        return None
