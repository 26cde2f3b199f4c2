"""Fakes of Telegram over one generated world: the ``t.me/s`` preview (HTTP) and an MTProto client.

**Web**: ``GET /s/<channel>[?before=<id>]`` answers a preview page in the markup of the real one
(the class names of ``tests/cases/telegram/tme_s_preview.html``): 20 widgets per page, oldest
first, an album as one widget, counts shown rounded (``2.5K``), ``data-before`` to page back. A
private or unknown channel redirects to ``/<channel>`` as t.me does.

**MTProto**: :class:`FakeMtproto` is the connector's :class:`MtprotoClient`. It carries each call to
the same local fake server (``POST /<method>`` with the parameters as a form field), so the
contract suite injects faults into MTProto exactly as into HTTP; the server answers
``{"result": <to_dict() shape>}`` built from ``tests/cases/telegram/*.json`` (generated from
Telethon's TL types) or ``{"rpc_error": {"code", "message"}}``. The client turns a 420/429 into
a FloodWait of the ``Retry-After`` seconds, a 5xx into ``RPC_CALL_FAIL``, a body it cannot read
into a lost connection, and a timeout into ``TimeoutError`` — what Telethon raises in each case.
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

import httpx

from civicpulse.collect.telegram.errors import RpcFault
from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.vk_fake import Truth

CASES = Path(__file__).resolve().parents[1] / "cases" / "telegram"
TOKEN = "1BVtsOTEST-session-string-SECRET-7f3a9c2e51b84d06a1=="
API_HASH = "0123456789abcdef0123456789abcdef"
DRIFTS = ("missing_optional", "bools_as_ints", "counts_as_strings", "older_shapes", "newer_shapes")
WEB_DRIFTS = ("missing_optional", "exact_counts", "newer_shapes")
DAY = 86_400
WEB_PAGE = 20
_WORDS = ("дорога", "школа", "аким", "ремонт", "рахмет", "<b>важно</b>", "=1+2", "'; DROP TABLE posts;--", "😀", "жол")
_EMOJI = ("👍", "❤", "🔥", "🙏", "😢")


def case(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def iso(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat()


def shown(number: int) -> str:
    """A count as the preview shows it (three significant digits, K and M)."""
    if number < 1000:
        return str(number)
    if number < 1_000_000:
        return f"{number / 1000:.1f}".rstrip("0").rstrip(".") + "K"
    return f"{number / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"


def shown_value(number: int) -> int:
    """What a reader of :func:`shown` gets back (the truth of the web path)."""
    text = shown(number)
    scale = {"K": 1000, "M": 1_000_000}.get(text[-1], 1)
    return round(float(text.rstrip("KM")) * scale)


@dataclass
class Comment:
    id: int
    user: int
    date: int
    text: str
    likes: int
    answers: int | None = None
    """The comment it answers, None for a top-level comment."""


@dataclass
class Message:
    id: int
    date: int
    text: str
    views: int
    forwards: int
    reactions: dict[str, int]
    media: str | None = None
    album: int = 1
    """Parts of an album (ids ``id .. id + album - 1``); 1 for a single message."""
    forward: tuple[str, int, int] | None = None
    """Source channel username, its id, its post id."""
    comments: list[Comment] = field(default_factory=list)
    service: bool = False


@dataclass
class Channel:
    username: str
    id: int
    subscribers: int
    messages: list[Message] = field(default_factory=list)
    group: int | None = None
    group_username: str | None = None
    private: bool = False
    missing: bool = False


@dataclass
class TelegramWorld:
    now: int
    channels: dict[str, Channel] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)

    @classmethod
    def generate(cls, now: int, *, seed: int = 3, sizes: tuple[int, ...] = (130, 45, 12)) -> TelegramWorld:
        rng = random.Random(seed)
        world = cls(now)
        world.users = {700_000_000 + n: f"user_{n}" for n in range(50)}
        names = ("akimat_north", "akimat_south", "akim_personal")
        for index, size in enumerate(sizes):
            channel = Channel(names[index], 1_500_000_000 + index, rng.choice([870, 4321, 12_345, 98_765, 1_234_567]))
            if index != 2:
                channel.group = 1_600_000_000 + index
                channel.group_username = "north_chat" if index == 0 else None
            next_id = 10
            for date in sorted(now - rng.randint(3600, 20 * DAY) for _ in range(size)):
                text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 9)))
                if rng.random() < 0.1:
                    text += "\nвторая строка"
                message = Message(
                    next_id,
                    date,
                    text,
                    rng.randint(10, 30_000),
                    rng.randint(0, 50),
                    {e: rng.randint(1, 300) for e in rng.sample(_EMOJI, rng.randint(0, 3))},
                    rng.choice([None, None, "photo", "video", "poll", "document"]),
                )
                roll = rng.random()
                if roll < 0.1:
                    message.album, message.media = rng.randint(2, 4), "photo"
                elif roll < 0.18:
                    message.forward = ("kz_news", 1_500_000_099, rng.randint(100, 9999))
                elif roll < 0.2:
                    message.service, message.text = True, ""
                if channel.group and not message.service and rng.random() < 0.4:
                    cid = 5000 + next_id * 100
                    for n in range(rng.choice([1, 2, 5, 120]) if rng.random() < 0.05 else rng.randint(1, 6)):
                        answers = rng.choice([None, None, *(c.id for c in message.comments)])
                        message.comments.append(
                            Comment(
                                cid + n,
                                rng.choice(list(world.users)),
                                date + 60 * (n + 1),
                                " ".join(rng.choice(_WORDS) for _ in range(3)),
                                rng.randint(0, 9),
                                answers,
                            )
                        )
                channel.messages.append(message)
                next_id += message.album
            world.channels[channel.username] = channel
        world.channels["closed_channel"] = Channel("closed_channel", 1_500_000_050, 311, private=True)
        world.channels["no_such_channel"] = Channel("no_such_channel", 0, 0, missing=True)
        return world

    def registry_yaml(self) -> str:
        lines = [
            "timezone: Asia/Almaty",
            "entities:",
            "  - {id: kz, kind: country, name: {ru: Казахстан}}",
            "  - {id: r-north, kind: region, parent: kz, name: {ru: Северная}}",
            "persons:",
            "  - {id: akim-north, entity: r-north, name: {ru: Аким}}",
            "accounts:",
        ]
        for name in self.channels:
            role = "personal, person: akim-north" if name == "akim_personal" else "official"
            lines.append(f'  - {{platform: telegram, id: "{name}", entity: r-north, role: {role}}}')
        return "\n".join(lines) + "\n"

    def truth(self, *, web: bool, views: bool = True, forwards: bool = True, exact: bool = False) -> Truth:
        """What a complete collection ends with: ``web`` as the preview shows it (rounded unless ``exact``)."""

        def count(number: int) -> int:
            return shown_value(number) if web and not exact else number

        truth = Truth()
        for channel in self.channels.values():
            if channel.private or channel.missing:
                continue
            truth.snapshots[channel.username] = (count(channel.subscribers), None)
            for message in channel.messages:
                if message.service:
                    continue
                key = f"{channel.username}/{message.id}"
                source = f"{message.forward[0]}/{message.forward[2]}" if message.forward else None
                truth.posts[key] = {
                    "account": channel.username,
                    "author": None,
                    "published_at": message.date,
                    "text": message.text,
                    "likes": sum(message.reactions.values()),
                    "comments": 0 if web else len(message.comments),
                    "reposts": 0 if web or not forwards else message.forwards,
                    "views": count(message.views) if views else None,
                    "reply_to": None,
                    "repost_of": source,
                    "media": message.media or "text",
                    "kind": "repost" if message.forward else "post",
                }
                if web:
                    continue
                group = channel.group_username or f"c{channel.group}"
                for comment in message.comments:
                    truth.posts[f"{group}/{comment.id}"] = {
                        "account": channel.username,
                        "author": f"user{comment.user}",
                        "published_at": comment.date,
                        "text": comment.text,
                        "likes": comment.likes,
                        "comments": 0,
                        "reposts": 0,
                        "views": None,
                        "reply_to": f"{group}/{comment.answers}" if comment.answers else key,
                        "repost_of": None,
                        "media": "text",
                        "kind": "comment",
                    }
                    truth.authors.add(f"user{comment.user}")
        return truth


# -- the web preview -------------------------------------------------------------------------

_MEDIA_HTML = {
    "photo": '<a class="tgme_widget_message_photo_wrap" href="https://t.me/{ch}/{id}" style="width:400px"></a>',
    "video": '<a class="tgme_widget_message_video_player" href="https://t.me/{ch}/{id}"><video></video></a>',
    "poll": '<div class="tgme_widget_message_poll"><div class="tgme_widget_message_poll_question">?</div></div>',
    "document": '<a class="tgme_widget_message_document_wrap" href="https://t.me/{ch}/{id}">file.pdf</a>',
}


class WebFake:
    """``GET /s/<channel>`` handler: ``FakeServer(WebFake(world))``."""

    def __init__(self, world: TelegramWorld, drift: str | None = None) -> None:
        self.world = world
        self.drift = drift

    def __call__(self, request: Request) -> Reply:
        parts = request.path.strip("/").split("/")
        if len(parts) != 2 or parts[0] != "s":
            return Reply(404, "<html><body>Not found</body></html>", {"Content-Type": "text/html"})
        channel = self.world.channels.get(parts[1])
        if channel is None or channel.private or channel.missing:
            return Reply(302, b"", {"Location": f"https://t.me/{parts[1]}"})
        before = int(request.query["before"]) if request.query.get("before", "").isdigit() else None
        older = [m for m in channel.messages if before is None or m.id < before]
        page = older[-WEB_PAGE:]
        return Reply(
            200, self.page(channel, page, bool(older[:-WEB_PAGE])), {"Content-Type": "text/html; charset=utf-8"}
        )

    def count(self, number: int) -> str:
        if self.drift == "exact_counts":  # whole numbers with no-break spaces, as small counts are shown
            return f"{number:,}".replace(",", "\u00a0")
        return shown(number)

    def page(self, channel: Channel, messages: list[Message], more: bool) -> str:
        subscribers = f'<span class="counter_value">{self.count(channel.subscribers)}</span> '
        subscribers += '<span class="counter_type">subscribers</span>'
        head = (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Channel</title></head>'
            '<body class="widget_frame_base tgme_webpreview"><header class="tgme_header">'
            '<div class="tgme_channel_info">'
            f'<div class="tgme_channel_info_header_title"><span dir="auto">{html.escape(channel.username)}</span></div>'
            f'<div class="tgme_channel_info_header_username"><a href="https://t.me/{channel.username}">'
            f"@{channel.username}</a></div>"
            f'<div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter">{subscribers}</div>'
            '<div class="tgme_channel_info_counter"><span class="counter_value">12</span> '
            '<span class="counter_type">photos</span></div></div></div></header>'
            '<main class="tgme_main"><section class="tgme_channel_history js-message_history">'
        )
        if more and messages:
            head += (
                '<div class="tgme_widget_message_centered js-messages_more_wrap">'
                f'<a href="/s/{channel.username}?before={messages[0].id}" class="tme_messages_more js-messages_more" '
                f'data-before="{messages[0].id}"></a></div>'
            )
        body = "".join(self.widget(channel, m) for m in messages)
        return head + body + "</section></main></body></html>"

    def widget(self, channel: Channel, m: Message) -> str:
        ch = channel.username
        if m.service:
            return (
                '<div class="tgme_widget_message_wrap"><div class="tgme_widget_message service_message" '
                f'data-post="{ch}/{m.id}"><div class="tgme_widget_message_service_text">Channel photo updated</div>'
                "</div></div>"
            )
        parts = []
        if m.forward:
            parts.append(
                '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;'
                f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/{m.forward[0]}/{m.forward[2]}">'
                f'<span dir="auto">{m.forward[0]}</span></a></div>'
            )
        if m.album > 1:
            links = "".join(
                '<a class="tgme_widget_message_photo_wrap grouped_media_wrap" '
                f'href="https://t.me/{ch}/{m.id + i}?single">'
                "</a>"
                for i in range(m.album)
            )
            parts.append(
                f'<div class="tgme_widget_message_grouped_wrap"><div class="tgme_widget_message_grouped">{links}'
                "</div></div>"
            )
        elif m.media:
            parts.append(_MEDIA_HTML[m.media].format(ch=ch, id=m.id))
        if m.text:
            text = html.escape(m.text).replace("\n", "<br/>")
            parts.append(f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>')
        reactions = "".join(
            f'<span class="tgme_reaction"><i class="emoji"><b>{e}</b></i>{self.count(n)}</span>'
            for e, n in m.reactions.items()
        )
        parts.append(f'<div class="tgme_widget_message_reactions js-message_reactions">{reactions}</div>')
        views = (
            ""
            if self.drift == "missing_optional"
            else (
                f'<span class="tgme_widget_message_views">{self.count(m.views)}</span>'
                '<span class="copyonly"> views</span>'
            )
        )
        extra = (
            '<div class="tgme_widget_message_added_later" data-new="1"></div>' if self.drift == "newer_shapes" else ""
        )
        parts.append(
            f'<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info">'
            f'{views}<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
            f'href="https://t.me/{ch}/{m.id}"><time datetime="{iso(m.date)}" class="time">08:35</time></a></span>'
            f"</div></div>{extra}"
        )
        return (
            '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
            '<div class="tgme_widget_message js-widget_message" '
            f'data-post="{ch}/{m.id}"><div class="tgme_widget_message_bubble">{"".join(parts)}</div></div></div>'
        )


# -- MTProto ---------------------------------------------------------------------------------


class MtprotoFake:
    """``POST /<method>`` handler answering ``{"result": ...}`` or ``{"rpc_error": ...}``."""

    def __init__(self, world: TelegramWorld, drift: str | None = None, session: str = TOKEN) -> None:
        self.world = world
        self.drift = drift
        self.session = session
        history = case("messages.getHistory.json")
        self.post = history["messages"][0]
        self.channel_obj = history["chats"][0]
        replies = case("messages.getReplies.json")
        self.comment = replies["messages"][2]
        self.group_obj = replies["chats"][0]
        self.user_obj = replies["users"][0]
        self.full = case("channels.getFullChannel.json")

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("x-session") != self.session:
            return json_reply({"rpc_error": {"code": 401, "message": "AUTH_KEY_UNREGISTERED"}})
        method = request.path.strip("/").rsplit("/", 1)[-1]
        params = json.loads(request.form.get("params", "{}"))
        name = params.get("channel") or params.get("peer")
        channel = self.world.channels.get(str(name))
        if channel is None or channel.missing:
            return json_reply({"rpc_error": {"code": 400, "message": "USERNAME_NOT_OCCUPIED"}})
        if channel.private:
            return json_reply({"rpc_error": {"code": 400, "message": "CHANNEL_PRIVATE"}})
        if method == "channels.getFullChannel":
            result = self.full_channel(channel)
        elif method == "messages.getHistory":
            result = self.history(channel, params)
        elif method == "messages.getReplies":
            result = self.replies(channel, params)
            if result is None:
                return json_reply({"rpc_error": {"code": 400, "message": "MSG_ID_INVALID"}})
        else:
            return json_reply({"rpc_error": {"code": 400, "message": "METHOD_INVALID"}})
        return json_reply({"result": apply_drift(result, self.drift)})

    def chat(self, channel: Channel) -> dict[str, Any]:
        return {**copy.deepcopy(self.channel_obj), "id": channel.id, "username": channel.username}

    def full_channel(self, channel: Channel) -> dict[str, Any]:
        out = copy.deepcopy(self.full)
        out["full_chat"].update(id=channel.id, participants_count=channel.subscribers, linked_chat_id=channel.group)
        out["chats"] = [self.chat(channel)]
        return out

    def message(self, channel: Channel, m: Message, part: int) -> dict[str, Any]:
        obj = copy.deepcopy(self.post)
        obj.update(
            id=m.id + part,
            date=iso(m.date),
            message=m.text if part == 0 else "",
            views=m.views,
            forwards=m.forwards if part == 0 else 0,
        )
        obj["peer_id"] = {"_": "PeerChannel", "channel_id": channel.id}
        obj["reactions"] = {
            "_": "MessageReactions",
            "results": [
                {
                    "_": "ReactionCount",
                    "reaction": {"_": "ReactionEmoji", "emoticon": e},
                    "count": n,
                    "chosen_order": None,
                }
                for e, n in m.reactions.items()
            ]
            if part == 0
            else [],
            "min": None,
            "recent_reactions": [],
            "top_reactors": [],
        }
        obj["replies"] = (
            {
                "_": "MessageReplies",
                "replies": len(m.comments),
                "replies_pts": 1,
                "comments": True,
                "recent_repliers": [],
                "channel_id": channel.group,
                "max_id": None,
                "read_max_id": None,
            }
            if channel.group
            else None
        )
        obj["media"] = _media(m.media)
        obj["grouped_id"] = 10_000 + m.id if m.album > 1 else None
        obj["fwd_from"] = None
        if m.forward:
            obj["fwd_from"] = {
                "_": "MessageFwdHeader",
                "date": iso(m.date - 3600),
                "from_id": {"_": "PeerChannel", "channel_id": m.forward[1]},
                "channel_post": m.forward[2],
                "from_name": None,
            }
        if m.service:
            return {
                "_": "MessageService",
                "id": m.id,
                "peer_id": obj["peer_id"],
                "date": iso(m.date),
                "action": {"_": "MessageActionChatEditPhoto", "photo": {"_": "PhotoEmpty", "id": 0}},
            }
        return obj

    def history(self, channel: Channel, params: dict[str, Any]) -> dict[str, Any]:
        offset, limit = int(params.get("offset_id") or 0), int(params.get("limit") or 100)
        raw = [self.message(channel, m, part) for m in channel.messages for part in range(m.album)]
        raw = sorted((r for r in raw if offset == 0 or r["id"] < offset), key=lambda r: r["id"], reverse=True)[:limit]
        source = {**self.chat(channel), "id": 1_500_000_099, "username": "kz_news"}
        return {
            "_": "messages.ChannelMessages",
            "pts": 1,
            "count": len(channel.messages),
            "messages": raw,
            "topics": [],
            "chats": [self.chat(channel), source],
            "users": [],
            "inexact": None,
            "offset_id_offset": None,
        }

    def replies(self, channel: Channel, params: dict[str, Any]) -> dict[str, Any] | None:
        post = next((m for m in channel.messages if m.id == int(params["msg_id"])), None)
        if post is None or not channel.group:
            return None
        offset, limit = int(params.get("offset_id") or 0), int(params.get("limit") or 100)
        copy_id = 90_000 + post.id  # the post's copy in the discussion group
        found = sorted((c for c in post.comments if offset == 0 or c.id < offset), key=lambda c: c.id, reverse=True)
        messages = []
        for c in found[:limit]:
            obj = copy.deepcopy(self.comment)
            obj.update(id=c.id, date=iso(c.date), message=c.text)
            obj["peer_id"] = {"_": "PeerChannel", "channel_id": channel.group}
            obj["from_id"] = {"_": "PeerUser", "user_id": c.user}
            obj["reactions"] = {
                "_": "MessageReactions",
                "results": [
                    {"_": "ReactionCount", "reaction": {"_": "ReactionEmoji", "emoticon": "👍"}, "count": c.likes}
                ]
                if c.likes
                else [],
            }
            obj["reply_to"] = {
                "_": "MessageReplyHeader",
                "reply_to_msg_id": c.answers or copy_id,
                "reply_to_top_id": copy_id if c.answers else None,
            }
            messages.append(obj)
        group = {**copy.deepcopy(self.group_obj), "id": channel.group, "username": channel.group_username}
        users = []
        for uid in sorted({c.user for c in found[:limit]}):
            users.append(
                {
                    **copy.deepcopy(self.user_obj),
                    "id": uid,
                    "username": self.world.users[uid],
                    "first_name": self.world.users[uid],
                }
            )
        return {
            "_": "messages.ChannelMessages",
            "pts": 1,
            "count": len(found),
            "messages": messages,
            "topics": [],
            "chats": [group, self.chat(channel)],
            "users": users,
        }


def _media(kind: str | None) -> dict[str, Any] | None:
    if kind is None:
        return None
    if kind == "photo":
        return {"_": "MessageMediaPhoto", "photo": {"_": "PhotoEmpty", "id": 1}, "spoiler": None, "ttl_seconds": None}
    if kind == "poll":
        return {"_": "MessageMediaPoll", "poll": {"_": "Poll", "id": 1, "answers": []}, "results": {"_": "PollResults"}}
    mime, attributes = (
        ("video/mp4", [{"_": "DocumentAttributeVideo", "duration": 5, "w": 1, "h": 1}])
        if kind == "video"
        else ("application/pdf", [{"_": "DocumentAttributeFilename", "file_name": "a.pdf"}])
    )
    return {
        "_": "MessageMediaDocument",
        "document": {"_": "Document", "id": 2, "mime_type": mime, "attributes": attributes},
    }


OPTIONAL = {
    "views",
    "forwards",
    "edit_date",
    "recent_repliers",
    "top_reactors",
    "recent_reactions",
    "chosen_order",
    "post_author",
    "ttl_period",
    "restriction_reason",
    "username_extra",
    "read_max_id",
    "max_id",
    "about",
    "photo",
    "offset_id_offset",
    "inexact",
    "topics",
}


def apply_drift(body: Any, drift: str | None, key: str | None = None) -> Any:
    """A result as an older or newer layer (or Telethon version) would give it."""
    if drift is None:
        return body
    if isinstance(body, dict):
        out: dict[str, Any] = {}
        for k, v in body.items():
            if drift == "missing_optional" and k in OPTIONAL:
                continue
            if drift == "older_shapes" and k in ("reactions_are_possible", "factcheck", "effect", "views"):
                continue  # before views existed on every message (older layers, old Telethon dumps)
            out[k] = apply_drift(v, drift, k)
        if drift == "newer_shapes" and out.get("_") == "MessageService":
            out["_"] = "Message"  # newer layers send service messages as a Message with an action
        if drift == "newer_shapes" and "_" in out:
            out["a_field_added_in_layer_300"] = {"_": "TextWithEntities", "text": "", "entities": []}
        return out
    if isinstance(body, list):
        return [apply_drift(v, drift, key) for v in body]
    if drift == "bools_as_ints" and isinstance(body, bool):
        return int(body)
    if drift == "counts_as_strings" and isinstance(body, int) and not isinstance(body, bool) and key not in ("id",):
        return str(body)
    return body


class FakeMtproto:
    """The connector's MTProto client in tests: each call goes to the fake server's ``POST /<method>``."""

    def __init__(self, base_url: str, timeout: float, session: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = httpx.Client(timeout=timeout)
        self.session = session
        self.closed = False

    def call(self, method: str, params: Any) -> dict[str, Any]:
        try:
            response = self.client.post(
                f"{self.base_url}/{method}",
                data={"params": json.dumps(dict(params))},
                headers={"x-session": self.session},
            )
        except httpx.TimeoutException:
            raise TimeoutError(method) from None
        except httpx.TransportError as exc:
            raise ConnectionError(type(exc).__name__) from None
        if response.status_code in (420, 429):
            seconds = int(float(response.headers.get("retry-after") or 5))
            raise RpcFault(420, f"FLOOD_WAIT_{seconds}", seconds)
        if response.status_code >= 500:
            raise RpcFault(500, "RPC_CALL_FAIL")
        try:
            body = response.json()
        except ValueError:
            raise ConnectionError("the answer could not be read") from None
        if not isinstance(body, dict):
            raise ConnectionError("the answer could not be read")
        if "rpc_error" in body:
            error = body["rpc_error"]
            raise RpcFault(int(error["code"]), str(error["message"]))
        if not isinstance(body.get("result"), dict):
            raise ConnectionError("the answer could not be read")
        result: dict[str, Any] = body["result"]
        return result

    def close(self) -> None:
        self.closed = True
        self.client.close()
