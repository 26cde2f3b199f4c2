"""Telegram Desktop exports: ``result.json`` of one chat or channel, or of a whole account.

Format (Telegram Desktop, ``export/output/export_output_json.cpp``): a single-chat export is
``{"name", "type", "id", "messages": [...]}``; a whole-account export holds the same chat
objects under ``chats.list`` and ``left_chats.list``. A message has ``id``, ``type`` (``message``,
``service``, or ``unsupported``), ``date`` (local time of the exporting machine, no zone) and
``date_unixtime`` (epoch seconds as a string), ``from``/``from_id`` (``"user123"``,
``"channel456"``), ``text`` (a string, or a list mixing strings and ``{"type", "text", ...}``
entity objects), ``reply_to_message_id`` (+ ``reply_to_peer_id`` when the reply is to another
chat), ``forwarded_from`` (a name), media fields (``photo``, ``file`` with ``media_type``,
``poll``, ``location_information``...) and ``reactions`` (``[{"type": "emoji"|"custom_emoji"|
"paid", "count", "emoji"|"document_id", "recent"?}]``).

Mapping to canonical posts (platform ``telegram``):

* account: ``--account`` (the channel's username, as in the registry) for a single-chat export,
  else ``c<chat id>``; post id ``<account>/<message id>``, the path of the message's t.me link;
* ``published_at`` from ``date_unixtime`` (the naive ``date`` cannot be placed in time alone,
  so a message without ``date_unixtime`` is an error naming its id);
* ``likes`` = the sum of all reaction counts; every kind stays in the message's raw payload
  (table ``raw``, source ``import:tdesktop``, target ``telegram:<post id>``, field ``reactions``);
* ``comments`` and ``reposts`` = 0 and ``views`` only when the message carries ``views``:
  exports do not carry these counts;
* a reply (``reply_to_message_id``) is a comment whose ``reply_to`` is the replied post's id;
  a forwarded message is a ``repost`` (``repost_of`` only when the export names the source id);
* ``author`` = ``from_id`` unless it is the channel itself; service and unsupported messages
  are skipped. No follower snapshot: exports do not carry the subscriber count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import orjson
from pydantic import ValidationError

from civicpulse.errors import Problem
from civicpulse.importers.base import Item, Progress, problems_of
from civicpulse.importers.jsonstream import BOM, UNPARSED, JsonScanner, JsonStreamError
from civicpulse.records.models import PostRecord

PLATFORM: Final = "telegram"
CHAT_TYPES: Final = (
    "personal_chat",
    "bot_chat",
    "private_group",
    "private_supergroup",
    "public_supergroup",
    "private_channel",
    "public_channel",
    "saved_messages",
    "replies",
)
LINKED_TYPES: Final = frozenset({"private_supergroup", "public_supergroup", "private_channel", "public_channel"})
SKIPPED_TYPES: Final = frozenset({"service", "unsupported"})
_SINGLE_CHAT = re.compile(rb'"type"\s*:\s*"(' + b"|".join(t.encode() for t in CHAT_TYPES) + rb')"')
_MESSAGES = re.compile(rb'"messages"\s*:\s*\[')
_ACCOUNT_EXPORT = re.compile(rb'\{\s*"about"\s*:')
_OTHER_MEDIA: Final = (
    "location_information",
    "place_name",
    "contact_information",
    "game_title",
    "invoice_information",
    "giveaway_information",
    "giveaway_results",
    "paid_stars_amount",
)
_VIDEO_TYPES: Final = frozenset({"video_file", "video_message", "animation"})
_AUDIO_TYPES: Final = frozenset({"voice_message", "audio_file"})


@dataclass(frozen=True)
class Chat:
    """The chat whose messages are being read."""

    id: int
    type: str | None
    account: str
    username: str | None
    """Set when the account was given as the channel's username (t.me links use it)."""


class _Bad(Exception):
    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason


class TdesktopImporter:
    """Telegram Desktop ``result.json``, streamed message by message."""

    name = "tdesktop"

    def __init__(self, account: str | None = None) -> None:
        self.account = account.strip().lstrip("@") if account else None

    def fingerprint(self) -> str:
        """The account name given: it becomes every post's account and id."""
        return self.account or ""

    def detect(self, path: Path, head: bytes) -> bool:
        text = head.removeprefix(BOM).lstrip()
        if not text.startswith(b"{"):
            return False
        if _MESSAGES.search(text) and _SINGLE_CHAT.search(text):
            return True
        return bool(_ACCOUNT_EXPORT.match(text)) and any(k in text for k in (b'"personal_information"', b'"chats"'))

    def items(self, path: Path, progress: Progress | None = None) -> Iterator[Item]:
        with open(path, "rb") as fh:
            walk = _Walk(self, path, JsonScanner(fh, progress))
            try:
                yield from walk.document()
            except JsonStreamError as exc:
                yield Item(exc.line, None, problems=[Problem(f"{path}:{exc.line}", walk.where, exc.reason)])


