"""Telegram payloads to canonical records: pure functions, no network, no settings, no clock.

Ids follow the Telegram Desktop importer (:mod:`civicpulse.importers.tdesktop`), so that
collected and imported data meet: a post is ``<channel>/<message id>`` (the path of its t.me
link) with the channel as registered (its username); a chat without a username is
``c<chat id>``; people and channels as authors are ``user<id>`` and ``channel<id>``.

==========================  ===================================================================
``t.me/s``                  the web preview (body: the page as a JSON string): the snapshot
                            (subscribers as shown, e.g. ``10K`` → 10000) and the messages:
                            views as shown (``2.5K`` → 2500), likes = all reactions, a forward
                            is a ``repost`` (``repost_of`` = ``<channel>/<post>`` when linked),
                            an album is one post (its first part's id). The preview shows no
                            comment or forward counts (0).
``channels.getFullChannel`` the snapshot: ``full_chat.participants_count``
``messages.getHistory``     the channel's posts: views, ``forwards`` as reposts, ``replies`` as
                            comments, reactions summed into likes, albums folded into one post.
                            A full page whose oldest message belongs to an album leaves that
                            album to the next page, which the connector asks from below it.
``messages.getReplies``     comments from the linked discussion group: ``reply_to`` the channel
                            post for a top-level comment, else the comment answered; an
                            ``author`` record for every user of the answer (bot scoring)
==========================  ===================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from civicpulse.collect.base import ParseResult
from civicpulse.collect.telegram.types import TgMessage, albums, chat_names
from civicpulse.collect.telegram.web import WebMessage, parse_preview
from civicpulse.collect.values import as_bool, as_count, as_int, as_str, items, mapping
from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord

PLATFORM = "telegram"


def parse_payload(payload: str) -> ParseResult:
    """Every canonical record in one stored Telegram payload, and a problem line per unreadable item."""
    out = ParseResult()
    opened = out.open(payload)
    if opened is None:
        return out
    data, observed = opened
    method = str(data.get("method", ""))
    request = mapping(data.get("request"))
    channel = as_str(request.get("channel"))
    if channel is None:
        out.problems.append(f"{method}: the request names no channel")
        return out
    body = data.get("body")
    try:
        if method == "t.me/s":
            # every page shows the counter; the first page of a pass is the snapshot
            _web(channel, body if isinstance(body, str) else "", observed, out, request.get("before") is None)
        elif method == "channels.getFullChannel":
            followers = as_count(mapping(mapping(body).get("full_chat")).get("participants_count"))
            if followers is not None:
                out.records.append(_snapshot(channel, followers, observed))
        elif method == "messages.getHistory":
            _history(channel, request, mapping(body), observed, out)
        elif method == "messages.getReplies":
            _replies(channel, request, mapping(body), observed, out)
        else:
            out.problems.append(f"{method}: no parser for this method")
    except (ValueError, TypeError, ValidationError) as exc:
        out.problems.append(f"{method}: {_short(exc)}")
    return out


def _snapshot(channel: str, followers: int, observed: dt.datetime) -> SnapshotRecord:
    return SnapshotRecord(
        platform=PLATFORM, record="snapshot", account=channel, observed_at=observed, followers=followers
    )


# -- the web preview ------------------------------------------------------------------------


def _web(channel: str, html: str, observed: dt.datetime, out: ParseResult, first: bool) -> None:
    page = parse_preview(html)
    out.problems.extend(page.problems)
    if first and page.subscribers is not None:
        out.records.append(_snapshot(channel, page.subscribers, observed))
    for message in page.messages:
        if message.service:
            continue
        try:
            out.records.append(web_post(channel, message, observed))
        except (ValueError, ValidationError) as exc:
            out.problems.append(f"message {message.channel}/{message.id}: {_short(exc)}")


def web_post(channel: str, message: WebMessage, observed: dt.datetime) -> PostRecord:
    """The canonical post of one preview widget; ``channel`` is the registry's name for the channel."""
    if message.published_at is None:
        raise ValueError("time[datetime]: missing or without a zone")
    return PostRecord(
        platform=PLATFORM,
        record="post",
        id=f"{channel}/{message.id}",
        account=channel,
        published_at=message.published_at,
        text=message.text,
        likes=sum(message.reactions.values()),
        comments=0,
        reposts=0,
        views=message.views,
        url=f"https://t.me/{channel}/{message.id}",
        repost_of=message.forwarded_from if message.forwarded_from and "/" in message.forwarded_from else None,
        media=message.media,
        kind="repost" if message.forwarded else "post",
        observed_at=observed,
    )


# -- MTProto --------------------------------------------------------------------------------


def page_messages(body: Mapping[str, Any], limit: int | None) -> tuple[list[TgMessage], list[str]]:
    """A history page's messages, albums folded; a full page's trailing album is left for the next page."""
    raw = [m for m in items(body.get("messages")) if isinstance(m, Mapping)]
    problems: list[str] = []
    messages: list[TgMessage] = []
    for index, item in enumerate(raw):
        try:
            message = TgMessage.from_payload(item)
        except (ValueError, TypeError) as exc:
            problems.append(f"message {index}: {exc}")
            continue
        if message is not None:
            messages.append(message)
    messages.sort(key=lambda m: m.id, reverse=True)
    trailing = trailing_album(raw, limit)
    if trailing is not None:
        messages = [m for m in messages if m.grouped_id != trailing]
    return albums(messages), problems


