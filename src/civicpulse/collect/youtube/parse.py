"""YouTube payloads to canonical records: pure functions, no network, no settings, no clock.

A stored payload (:meth:`civicpulse.collect.http.Exchange.payload`) names the method and
describes the request: its parameters (never the key), ``purpose`` and, for an official
channel, ``account`` (the registry's id of the channel, an ``UC...`` id or a handle). By method:

=======================  ========================================================================
``channels.list``        purpose ``snapshot``: the channel's snapshot (``subscriberCount``,
                         ``videoCount`` as ``posts_total``; none when the count is hidden);
                         purpose ``authors``: an ``author`` record per channel
``videos.list``          a post per video: ``title`` and ``description`` as text, ``viewCount``,
                         ``likeCount`` (0 when hidden), ``commentCount`` (0 when comments are
                         off), media ``live`` for broadcasts (live, upcoming or past) else
                         ``video``
``commentThreads.list``  a comment per top-level comment (``reply_to`` the video, ``comments``
                         its reply count) and per reply sent inline (``reply_to`` the thread)
``comments.list``        a comment per reply of one thread
``search.list``,         nothing: ids for paging only (search results carry no counts; the
``playlistItems.list``   ``videos.list`` that follows gives the posts)
=======================  ========================================================================

Ids: posts are video ids (``dQw4w9WgXcQ``), comments their comment ids (replies
``<thread>.<reply>``); accounts are the registry's id for official channels and the ``UC...``
channel id otherwise; a video's author is its account (the channel posts its own videos), a
comment's author the commenter's channel id. An error body kept as an answer (comments off on
one video) holds no records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from civicpulse.collect.base import CanonicalRecord, ParseResult
from civicpulse.collect.values import as_str, items, mapping
from civicpulse.collect.youtube.types import (
    YtChannel,
    YtComment,
    YtThread,
    YtVideo,
    comment_url,
    is_channel_id,
    video_url,
)
from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord

PLATFORM = "youtube"


def parse_payload(payload: str) -> ParseResult:
    """Every canonical record in one stored YouTube payload, and a problem line per unreadable item."""
    out = ParseResult()
    opened = out.open(payload)
    if opened is None:
        return out
    data, observed = opened
    body = mapping(data.get("body"))
    method = str(data.get("method", ""))
    if "error" in body:
        return out  # an error kept as an answer about one video: nothing to map
    parser = PARSERS.get(method)
    if parser is None:
        out.problems.append(f"{method}: no parser for this method")
        return out
    request = mapping(data.get("request"))
    for index, item in enumerate(items(body.get("items"))):
        if not isinstance(item, Mapping):
            out.problems.append(f"{method} item {index}: not an object")
            continue
        try:
            out.records.extend(parser(request, item, observed))
        except (ValueError, TypeError, ValidationError) as exc:
            out.problems.append(f"{method} item {index}: {_short(exc)}")
    return out


def _channels(request: Mapping[str, Any], item: Mapping[str, Any], observed: dt.datetime) -> list[CanonicalRecord]:
    channel = YtChannel.from_payload(item)
    if request.get("purpose") == "authors":
        return [author_record(channel, observed)]
    if channel.subscribers is None:
        return []  # hidden: the channel has no public follower count to snapshot
    return [
        SnapshotRecord(
            platform=PLATFORM,
            record="snapshot",
            account=as_str(request.get("account")) or channel.id,
            observed_at=observed,
            followers=channel.subscribers,
            posts_total=channel.videos,
        )
    ]


def author_record(channel: YtChannel, observed: dt.datetime) -> AuthorRecord:
    """A commenter's or a mentioning channel's profile as bot scoring reads it."""
    extra: dict[str, Any] = {"views": channel.views, "hidden_subscribers": channel.hidden_subscribers or None}
    return AuthorRecord(
        platform=PLATFORM,
        record="author",
        id=channel.id,
        observed_at=observed,
        name=channel.title or None,
        handle=channel.handle,
        url=f"https://www.youtube.com/channel/{channel.id}",
        followers=channel.subscribers,
        posts_total=channel.videos,
        created_at=channel.published_at,
        **{k: v for k, v in extra.items() if v is not None},
    )


def video_record(video: YtVideo, account: str | None, observed: dt.datetime) -> PostRecord:
    """A video as a post of ``account`` (the registry's id) or, for mentions, of its channel."""
    owner = account or video.channel_id
    if owner is None:
        raise ValueError("snippet.channelId: missing, and the request names no account")
    return PostRecord(
        platform=PLATFORM,
        record="post",
        id=video.id,
        account=owner,
        author=owner,
        published_at=video.published_at,
        text=video.text,
        likes=video.likes,
        comments=video.comments,
        reposts=0,
        views=video.views,
        url=video_url(video.id),
        media="live" if video.live else "video",
        kind="post",
        observed_at=observed,
    )


def _videos(request: Mapping[str, Any], item: Mapping[str, Any], observed: dt.datetime) -> list[CanonicalRecord]:
    return [video_record(YtVideo.from_payload(item), as_str(request.get("account")), observed)]


def comment_record(
    comment: YtComment, account: str, video_id: str, reply_to: str, replies: int, observed: dt.datetime
) -> PostRecord:
    return PostRecord(
        platform=PLATFORM,
        record="post",
        id=comment.id,
        account=account,
        author=comment.author,
        published_at=comment.published_at,
        text=comment.text,
        likes=comment.likes,
        comments=replies,
        reposts=0,
        url=comment_url(video_id, comment.id),
        reply_to=reply_to,
        media="text",
        kind="comment",
        observed_at=observed,
    )


def _threads(request: Mapping[str, Any], item: Mapping[str, Any], observed: dt.datetime) -> list[CanonicalRecord]:
    thread = YtThread.from_payload(item, request.get("textFormat") == "plainText")
    video = thread.video_id or thread.top.video_id or as_str(request.get("videoId"))
    if video is None:
        raise ValueError("snippet.videoId: missing, and the request names no video")
    account = as_str(request.get("account")) or thread.channel_id
    if account is None:
        raise ValueError("snippet.channelId: missing, and the request names no account")
    records: list[CanonicalRecord] = [comment_record(thread.top, account, video, video, thread.replies_total, observed)]
    for reply in thread.replies:
        records.append(comment_record(reply, account, video, reply.parent_id or thread.id, 0, observed))
    return records


def _replies(request: Mapping[str, Any], item: Mapping[str, Any], observed: dt.datetime) -> list[CanonicalRecord]:
    reply = YtComment.from_payload(item, request.get("textFormat") == "plainText")
    parent = reply.parent_id or as_str(request.get("parentId"))
    video = reply.video_id or as_str(request.get("video"))
    account = as_str(request.get("account"))
    if parent is None or video is None or account is None:
        raise ValueError("parentId/videoId: not in the reply nor in the request")
    return [comment_record(reply, account, video, parent, 0, observed)]


def _nothing(request: Mapping[str, Any], item: Mapping[str, Any], observed: dt.datetime) -> list[CanonicalRecord]:
    return []


PARSERS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any], dt.datetime], list[CanonicalRecord]]] = {
    "channels.list": _channels,
    "videos.list": _videos,
    "commentThreads.list": _threads,
    "comments.list": _replies,
    "playlistItems.list": _nothing,
    "search.list": _nothing,
}


def profiled(author_id: str) -> bool:
    """Authors worth profiling: channels (``UC...``), not handles or missing ids."""
    return is_channel_id(author_id)


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)[:200]