class _Walk:
    """One pass over one export; ``where`` is the JSON path being read (for structural errors)."""

    def __init__(self, importer: TdesktopImporter, path: Path, scanner: JsonScanner) -> None:
        self.importer = importer
        self.path = path
        self.scanner = scanner
        self.where = "(document)"

    def document(self) -> Iterator[Item]:
        scanner = self.scanner
        if scanner.peek() != b"{":
            raise JsonStreamError(scanner.line, "not a Telegram Desktop export: the document is not a JSON object")
        header: dict[str, tuple[Any, int]] = {}
        found = False
        for key in scanner.object_keys():
            self.where = key
            if key in ("name", "type", "id"):
                line = scanner.line
                header[key] = (scanner.load_value(), line)
            elif key == "messages":
                found = True
                yield from self.chat_messages(header, "", single=True)
            elif key in ("chats", "left_chats"):
                found = True
                yield from self.chat_list(key)
            else:
                scanner.skip_value()
        self.where = "(document)"
        if not scanner.at_end():
            raise JsonStreamError(scanner.line, "unexpected content after the end of the JSON document")
        if not found:
            reason = "not a Telegram Desktop export: neither messages nor chats.list"
            yield Item(1, None, problems=[Problem(f"{self.path}:1", "messages", reason)])

    def chat_list(self, key: str) -> Iterator[Item]:
        scanner = self.scanner
        if scanner.peek() != b"{":
            raise JsonStreamError(scanner.line, f"{key}: expected an object with a list of chats")
        for inner in scanner.object_keys():
            if inner != "list":
                scanner.skip_value()
                continue
            for index in scanner.array_items():
                prefix = f"{key}.list[{index}]"
                self.where = prefix
                header: dict[str, tuple[Any, int]] = {}
                for field in scanner.object_keys():
                    self.where = f"{prefix}.{field}"
                    if field in ("name", "type", "id"):
                        line = scanner.line
                        header[field] = (scanner.load_value(), line)
                    elif field == "messages":
                        yield from self.chat_messages(header, prefix + ".", single=False)
                    else:
                        scanner.skip_value()

    def chat_messages(self, header: dict[str, tuple[Any, int]], prefix: str, single: bool) -> Iterator[Item]:
        scanner = self.scanner
        chat_id, id_line = header.get("id", (None, scanner.line))
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            reason = "missing before messages" if "id" not in header else f"expected a number, got {chat_id!r}"
            yield Item(id_line, None, problems=[Problem(f"{self.path}:{id_line}", f"{prefix}id", reason)])
            scanner.skip_value()
            return
        chat_type = header.get("type", (None, 0))[0]
        given = self.importer.account if single else None
        chat = Chat(
            id=chat_id,
            type=chat_type if isinstance(chat_type, str) else None,
            account=given or f"c{chat_id}",
            username=given,
        )
        if scanner.peek() != b"[":
            raise JsonStreamError(scanner.line, f"{prefix}messages: expected an array")
        for index in scanner.array_items():
            where = f"{prefix}messages[{index}]"
            self.where = where
            raw, line, parsed = scanner.read_parsed()
            item = message_item(chat, raw, parsed, f"{self.path}:{line}", line, where)
            if item is not None:
                yield item


def message_item(chat: Chat, raw: bytes, parsed: Any, where: str, line: int, path: str) -> Item | None:
    """The canonical post of one message (its JSON bytes, parsed or not yet), its problems, or None to skip it."""
    message = parsed
    if message is UNPARSED:
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            return Item(line, _text(raw), problems=[Problem(where, path, f"invalid JSON: {exc}")])
    if not isinstance(message, dict):
        return Item(line, _text(raw), problems=[Problem(where, path, "expected a message object")])
    kind = message.get("type")
    if kind in SKIPPED_TYPES:
        return None
    try:
        data = post_fields(chat, message)
    except _Bad as bad:
        return Item(line, _text(raw), problems=[Problem(where, f"{path}.{bad.field}", bad.reason)])
    try:
        record = PostRecord.model_validate(data)
    except ValidationError as exc:
        return Item(line, _text(raw), problems=problems_of(exc, where))
    return Item(line, None, record=record, keep=_text(raw))


