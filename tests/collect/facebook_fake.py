"""A fake Facebook Graph API over a generated world, answering in the documented format.

Every object is built from the fixtures in ``tests/cases/facebook/graph_*.json`` (written from
the reference): a post is the fixture's post with the world's values written over it. It
implements what the connector uses: ``/{page}`` (``followers_count``, ``fan_count``),
``/{page}/feed`` (newest first, ``limit``, cursor ``after``, ``paging.next`` carrying the
``access_token`` as Graph API writes it, the reaction/comment/share summaries and per-type
aliases), ``/{post}/comments`` (``filter=stream``: replies with ``parent``; ``from`` missing for
some), the token in ``Authorization: Bearer``, error envelopes (100/33 for a page that cannot be
seen or a post deleted meanwhile, 10 for a missing permission) and ``X-App-Usage`` headers.
``drift`` rewrites every answer into an older or newer shape.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.vk_fake import Truth

CASES = Path(__file__).resolve().parents[1] / "cases" / "facebook"
TOKEN = "EAAGTEST-SECRET-PAGE-TOKEN-5c2e8a1f90b7d43"
DRIFTS = ("missing_optional", "counts_as_strings", "bools_as_ints", "legacy_shapes", "newer_shapes")
REACTIONS = ("like", "love", "care", "wow", "haha", "sad", "angry")
DAY = 86_400


def case(name: str, folder: Path = CASES) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def graph_error(
    name: str, status: int = 400, message: str | None = None, folder: Path = CASES, **headers: str
) -> Reply:
    body = case(f"graph_error_{name}.json", folder)
    if message is not None:
        body["error"]["message"] = message
    return json_reply(body, status=status, **headers)


def fb_time(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def usage_headers(percent: int) -> dict[str, str]:
    return {"X-App-Usage": json.dumps({"call_count": percent, "total_cputime": 1, "total_time": 2})}


@dataclass
class Comment:
    id: str
    author: str | None
    date: int
    text: str
    likes: int
    photo: bool = False
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Post:
    id: str
    author: str
    date: int
    text: str
    reactions: dict[str, int]
    shares: int
    media: str
    comments: list[Comment] = field(default_factory=list)
    deleted_later: bool = False
    """Listed in the feed, but gone when its comments are asked (a note, not a failure)."""

    def comment_count(self) -> int:
        return sum(1 + len(c.replies) for c in self.comments)


@dataclass
class FbPage:
    id: str
    username: str
    followers: int
    fans: int
    posts: list[Post] = field(default_factory=list)
    hidden: bool = False
    """The page cannot be seen with this token (100/33 on every request)."""
    feed_forbidden: bool = False


@dataclass
class FacebookWorld:
    now: int
    pages: dict[str, FbPage] = field(default_factory=dict)
    """By username (the registry's id)."""

    @classmethod
    def generate(cls, now: int, *, seed: int = 5, sizes: tuple[int, ...] = (25, 60, 110)) -> FacebookWorld:
        rng = random.Random(seed)
        world = cls(now)
        numbers = iter(range(1, 10**7))
        people = [f"615500000{i:05d}" for i in range(60)]

        def page(username: str, **extra: Any) -> FbPage:
            made = FbPage(f"1000640000{next(numbers):05d}", username, rng.randint(100, 90000), 0, **extra)
            made.fans = made.followers - rng.randint(0, 90)
            world.pages[username] = made
            return made

        def comments(owner: FbPage, post: Post, n: int) -> None:
            number = post.id.split("_")[1]
            for _ in range(n):
                author = rng.choice([*people, owner.id, None])
                top = Comment(f"{number}_{next(numbers)}", author, post.date + rng.randint(60, DAY), _text(rng), 0)
                top.likes, top.photo = rng.randint(0, 30), rng.random() < 0.1
                for _ in range(rng.choice([0, 0, 0, 1, 2, 5])):
                    reply = Comment(f"{number}_{next(numbers)}", rng.choice([*people, owner.id]), top.date + 60, "", 0)
                    reply.text, reply.likes = _text(rng), rng.randint(0, 5)
                    top.replies.append(reply)
                post.comments.append(top)

        def feed(owner: FbPage, n: int) -> None:
            dates = sorted((now - rng.randint(3600, 20 * DAY) for _ in range(n)), reverse=True)
            for date in dates:
                visitor = rng.random() < 0.1
                post = Post(
                    f"{owner.id}_{next(numbers)}",
                    rng.choice(people) if visitor else owner.id,
                    date,
                    _text(rng),
                    {kind: rng.choice([0, 0, 1, 3, 20]) for kind in REACTIONS},
                    rng.choice([0, 0, 1, 5]),
                    rng.choice(["photo", "video", "share", "text"]),
                )
                comments(owner, post, rng.choice([0, 0, 1, 3, 8]))
                post.deleted_later = bool(post.comments) and rng.random() < 0.05
                owner.posts.append(post)

        for number, size in enumerate(sizes):
            feed(page(f"akimat.{number}"), size)
        comments(world.pages["akimat.0"], world.pages["akimat.0"].posts[0], 110)  # two comment pages
        world.pages["akimat.0"].posts[0].deleted_later = False
        legacy = page("edu.district")
        feed(legacy, 7)
        page("closed.page", hidden=True)
        locked = page("locked.page", feed_forbidden=True)
        feed(locked, 3)
        return world

    def registry_yaml(self) -> str:
        lines = ["timezone: Asia/Almaty", "entities:", "  - {id: kz, kind: country, name: {ru: Казахстан}}"]
        lines.append("  - {id: r-east, kind: region, parent: kz, name: {ru: Восток}}")
        lines.append("accounts:")
        for username in self.pages:
            lines.append(f'  - {{platform: facebook, id: "{username}", entity: r-east, role: official}}')
        return "\n".join(lines) + "\n"

    def page_of(self, path_head: str) -> FbPage | None:
        """The page a path starts with: its username, its id, or a post or comment id under it."""
        if path_head in self.pages:
            return self.pages[path_head]
        for page in self.pages.values():
            if path_head == page.id or path_head.startswith(page.id + "_"):
                return page
        return None

    def truth(self, *, legacy: bool = False) -> Truth:
        truth = Truth()
        for username, page in self.pages.items():
            if page.hidden:
                continue
            truth.snapshots[username] = (page.fans if legacy else page.followers, None)
            if page.feed_forbidden:
                continue
            for post in page.posts:
                truth.posts[post.id] = {
                    "account": username,
                    "author": username if post.author == page.id else post.author,
                    "published_at": post.date,
                    "text": post.text,
                    "likes": sum(post.reactions.values()),
                    "comments": post.comment_count(),
                    "reposts": post.shares,
                    "views": None,
                    "reply_to": None,
                    "repost_of": None,
                    "media": {"share": "link"}.get(post.media, post.media),
                    "kind": "post",
                }
                if post.deleted_later:
                    continue
                for top in post.comments:
                    truth.posts[top.id] = _comment_truth(top, page, username, post.id, len(top.replies))
                    for reply in top.replies:
                        truth.posts[reply.id] = _comment_truth(reply, page, username, top.id, 0)
        return truth


def _comment_truth(comment: Comment, page: FbPage, account: str, reply_to: str, replies: int) -> dict[str, Any]:
    return {
        "account": account,
        "author": account if comment.author == page.id else comment.author,
        "published_at": comment.date,
        "text": comment.text,
        "likes": comment.likes,
        "comments": replies,
        "reposts": 0,
        "views": None,
        "reply_to": reply_to,
        "repost_of": None,
        "media": "photo" if comment.photo else "text",
        "kind": "comment",
    }


_WORDS = ("дорога", "школа", "аким", "ремонт", "рахмет", "жол", "<b>важно</b>", "=1+2", "'; DROP TABLE posts;--", "😀")


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 10)))


