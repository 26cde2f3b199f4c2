"""Facebook Graph API objects as the parsers and passes need them, read leniently.

Object shapes: https://developers.facebook.com/docs/graph-api/reference/page (``followers_count``,
``fan_count``), ``/page/feed`` and ``/post`` (``shares``, ``comments.summary``, ``reactions``),
``/object/reactions`` (``reactions.type(X).summary(total_count).as(x)`` aliases) and
``/object/comments`` (``filter=stream`` with ``parent``). Drift absorbed here: counts as numbers
or strings, summaries missing when a field was not asked or the count is zero (``shares`` is
absent when nobody shared), older answers with ``likes`` instead of ``reactions`` and without
``followers_count``, comments without ``id`` (their id is then read from ``permalink_url``).
Times are ``2021-07-09T19:09:52+0000``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from civicpulse.collect.values import as_count, as_str, items, mapping, required_time

REACTIONS: Final = ("like", "love", "care", "wow", "haha", "sad", "angry")
"""The reaction types asked one by one (``reactions.type(LIKE)...as(like)``), kept in the raw payload."""
MEDIA: Final = {
    "photo": "photo",
    "album": "photo",
    "cover_photo": "photo",
    "profile_media": "photo",
    "video": "video",
    "video_inline": "video",
    "video_autoplay": "video",
    "video_direct_response": "video",
    "animated_image_video": "video",
    "share": "link",
    "link": "link",
    "native_templates": "link",
    "event": "other",
    "note": "text",
    "status": "text",
}


def summary_count(value: Any) -> int | None:
    """``{"summary": {"total_count": n}}`` (an edge asked with ``summary``) or ``{"count": n}`` (shares)."""
    edge = mapping(value)
    if "summary" in edge:
        return as_count(mapping(edge.get("summary")).get("total_count"))
    if "count" in edge:
        return as_count(edge.get("count"))
    return None


def media_of(post: Mapping[str, Any]) -> str:
    """The canonical media type of a post's first attachment (``text`` without one)."""
    for attachment in items(mapping(post.get("attachments")).get("data")):
        kind = str(mapping(attachment).get("media_type") or mapping(attachment).get("type") or "")
        if kind:
            live = "live" in str(post.get("status_type") or "") or kind == "live_video"
            return "live" if live else MEDIA.get(kind, "other")
    return "text"


@dataclass(frozen=True)
class FbPage:
    """A page's counters."""

    id: str
    username: str | None
    followers: int | None
    """``followers_count``, else ``fan_count`` (the likes of the page, the older measure)."""

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> FbPage:
        page_id = as_str(item.get("id"))
        if page_id is None:
            raise ValueError("id: missing")
        followers = as_count(item.get("followers_count"))
        if followers is None:
            followers = as_count(item.get("fan_count"))
        return cls(page_id, as_str(item.get("username")), followers)


@dataclass(frozen=True)
class FbPost:
    """A post of a page's feed."""

    id: str
    author: str | None
    published_at: dt.datetime
    text: str
    reactions: int
    comments: int
    shares: int
    url: str
    media: str

    @property
    def owner(self) -> str:
        """The page (or person) whose feed holds the post: the first part of ``<page>_<post>``."""
        return self.id.split("_", 1)[0]

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> FbPost:
        post_id = as_str(item.get("id"))
        if post_id is None:
            raise ValueError("id: missing")
        reactions = summary_count(item.get("reactions"))
        if reactions is None:
            parts = [summary_count(item.get(kind)) for kind in REACTIONS]
            known = [p for p in parts if p is not None]
            reactions = sum(known) if known else summary_count(item.get("likes"))  # likes: before 2016
        return cls(
            id=post_id,
            author=as_str(mapping(item.get("from")).get("id")),
            published_at=required_time(item, "created_time"),
            text=str(item.get("message") or ""),
            reactions=reactions or 0,
            comments=summary_count(item.get("comments")) or 0,
            shares=summary_count(item.get("shares")) or 0,
            url=as_str(item.get("permalink_url")) or f"https://www.facebook.com/{post_id}",
            media=media_of(item),
        )


@dataclass(frozen=True)
class FbComment:
    """A comment or a reply (``/{post}/comments?filter=stream``)."""

    id: str
    parent: str | None
    author: str | None
    published_at: dt.datetime
    text: str
    likes: int
    replies: int
    url: str | None
    media: str

    @classmethod
    def from_payload(cls, item: Mapping[str, Any], post_id: str) -> FbComment:
        link = as_str(item.get("permalink_url"))
        own, parent = _ids_from_link(link, post_id)
        comment_id = as_str(item.get("id")) or own
        if comment_id is None:
            raise ValueError("id: missing, and permalink_url names no comment")
        parent = as_str(mapping(item.get("parent")).get("id")) or parent
        attachment = mapping(item.get("attachment"))
        kind = str(attachment.get("media_type") or attachment.get("type") or "")
        return cls(
            id=comment_id,
            parent=parent,
            author=as_str(mapping(item.get("from")).get("id")),
            published_at=required_time(item, "created_time"),
            text=str(item.get("message") or ""),
            likes=as_count(item.get("like_count")) or 0,
            replies=as_count(item.get("comment_count")) or 0,
            url=link,
            media=MEDIA.get(kind, "other") if kind else "text",
        )


def _ids_from_link(link: str | None, post_id: str) -> tuple[str | None, str | None]:
    """A comment's id and its parent's from ``...?comment_id=C&reply_comment_id=R`` (older answers lack ``id``).

    Graph API comment ids are ``<post number>_<comment number>``.
    """
    if not link:
        return None, None
    query = parse_qs(urlsplit(link).query)
    number = post_id.split("_")[-1]
    top = query.get("comment_id", [None])[0]
    reply = query.get("reply_comment_id", [None])[0]
    if reply and top:
        return f"{number}_{reply}", f"{number}_{top}"
    if top:
        return f"{number}_{top}", None
    return None, None