def trailing_album(raw: list[Mapping[str, Any]], limit: int | None) -> int | None:
    """The ``grouped_id`` of a full page's oldest message, when it has one (its album may go on below)."""
    if limit is None or len(raw) < limit or not raw:
        return None
    oldest = min(raw, key=lambda m: as_int(m.get("id")) or 0)
    return as_int(oldest.get("grouped_id"))


def _history(
    channel: str, request: Mapping[str, Any], body: Mapping[str, Any], observed: dt.datetime, out: ParseResult
) -> None:
    messages, problems = page_messages(body, as_int(request.get("limit")))
    out.problems.extend(f"messages.getHistory {p}" for p in problems)
    names = chat_names(body)
    own = as_int(request.get("channel_id"))
    for message in messages:
        try:
            out.records.append(channel_post(channel, message, observed, names, own))
        except (ValueError, ValidationError) as exc:
            out.problems.append(f"messages.getHistory message {message.id}: {_short(exc)}")


def channel_post(
    channel: str, message: TgMessage, observed: dt.datetime, names: Mapping[int, str], own: int | None = None
) -> PostRecord:
    """The canonical post of a channel message (author None when the channel posts as itself)."""
    repost_of = None
    if message.forward_from is not None and message.forward_from[0] == "channel":
        source = names.get(message.forward_from[1]) or f"c{message.forward_from[1]}"
        repost_of = f"{source}/{message.forward_post}" if message.forward_post else source
    elif message.forward_from is not None:
        repost_of = f"{message.forward_from[0]}{message.forward_from[1]}"
    author = message.author
    if author is not None and (own is not None and author == f"channel{own}"):
        author = None
    return PostRecord(
        platform=PLATFORM,
        record="post",
        id=f"{channel}/{message.id}",
        account=channel,
        author=author,
        published_at=message.date,
        text=message.text,
        likes=message.likes,
        comments=message.replies or 0,
        reposts=message.forwards or 0,
        views=message.views,
        url=f"https://t.me/{channel}/{message.id}",
        repost_of=repost_of,
        media=message.media,
        kind="repost" if message.forwarded else "post",
        observed_at=observed,
    )


def _replies(
    channel: str, request: Mapping[str, Any], body: Mapping[str, Any], observed: dt.datetime, out: ParseResult
) -> None:
    post = as_int(request.get("msg_id"))
    if post is None:
        out.problems.append("messages.getReplies: the request names no msg_id")
        return
    names = chat_names(body)
    messages, problems = page_messages(body, None)
    out.problems.extend(f"messages.getReplies {p}" for p in problems)
    group = _discussion(body)
    group_name = names.get(group) or f"c{group}" if group is not None else None
    for message in messages:
        if group_name is None:
            out.problems.append(f"messages.getReplies message {message.id}: the discussion group is not in chats")
            continue
        if message.reply_to_top is not None and message.reply_to_msg is not None:
            reply_to = f"{group_name}/{message.reply_to_msg}"
        else:
            reply_to = f"{channel}/{post}"
        try:
            out.records.append(
                PostRecord(
                    platform=PLATFORM,
                    record="post",
                    id=f"{group_name}/{message.id}",
                    account=channel,
                    author=message.author,
                    published_at=message.date,
                    text=message.text,
                    likes=message.likes,
                    comments=0,
                    reposts=message.forwards or 0,
                    url=f"https://t.me/{channel}/{post}?comment={message.id}",
                    reply_to=reply_to,
                    media=message.media,
                    kind="comment",
                    observed_at=observed,
                )
            )
        except (ValueError, ValidationError) as exc:
            out.problems.append(f"messages.getReplies message {message.id}: {_short(exc)}")
    for user in items(body.get("users")):
        try:
            record = author_record(mapping(user), observed)
        except (ValueError, ValidationError) as exc:
            out.problems.append(f"messages.getReplies user: {_short(exc)}")
            continue
        if record is not None:
            out.records.append(record)


def _discussion(body: Mapping[str, Any]) -> int | None:
    """The discussion group's id: the channel that the comments' ``peer_id`` names."""
    for item in items(body.get("messages")):
        peer = mapping(mapping(item).get("peer_id"))
        number = as_int(peer.get("channel_id"))
        if number is not None:
            return number
    return None


def author_record(user: Mapping[str, Any], observed: dt.datetime) -> AuthorRecord | None:
    """A ``User`` of a discussion as bot scoring reads it (None for objects that are not users)."""
    if as_str(user.get("_")) not in (None, "User"):
        return None
    number = as_int(user.get("id"))
    if number is None:
        raise ValueError(f"id: missing or not a number ({user.get('id')!r})")
    name = " ".join(str(user.get(k) or "").strip() for k in ("first_name", "last_name")).strip() or None
    photo = user.get("photo")
    extra = {k: as_bool(user[k]) for k in ("bot", "premium", "scam", "fake", "restricted") if user.get(k) is not None}
    return AuthorRecord(
        platform=PLATFORM,
        record="author",
        id=f"user{number}",
        observed_at=observed,
        name=name,
        handle=as_str(user.get("username")),
        url=f"https://t.me/{user['username']}" if as_str(user.get("username")) else None,
        has_avatar=None
        if "photo" not in user
        else bool(photo) and as_str(mapping(photo).get("_")) != "UserProfilePhotoEmpty",
        deactivated="deleted" if as_bool(user.get("deleted")) else None,
        verified=as_bool(user["verified"]) if user.get("verified") is not None else None,
        **extra,
    )


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)[:200]
