"""Instagram Graph API objects as the parsers and passes need them, read leniently.

Shapes: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/business_discovery
and …/reference/ig-media. ``business_discovery`` holds the account's public fields
(``followers_count``, ``media_count``) and its ``media`` edge: ``{"data": [...], "paging":
{"cursors": {"before", "after"}}}`` (no ``next`` link, unlike other edges). Drift absorbed here:
``like_count`` is left out when the owner hides likes, counts may be strings, ``timestamp`` is
``2021-08-17T19:00:42+0000``, older answers lack ``media_product_type``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from civicpulse.collect.values import as_count, as_str, mapping, required_str, required_time

SHORTCODE: Final = re.compile(r"instagram\.com/(?:[A-Za-z0-9._]+/)?(?:p|reel|reels|tv)/([A-Za-z0-9_-]+)")
MEDIA: Final = {"IMAGE": "photo", "CAROUSEL_ALBUM": "photo", "VIDEO": "video"}


def shortcode(permalink: str | None) -> str | None:
    """The ``/p/<shortcode>/`` of a permalink: the id instaloader and CrowdTangle exports use too."""
    match = SHORTCODE.search(permalink or "")
    return match.group(1) if match else None


@dataclass(frozen=True)
class IgAccount:
    """The public counters of a business or creator account."""

    id: str | None
    username: str | None
    followers: int | None
    media: int | None

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> IgAccount:
        return cls(
            id=as_str(item.get("id")),
            username=as_str(item.get("username")),
            followers=as_count(item.get("followers_count")),
            media=as_count(item.get("media_count")),
        )


@dataclass(frozen=True)
class IgMedia:
    """One media object of an account."""

    id: str
    """The shortcode when the permalink gives it, else the Graph API media id."""
    published_at: dt.datetime
    caption: str
    likes: int
    comments: int
    url: str | None
    media: str

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> IgMedia:
        permalink = as_str(item.get("permalink"))
        media_id = shortcode(permalink) or required_str(item, "id")
        kind = str(item.get("media_type") or "")
        product = str(item.get("media_product_type") or "")
        return cls(
            id=media_id,
            published_at=required_time(item, "timestamp"),
            caption=str(item.get("caption") or ""),
            likes=as_count(item.get("like_count")) or 0,
            comments=as_count(item.get("comments_count")) or 0,
            url=permalink,
            media="video" if product == "REELS" else MEDIA.get(kind, "other" if kind else "photo"),
        )


def media_edge(business: Mapping[str, Any]) -> tuple[list[Any], str | None]:
    """The media items of a ``business_discovery`` answer and the cursor after them."""
    edge = mapping(business.get("media"))
    data = edge.get("data")
    after = as_str(mapping(mapping(edge.get("paging")).get("cursors")).get("after"))
    return (data if isinstance(data, list) else []), after
