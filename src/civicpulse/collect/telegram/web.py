"""The public web preview of a channel (``https://t.me/s/<channel>``), read from its HTML: pure.

The page has the channel's header (``tgme_channel_info``: title, ``@username``, counters such as
``<span class="counter_value">10K</span> <span class="counter_type">subscribers</span>``), then
about twenty message widgets, oldest first: ``div.tgme_widget_message[data-post="<channel>/<id>"]``
with the text (``tgme_widget_message_text``), the views (``tgme_widget_message_views``, shown
rounded: ``2.5K``), the time (``tgme_widget_message_date > time[datetime]``), the source of a
forward (``tgme_widget_message_forwarded_from_name``), reactions (``span.tgme_reaction``: an emoji
and a count), media (photo, video, document, poll, link preview...) and, for an album, a
``tgme_widget_message_grouped_wrap`` whose parts link to ``<channel>/<id>?single``. The link to
older messages is ``a.tme_messages_more[data-before=<id>]``.

The page is parsed with the standard library's ``html.parser`` into a small tree; nothing here
executes or trusts the page's markup beyond reading text and a few attributes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Final

from civicpulse.collect.telegram.types import shown_count

VOID: Final = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# widget classes -> canonical media type, most specific first
MEDIA_CLASSES: Final = (
    ("tgme_widget_message_photo_wrap", "photo"),
    ("tgme_widget_message_video_player", "video"),
    ("tgme_widget_message_roundvideo_player", "video"),
    ("tgme_widget_message_voice_player", "audio"),
    ("tgme_widget_message_audio_player", "audio"),
    ("tgme_widget_message_document_wrap", "document"),
    ("tgme_widget_message_poll", "poll"),
    ("tgme_widget_message_sticker_wrap", "other"),
    ("tgme_widget_message_location_wrap", "other"),
    ("tgme_widget_message_link_preview", "link"),
    ("message_media_not_supported", "other"),
)
_POST_LINK = re.compile(r"t\.me/(?:s/)?([A-Za-z0-9_]+)/(\d+)")


@dataclass
class Node:
    """An element: tag, attributes, and children (elements and text)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    classes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.classes = frozenset(self.attrs.get("class", "").split())  # asked for many times per node

    def find_all(self, cls: str, *, skip: frozenset[str] = frozenset()) -> Iterator[Node]:
        """Descendants that have class ``cls``, not looking inside elements with a class in ``skip``."""
        for child in self.children:
            if isinstance(child, Node):
                classes = child.classes
                if cls in classes:
                    yield child
                if not classes & skip:
                    yield from child.find_all(cls, skip=skip)

    def find(self, cls: str, *, skip: frozenset[str] = frozenset()) -> Node | None:
        return next(self.find_all(cls, skip=skip), None)

    def tags(self, tag: str) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    yield child
                yield from child.tags(tag)

    def subtree_classes(self, *, skip: frozenset[str] = frozenset()) -> set[str]:
        """Every class used below this element, not looking inside elements with a class in ``skip``."""
        found: set[str] = set()
        for child in self.children:
            if isinstance(child, Node):
                found |= child.classes
                if not child.classes & skip:
                    found |= child.subtree_classes(skip=skip)
        return found

    def text(self) -> str:
        """Visible text: ``<br>`` as a newline, everything else concatenated."""
        parts: list[str] = []
        self._text(parts)
        return "".join(parts)

    def _text(self, parts: list[str]) -> None:
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            elif child.tag not in ("script", "style"):
                child._text(parts)

    def own_text(self) -> str:
        """The text directly inside this element (not in its child elements)."""
        return "".join(c for c in self.children if isinstance(c, str))


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # close up to the matching open element; a stray end tag is ignored
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    """The page as a tree (lenient: unclosed elements end with their parent)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


@dataclass(frozen=True)
class WebMessage:
    """One message widget (an album counts once, under its first part's id)."""

    channel: str
    id: int
    published_at: dt.datetime | None
    text: str
    views: int | None
    reactions: dict[str, int]
    forwarded_from: str | None
    """The source as ``<channel>/<post>`` when the widget links to it, else its shown name."""
    forwarded: bool
    media: str
    parts: tuple[int, ...]
    """The message ids of an album's parts (the widget's own id alone otherwise)."""
    service: bool


@dataclass(frozen=True)
class PreviewPage:
    """What one ``t.me/s/<channel>`` page says."""

    username: str | None
    title: str | None
    subscribers: int | None
    messages: list[WebMessage]
    before: int | None
    """The id to ask ``?before=`` for older messages; None when the page links to none."""
    problems: list[str]


def is_preview(html: str) -> bool:
    """Whether a page is a channel preview (and not an error page or the t.me landing page)."""
    return "tgme_channel_history" in html or "tgme_channel_info" in html


def parse_preview(html: str) -> PreviewPage:
    """Read a preview page; a widget that cannot be read becomes a problem line, the rest is kept."""
    root = parse_html(html)
    info = root.find("tgme_channel_info")
    username = title = None
    subscribers = None
    if info is not None:
        name = info.find("tgme_channel_info_header_username")
        username = name.text().strip().lstrip("@") or None if name else None
        head = info.find("tgme_channel_info_header_title")
        title = head.text().strip() or None if head else None
        for counter in info.find_all("tgme_channel_info_counter"):
            kind, value = counter.find("counter_type"), counter.find("counter_value")
            if kind and value and kind.text().strip().lower().startswith(("subscriber", "member")):
                subscribers = shown_count(value.text())
    if subscribers is None:
        header = root.find("tgme_header_counter")
        if header is not None and re.search(r"subscriber|member", header.text(), re.IGNORECASE):
            subscribers = shown_count(re.sub(r"[^\d.,KMBkmb\s\u00a0]", "", header.text()))
    messages, problems = [], []
    for widget in root.find_all("tgme_widget_message"):
        post = widget.attrs.get("data-post", "")
        try:
            messages.append(_message(widget, post))
        except ValueError as exc:
            problems.append(f"message {post or '?'}: {exc}")
    more = root.find("tme_messages_more")
    before = None
    if more is not None and more.attrs.get("data-before", "").isdigit():
        before = int(more.attrs["data-before"])
    return PreviewPage(username, title, subscribers, messages, before, problems)


def _message(widget: Node, post: str) -> WebMessage:
    channel, _, number = post.rpartition("/")
    if not channel or not number.isdigit():
        raise ValueError(f"data-post: expected <channel>/<id>, got {post!r}")
    message_id = int(number)
    text_node = widget.find("tgme_widget_message_text", skip=frozenset({"tgme_widget_message_reply"}))
    views_node = widget.find("tgme_widget_message_views")
    published_at = None
    date = widget.find("tgme_widget_message_date")
    for time in date.tags("time") if date else ():
        published_at = _time(time.attrs.get("datetime", ""))
    reactions: dict[str, int] = {}
    for reaction in widget.find_all("tgme_reaction"):
        count = shown_count(reaction.own_text())
        if count is None:
            continue
        emoji = next((b.text() for b in reaction.tags("b")), "") or (
            "paid" if "tgme_reaction_paid" in reaction.classes else "?"
        )
        reactions[emoji] = reactions.get(emoji, 0) + count
    forward = widget.find("tgme_widget_message_forwarded_from")
    source = None
    if forward is not None:
        name = forward.find("tgme_widget_message_forwarded_from_name")
        link = _POST_LINK.search(name.attrs.get("href", "")) if name is not None else None
        if link:
            source = f"{link.group(1)}/{link.group(2)}"
        elif name is not None:
            source = name.text().strip() or None
    parts = [message_id]
    grouped = widget.find("tgme_widget_message_grouped_wrap")
    if grouped is not None:
        for anchor in grouped.tags("a"):
            link = _POST_LINK.search(anchor.attrs.get("href", ""))
            if link and int(link.group(2)) not in parts:
                parts.append(int(link.group(2)))
    return WebMessage(
        channel=channel,
        id=message_id,
        published_at=published_at,
        text=text_node.text().strip() if text_node else "",
        views=shown_count(views_node.text()) if views_node else None,
        reactions=reactions,
        forwarded_from=source,
        forwarded=forward is not None,
        media=_media(widget),
        parts=tuple(sorted(parts)),
        service="service_message" in widget.classes,
    )


def _media(widget: Node) -> str:
    present = widget.subtree_classes(skip=frozenset({"tgme_widget_message_reply"}))
    return next((kind for cls, kind in MEDIA_CLASSES if cls in present), "text")


def _time(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.astimezone(dt.UTC) if moment.tzinfo else None
