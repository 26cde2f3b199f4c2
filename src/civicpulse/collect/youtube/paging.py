"""What to ask YouTube next: the passes over a channel and over a mention search, as resumable state.

No network here: a pass plans the next request, reads its parsed body, and serialises itself to
the JSON state the runner commits with each page. The connector
(:mod:`civicpulse.collect.youtube.client`) sends what a pass plans and charges its quota.

**Channel pass** (an official account). ``channels.list`` (the snapshot and the uploads
playlist), then the uploads playlist newest first, 50 videos a page: each ``playlistItems.list``
page is followed by one ``videos.list`` for its 50 ids (counts, live status), and the walk stops
at the first page holding a video older than the pass's *boundary* (``--since``, else the older
of the newest video of the last pass and ``refresh_days`` ago, else ``backfill_days`` ago). Then
the comments of every video whose comment count differs from the one the last pass saw:
``commentThreads.list`` (100 threads a page, up to 5 replies inline), then ``comments.list`` for
threads with more replies. A video with comments turned off, or deleted meanwhile, is a note.

**Mention search** (one entity). ``search.list`` by each alias (a phrase in quotes), newest
first, 50 a page, over a window fixed when the pass starts: from the end of the last pass (minus
an overlap) or ``mention_backfill_days`` ago, to now. Search results carry no counts, so every
page is followed by one ``videos.list`` for the ids not seen yet in this pass.

Every request costs quota units (:data:`COSTS`); the client charges them before sending.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final

from civicpulse.collect.values import as_int, as_str, epoch, items, mapping, rfc3339
from civicpulse.collect.window import PassState, boundary_of, seen_since, settled_of
from civicpulse.collect.youtube.errors import YoutubeError
from civicpulse.collect.youtube.types import YtChannel, YtThread, YtUpload, YtVideo, is_channel_id, search_video_id

PAGE: Final = 50
"""``maxResults`` of playlistItems, search, and the ids of one videos or channels call (the API's maximum)."""
COMMENTS_PAGE: Final = 100
COSTS: Final = {
    "channels.list": 1,
    "playlistItems.list": 1,
    "videos.list": 1,
    "commentThreads.list": 1,
    "comments.list": 1,
    "search.list": 100,
}
"""Quota units per call (https://developers.google.com/youtube/v3/determine_quota_cost)."""
VIDEO_PARTS: Final = "snippet,statistics,liveStreamingDetails"


@dataclass(frozen=True)
class Call:
    """One API request; ``purpose`` and ``context`` tell the parser what the answer is for."""

    method: str
    params: dict[str, Any]
    purpose: str
    context: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        """What the stored payload says about the request (never the key)."""
        return {**self.params, "purpose": self.purpose, **self.context}


@dataclass(frozen=True)
class Failure:
    """Why a channel cannot be collected: a short label for reports and the full reason."""

    label: str
    reason: str


@dataclass
class ChannelPass(PassState):
    """One pass over an official channel; see the module docstring."""

    done_keys: ClassVar[tuple[str, ...]] = ("newest", "seen")

    account: str
    boundary: int
    comments: bool = True
    channel_done: bool = False
    uploads: str | None = None
    page_token: str | None = None
    uploads_done: bool = False
    videos: list[str] = field(default_factory=list)
    """Ids of the last playlist page, waiting for their ``videos.list``."""
    jobs: list[list[str]] = field(default_factory=list)
    """Comment pages to read: ``[video id, thread id ("" for the video's threads), page token ("" first)]``."""
    seen: dict[str, list[int]] = field(default_factory=dict)
    """Video id -> ``[published, comment count]`` as last collected (unchanged counts skip the comments)."""
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
        *,
        comments: bool = True,
    ) -> ChannelPass:
        settled = settled_of(previous)
        boundary = boundary_of(settled, now, since, backfill_days, refresh_days)
        seen = seen_since(settled.get("seen"), boundary)
        return cls(account, boundary, comments, seen=seen, newest=as_int(settled.get("newest")), settled=settled)

    @property
    def done(self) -> bool:
        return self.channel_done and self.uploads_done and not self.videos and not self.jobs

    def plan(self) -> Call:
        context = {"account": self.account}
        if not self.channel_done:
            params: dict[str, Any] = {"part": "snippet,statistics,contentDetails"}
            if is_channel_id(self.account):
                params["id"] = self.account
            else:
                params["forHandle"] = self.account
            return Call("channels.list", params, "snapshot", context)
        if self.videos:
            return Call("videos.list", {"part": VIDEO_PARTS, "id": ",".join(self.videos[:PAGE])}, "uploads", context)
        if not self.uploads_done:
            params = {"part": "contentDetails", "playlistId": self.uploads, "maxResults": PAGE}
            if self.page_token:
                params["pageToken"] = self.page_token
            return Call("playlistItems.list", params, "uploads", context)
        video, thread, token = self.jobs[0]
        context = {**context, "video": video}
        if thread:
            params = {"part": "snippet", "parentId": thread, "maxResults": COMMENTS_PAGE, "textFormat": "plainText"}
            method = "comments.list"
        else:
            params = {
                "part": "snippet,replies",
                "videoId": video,
                "maxResults": COMMENTS_PAGE,
                "order": "time",
                "textFormat": "plainText",
            }
            method = "commentThreads.list"
        if token:
            params["pageToken"] = token
        return Call(method, params, "comments", context)

    def advance(self, call: Call, data: Any) -> tuple[list[str], Failure | None]:
        """Take the answer to the planned call; returns notes and why the channel failed, if it did."""
        body = mapping(data)
        if call.method == "channels.list":
            return self._channel(body)
        if call.method == "playlistItems.list":
            self._playlist(body)
        elif call.method == "videos.list":
            self._videos(call, body)
        else:
            return self._comments(call, body), None
        return [], None

    def _channel(self, body: Mapping[str, Any]) -> tuple[list[str], Failure | None]:
        self.channel_done = True
        found = [item for item in items(body.get("items")) if isinstance(item, Mapping)]
        if not found:
            self.uploads_done = True
            return [], Failure("deleted", f"channel {self.account} not found (deleted, closed or renamed)")
        channel = YtChannel.from_payload(found[0])
        self.uploads = channel.uploads
        notes = []
        if not is_channel_id(self.account):
            notes.append(
                f"{self.account} is registered by handle; register it by its channel id {channel.id}, as mention "
                "searches name it, so that its videos found by a search join the channel"
            )
        if channel.hidden_subscribers:
            notes.append(f"{self.account}: the subscriber count is hidden; no follower snapshot")
        return notes, None

    def _playlist(self, body: Mapping[str, Any]) -> None:
        ids: list[str] = []
        for item in items(body.get("items")):
            try:
                upload = YtUpload.from_payload(mapping(item))
            except ValueError:
                continue  # an unreadable entry: nothing to ask videos.list about
            if upload.video_id not in ids:
                ids.append(upload.video_id)
        self.videos = ids
        self.page_token = as_str(body.get("nextPageToken"))
        if not self.page_token or not ids:
            self.uploads_done = True

    def _videos(self, call: Call, body: Mapping[str, Any]) -> None:
        asked = str(call.params.get("id", "")).split(",")
        self.videos = [v for v in self.videos if v not in asked]
        for item in items(body.get("items")):
            try:
                video = YtVideo.from_payload(mapping(item))
            except ValueError:
                continue  # the parser reports it
            published = epoch(video.published_at)
            if published < self.boundary:
                self.uploads_done = True  # uploads come newest first: the rest is older still
                continue
            self.newest = published if self.newest is None else max(self.newest, published)
            previous = self.seen.get(video.id)
            if self.comments and video.comments > 0 and (previous is None or previous[1] != video.comments):
                self.jobs.append([video.id, "", ""])
            self.seen[video.id] = [published, video.comments]
        if self.uploads_done:
            self.videos = []

    def _comments(self, call: Call, body: Mapping[str, Any]) -> list[str]:
        video, thread, _token = self.jobs.pop(0)
        if "error" in body:  # an answer about this video only (comments off, video gone)
            error = YoutubeError.from_payload(body["error"], call.method)
            return [f"comments of video {video} skipped: {error.describe()}"]
        if not thread:
            for item in items(body.get("items")):
                try:
                    parsed = YtThread.from_payload(mapping(item))
                except ValueError:
                    continue
                if parsed.replies_total > len(parsed.replies):
                    self.jobs.append([video, parsed.id, ""])
        token = as_str(body.get("nextPageToken"))
        if token and items(body.get("items")):
            self.jobs.append([video, thread, token])
        return []


