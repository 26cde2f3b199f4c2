"""YouTube Data API v3 resources as the parsers and passes need them, read leniently.

Resource shapes: https://developers.google.com/youtube/v3/docs (``channels``, ``playlistItems``,
``videos``, ``commentThreads``, ``comments``, ``search``). Drift absorbed here: counts are strings
in ``statistics`` (``"viewCount": "1234"``) but may arrive as numbers; ``likeCount`` is absent
when the owner hides likes, ``commentCount`` when comments are off; ``subscriberCount`` is
rounded (three significant figures) and may be missing when ``hiddenSubscriberCount`` is true;
times are RFC 3339 with or without milliseconds. A field a record needs (an id, a time) that is
missing raises ``ValueError`` naming it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from civicpulse.collect.values import (
    as_bool,
    as_count,
    as_str,
    as_time,
    items,
    mapping,
    plain_text,
    required_str,
    required_time,
)

CHANNEL_ID: Final = re.compile(r"UC[0-9A-Za-z_-]{22}")
LIVE: Final = frozenset({"live", "upcoming"})


def is_channel_id(value: str) -> bool:
    """Whether ``value`` is a channel id (``UC`` + 22 characters) rather than a handle."""
    return bool(CHANNEL_ID.fullmatch(value))


def video_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def comment_url(video_id: str, comment_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}"


@dataclass(frozen=True)
class YtChannel:
    """A channel (``channels.list`` with ``snippet,statistics,contentDetails``)."""

    id: str
    title: str
    handle: str | None
    published_at: dt.datetime | None
    subscribers: int | None
    """None when hidden (``hiddenSubscriberCount``) or not sent."""
    hidden_subscribers: bool
    videos: int | None
    views: int | None
    uploads: str
    """The uploads playlist (``contentDetails.relatedPlaylists.uploads``; ``UU`` + the id's tail when missing)."""

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> YtChannel:
        channel_id = required_str(item, "id")
        snippet = mapping(item.get("snippet"))
        statistics = mapping(item.get("statistics"))
        related = mapping(mapping(item.get("contentDetails")).get("relatedPlaylists"))
        hidden = as_bool(statistics.get("hiddenSubscriberCount"))
        uploads = as_str(related.get("uploads"))
        if uploads is None:
            # the uploads playlist of channel UCxyz is UUxyz (older answers lack contentDetails)
            uploads = "UU" + channel_id[2:] if channel_id.startswith("UC") else channel_id
        return cls(
            id=channel_id,
            title=str(snippet.get("title") or ""),
            handle=as_str(snippet.get("customUrl")),
            published_at=as_time(snippet.get("publishedAt")),
            subscribers=None if hidden else as_count(statistics.get("subscriberCount")),
            hidden_subscribers=hidden,
            videos=as_count(statistics.get("videoCount")),
            views=as_count(statistics.get("viewCount")),
            uploads=uploads,
        )


@dataclass(frozen=True)
class YtUpload:
    """One entry of the uploads playlist (``playlistItems.list``)."""

    video_id: str
    published_at: dt.datetime | None
    """None for private or deleted videos, which the playlist still lists."""

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> YtUpload:
        details = mapping(item.get("contentDetails"))
        snippet = mapping(item.get("snippet"))
        video_id = as_str(details.get("videoId")) or as_str(mapping(snippet.get("resourceId")).get("videoId"))
        if video_id is None:
            raise ValueError("contentDetails.videoId: missing")
        # videoPublishedAt is the video's own time; snippet.publishedAt (older answers) is when it
        # was added to the playlist, which for uploads is the same moment
        published = as_time(details.get("videoPublishedAt"))
        if published is None and as_str(snippet.get("title")) not in ("Private video", "Deleted video"):
            published = as_time(snippet.get("publishedAt"))
        return cls(video_id, published)


@dataclass(frozen=True)
class YtVideo:
    """A video (``videos.list`` with ``snippet,statistics,liveStreamingDetails``)."""

    id: str
    channel_id: str | None
    published_at: dt.datetime
    title: str
    description: str
    views: int | None
    likes: int
    comments: int
    comments_known: bool
    """False when ``commentCount`` is absent (comments turned off)."""
    live: bool

    @property
    def text(self) -> str:
        return f"{self.title}\n\n{self.description}" if self.description else self.title

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> YtVideo:
        video_id = required_str(item, "id")
        snippet = mapping(item.get("snippet"))
        statistics = mapping(item.get("statistics"))
        comments = as_count(statistics.get("commentCount"))
        broadcast = str(snippet.get("liveBroadcastContent") or "none")
        return cls(
            id=video_id,
            channel_id=as_str(snippet.get("channelId")),
            published_at=required_time(snippet, "publishedAt"),
            title=str(snippet.get("title") or ""),
            description=str(snippet.get("description") or ""),
            views=as_count(statistics.get("viewCount")),
            likes=as_count(statistics.get("likeCount")) or 0,
            comments=comments or 0,
            comments_known=comments is not None,
            live=broadcast in LIVE or bool(mapping(item.get("liveStreamingDetails"))),
        )


@dataclass(frozen=True)
class YtComment:
    """A comment resource: a thread's top-level comment or a reply."""

    id: str
    video_id: str | None
    parent_id: str | None
    author: str | None
    """The author's channel id (absent for some deleted or legacy accounts)."""
    text: str
    likes: int
    published_at: dt.datetime

    @classmethod
    def from_payload(cls, item: Mapping[str, Any], plain: bool = False) -> YtComment:
        """``plain``: the request asked ``textFormat=plainText``, so ``textDisplay`` is not HTML."""
        comment_id = required_str(item, "id")
        snippet = mapping(item.get("snippet"))
        author = mapping(snippet.get("authorChannelId")).get("value") or snippet.get("authorChannelId")
        # textOriginal is the text as typed; textDisplay is HTML unless textFormat=plainText
        text = snippet.get("textOriginal")
        if not isinstance(text, str):
            display = snippet.get("textDisplay")
            text = (display if isinstance(display, str) else "") if plain else plain_text(display)
        return cls(
            id=comment_id,
            video_id=as_str(snippet.get("videoId")),
            parent_id=as_str(snippet.get("parentId")),
            author=as_str(author),
            text=text,
            likes=as_count(snippet.get("likeCount")) or 0,
            published_at=required_time(snippet, "publishedAt"),
        )


@dataclass(frozen=True)
class YtThread:
    """A comment thread: its top-level comment, the reply count and the replies sent inline."""

    id: str
    video_id: str | None
    channel_id: str | None
    top: YtComment
    replies_total: int
    replies: tuple[YtComment, ...]

    @classmethod
    def from_payload(cls, item: Mapping[str, Any], plain: bool = False) -> YtThread:
        thread_id = required_str(item, "id")
        snippet = mapping(item.get("snippet"))
        top_item = mapping(snippet.get("topLevelComment"))
        if not top_item:
            raise ValueError("snippet.topLevelComment: missing")
        replies = tuple(
            YtComment.from_payload(reply, plain)
            for reply in items(mapping(item.get("replies")).get("comments"))
            if isinstance(reply, Mapping)
        )
        return cls(
            id=thread_id,
            video_id=as_str(snippet.get("videoId")),
            channel_id=as_str(snippet.get("channelId")),
            top=YtComment.from_payload(top_item, plain),
            replies_total=as_count(snippet.get("totalReplyCount")) or 0,
            replies=replies,
        )


def search_video_id(item: Any) -> str | None:
    """The video id of a ``search.list`` result (``id.videoId``); None for channels and playlists."""
    if not isinstance(item, Mapping):
        return None
    ident = item.get("id")
    if isinstance(ident, Mapping):
        return as_str(ident.get("videoId"))
    return None
