"""A generated Telegram world and a fake of its ``t.me/s`` preview (MTProto: telegram_mtproto_fake.py).

**Web**: ``GET /s/<channel>[?before=<id>]`` answers a preview page in the markup of the real one
(the class names of ``tests/cases/telegram/tme_s_preview.html``): 20 widgets per page, oldest
first, an album as one widget, counts shown rounded (``2.5K``), ``data-before`` to page back. A
private or unknown channel redirects to ``/<channel>`` as t.me does.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.collect.fakeserver import Reply, Request
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
