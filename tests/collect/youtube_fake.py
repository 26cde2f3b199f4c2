"""A fake YouTube Data API v3 over a generated world, answering in the documented format.

Every resource it sends is built from the fixtures in ``tests/cases/youtube/`` (written from the
API reference): a video is the fixture's video with the world's values written over it. It
implements what the connector uses, with YouTube's semantics: ``channels.list`` (``id`` lists or
``forHandle``; nothing for a deleted channel), ``playlistItems.list`` (uploads newest first, 50 a
page, ``pageToken``), ``videos.list`` (up to 50 ids; unknown ids left out; statistics as strings,
``likeCount`` absent when hidden, ``commentCount`` when comments are off),
``commentThreads.list`` (up to 5 replies inline, ``commentsDisabled``), ``comments.list``
(``parentId``), ``search.list`` (quoted phrases, time window, newest first, 500 results at
most), the key in the ``X-Goog-Api-Key`` header (``keyInvalid`` otherwise) and Google's error envelope. ``drift``
rewrites every answer into an older or newer shape.

The world is the ground truth: :meth:`YoutubeWorld.truth` gives the canonical records a perfect
collection ends with.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from civicpulse.collect.youtube.paging import search_query
from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.vk_fake import Truth

CASES = Path(__file__).resolve().parents[1] / "cases" / "youtube"
TOKEN = "AIzaSyTEST-SECRET-KEY-4f1b9c7e20d8a36b5"
DRIFTS = (
    "missing_optional",
    "counts_as_numbers",
    "counts_as_strings",
    "bools_as_ints",
    "legacy_shapes",
    "newer_shapes",
)
DAY = 86_400
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def case(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def error_reply(name: str, message: str | None = None) -> Reply:
    """A Google error envelope from a fixture (``error_<reason>.json``), with its HTTP status."""
    body = case(f"error_{name}.json")
    if message is not None:
        body["error"]["message"] = message
        body["error"]["errors"][0]["message"] = message
    return json_reply(body, status=int(body["error"]["code"]))


def _iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp())


@dataclass
class Comment:
    id: str
    author: str | None
    date: int
    text: str
    likes: int
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Video:
    id: str
    channel: str
    date: int
    title: str
    description: str
    views: int
    likes: int
    hidden_likes: bool = False
    comments_off: bool = False
    live: str | None = None
    """None, ``live`` (on air now) or ``past`` (a finished broadcast)."""
    threads: list[Comment] = field(default_factory=list)

    def comment_count(self) -> int:
        return sum(1 + len(t.replies) for t in self.threads)


@dataclass
class Channel:
    id: str
    title: str
    handle: str
    subscribers: int
    videos: list[Video] = field(default_factory=list)
    hidden: bool = False
    deleted: bool = False
    uploads_forbidden: bool = False


@dataclass
class YoutubeWorld:
    now: int
    channels: dict[str, Channel] = field(default_factory=dict)
    official: dict[str, str] = field(default_factory=dict)
    """Registry id (a channel id or a handle) -> channel id, for the official accounts."""
    mentions: dict[str, list[Video]] = field(default_factory=dict)
    entities: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def generate(cls, now: int, *, seed: int = 11, sizes: tuple[int, ...] = (25, 70, 130)) -> YoutubeWorld:
        rng = random.Random(seed)
        world = cls(now)
        ids = iter(range(1, 10**6))

        def ident(length: int, prefix: str = "") -> str:
            # random letters, then a counter in the last four: unique, and as long as YouTube's ids
            number = next(ids)
            counter = "".join(ALPHABET[(number >> shift) & 63] for shift in (18, 12, 6, 0))
            return prefix + "".join(rng.choice(ALPHABET) for _ in range(length - len(prefix) - 4)) + counter

        def channel(title: str, **extra: Any) -> Channel:
            made = Channel(ident(24, "UC"), title, f"@{title.lower()}", rng.randint(10, 90000), **extra)
            world.channels[made.id] = made
            return made

        crowd = [channel(f"viewer{i}") for i in range(90)]
        for gone in crowd[::15]:
            gone.deleted = True  # commenters whose channels are gone: channels.list leaves them out

        def comments(video: Video, n: int) -> None:
            for _ in range(n):
                author = rng.choice(crowd).id if rng.random() > 0.05 else None
                top = Comment(
                    ident(26, "Ug"), author, video.date + rng.randint(60, DAY), _text(rng), rng.randint(0, 30)
                )
                for _ in range(rng.choice([0, 0, 0, 0, 1, 2, 6, 9])):
                    replier = rng.choice(crowd).id
                    top.replies.append(
                        Comment(f"{top.id}.{ident(22)}", replier, top.date + rng.randint(60, DAY), _text(rng), 0)
                    )
                video.threads.append(top)

        def uploads(owner: Channel, n: int) -> None:
            dates = sorted((now - rng.randint(3600, 20 * DAY) for _ in range(n)), reverse=True)
            for date in dates:
                video = Video(
                    ident(11), owner.id, date, _text(rng), rng.choice(["", _text(rng)]), rng.randint(50, 90000), 0
                )
                video.likes = rng.randint(0, 500)
                video.hidden_likes = rng.random() < 0.05
                video.comments_off = rng.random() < 0.08
                video.live = rng.choice([None] * 12 + ["past"])
                if not video.comments_off:
                    comments(video, rng.choice([0, 0, 0, 1, 2, 4]))
                owner.videos.append(video)

        for number, size in enumerate(sizes):
            made = channel(f"akimat{number}")
            uploads(made, size)
            world.official[made.id] = made.id
        first = world.channels[world.official[next(iter(world.official))]]
        first.videos[0].live = "live"
        busy = first.videos[1]
        busy.comments_off = False
        comments(busy, 130)  # more than one page of threads
        long_thread = busy.threads[-1]
        for _ in range(104):  # more than one page of replies
            long_thread.replies.append(
                Comment(f"{long_thread.id}.{ident(22)}", rng.choice(crowd).id, long_thread.date + 60, _text(rng), 1)
            )
        hidden = channel("hidden", hidden=True)
        uploads(hidden, 8)
        world.official[hidden.id] = hidden.id
        by_handle = channel("byhandle")
        uploads(by_handle, 9)
        world.official[by_handle.handle] = by_handle.id
        gone = channel("closed", deleted=True)
        world.official[gone.id] = gone.id
        locked = channel("locked", uploads_forbidden=True)
        uploads(locked, 4)
        world.official[locked.id] = locked.id

        world.entities = {"r-north": ["Северная область", "Солтүстік"], "r-south": ["Южная область"]}
        for aliases in world.entities.values():
            for number, alias in enumerate(aliases):
                found = []
                for _ in range(rng.choice([7, 60, 75]) if number == 0 else 12):
                    owner = rng.choice(crowd[1:])
                    video = Video(
                        ident(11),
                        owner.id,
                        now - rng.randint(600, 5 * DAY),
                        f"{_text(rng)} {alias}",
                        "",
                        rng.randint(0, 900),
                        rng.randint(0, 50),
                    )
                    found.append(video)
                world.mentions[alias] = sorted(found, key=lambda v: v.date, reverse=True)
        shared = world.mentions["Северная область"][0]
        world.mentions["Солтүстік"].insert(0, shared)  # one video found by two aliases
        return world

    # -- the registry and the ground truth --------------------------------------------------

    def registry_yaml(self) -> str:
        lines = ["timezone: Asia/Almaty", "entities:", "  - {id: kz, kind: country, name: {ru: Казахстан}}"]
        for entity, aliases in self.entities.items():
            quoted = ", ".join(json.dumps(a, ensure_ascii=False) for a in aliases)
            lines.append(
                f"  - {{id: {entity}, kind: region, parent: kz, name: {{ru: {entity}}}, aliases: {{ru: [{quoted}]}}}}"
            )
        lines.append("accounts:")
        for account in self.official:
            lines.append(f'  - {{platform: youtube, id: "{account}", entity: r-north, role: official}}')
        return "\n".join(lines) + "\n"

    def video_of(self, video_id: str) -> Video | None:
        for channel in self.channels.values():
            for video in channel.videos:
                if video.id == video_id:
                    return video
        for videos in self.mentions.values():
            for video in videos:
                if video.id == video_id:
                    return video
        return None

    def registry_id(self, channel_id: str) -> str | None:
        return next((account for account, cid in self.official.items() if cid == channel_id), None)

    def truth(self, *, views: bool = True) -> Truth:
        truth = Truth()
        for account, channel_id in self.official.items():
            channel = self.channels[channel_id]
            if channel.deleted:
                continue
            if not channel.hidden:
                truth.snapshots[account] = (channel.subscribers, len(channel.videos))
            if channel.uploads_forbidden:
                continue
            for video in channel.videos:
                truth.posts[video.id] = _video_truth(video, account, views)
                for thread in video.threads:
                    truth.posts[thread.id] = _comment_truth(thread, account, video.id, len(thread.replies))
                    for reply in thread.replies:
                        truth.posts[reply.id] = _comment_truth(reply, account, thread.id, 0)
        for videos in self.mentions.values():
            for video in videos:
                truth.posts[video.id] = _video_truth(video, video.channel, views)
        authors = {p["author"] for p in truth.posts.values() if p["author"]}
        truth.authors = {a for a in authors if a in self.channels and not self.channels[a].deleted}
        return truth


def _video_truth(video: Video, account: str, views: bool) -> dict[str, Any]:
    return {
        "account": account,
        "author": account,
        "published_at": video.date,
        "text": f"{video.title}\n\n{video.description}" if video.description else video.title,
        "likes": 0 if video.hidden_likes else video.likes,
        "comments": 0 if video.comments_off else video.comment_count(),
        "reposts": 0,
        "views": video.views if views else None,
        "reply_to": None,
        "repost_of": None,
        "media": "live" if video.live else "video",
        "kind": "post",
    }


def _comment_truth(comment: Comment, account: str, reply_to: str, replies: int) -> dict[str, Any]:
    return {
        "account": account,
        "author": comment.author,
        "published_at": comment.date,
        "text": comment.text,
        "likes": comment.likes,
        "comments": replies,
        "reposts": 0,
        "views": None,
        "reply_to": reply_to,
        "repost_of": None,
        "media": "text",
        "kind": "comment",
    }


_WORDS = ("дорога", "школа", "аким", "ремонт", "рахмет", "жол", "<b>важно</b>", "=1+2", "'; DROP TABLE posts;--", "😀")


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 10)))


# -- the API -------------------------------------------------------------------------------


class YoutubeFake:
    """The request handler: ``FakeServer(YoutubeFake(world))``."""

    def __init__(self, world: YoutubeWorld, *, drift: str | None = None, token: str = TOKEN) -> None:
        self.world = world
        self.drift = drift
        self.token = token
        self.channel_template = case("channels.list.json")["items"][0]
        self.upload_template = case("playlistItems.list.json")["items"][0]
        self.video_template = case("videos.list.json")["items"][0]
        self.live_template = case("videos.list.json")["items"][1]
        self.past_template = case("videos.list.json")["items"][2]
        self.thread_template = case("commentThreads.list.json")["items"][0]
        self.reply_template = case("commentThreads.list.json")["items"][0]["replies"]["comments"][0]
        self.hit_template = case("search.list.json")["items"][0]

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("x-goog-api-key") != self.token or "key" in request.query:
            return error_reply("keyInvalid")
        resource = request.path.rsplit("/", 1)[-1]
        handler = {
            "channels": self.channels,
            "playlistItems": self.playlist_items,
            "videos": self.videos,
            "commentThreads": self.comment_threads,
            "comments": self.comments,
            "search": self.search,
        }.get(resource)
        if handler is None:
            return json_reply({"error": {"code": 404, "message": "Not Found", "errors": []}}, status=404)
        answer = handler(request.query)
        if isinstance(answer, Reply):
            return answer
        return json_reply(apply_drift(answer, self.drift))

    def listing(self, kind: str, items: list[Any], token: str | None = None, total: int | None = None) -> Any:
        body: dict[str, Any] = {"kind": f"youtube#{kind}ListResponse", "etag": "fake-etag"}
        if token:
            body["nextPageToken"] = token
        body["pageInfo"] = {"totalResults": len(items) if total is None else total, "resultsPerPage": 50}
        body["items"] = items
        return body

    def channels(self, query: dict[str, str]) -> Any:
        found: list[Channel] = []
        if "forHandle" in query:
            handle = query["forHandle"] if query["forHandle"].startswith("@") else "@" + query["forHandle"]
            found = [c for c in self.world.channels.values() if c.handle == handle]
        else:
            ids = query.get("id", "").split(",")
            if len(ids) > 50:
                return error_reply("keyInvalid", "too many ids")  # not reached: the client sends 50
            found = [self.world.channels[i] for i in ids if i in self.world.channels]
        items = [self.channel(c, query.get("part", "")) for c in found if not c.deleted]
        return self.listing("channel", items)

    def channel(self, channel: Channel, part: str) -> dict[str, Any]:
        obj = copy.deepcopy(self.channel_template)
        obj["id"] = channel.id
        obj["snippet"].update(title=channel.title, customUrl=channel.handle, publishedAt="2018-01-01T00:00:00Z")
        obj["snippet"]["localized"]["title"] = channel.title
        obj["contentDetails"]["relatedPlaylists"]["uploads"] = "UU" + channel.id[2:]
        statistics = {
            "viewCount": "1000",
            "hiddenSubscriberCount": channel.hidden,
            "videoCount": str(len(channel.videos)),
        }
        if not channel.hidden:
            statistics["subscriberCount"] = str(channel.subscribers)
        obj["statistics"] = statistics
        if "contentDetails" not in part or self.drift == "legacy_shapes":
            obj.pop("contentDetails")
        return obj

    def playlist_items(self, query: dict[str, str]) -> Any:
        channel = self.world.channels.get("UC" + query["playlistId"][2:])
        if channel is None or channel.deleted:
            return error_reply("playlistItemsNotAccessible", "The playlist identified with the request's playlistId")
        if channel.uploads_forbidden:
            return error_reply("playlistItemsNotAccessible")
        offset = int(query.get("pageToken") or 0)
        size = min(int(query.get("maxResults", 5)), 50)
        page = channel.videos[offset : offset + size]
        items = []
        for video in page:
            obj = copy.deepcopy(self.upload_template)
            obj["id"] = f"item-{video.id}"
            obj["contentDetails"] = {"videoId": video.id, "videoPublishedAt": _iso(video.date)}
            if self.drift == "legacy_shapes":
                obj["contentDetails"] = {"videoId": video.id}
            items.append(obj)
        more = offset + size < len(channel.videos)
        return self.listing("playlistItem", items, str(offset + size) if more else None, len(channel.videos))

    def videos(self, query: dict[str, str]) -> Any:
        ids = query.get("id", "").split(",")
        if len(ids) > 50:
            return error_reply("keyInvalid", "too many ids")
        items = [self.video(v) for v in (self.world.video_of(i) for i in ids) if v is not None]
        return self.listing("video", items)

    def video(self, video: Video) -> dict[str, Any]:
        template = {None: self.video_template, "live": self.live_template, "past": self.past_template}[video.live]
        obj = copy.deepcopy(template)
        obj["id"] = video.id
        snippet = obj["snippet"]
        snippet.update(publishedAt=_iso(video.date), channelId=video.channel, title=video.title)
        snippet.update(description=video.description, channelTitle=self.world.channels[video.channel].title)
        statistics: dict[str, Any] = {
            "viewCount": str(video.views),
            "likeCount": str(video.likes),
            "favoriteCount": "0",
        }
        statistics["commentCount"] = str(video.comment_count())
        if video.hidden_likes:
            statistics.pop("likeCount")
        if video.comments_off:
            statistics.pop("commentCount")
        if self.drift == "legacy_shapes":
            statistics["dislikeCount"] = "3"  # public until December 2021
        obj["statistics"] = statistics
        return obj

    def comment_threads(self, query: dict[str, str]) -> Any:
        video = self.world.video_of(query["videoId"])
        if video is None:
            return error_reply("videoNotFound")
        if video.comments_off:
            return error_reply("commentsDisabled")
        offset = int(query.get("pageToken") or 0)
        size = min(int(query.get("maxResults", 20)), 100)
        page = video.threads[offset : offset + size]
        plain = query.get("textFormat") == "plainText"
        items = []
        for thread in page:
            obj = copy.deepcopy(self.thread_template)
            obj["id"] = thread.id
            obj["snippet"].update(channelId=video.channel, videoId=video.id, totalReplyCount=len(thread.replies))
            obj["snippet"]["topLevelComment"] = self.comment(thread, video, None, plain)
            inline = thread.replies[:5] if "replies" in query.get("part", "") else []
            obj["replies"] = {"comments": [self.comment(r, video, thread.id, plain) for r in inline]}
            if not inline or self.drift == "legacy_shapes":
                obj.pop("replies")
            items.append(obj)
        more = offset + size < len(video.threads)
        return self.listing("commentThread", items, str(offset + size) if more else None)

    def comment(self, comment: Comment, video: Video, parent: str | None, plain: bool) -> dict[str, Any]:
        obj = copy.deepcopy(self.reply_template)
        obj["id"] = comment.id
        snippet = obj["snippet"]
        snippet.update(channelId=video.channel, videoId=video.id, likeCount=comment.likes)
        snippet.update(textOriginal=comment.text, textDisplay=comment.text if plain else html.escape(comment.text))
        snippet.update(publishedAt=_iso(comment.date), updatedAt=_iso(comment.date))
        if parent is None:
            snippet.pop("parentId")
        else:
            snippet["parentId"] = parent
        if comment.author is None:
            snippet.pop("authorChannelId")
        else:
            snippet["authorChannelId"] = {"value": comment.author}
        return obj

    def comments(self, query: dict[str, str]) -> Any:
        parent = query["parentId"]
        for video in (v for c in self.world.channels.values() for v in c.videos):
            for thread in video.threads:
                if thread.id == parent:
                    offset = int(query.get("pageToken") or 0)
                    size = min(int(query.get("maxResults", 20)), 100)
                    page = thread.replies[offset : offset + size]
                    plain = query.get("textFormat") == "plainText"
                    items = [self.comment(r, video, thread.id, plain) for r in page]
                    for item in items:
                        item["snippet"].pop("videoId")  # replies listed by parentId do not repeat the video
                    more = offset + size < len(thread.replies)
                    return self.listing("comment", items, str(offset + size) if more else None)
        return error_reply("videoNotFound", "The comment identified by the parentId parameter could not be found.")

    def search(self, query: dict[str, str]) -> Any:
        alias = next((a for a in self.world.mentions if search_query(a) == query.get("q")), None)
        after, before = _epoch(query["publishedAfter"]), _epoch(query["publishedBefore"])
        found = [v for v in self.world.mentions.get(alias or "", []) if after <= v.date <= before][:500]
        offset = int(query.get("pageToken") or 0)
        size = min(int(query.get("maxResults", 5)), 50)
        items = []
        for video in found[offset : offset + size]:
            obj = copy.deepcopy(self.hit_template)
            obj["id"] = {"kind": "youtube#video", "videoId": video.id}
            obj["snippet"].update(publishedAt=_iso(video.date), channelId=video.channel, title=video.title)
            items.append(obj)
        more = offset + size < len(found)
        return self.listing("search", items, str(offset + size) if more else None, total=1_000_000)


# -- schema drift ----------------------------------------------------------------------------

OPTIONAL = {
    "etag",
    "kind",
    "pageInfo",
    "thumbnails",
    "tags",
    "localized",
    "categoryId",
    "favoriteCount",
    "defaultAudioLanguage",
    "customUrl",
    "country",
    "authorDisplayName",
    "authorProfileImageUrl",
    "authorChannelUrl",
    "canRate",
    "viewerRating",
    "updatedAt",
    "canReply",
    "isPublic",
    "channelTitle",
    "viewCount",
    "regionCode",
    "publishTime",
    "textOriginal",
    "concurrentViewers",
    "activeLiveChatId",
}
FLAGS = {"hiddenSubscriberCount", "canReply", "isPublic", "canRate"}
COUNTS = {"viewCount", "likeCount", "subscriberCount", "videoCount", "commentCount", "favoriteCount", "dislikeCount"}


def apply_drift(body: Any, drift: str | None) -> Any:
    """The body rewritten as an older or newer API would send it (same content)."""
    if drift is None or drift == "legacy_shapes":
        return body  # legacy shapes are produced by the resources themselves
    return _walk(body, drift, None)


def _walk(value: Any, drift: str, key: str | None) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if drift == "missing_optional" and k in OPTIONAL:
                continue
            out[k] = _walk(v, drift, k)
        if drift == "newer_shapes" and out:
            out["addedInALaterVersion"] = {"enabled": True, "values": ["x"]}
        return out
    if isinstance(value, list):
        return [_walk(v, drift, key) for v in value]
    if drift == "bools_as_ints" and isinstance(value, bool):
        return int(value)
    if drift == "counts_as_numbers" and key in COUNTS and isinstance(value, str):
        return int(value)
    if drift == "counts_as_strings" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value