# -- the API -------------------------------------------------------------------------------

ATTACHMENTS = {
    "photo": {"media_type": "photo", "type": "photo"},
    "video": {"media_type": "video", "type": "video_inline"},
    "share": {"media_type": "link", "type": "share"},
}


class FacebookFake:
    """The request handler: ``FakeServer(FacebookFake(world))``."""

    def __init__(self, world: FacebookWorld, *, drift: str | None = None, token: str = TOKEN) -> None:
        self.world = world
        self.drift = drift
        self.token = token
        self.post_template = case("graph_feed.json")["data"][0]
        self.legacy_template = case("graph_feed_legacy.json")["data"][0]
        self.comment_template = case("graph_comments.json")["data"][0]
        self.calls = 0

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.token}" or "access_token" in request.query:
            return graph_error("190_463")
        self.calls += 1
        parts = request.path.strip("/").split("/")[1:]  # drop the version
        page = self.world.page_of(parts[0]) if parts else None
        if page is None or page.hidden:
            return graph_error("100_33")
        if len(parts) == 1:
            body: Any = self.page(page)
        elif parts[1] in ("feed", "posts"):
            if page.feed_forbidden:
                return graph_error("10", status=403)
            body = self.feed(page, request)
        elif parts[1] == "comments":
            post = next((p for p in page.posts if p.id == parts[0]), None)
            if post is None or post.deleted_later:
                return graph_error("100_33", message=f"Unsupported get request. Object with ID '{parts[0]}' ...")
            body = self.comments(page, post, request)
        else:
            return graph_error("100_33")
        # usage climbs with the calls; every 25th answer says the app is near its limit
        return json_reply(apply_drift(body, self.drift), **usage_headers(95 if self.calls % 25 == 0 else 12))

    def page(self, page: FbPage) -> dict[str, Any]:
        obj = copy.deepcopy(case("graph_page.json"))
        obj.update(id=page.id, username=page.username, link=f"https://www.facebook.com/{page.username}")
        obj.update(followers_count=page.followers, fan_count=page.fans)
        if self.drift == "legacy_shapes":
            obj.pop("followers_count")
        return obj

    def next_link(self, path: str, after: str) -> str:
        return f"https://graph.facebook.com/v25.0/{path}?access_token={quote(self.token)}&limit=25&after={after}"

    def feed(self, page: FbPage, request: Request) -> dict[str, Any]:
        offset = int(request.query.get("after", "o0")[1:])
        size = min(int(request.query.get("limit", 25)), 100)
        chunk = page.posts[offset : offset + size]
        body: dict[str, Any] = {"data": [self.post(page, p) for p in chunk]}
        paging: dict[str, Any] = {"cursors": {"before": f"o{offset}", "after": f"o{offset + len(chunk)}"}}
        if offset + size < len(page.posts):
            paging["next"] = self.next_link(f"{page.id}/feed", f"o{offset + size}")
        body["paging"] = paging
        return body

    def post(self, page: FbPage, post: Post) -> dict[str, Any]:
        if self.drift == "legacy_shapes":
            obj = copy.deepcopy(self.legacy_template)
            obj["likes"]["summary"]["total_count"] = sum(post.reactions.values())
        else:
            obj = copy.deepcopy(self.post_template)
            obj["reactions"]["summary"]["total_count"] = sum(post.reactions.values())
            for kind, count in post.reactions.items():
                obj[kind]["summary"]["total_count"] = count
            obj["permalink_url"] = f"https://www.facebook.com/{page.id}/posts/{post.id.split('_')[1]}/"
        obj.update(id=post.id, created_time=fb_time(post.date), message=post.text)
        obj["from"] = {"id": post.author, "name": page.username if post.author == page.id else "Гость"}
        obj["comments"]["summary"]["total_count"] = post.comment_count()
        obj["shares"] = {"count": post.shares}
        if not post.shares:
            obj.pop("shares")  # Graph API leaves shares out when nobody shared
        obj.pop("attachments", None)
        if post.media in ATTACHMENTS and self.drift != "legacy_shapes":
            obj["attachments"] = {"data": [ATTACHMENTS[post.media]]}
        elif post.media in ATTACHMENTS:
            obj["attachments"] = {"data": [{"type": ATTACHMENTS[post.media]["type"]}]}
        return obj

    def comments(self, page: FbPage, post: Post, request: Request) -> dict[str, Any]:
        flat: list[tuple[Comment, Comment | None]] = []  # (comment, parent) in stream order
        for top in post.comments:
            flat.append((top, None))
            flat += [(reply, top) for reply in top.replies]
        offset = int(request.query.get("after", "o0")[1:])
        size = min(int(request.query.get("limit", 25)), 100)
        chunk = flat[offset : offset + size]
        body: dict[str, Any] = {"data": [self.comment(page, post, c, parent) for c, parent in chunk]}
        paging: dict[str, Any] = {"cursors": {"before": f"o{offset}", "after": f"o{offset + len(chunk)}"}}
        if offset + size < len(flat):
            paging["next"] = self.next_link(f"{post.id}/comments", f"o{offset + size}")
        body["paging"] = paging
        return body

    def comment(self, page: FbPage, post: Post, comment: Comment, parent: Comment | None) -> dict[str, Any]:
        obj = copy.deepcopy(self.comment_template)
        number = post.id.split("_")[1]
        link = f"https://www.facebook.com/{page.id}/posts/{number}/?comment_id="
        if parent is None:
            link += comment.id.split("_")[1]
        else:
            link += f"{parent.id.split('_')[1]}&reply_comment_id={comment.id.split('_')[1]}"
            obj["parent"] = {"id": parent.id}
        obj.update(id=comment.id, message=comment.text, created_time=fb_time(comment.date), permalink_url=link)
        obj.update(like_count=comment.likes, comment_count=len(comment.replies))
        obj["from"] = {"id": comment.author, "name": "x"}
        if comment.author is None:
            obj.pop("from")
        if comment.photo:
            obj["attachment"] = {"media_type": "photo", "type": "photo"}
        if self.drift == "legacy_shapes":  # older answers: ids and parents only in the permalink
            obj.pop("id")
            obj.pop("parent", None)
        return obj


# -- schema drift ----------------------------------------------------------------------------

OPTIONAL = {"permalink_url", "status_type", "name", "username", "link", "can_comment", "order", "viewer_reaction"}
OPTIONAL |= {"before", *REACTIONS}


def apply_drift(body: Any, drift: str | None) -> Any:
    """The body rewritten as an older or newer API would send it (same content)."""
    if drift is None or drift == "legacy_shapes":
        return body
    return _walk(body, drift, None)


def _walk(value: Any, drift: str, key: str | None) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if drift == "missing_optional" and k in OPTIONAL and k != "id":
                continue
            out[k] = _walk(v, drift, k)
        if drift == "newer_shapes" and out:
            out["added_in_a_later_version"] = {"enabled": True, "data": []}
        return out
    if isinstance(value, list):
        return [_walk(v, drift, key) for v in value]
    if drift == "bools_as_ints" and isinstance(value, bool):
        return int(value)
    if drift == "counts_as_strings" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value
