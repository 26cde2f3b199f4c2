"""VK objects as the parsers need them, read leniently from any API version's payload.

Schema drift is absorbed here and nowhere else: numbers may arrive as strings (``"start_date":
"1342850400"``), flags as 0/1 or true/false, counters as ``{"count": n}`` objects or bare numbers,
optional fields may be missing. A field the canonical record needs (an id, a date) that is
missing or unreadable raises ``ValueError`` naming it; the parser turns that into a problem for
the one item and goes on. Object shapes: https://dev.vk.com/ru/reference/objects and the
VKCOM/vk-api-schema objects (``wall_wallpost_full``, ``wall_wall_comment``, ``groups_group_full``,
``users_user_full``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

# attachment type -> canonical media type (first attachment decides; the rest is kept in raw)
MEDIA: Final = {
    "photo": "photo",
    "posted_photo": "photo",
    "album": "photo",
    "photos_list": "photo",
    "graffiti": "photo",
    "video": "video",
    "clip": "video",
    "audio": "audio",
    "audio_playlist": "audio",
    "podcast": "audio",
    "audio_message": "audio",
    "doc": "document",
    "link": "link",
    "page": "link",
    "article": "link",
    "poll": "poll",
}
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def as_int(value: Any) -> int | None:
    """An integer from an int, a bool, a numeric string or a float; None otherwise."""
    if type(value) is int:  # the common case first: this runs for every number of every payload
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
    return None


def as_bool(value: Any) -> bool:
    """VK flags: true/false, 1/0, "1"/"0"; anything else is false."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(as_int(value))


def count_of(value: Any) -> int | None:
    """A counter given as ``{"count": n}`` (current shape) or as a bare number (some old shapes)."""
    if isinstance(value, dict):
        value = value.get("count")
    number = as_int(value)
    return None if number is None else max(0, number)


def required_int(item: Mapping[str, Any], name: str) -> int:
    number = as_int(item.get(name))
    if number is None:
        raise ValueError(f"{name}: missing or not a number ({item.get(name)!r})")
    return number


def clean_text(value: Any) -> str:
    """Plain text: ``<br>`` (old API versions) as newlines, HTML entities (``&#10071;``) decoded."""
    if not isinstance(value, str):
        return ""
    return html.unescape(_BR.sub("\n", value))


def media_of(attachments: Any) -> str | None:
    """The canonical media type of the first attachment; None without attachments."""
    if not isinstance(attachments, list) or not attachments:
        return None
    first = attachments[0]
    if not isinstance(first, dict):
        return "other"
    kind = str(first.get("type", ""))
    if kind == "video":
        video = first.get("video")
        if isinstance(video, dict) and (as_bool(video.get("live")) or video.get("type") == "live"):
            return "live"
    return MEDIA.get(kind, "other")


@dataclass(frozen=True)
class VkPost:
    """A wall post (``wall.get``, ``newsfeed.search``, ``copy_history`` entries)."""

    owner_id: int
    id: int
    from_id: int | None
    date: int
    text: str
    likes: int
    comments: int
    reposts: int
    views: int | None
    pinned: bool
    repost_of: str | None
    media: str | None
    comments_open: bool

    @property
    def key(self) -> str:
        return post_key(self.owner_id, self.id)

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> VkPost:
        owner_id = required_int(item, "owner_id") if "owner_id" in item else required_int(item, "source_id")
        history = item.get("copy_history")
        original: Mapping[str, Any] | None = None
        if isinstance(history, list) and history and isinstance(history[0], dict):
            original = history[0]
        repost_of = None
        media = media_of(item.get("attachments"))
        if original is not None:
            repost_of = post_key(required_int(original, "owner_id"), required_int(original, "id"))
            media = media or media_of(original.get("attachments"))
        comments = item.get("comments")
        # comments.can_view is 0 when the wall's comments are hidden (field absent in old versions)
        comments_open = not (
            isinstance(comments, dict) and "can_view" in comments and not as_bool(comments["can_view"])
        )
        return cls(
            owner_id=owner_id,
            id=required_int(item, "id") if "id" in item else required_int(item, "post_id"),
            from_id=as_int(item.get("from_id")),
            date=required_int(item, "date"),
            text=clean_text(item.get("text")),
            likes=count_of(item.get("likes")) or 0,
            comments=count_of(comments) or 0,
            reposts=count_of(item.get("reposts")) or 0,
            views=count_of(item.get("views")),
            pinned=as_bool(item.get("is_pinned")),
            repost_of=repost_of,
            media=media,
            comments_open=comments_open,
        )


