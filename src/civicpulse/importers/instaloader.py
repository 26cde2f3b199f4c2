"""instaloader's per-post metadata JSON (``.json`` and ``.json.xz``), one file or a directory of them.

Format (instaloader, ``structures.save_structure_to_file``): ``{"node": {...}, "instaloader":
{"version", "node_type"}}``, pretty-printed as ``.json`` or compact and LZMA-compressed as
``.json.xz``. A ``Post`` node is Instagram's GraphQL media object: ``shortcode``,
``taken_at_timestamp``, ``edge_media_preview_like.count``, ``edge_media_to_comment.count``,
``edge_media_to_caption.edges[0].node.text``, ``owner.username``, ``is_video``,
``video_view_count``. Newer instaloader versions and the iPhone API write ``code``, ``taken_at``,
``like_count``, ``comment_count``, ``caption.text``, ``user.username``, ``media_type`` and
``view_count``/``play_count``; both shapes are read. ``--comments`` adds
``<post>_comments.json``: a list of ``{id, created_at, text, owner, likes_count, answers}``.

Mapping (platform ``instagram``): post id = the shortcode (the ``/p/<shortcode>/`` of its link,
which the Graph API's ``permalink`` carries too); account = ``owner.username`` in lower case
(``--account`` when the node lacks it); views only for videos; reposts 0 (Instagram shows no
share count). Comments become ``comment`` posts whose ``reply_to`` is the post's shortcode (or,
for answers, the comment's id). Profile, story and hashtag files are skipped: they carry no
observation time, so no follower snapshot can be dated.
"""

from __future__ import annotations

import datetime as dt
import lzma
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import orjson
from pydantic import ValidationError

from civicpulse.errors import Problem
from civicpulse.importers.base import Item, Progress, problems_of
from civicpulse.records.models import PostRecord

PLATFORM: Final = "instagram"
XZ_MAGIC: Final = b"\xfd7zXZ\x00"
COMMENTS_SUFFIX: Final = "_comments.json"


class _Bad(Exception):
    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason


def _is_metadata(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".json", ".json.xz"))


def _stem(path: Path) -> Path:
    """The post's file name without ``.json``, ``.json.xz`` or ``_comments.json``."""
    name = path.name
    for suffix in (COMMENTS_SUFFIX, ".json.xz", ".json"):
        if name.lower().endswith(suffix):
            return path.with_name(name[: -len(suffix)])
    return path


