"""Odnoklassniki objects as the parsers need them, read leniently.

Shapes: the response types on the method pages of apiok.ru (``group.getInfo`` →
``{"groups"...}``-style group objects with ``uid``, ``name``, ``members_count``, ``access_type``;
``group.getCounters`` → ``{"counters": {"members", "themes"...}}``; ``mediatopic.getTopics`` →
``{"media_topics": [...], "anchor", "has_more", "entities"}``). A media topic has ``id``,
``created_ms``, ``author_ref``/``owner_ref`` (``group:<id>``, ``user:<id>``), ``media`` (a list
of blocks: ``text`` with ``text`` or ``text_tokens``, ``photo``, ``movie``, ``link``, ``poll``,
``music``...), ``like_summary.count``, ``discussion_summary.comments_count``,
``reshare_summary.count`` and, when asked, ``views_count``. Numbers may arrive as strings and
flags as 0/1; a field a record cannot do without (an id, ``created_ms``) raises ``ValueError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from civicpulse.collect.values import as_count, as_int, as_str, items, mapping, required_str

# media block type -> canonical media type (the first block that is not text decides)
MEDIA: Final = {
    "photo": "photo",
    "movie": "video",
    "video": "video",
    "link": "link",
    "poll": "poll",
    "music": "audio",
    "app": "other",
    "place": "other",
    "topic": "other",
}


def ref_id(ref: Any) -> str | None:
    """The id in a reference such as ``group:53038939046008`` (a bare id is returned as it is)."""
    text = as_str(ref)
    if text is None:
        return None
    return text.rsplit(":", 1)[-1] or None


@dataclass(frozen=True)
class OkTopic:
    """A group topic (media topic)."""

    id: str
    created_at: dt.datetime
    author: str | None
    owner: str | None
    text: str
    media: str
    likes: int
    comments: int
    reshares: int
    views: int | None
    reshare_of: str | None

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> OkTopic:
        created = as_int(item.get("created_ms"))
        if created is None:
            raise ValueError(f"created_ms: missing or not a number ({item.get('created_ms')!r})")
        texts: list[str] = []
        media = "text"
        reshare_of = None
        for block in items(item.get("media")):
            block = mapping(block)
            kind = as_str(block.get("type")) or ""
            if kind == "text":
                texts.append(_block_text(block))
            elif media == "text":
                media = MEDIA.get(kind, "other")
            if kind == "topic" and reshare_of is None:
                reshare_of = as_str(block.get("topic_id")) or ref_id(block.get("topic_ref"))
        return cls(
            id=required_str(item, "id"),
            created_at=dt.datetime.fromtimestamp(created / 1000, dt.UTC),
            author=ref_id(item.get("author_ref")),
            owner=ref_id(item.get("owner_ref")),
            text="\n".join(t for t in texts if t),
            media=media,
            likes=as_count(mapping(item.get("like_summary")).get("count")) or 0,
            comments=as_count(mapping(item.get("discussion_summary")).get("comments_count")) or 0,
            reshares=as_count(mapping(item.get("reshare_summary")).get("count")) or 0,
            views=as_count(item.get("views_count")),
            reshare_of=reshare_of,
        )


def _block_text(block: Mapping[str, Any]) -> str:
    """A text block's text: ``text``, or its ``text_tokens`` joined (formatted text)."""
    text = block.get("text")
    if isinstance(text, str):
        return text
    return "".join(
        t for t in (mapping(token).get("text") for token in items(block.get("text_tokens"))) if isinstance(t, str)
    )


@dataclass(frozen=True)
class OkGroup:
    """A group (``group.getInfo``)."""

    id: str
    name: str
    members: int | None
    access: str | None
    status: str | None

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> OkGroup:
        return cls(
            id=as_str(item.get("uid")) or required_str(item, "id"),
            name=str(item.get("name") or ""),
            members=as_count(item.get("members_count")),
            access=as_str(item.get("access_type")),
            status=as_str(item.get("status")),
        )
