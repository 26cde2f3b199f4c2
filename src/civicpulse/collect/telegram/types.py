"""Telegram objects as the parsers need them: MTProto messages (``to_dict()`` shapes) and shown counts.

MTProto objects arrive as Telethon's ``TLObject.to_dict()`` output stored as JSON: every object
carries its constructor name in ``"_"`` (``Message``, ``MessageService``, ``MessageEmpty``,
``PeerChannel``, ``MessageReplies``, ``ReactionCount``...), times are ISO 8601 strings (Telethon's
``to_json`` writes ``datetime.isoformat()``), optional fields are ``null`` or missing. Shapes:
the TL schema pages of core.telegram.org and Telethon's ``tl.types`` reference. Drift is
absorbed here: counts as strings, flags as 0/1, fields missing in older layers (``reactions``
before layer 136, ``forwards``, ``replies``), service messages as ``Message`` with an ``action``
(newer layers) or as ``MessageService`` (older ones).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from civicpulse.collect.values import as_count, as_int, as_str, as_time, items, mapping

_SHOWN = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([KMB])?\s*$", re.IGNORECASE)
_SCALE: Final = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}
SKIPPED: Final = frozenset({"MessageService", "MessageEmpty"})
# document attributes and MIME families -> canonical media type
_DOCUMENT_ATTRIBUTES: Final = {
    "DocumentAttributeVideo": "video",
    "DocumentAttributeAudio": "audio",
    "DocumentAttributeSticker": "other",
    "DocumentAttributeAnimated": "video",
}
_MEDIA: Final = {
    "MessageMediaPhoto": "photo",
    "MessageMediaWebPage": "link",
    "MessageMediaPoll": "poll",
    "MessageMediaEmpty": "text",
}


def shown_count(text: str | None) -> int | None:
    """A count as t.me shows it: ``"2.5K"`` → 2500, ``"1.2M"`` → 1200000, ``"1 234"`` → 1234.

    Rounded values stay rounded (t.me shows three significant digits at most); None for text
    that is not a count.
    """
    if text is None:
        return None
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
    match = _SHOWN.match(cleaned)
    if match is None:
        return None
    number, unit = match.group(1), (match.group(2) or "").upper()
    if unit == "" and "," in number:
        return int(number.replace(",", ""))  # "1,234": a thousands separator, not a decimal comma
    return round(float(number.replace(",", ".")) * _SCALE[unit])


def peer_ref(peer: Any) -> tuple[str, int] | None:
    """``("user", 42)``, ``("channel", 7)`` or ``("chat", 9)`` from a ``Peer*`` object."""
    peer = mapping(peer)
    for kind, key in (("user", "user_id"), ("channel", "channel_id"), ("chat", "chat_id")):
        number = as_int(peer.get(key))
        if number is not None:
            return kind, number
    return None


def peer_name(peer: Any) -> str | None:
    """A peer as Telegram Desktop exports name it: ``user42``, ``channel7``, ``chat9``."""
    ref = peer_ref(peer)
    return f"{ref[0]}{ref[1]}" if ref else None


def reaction_total(reactions: Any) -> int:
    """The sum of every reaction kind's count (emoji, custom emoji, paid stars)."""
    return sum(as_count(mapping(r).get("count")) or 0 for r in items(mapping(reactions).get("results")))


def media_kind(media: Any) -> str:
    """The canonical media type of a ``MessageMedia*`` object."""
    media = mapping(media)
    name = as_str(media.get("_"))
    if name is None:
        return "text"
    if name == "MessageMediaDocument":
        document = mapping(media.get("document"))
        for attribute in items(document.get("attributes")):
            kind = _DOCUMENT_ATTRIBUTES.get(as_str(mapping(attribute).get("_")) or "")
            if kind is not None:
                if kind == "video" and mapping(attribute).get("round_message") in (True, 1):
                    return "video"
                return kind
        mime = as_str(document.get("mime_type")) or ""
        if mime.startswith("video/"):
            return "video"
        if mime.startswith("audio/"):
            return "audio"
        return "document"
    return _MEDIA.get(name, "other")