@dataclass(frozen=True)
class VkComment:
    """A comment (``wall.getComments``), with its inline thread replies when VK sent them."""

    id: int
    from_id: int | None
    date: int | None
    text: str
    likes: int
    deleted: bool
    thread_count: int
    thread: tuple[VkComment, ...]
    reply_to_comment: int | None
    parent: int | None
    """The nearest comment above this one in ``parents_stack`` (v5.80+), if any."""
    media: str | None

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> VkComment:
        thread = item.get("thread")
        replies: list[VkComment] = []
        thread_count = 0
        if isinstance(thread, dict):
            thread_count = count_of(thread) or 0
            for reply in thread.get("items") or []:
                if isinstance(reply, dict):
                    replies.append(cls.from_payload(reply))
        stack = item.get("parents_stack")
        parent = as_int(stack[-1]) if isinstance(stack, list) and stack else None
        deleted = as_bool(item.get("deleted"))
        return cls(
            id=required_int(item, "id") if "id" in item else required_int(item, "cid"),
            from_id=as_int(item.get("from_id")),
            date=None if deleted else required_int(item, "date"),
            text=clean_text(item.get("text")),
            likes=count_of(item.get("likes")) or 0,
            deleted=deleted,
            thread_count=thread_count,
            thread=tuple(replies),
            reply_to_comment=as_int(item.get("reply_to_comment")) or None,
            parent=parent,
            media=media_of(item.get("attachments")),
        )


@dataclass(frozen=True)
class VkGroup:
    """A community (``groups.getById``)."""

    id: int
    name: str
    screen_name: str | None
    members_count: int | None
    is_closed: int
    deactivated: str | None

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> VkGroup:
        deactivated = item.get("deactivated")
        return cls(
            id=abs(required_int(item, "id")),
            name=str(item.get("name") or ""),
            screen_name=str(item["screen_name"]) if item.get("screen_name") else None,
            members_count=count_of(item.get("members_count")),
            is_closed=as_int(item.get("is_closed")) or 0,
            deactivated=str(deactivated) if deactivated else None,
        )


@dataclass(frozen=True)
class VkUser:
    """A person (``users.get``) with what bot scoring reads."""

    id: int
    name: str
    screen_name: str | None
    deactivated: str | None
    followers: int | None
    friends: int | None
    subscriptions: int | None
    photos: int | None
    has_avatar: bool | None
    verified: bool | None
    is_closed: bool | None
    last_seen_time: int | None
    last_seen_platform: int | None

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> VkUser:
        counters = item.get("counters") if isinstance(item.get("counters"), dict) else {}
        assert isinstance(counters, dict)
        last_seen = item.get("last_seen") if isinstance(item.get("last_seen"), dict) else None
        online_info = item.get("online_info") if isinstance(item.get("online_info"), dict) else None
        seen_time = as_int(last_seen.get("time")) if last_seen else None
        if seen_time is None and online_info:
            seen_time = as_int(online_info.get("last_seen"))
        followers = as_int(item.get("followers_count"))
        if followers is None:
            followers = as_int(counters.get("followers"))
        deactivated = item.get("deactivated")
        name = " ".join(str(item.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
        return cls(
            id=required_int(item, "id") if "id" in item else required_int(item, "uid"),
            name=name,
            screen_name=str(item.get("screen_name") or item.get("domain") or "") or None,
            deactivated=str(deactivated) if deactivated else None,
            followers=followers,
            friends=as_int(counters.get("friends")),
            subscriptions=as_int(counters.get("subscriptions")),
            photos=as_int(counters.get("photos")),
            has_avatar=_has_avatar(item),
            verified=as_bool(item["verified"]) if "verified" in item else None,
            is_closed=as_bool(item["is_closed"]) if "is_closed" in item else None,
            last_seen_time=seen_time,
            last_seen_platform=as_int(last_seen.get("platform")) if last_seen else None,
        )


# VK's stand-in pictures for people without a photo, and for deleted or banned pages
_PLACEHOLDER = re.compile(r"/images/(camera|deactivated|community)_|camera_\d+\.png")


def _has_avatar(item: Mapping[str, Any]) -> bool | None:
    if "has_photo" in item:
        return as_bool(item["has_photo"])
    for name in ("photo_100", "photo_50", "photo_200", "photo_max"):
        url = item.get(name)
        if isinstance(url, str) and url:
            return not _PLACEHOLDER.search(url)
    return None


def post_key(owner_id: int, post_id: int) -> str:
    """The canonical id of a VK post: ``<owner>_<post>`` as in its address ``vk.com/wall<owner>_<post>``."""
    return f"{owner_id}_{post_id}"


def comment_key(owner_id: int, post_id: int, comment_id: int) -> str:
    """The canonical id of a comment: its post's id and its own (comment ids are unique per wall)."""
    return f"{owner_id}_{post_id}_{comment_id}"