class InstaloaderImporter:
    """instaloader metadata files; a directory is read whole (recursively, in name order) as one batch."""

    name = "instaloader"

    def __init__(self, account: str | None = None) -> None:
        self.account = account.strip().lstrip("@").lower() if account else None

    def detect(self, path: Path, head: bytes) -> bool:
        if path.is_dir():
            return any(_is_metadata(p) and self.detect(p, _head(p)) for p in path.rglob("*") if p.is_file())
        name = path.name.lower()
        if name.endswith(".json.xz"):
            if not head.startswith(XZ_MAGIC):
                return False
            try:
                text = lzma.LZMADecompressor().decompress(head, max_length=4096)
            except lzma.LZMAError:
                return False
            return text.lstrip().startswith(b'{"node"') or b'"instaloader"' in text
        if name.endswith(COMMENTS_SUFFIX):
            return head.lstrip().startswith(b"[") and b'"created_at"' in head
        if name.endswith(".json"):
            return head.lstrip().startswith(b"{") and b'"instaloader"' in head and b'"node_type"' in head
        return False

    def items(self, path: Path, progress: Progress | None = None) -> Iterator[Item]:
        files = sorted(p for p in path.rglob("*") if p.is_file() and _is_metadata(p)) if path.is_dir() else [path]
        posts: dict[Path, tuple[str, str]] = {}  # post file stem -> (shortcode, account), for its comments
        for number, file in enumerate(files, start=1):
            if progress is not None:
                progress(file.stat().st_size)
            if file.name.lower().endswith(COMMENTS_SUFFIX):
                yield from self._comments(file, number, posts)
            else:
                yield from self._post(file, number, posts)

    def _load(self, file: Path, number: int) -> tuple[Any, str] | Item:
        """The parsed document and its text, or an item with the problem."""
        try:
            if file.name.lower().endswith(".xz"):
                with lzma.open(file) as stream:
                    data = stream.read()
            else:
                data = file.read_bytes()
        except (lzma.LZMAError, EOFError) as exc:
            reason = f"cannot decompress ({exc or 'the file ends early'}): truncated or not xz"
            return Item(number, None, problems=[Problem(str(file), "(file)", reason)])
        try:
            return orjson.loads(data), data.decode("utf-8")
        except orjson.JSONDecodeError as exc:
            where = f"{file}:{exc.lineno}"
            return Item(number, None, problems=[Problem(where, "(file)", f"invalid JSON: {exc.msg}")])

    def _post(self, file: Path, number: int, posts: dict[Path, tuple[str, str]]) -> Iterator[Item]:
        loaded = self._load(file, number)
        if isinstance(loaded, Item):
            yield loaded
            return
        document, text = loaded
        try:
            data = post_fields(document, self.account)
        except _Bad as bad:
            yield Item(number, text, problems=[Problem(str(file), bad.field, bad.reason)])
            return
        if data is None:
            return
        try:
            record = PostRecord.model_validate(data)
        except ValidationError as exc:
            yield Item(number, text, problems=problems_of(exc, str(file)))
            return
        posts[_stem(file)] = (str(record.id), str(record.account))
        yield Item(number, None, record=record, keep=text)

    def _post_key(self, file: Path) -> tuple[str, str] | None:
        """(shortcode, account) of a post file, when it reads as a post."""
        for item in self._post(file, 0, {}):
            if isinstance(item.record, PostRecord):
                return str(item.record.id), str(item.record.account)
        return None

    def _comments(self, file: Path, number: int, posts: dict[Path, tuple[str, str]]) -> Iterator[Item]:
        stem = _stem(file)
        post = posts.get(stem) or self._sibling_post(stem)
        if post is None:
            reason = f"no post metadata beside it ({stem.name}.json or {stem.name}.json.xz), so its post is unknown"
            yield Item(number, None, problems=[Problem(str(file), "(file)", reason)])
            return
        loaded = self._load(file, number)
        if isinstance(loaded, Item):
            yield loaded
            return
        document, _ = loaded
        if not isinstance(document, list):
            yield Item(number, None, problems=[Problem(str(file), "(document)", "expected a list of comments")])
            return
        shortcode, account = post
        for index, comment in enumerate(document):
            yield from _comment_items(file, number, comment, f"[{index}]", shortcode, account, top=True)

    def _sibling_post(self, stem: Path) -> tuple[str, str] | None:
        for suffix in (".json", ".json.xz"):
            candidate = stem.with_name(stem.name + suffix)
            if candidate.is_file():
                return self._post_key(candidate)
        return None


def post_fields(document: object, account: str | None) -> dict[str, Any] | None:
    """Canonical post fields of an instaloader document; None when it is not a post (profile, story...)."""
    if not isinstance(document, dict):
        raise _Bad("(document)", "expected a JSON object")
    meta = document.get("instaloader")
    if meta is None and "node" not in document and ("shortcode" in document or "code" in document):
        node: Any = document  # instaloader 3 saved the bare node
        prefix = ""
    else:
        if not isinstance(meta, dict) or not isinstance(document.get("node"), dict):
            raise _Bad("instaloader", "not an instaloader structure (expected 'node' and 'instaloader' objects)")
        if meta.get("node_type") != "Post":
            return None
        node = document["node"]
        prefix = "node."
    shortcode = node.get("shortcode", node.get("code"))
    if not isinstance(shortcode, str) or not shortcode:
        raise _Bad(f"{prefix}shortcode", "missing" if shortcode is None else f"expected a string, got {shortcode!r}")
    taken_at = _first(node, prefix, ("taken_at_timestamp",), ("date",), ("taken_at",))
    if taken_at is None:
        raise _Bad(f"{prefix}taken_at_timestamp", "missing")
    if isinstance(taken_at[1], bool) or not isinstance(taken_at[1], int | float):
        raise _Bad(taken_at[0], f"expected epoch seconds, got {taken_at[1]!r}")
    owner = _owner(node, prefix) or account
    if owner is None:
        raise _Bad(f"{prefix}owner.username", "missing (give --account for files without it)")
    is_video = _is_video(node)
    return {
        "record": "post",
        "platform": PLATFORM,
        "id": shortcode,
        "account": owner,
        "published_at": _utc(taken_at[0], taken_at[1]),
        "text": _caption(node, prefix),
        "likes": _required_count(
            node, prefix, ("edge_media_preview_like", "count"), ("edge_liked_by", "count"), ("like_count",)
        ),
        "comments": _required_count(
            node,
            prefix,
            ("edge_media_to_comment", "count"),
            ("edge_media_to_parent_comment", "count"),
            ("comment_count",),
        ),
        "reposts": 0,
        "views": _views(node, prefix) if is_video else None,
        "url": f"https://www.instagram.com/p/{shortcode}/",
        "media": "video" if is_video else "photo",
    }