@dataclass(frozen=True)
class TgMessage:
    """A message of a channel's history or of a discussion thread."""

    id: int
    date: dt.datetime
    text: str
    author: str | None
    views: int | None
    forwards: int | None
    replies: int | None
    comments_open: bool
    likes: int
    media: str
    grouped_id: int | None
    forward_from: tuple[str, int] | None
    forward_post: int | None
    forwarded: bool
    reply_to_msg: int | None
    reply_to_top: int | None

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> TgMessage | None:
        """The message, or None for service messages and empty (deleted) slots."""
        name = as_str(item.get("_"))
        if name in SKIPPED or item.get("action") not in (None, {}):
            return None
        number = as_int(item.get("id"))
        if number is None:
            raise ValueError(f"id: missing or not a number ({item.get('id')!r})")
        date = as_time(item.get("date"))
        if date is None:
            raise ValueError(f"date: missing or not a time with an offset ({item.get('date')!r})")
        replies = mapping(item.get("replies"))
        forward = mapping(item.get("fwd_from"))
        reply = mapping(item.get("reply_to"))
        return cls(
            id=number,
            date=date,
            text=item["message"] if isinstance(item.get("message"), str) else "",
            author=peer_name(item.get("from_id")),
            views=as_count(item.get("views")),
            forwards=as_count(item.get("forwards")),
            replies=as_count(replies.get("replies")) if replies else None,
            comments_open=bool(replies) and replies.get("comments") in (True, 1, "1", "true"),
            likes=reaction_total(item.get("reactions")),
            media=media_kind(item.get("media")),
            grouped_id=as_int(item.get("grouped_id")),
            forward_from=peer_ref(forward.get("from_id")) if forward else None,
            forward_post=as_int(forward.get("channel_post")) if forward else None,
            forwarded=bool(forward),
            reply_to_msg=as_int(reply.get("reply_to_msg_id")),
            reply_to_top=as_int(reply.get("reply_to_top_id")),
        )


def albums(messages: Sequence[TgMessage]) -> list[TgMessage]:
    """Messages with an album's parts (same ``grouped_id``) folded into one: the album's first message.

    The album keeps its first part's id, date and media, the first non-empty caption, the largest
    views, forwards and replies, and the reactions of all parts together.
    """
    groups: dict[int, list[TgMessage]] = {}
    for message in messages:
        if message.grouped_id is not None:
            groups.setdefault(message.grouped_id, []).append(message)
    out: list[TgMessage] = []
    for message in messages:
        if message.grouped_id is None:
            out.append(message)
            continue
        parts = sorted(groups[message.grouped_id], key=lambda m: m.id)
        if message is not parts[0]:
            continue
        first = parts[0]
        out.append(
            TgMessage(
                id=first.id,
                date=first.date,
                text=next((p.text for p in parts if p.text), ""),
                author=first.author,
                views=_largest(p.views for p in parts),
                forwards=_largest(p.forwards for p in parts),
                replies=_largest(p.replies for p in parts),
                comments_open=any(p.comments_open for p in parts),
                likes=sum(p.likes for p in parts),
                media=first.media,
                grouped_id=first.grouped_id,
                forward_from=first.forward_from,
                forward_post=first.forward_post,
                forwarded=first.forwarded,
                reply_to_msg=first.reply_to_msg,
                reply_to_top=first.reply_to_top,
            )
        )
    return out


def _largest(values: Any) -> int | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def chat_names(result: Mapping[str, Any]) -> dict[int, str]:
    """Channel id -> public username, from a result's ``chats`` (to name forwarded sources and groups)."""
    out = {}
    for chat in items(result.get("chats")):
        chat = mapping(chat)
        number, username = as_int(chat.get("id")), as_str(chat.get("username"))
        if number is not None and username:
            out[number] = username
    return out