def search_query(term: str) -> str:
    """An alias as a YouTube query: a phrase of several words in quotes (else each word matches alone)."""
    term = term.strip().replace('"', "")
    return f'"{term}"' if " " in term else term


@dataclass
class MentionSearch:
    """One pass of ``search.list`` by an entity's aliases; see the module docstring."""

    start: int
    end: int
    aliases: list[list[Any]]
    """``[alias, next page token or None, done]`` per alias."""
    pending: list[str] = field(default_factory=list)
    """Found video ids waiting for their ``videos.list``."""
    fetched: list[str] = field(default_factory=list)
    """Video ids already read in this pass (an alias finds what another found)."""

    @classmethod
    def begin(
        cls,
        terms: tuple[str, ...] | list[str],
        previous: Mapping[str, Any],
        now: dt.datetime,
        since: dt.datetime | None,
        backfill_days: int,
        overlap_minutes: int,
    ) -> MentionSearch:
        end = epoch(now)
        until = as_int(previous.get("until"))
        if since is not None:
            start = epoch(since)
        elif until is not None:
            start = until - overlap_minutes * 60
        else:
            start = epoch(now - dt.timedelta(days=backfill_days))
        return cls(start, end, [[term, None, False] for term in terms])

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> MentionSearch:
        return cls(
            int(state["start"]),
            int(state["end"]),
            [list(a) for a in state["aliases"]],
            list(state.get("pending") or []),
            list(state.get("fetched") or []),
        )

    @property
    def done(self) -> bool:
        return not self.pending and all(alias[2] for alias in self.aliases)

    def state(self) -> dict[str, Any]:
        if self.done:
            return {"phase": "done", "until": self.end}
        return {
            "phase": "search",
            "start": self.start,
            "end": self.end,
            "aliases": self.aliases,
            "pending": self.pending,
            "fetched": self.fetched,
        }

    def plan(self, region: str | None = None, language: str | None = None) -> Call:
        if self.pending:
            return Call("videos.list", {"part": VIDEO_PARTS, "id": ",".join(self.pending[:PAGE])}, "mentions")
        term, token, _done = next(alias for alias in self.aliases if not alias[2])
        params: dict[str, Any] = {
            "part": "snippet",
            "q": search_query(term),
            "type": "video",
            "order": "date",
            "publishedAfter": rfc3339(self.start),
            "publishedBefore": rfc3339(self.end),
            "maxResults": PAGE,
        }
        if region:
            params["regionCode"] = region
        if language:
            params["relevanceLanguage"] = language
        if token:
            params["pageToken"] = token
        return Call("search.list", params, "search", {"alias": term})

    def advance(self, call: Call, data: Any) -> None:
        body = mapping(data)
        if call.method == "videos.list":
            asked = str(call.params.get("id", "")).split(",")
            self.pending = [v for v in self.pending if v not in asked]
            self.fetched += asked
            return
        alias = next(a for a in self.aliases if a[0] == call.context.get("alias"))
        found = [vid for vid in (search_video_id(item) for item in items(body.get("items"))) if vid]
        known = set(self.fetched) | set(self.pending)
        self.pending += [vid for vid in dict.fromkeys(found) if vid not in known]
        token = as_str(body.get("nextPageToken"))
        alias[1] = token
        alias[2] = not token or not found


def author_calls(ids: list[str]) -> list[Call]:
    """``channels.list`` calls profiling the channels ``ids``, 50 per call (the method's limit)."""
    return [
        Call("channels.list", {"part": "snippet,statistics", "id": ",".join(ids[i : i + PAGE])}, "authors")
        for i in range(0, len(ids), PAGE)
    ]