def _first(node: dict[str, Any], prefix: str, *paths: tuple[str, ...]) -> tuple[str, Any] | None:
    """The first of ``paths`` present in ``node``: (its dotted name, its value)."""
    for path in paths:
        value: Any = node
        for key in path:
            if not isinstance(value, dict) or key not in value:
                break
            value = value[key]
        else:
            if value is not None:
                return prefix + ".".join(path), value
    return None


def _required_count(node: dict[str, Any], prefix: str, *paths: tuple[str, ...]) -> int:
    found = _first(node, prefix, *paths)
    if found is None:
        raise _Bad(prefix + ".".join(paths[0]), "missing")
    return _as_count(*found)


def _as_count(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Bad(field, f"expected a count, got {value!r}")
    return value


def _views(node: dict[str, Any], prefix: str) -> int | None:
    found = _first(node, prefix, ("video_view_count",), ("view_count",), ("play_count",), ("video_play_count",))
    return None if found is None else _as_count(*found)


def _is_video(node: dict[str, Any]) -> bool:
    if isinstance(node.get("is_video"), bool):
        return bool(node["is_video"])
    return node.get("media_type") == 2 or node.get("__typename") == "GraphVideo"


def _owner(node: dict[str, Any], prefix: str) -> str | None:
    found = _first(node, prefix, ("owner", "username"), ("user", "username"))
    if found is None:
        return None
    if not isinstance(found[1], str) or not found[1].strip():
        raise _Bad(found[0], f"expected a user name, got {found[1]!r}")
    return found[1].strip().lower()


def _caption(node: dict[str, Any], prefix: str) -> str:
    edges = node.get("edge_media_to_caption", {})
    if isinstance(edges, dict) and isinstance(edges.get("edges"), list) and edges["edges"]:
        text = _first(edges["edges"][0], f"{prefix}edge_media_to_caption.edges[0].", ("node", "text"))
        if text is not None:
            return _string(*text)
    caption = node.get("caption")
    if isinstance(caption, dict):
        caption = caption.get("text")
    if caption is None:
        return ""
    return _string(f"{prefix}caption", caption)


def _string(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise _Bad(field, f"expected text, got {value!r:.60}")
    return value


def _utc(field: str, seconds: float) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise _Bad(field, f"out of range: {seconds!r}") from exc


def _comment_items(
    file: Path, number: int, comment: object, path: str, parent: str, account: str, top: bool
) -> Iterator[Item]:
    """A comment (and, for a top-level one, its answers) as ``comment`` posts."""
    raw = orjson.dumps(comment).decode()
    try:
        data, answers = _comment_fields(comment, path, parent, account, top)
    except _Bad as bad:
        yield Item(number, raw, problems=[Problem(str(file), bad.field, bad.reason)])
        return
    try:
        record = PostRecord.model_validate(data)
    except ValidationError as exc:
        yield Item(number, raw, problems=problems_of(exc, f"{file} {path}"))
        return
    yield Item(number, None, record=record, keep=raw)
    for index, answer in enumerate(answers):
        yield from _comment_items(file, number, answer, f"{path}.answers[{index}]", str(record.id), account, top=False)


def _comment_fields(
    comment: object, path: str, parent: str, account: str, top: bool
) -> tuple[dict[str, Any], list[Any]]:
    if not isinstance(comment, dict):
        raise _Bad(path, "expected a comment object")
    comment_id = comment.get("id")
    if isinstance(comment_id, bool) or not isinstance(comment_id, int | str) or comment_id == "":
        raise _Bad(f"{path}.id", "missing" if comment_id is None else f"expected an id, got {comment_id!r}")
    created = comment.get("created_at")
    if isinstance(created, bool) or not isinstance(created, int | float):
        raise _Bad(f"{path}.created_at", "missing" if created is None else f"expected epoch seconds, got {created!r}")
    answers = comment.get("answers", []) if top else []
    if not isinstance(answers, list):
        raise _Bad(f"{path}.answers", "expected a list")
    owner = comment.get("owner")
    author = None
    if isinstance(owner, dict):
        name = owner.get("username") or owner.get("id")
        author = str(name).lower() if name is not None else None
    likes = comment.get("likes_count", 0)
    return {
        "record": "post",
        "platform": PLATFORM,
        "id": str(comment_id),
        "account": account,
        "author": author,
        "published_at": _utc(f"{path}.created_at", created),
        "text": _string(f"{path}.text", comment.get("text", "")),
        "likes": _as_count(f"{path}.likes_count", likes if likes is not None else 0),
        "comments": len(answers),
        "reposts": 0,
        "reply_to": parent,
        "kind": "comment",
    }, answers


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(4096)