def post_fields(chat: Chat, message: dict[str, Any]) -> dict[str, Any]:
    """Canonical post fields of a ``"type": "message"`` message; raises :class:`_Bad` naming the field."""
    if message.get("type") != "message":
        raise _Bad("type", f"unknown message type {message.get('type')!r} (expected message, service, unsupported)")
    message_id = message.get("id")
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        raise _Bad("id", "missing" if message_id is None else f"expected a number, got {message_id!r}")
    published_at = _published_at(message, message_id)
    reply_to = _reply_to(chat, message)
    forwarded = "forwarded_from" in message
    data: dict[str, Any] = {
        "record": "post",
        "platform": PLATFORM,
        "id": f"{chat.account}/{message_id}",
        "account": chat.account,
        "author": _author(chat, message.get("from_id")),
        "published_at": published_at,
        "text": plain_text(message.get("text", "")),
        "likes": reaction_total(message.get("reactions", [])),
        "comments": 0,
        "reposts": 0,
        "views": _count(message, "views"),
        "url": _url(chat, message_id),
        "reply_to": reply_to,
        "media": media_type(message),
    }
    if forwarded:
        data["kind"] = "comment" if reply_to else "repost"
        source = message.get("forwarded_from_id")
        data["repost_of"] = _peer_account(source) if isinstance(source, str) and source else None
    return data


def _published_at(message: dict[str, Any], message_id: int) -> dt.datetime:
    unixtime = message.get("date_unixtime")
    if unixtime is None:
        local = message.get("date")
        shown = f"the local date {local!r}" if local is not None else "the date"
        reason = f"missing on message {message_id}: {shown} has no time zone, so it cannot be placed in time"
        raise _Bad("date_unixtime", reason)
    if isinstance(unixtime, str) and unixtime.strip().isdigit():
        seconds = int(unixtime)
    elif isinstance(unixtime, int) and not isinstance(unixtime, bool):
        seconds = unixtime
    else:
        raise _Bad("date_unixtime", f"expected epoch seconds, got {unixtime!r} (message {message_id})")
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise _Bad("date_unixtime", f"out of range: {unixtime!r} (message {message_id})") from exc


def plain_text(value: object) -> str:
    """A message's text: a string as it is, or the entity list's pieces joined, markup dropped."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for index, part in enumerate(value):
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                raise _Bad(f"text[{index}]", f"expected a string or an entity with a text string, got {part!r:.60}")
        return "".join(parts)
    raise _Bad("text", f"expected a string or a list of entities, got {value!r:.60}")


def reaction_total(value: object) -> int:
    """The sum of the counts of every reaction kind (emoji, custom emoji, paid)."""
    if not isinstance(value, list):
        raise _Bad("reactions", f"expected a list, got {value!r:.60}")
    total = 0
    for index, reaction in enumerate(value):
        if not isinstance(reaction, dict):
            raise _Bad(f"reactions[{index}]", f"expected an object, got {reaction!r:.60}")
        count = reaction.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise _Bad(f"reactions[{index}].count", f"expected a count, got {count!r}")
        total += count
    return total


def media_type(message: dict[str, Any]) -> str:
    """The canonical media type of a message from its media fields."""
    if "photo" in message:
        return "photo"
    kind = message.get("media_type")
    if kind in _VIDEO_TYPES:
        return "video"
    if kind in _AUDIO_TYPES:
        return "audio"
    if kind == "sticker":
        return "other"
    if "file" in message:
        return "document"
    if "poll" in message:
        return "poll"
    if any(key in message for key in _OTHER_MEDIA):
        return "other"
    return "text"


def _count(message: dict[str, Any], key: str) -> int | None:
    value = message.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Bad(key, f"expected a count, got {value!r}")
    return value


def _author(chat: Chat, from_id: object) -> str | None:
    if from_id is None:
        return None
    author = str(from_id)
    # the channel posting in itself is the account, not another author
    return None if author in (f"channel{chat.id}", f"chat{chat.id}") else author


def _reply_to(chat: Chat, message: dict[str, Any]) -> str | None:
    target = message.get("reply_to_message_id")
    if target is None:
        return None
    if isinstance(target, bool) or not isinstance(target, int):
        raise _Bad("reply_to_message_id", f"expected a number, got {target!r}")
    peer = message.get("reply_to_peer_id")
    if peer is not None and not isinstance(peer, str):
        raise _Bad("reply_to_peer_id", f"expected a peer such as 'channel123', got {peer!r}")
    account = _peer_account(peer) if peer else chat.account
    if account == f"c{chat.id}":
        account = chat.account
    return f"{account}/{target}"


def _peer_account(peer: str) -> str:
    """``channel123`` as the account id this importer gives that channel (``c123``); other peers as written."""
    if peer.startswith("channel") and peer[7:].isdigit():
        return f"c{peer[7:]}"
    return peer


def _url(chat: Chat, message_id: int) -> str | None:
    if chat.type not in LINKED_TYPES:
        return None
    if chat.username:
        return f"https://t.me/{chat.username}/{message_id}"
    return f"https://t.me/c/{chat.id}/{message_id}"


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")
