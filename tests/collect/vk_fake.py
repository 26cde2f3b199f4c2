"""A fake VK API over a generated world, answering in the documented 5.199 format.

Every object it sends is built from the fixtures in ``tests/cases/vk/`` (written from the API
documentation): a post is the fixture's post with the world's values written over it, so the
fake speaks exactly the format the parse tests check. It implements what the connector uses,
with VK's semantics: ``execute`` (up to 25 calls, ``false`` + ``execute_errors`` for a failed
call), ``groups.getById``, ``users.get``, ``wall.get`` (pinned first, then newest first,
``count`` ≤ 100), ``wall.getComments`` (threads with inline replies, ``comment_id``, deleted
comments), ``newsfeed.search`` (time window, ``start_from``/``next_from``, 1000-result cap) and
error envelopes with HTTP 200. ``drift`` rewrites every response into an older or newer shape.

The world is the ground truth: :meth:`VkWorld.truth` gives the canonical records a perfect
collection must end with.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.collect.fakeserver import Reply, Request, json_reply

CASES = Path(__file__).resolve().parents[1] / "cases" / "vk"
TOKEN = "vk1.a.TEST-SECRET-TOKEN-7f3a9c2e51b84d06a1"
DRIFTS = ("missing_optional", "bools_as_ints", "counts_as_strings", "legacy_shapes", "newer_shapes")
MESSAGES = {
    5: "User authorization failed: access_token has expired.",
    6: "Too many requests per second",
    9: "Flood control",
    10: "Internal server error",
    13: "Runtime error occurred during code invocation",
    15: "Access denied: this wall available only for community members",
    18: "User was deleted or banned",
    29: "Rate limit reached",
    100: "One of the parameters specified was missing or invalid",
    212: "Access to post comments denied",
}


def case(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


class ApiError(Exception):
    def __init__(self, code: int, method: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.method = method


def error_body(code: int, method: str = "execute", token: str | None = None) -> dict[str, Any]:
    """An error envelope like VK's; ``request_params`` echoes the request (the token too, when given)."""
    params = [{"key": "method", "value": method}, {"key": "oauth", "value": "1"}, {"key": "v", "value": "5.199"}]
    if token:
        params.append({"key": "access_token", "value": token})
    return {"error": {"error_code": code, "error_msg": MESSAGES.get(code, "Unknown error"), "request_params": params}}


@dataclass
class Comment:
    id: int
    from_id: int
    date: int
    text: str
    likes: int
    parent: int | None = None
    """For a reply: the comment it answers (the thread's root or another reply)."""
    deleted: bool = False
    replies: list[Comment] = field(default_factory=list)

    def visible_replies(self) -> list[Comment]:
        return [r for r in self.replies if not r.deleted]


@dataclass
class Post:
    owner_id: int
    id: int
    from_id: int
    date: int
    text: str
    likes: int
    reposts: int
    views: int
    media: str | None = None
    repost_of: tuple[int, int] | None = None
    pinned: bool = False
    comments_closed: bool = False
    comments: list[Comment] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.owner_id}_{self.id}"

    def visible_comments(self) -> list[tuple[Comment, Comment | None]]:
        """Every comment that is not deleted, with its thread root (None at the top level)."""
        out: list[tuple[Comment, Comment | None]] = []
        for top in self.comments:
            if not top.deleted:
                out.append((top, None))
            out += [(reply, top) for reply in top.visible_replies()]
        return out

    def top_level(self) -> list[Comment]:
        """Top-level comments as VK lists them: a deleted one stays while replies to it remain."""
        return [c for c in self.comments if not c.deleted or c.visible_replies()]


@dataclass
class Group:
    id: int
    name: str
    members: int
    posts: list[Post]
    is_closed: int = 0
    deactivated: str | None = None
    private_wall: bool = False


@dataclass
class User:
    id: int
    first_name: str
    last_name: str
    followers: int
    has_photo: bool = True
    deactivated: str | None = None
    last_seen: int = 0


@dataclass
class VkWorld:
    now: int
    groups: dict[int, Group] = field(default_factory=dict)
    """Walls by owner id: negative for communities, positive for a person's page."""
    users: dict[int, User] = field(default_factory=dict)
    mentions: dict[str, list[Post]] = field(default_factory=dict)
    entities: dict[str, list[str]] = field(default_factory=dict)
    """Entity id -> aliases (the mention targets)."""

    @classmethod
    def generate(
        cls,
        now: int,
        *,
        seed: int = 7,
        walls: tuple[int, ...] = (25, 60, 130),
        person_posts: int = 12,
        comments: int = 6,
        mention_posts: int = 40,
        big_alias: int = 250,
    ) -> VkWorld:
        """A world with communities of ``walls`` posts each, a person's page, a private and a deleted community."""
        rng = random.Random(seed)
        world = cls(now)
        next_user = iter(range(1000, 10**6))
        next_comment = iter(range(1, 10**7))
        day = 86_400

        def person() -> int:
            uid = next(next_user)
            deactivated = rng.choice([None] * 12 + ["deleted", "banned"])
            world.users[uid] = User(
                uid,
                f"Имя{uid}",
                f"Фамилия{uid}",
                rng.randint(0, 5000),
                rng.random() > 0.2,
                deactivated,
                now - rng.randint(0, 30 * day),
            )
            return uid

        crowd = [person() for _ in range(120)]

        def make_comments(post: Post, n: int) -> None:
            for _ in range(n):
                top = Comment(
                    next(next_comment),
                    rng.choice(crowd),
                    post.date + rng.randint(60, day),
                    _text(rng),
                    rng.randint(0, 20),
                    deleted=rng.random() < 0.07,
                )
                replies = rng.choice([0, 0, 0, 1, 2, 3, 12, 14]) if not top.deleted or rng.random() < 0.5 else 0
                for _ in range(replies):
                    parent = rng.choice([top.id] + [r.id for r in top.replies]) if top.replies else top.id
                    top.replies.append(
                        Comment(
                            next(next_comment),
                            rng.choice(crowd),
                            top.date + rng.randint(60, day),
                            _text(rng),
                            rng.randint(0, 5),
                            parent=parent,
                            deleted=rng.random() < 0.05,
                        )
                    )
                post.comments.append(top)

        def make_wall(owner: int, n: int, span_days: int = 20) -> list[Post]:
            posts = []
            dates = sorted((now - rng.randint(3600, span_days * day) for _ in range(n)), reverse=True)
            for i, date in enumerate(dates):
                post_id = 1000 + n - i
                repost = (-(rng.randint(50000, 60000)), rng.randint(1, 9999)) if rng.random() < 0.1 else None
                post = Post(
                    owner,
                    post_id,
                    owner,
                    date,
                    _text(rng),
                    rng.randint(0, 400),
                    rng.randint(0, 30),
                    rng.randint(100, 20000),
                    rng.choice([None, "photo", "video", "link", "poll"]),
                    repost,
                )
                make_comments(post, rng.choice([0, 0, 1, 2, comments, comments * 2]))
                post.comments_closed = rng.random() < 0.03
                if post.comments_closed:
                    post.comments = []
                posts.append(post)
            if posts:
                pinned = posts[len(posts) // 2]
                pinned.pinned = True
            return posts

        for index, size in enumerate(walls):
            owner = -(101 + index)
            world.groups[owner] = Group(
                -owner, f"Акимат №{index + 1}", rng.randint(1000, 90000), make_wall(owner, size)
            )
        big = world.groups[-101].posts[0] if world.groups else None
        if big is not None:  # one post with more than a page of top-level comments
            make_comments(big, 130)
        world.groups[777] = Group(777, "Аким (личная страница)", 0, make_wall(777, person_posts))
        world.users[777] = User(777, "Аким", "Личный", rng.randint(1000, 9000))
        world.groups[-201] = Group(201, "Закрытая группа", 311, make_wall(-201, 5), is_closed=1, private_wall=True)
        world.groups[-202] = Group(202, "DELETED", 0, [], deactivated="deleted")

        world.entities = {"r-north": ["Северная область", "Солтүстік облысы"], "r-south": ["Южная область"]}
        for entity, aliases in world.entities.items():
            for number, alias in enumerate(aliases):
                n = big_alias if (entity, number) == ("r-north", 0) else mention_posts
                found = []
                for i in range(n):
                    author = rng.choice(crowd) if rng.random() < 0.8 else -(30000 + rng.randint(0, 50))
                    found.append(
                        Post(
                            author,
                            500 + i + 1000 * number,
                            author,
                            now - rng.randint(600, 5 * day),
                            f"{_text(rng)} {alias}",
                            rng.randint(0, 50),
                            rng.randint(0, 5),
                            rng.randint(10, 900),
                            rng.choice([None, "photo", "link"]),
                        )
                    )
                world.mentions[alias] = sorted(found, key=lambda p: (p.date, p.id), reverse=True)
        # the same post found by two aliases (one collection pass observes it twice)
        shared = world.mentions["Северная область"][0]
        world.mentions["Солтүстік облысы"].insert(0, shared)
        return world

    # -- the registry and the ground truth --------------------------------------------------

    def registry_yaml(self) -> str:
        lines = ["timezone: Asia/Almaty", "entities:", "  - {id: kz, kind: country, name: {ru: Казахстан}}"]
        for entity, aliases in self.entities.items():
            quoted = ", ".join(json.dumps(a, ensure_ascii=False) for a in aliases)
            lines.append(
                f"  - {{id: {entity}, kind: region, parent: kz, name: {{ru: {entity}}}, aliases: {{ru: [{quoted}]}}}}"
            )
        lines.append("persons:")
        lines.append("  - {id: akim-north, entity: r-north, name: {ru: Аким}}")
        lines.append("accounts:")
        for owner in self.groups:
            role = "personal, person: akim-north" if owner > 0 else "official"
            lines.append(f'  - {{platform: vk, id: "{owner}", entity: r-north, role: {role}}}')
        return "\n".join(lines) + "\n"

    def collectable(self) -> list[Group]:
        return [g for g in self.groups.values() if not g.deactivated and not g.private_wall]

    def truth(self, *, views: bool = True, threads: bool = True) -> Truth:
        """The canonical records a complete collection of this world ends with (latest observations)."""
        truth = Truth()
        for owner, group in self.groups.items():
            if group.deactivated:
                continue
            followers = self.users[owner].followers if owner > 0 else group.members
            truth.snapshots[str(owner)] = (followers, None if group.private_wall else len(group.posts))
            if group.private_wall:
                continue
            for post in group.posts:
                truth.posts[post.key] = _post_truth(post, views)
                if post.from_id > 0:
                    truth.authors.add(str(post.from_id))
                for comment, root in post.visible_comments():
                    parent = comment.parent if comment.parent is not None else None
                    reply_to = f"{post.key}_{parent}" if parent is not None else post.key
                    truth.posts[f"{post.key}_{comment.id}"] = {
                        "account": str(post.owner_id),
                        "author": str(comment.from_id),
                        "published_at": comment.date,
                        "text": comment.text,
                        "likes": comment.likes,
                        "comments": len(comment.visible_replies()) if root is None and threads else 0,
                        "reposts": 0,
                        "views": None,
                        "reply_to": reply_to,
                        "repost_of": None,
                        "media": "text",
                        "kind": "comment",
                    }
                    truth.authors.add(str(comment.from_id))
        for posts in self.mentions.values():
            for post in posts:
                truth.posts[post.key] = _post_truth(post, views)
                if post.from_id > 0:
                    truth.authors.add(str(post.from_id))
        truth.authors = {a for a in truth.authors if int(a) in self.users}
        return truth


@dataclass
class Truth:
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    snapshots: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    authors: set[str] = field(default_factory=set)


def _post_truth(post: Post, views: bool) -> dict[str, Any]:
    return {
        "account": str(post.owner_id),
        "author": str(post.from_id),
        "published_at": post.date,
        "text": post.text,
        "likes": post.likes,
        "comments": len(post.visible_comments()),
        "reposts": post.reposts,
        "views": post.views if views else None,
        "reply_to": None,
        "repost_of": f"{post.repost_of[0]}_{post.repost_of[1]}" if post.repost_of else None,
        # a repost has no attachment of its own: its media is the original's (a video in the template)
        "media": "video" if post.repost_of else (post.media or "text"),
        "kind": "repost" if post.repost_of else "post",
    }


_WORDS = (
    "дорога",
    "школа",
    "аким",
    "ремонт",
    "спасибо",
    "когда",
    "вода",
    "свет",
    "парк",
    "очередь",
    "больница",
    "жол",
    "мектеп",
    "рахмет",
    "<b>важно</b>",
    "=1+2",
    "'; DROP TABLE posts;--",
    "😀",
    '"кавычки"',
)


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 12)))


# -- the API -------------------------------------------------------------------------------


class VkFake:
    """The request handler: ``FakeServer(VkFake(world))``."""

    def __init__(self, world: VkWorld, *, drift: str | None = None, token: str = TOKEN) -> None:
        self.world = world
        self.drift = drift
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.post_template = case("wall.get.json")["response"]["items"][1]
        self.original_template = case("wall.get.json")["response"]["items"][2]["copy_history"][0]
        self.comment_template = case("wall.getComments.json")["response"]["items"][0]
        self.group_template = case("groups.getById.json")["response"]["groups"][0]
        self.user_template = case("users.get.json")["response"][0]
        self.search_template = case("newsfeed.search.json")["response"]["items"][0]

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return json_reply(error_body(5))
        if request.param("v") != "5.199":
            return json_reply(error_body(8))
        method = request.path.rsplit("/", 1)[-1]
        if method != "execute":
            return json_reply(error_body(3, method))
        calls = parse_code(request.param("code") or "")
        if len(calls) > 25:
            return json_reply(error_body(13))
        results: list[Any] = []
        errors = []
        for name, params in calls:
            self.calls.append((name, params))
            try:
                results.append(self.method(name, params))
            except ApiError as exc:
                results.append(False)
                errors.append({"method": name, "error_code": exc.code, "error_msg": MESSAGES.get(exc.code, "?")})
        body: dict[str, Any] = {"response": results}
        if errors:
            body["execute_errors"] = errors
        return json_reply(apply_drift(body, self.drift))

    def method(self, name: str, params: dict[str, Any]) -> Any:
        handler = {
            "groups.getById": self.groups_get_by_id,
            "users.get": self.users_get,
            "wall.get": self.wall_get,
            "wall.getComments": self.wall_get_comments,
            "newsfeed.search": self.newsfeed_search,
        }.get(name)
        if handler is None:
            raise ApiError(3, name)
        return handler(params)

    def groups_get_by_id(self, params: dict[str, Any]) -> Any:
        items = []
        for gid in str(params.get("group_id") or params.get("group_ids")).split(","):
            group = self.world.groups.get(-int(gid))
            if group is None:
                raise ApiError(100)
            obj = copy.deepcopy(self.group_template)
            obj.update(id=group.id, name=group.name, screen_name=f"club{group.id}", is_closed=group.is_closed)
            if group.deactivated:
                obj["deactivated"] = group.deactivated
                obj.pop("members_count", None)
            elif "members_count" in str(params.get("fields", "")):
                obj["members_count"] = group.members
            else:
                obj.pop("members_count", None)
            items.append(obj)
        if self.drift == "legacy_shapes":
            return items
        return {"groups": items, "profiles": []}

    def users_get(self, params: dict[str, Any]) -> Any:
        out = []
        for uid in str(params["user_ids"]).split(","):
            user = self.world.users.get(int(uid))
            if user is None:
                continue
            if user.deactivated:
                out.append(
                    {
                        "id": user.id,
                        "first_name": "DELETED" if user.deactivated == "deleted" else user.first_name,
                        "last_name": "",
                        "deactivated": user.deactivated,
                    }
                )
                continue
            obj = copy.deepcopy(self.user_template)
            obj.update(
                id=user.id,
                first_name=user.first_name,
                last_name=user.last_name,
                screen_name=f"id{user.id}",
                followers_count=user.followers,
                has_photo=int(user.has_photo),
                last_seen={"platform": 7, "time": user.last_seen},
            )
            obj["photo_100"] = obj["photo_100"] if user.has_photo else "https://vk.com/images/camera_100.png"
            obj["counters"] = {**obj["counters"], "followers": user.followers}
            if self.drift == "legacy_shapes":
                obj.pop("has_photo")
            out.append(obj)
        return out

    def wall_get(self, params: dict[str, Any]) -> Any:
        owner, offset, count = int(params["owner_id"]), int(params.get("offset", 0)), int(params.get("count", 20))
        group = self.world.groups.get(owner)
        if count > 100 or group is None:
            raise ApiError(100)
        if group.deactivated:
            raise ApiError(18)
        if group.private_wall:
            raise ApiError(15)
        ordered = [p for p in group.posts if p.pinned] + [p for p in group.posts if not p.pinned]
        return {"count": len(group.posts), "items": [self.post(p) for p in ordered[offset : offset + count]]}

    def post(self, post: Post, template: dict[str, Any] | None = None) -> dict[str, Any]:
        obj = copy.deepcopy(template or self.post_template)
        obj.update(id=post.id, owner_id=post.owner_id, from_id=post.from_id, date=post.date, text=post.text)
        obj["likes"] = {**obj["likes"], "count": post.likes}
        obj["reposts"] = {**obj["reposts"], "count": post.reposts}
        obj["comments"] = {**obj["comments"], "count": len(post.visible_comments())}
        if post.comments_closed:
            obj["comments"]["can_post"] = 0
        obj["views"] = {"count": post.views}
        if "reactions" in obj:
            obj["reactions"] = {
                "reaction_set_id": "reactions",
                "count": post.likes,
                "items": [{"id": 0, "count": post.likes}],
            }
        obj["is_pinned"] = int(post.pinned)
        if not post.pinned:
            obj.pop("is_pinned")
        obj["attachments"] = [_attachment(post.media, post.owner_id)] if post.media else []
        if post.repost_of:
            original = copy.deepcopy(self.original_template)
            original.update(owner_id=post.repost_of[0], from_id=post.repost_of[0], id=post.repost_of[1])
            obj["copy_history"] = [original]
            obj["attachments"] = []
        if self.drift == "legacy_shapes":
            obj.pop("views")  # walls of 2016 had no view counts
        return obj

    def wall_get_comments(self, params: dict[str, Any]) -> Any:
        owner, post_id = int(params["owner_id"]), int(params["post_id"])
        offset, count = int(params.get("offset", 0)), int(params.get("count", 10))
        group = self.world.groups.get(owner)
        post = next((p for p in group.posts if p.id == post_id), None) if group else None
        if post is None:
            raise ApiError(100)
        if group and group.private_wall:
            raise ApiError(15)
        if post.comments_closed:
            raise ApiError(212)
        total = len(post.visible_comments())
        if self.drift == "legacy_shapes":  # before 5.80: no threads, every comment at the top level
            flat = sorted((c for c, _root in post.visible_comments()), key=lambda c: (c.date, c.id))
            return {
                "count": total,
                "items": [self.comment(c, owner, post_id, legacy=True) for c in flat[offset : offset + count]],
            }
        if params.get("comment_id"):
            root = next(c for c in post.comments if c.id == int(params["comment_id"]))
            replies = root.visible_replies()
            page = replies[offset : offset + count]
            return {"count": len(replies), "items": [self.comment(r, owner, post_id, root=root) for r in page]}
        inline = int(params.get("thread_items_count", 0))
        items = []
        tops = post.top_level()
        for top in tops[offset : offset + count]:
            obj = self.comment(top, owner, post_id)
            replies = top.visible_replies()
            obj["thread"] = {
                "count": len(replies),
                "items": [self.comment(r, owner, post_id, root=top) for r in replies[:inline]],
                "can_post": True,
                "show_reply_button": True,
                "groups_can_post": True,
            }
            items.append(obj)
        return {
            "count": total,
            "current_level_count": len(tops),
            "items": items,
            "can_post": True,
            "show_reply_button": True,
            "groups_can_post": True,
        }

    def comment(
        self, c: Comment, owner: int, post_id: int, root: Comment | None = None, legacy: bool = False
    ) -> dict[str, Any]:
        if c.deleted:
            return {
                "id": c.id,
                "date": c.date,
                "post_id": post_id,
                "owner_id": owner,
                "parents_stack": [],
                "deleted": True,
            }
        obj = copy.deepcopy(self.comment_template)
        obj.pop("thread", None)
        obj.update(id=c.id, from_id=c.from_id, date=c.date, text=c.text, post_id=post_id, owner_id=owner)
        obj["likes"] = {**obj["likes"], "count": c.likes}
        obj["parents_stack"] = [root.id] if root else []
        if c.parent is not None:
            obj["reply_to_comment"] = c.parent
            obj["reply_to_user"] = 1
        if legacy:
            obj.pop("parents_stack")
        return obj

    def newsfeed_search(self, params: dict[str, Any]) -> Any:
        posts = [
            p
            for p in self.world.mentions.get(str(params["q"]), [])
            if int(params["start_time"]) <= p.date <= int(params["end_time"])
        ]
        count = min(int(params.get("count", 30)), 200)
        start = int(str(params.get("start_from") or "0").split("/")[0])
        visible = posts[:1000]  # VK returns the first 1000 results of a query only
        page = visible[start : start + count]
        body: dict[str, Any] = {
            "items": [self.post(p, self.search_template) for p in page],
            "count": len(visible),
            "total_count": len(posts),
        }
        if start + count < len(visible):
            last = page[-1]
            body["next_from"] = f"{start + count}/{last.owner_id}_{last.id}"
        return body


def _attachment(media: str, owner: int) -> dict[str, Any]:
    if media == "photo":
        return {"type": "photo", "photo": {"id": 1, "owner_id": owner, "album_id": -7, "sizes": [], "text": ""}}
    if media == "video":
        return {"type": "video", "video": {"id": 1, "owner_id": owner, "title": "видео", "duration": 30}}
    if media == "link":
        return {"type": "link", "link": {"url": "https://example.kz/", "title": "ссылка"}}
    return {"type": "poll", "poll": {"id": 1, "owner_id": owner, "question": "Вопрос?", "answers": []}}


def parse_code(code: str) -> list[tuple[str, dict[str, Any]]]:
    """The calls of the connector's VKScript: ``return [API.m({...}),...];``."""
    if not code.startswith("return [") or not code.endswith("];"):
        raise ValueError(f"unexpected VKScript: {code[:60]!r}")
    decoder = json.JSONDecoder()
    pos, calls = len("return ["), []
    while code[pos] != "]":
        if not code.startswith("API.", pos):
            raise ValueError(f"expected API. at {pos}")
        paren = code.index("(", pos)
        params, end = decoder.raw_decode(code, paren + 1)
        if code[end] != ")":
            raise ValueError(f"expected ) at {end}")
        calls.append((code[pos + 4 : paren], params))
        pos = end + 1
        if code[pos] == ",":
            pos += 1
    return calls


# -- schema drift ----------------------------------------------------------------------------

OPTIONAL = {
    "views",
    "reactions",
    "donut",
    "post_source",
    "hash",
    "inner_type",
    "marked_as_ads",
    "is_favorite",
    "edited",
    "can_view",
    "user_likes",
    "can_like",
    "can_publish",
    "repost_disabled",
    "current_level_count",
    "last_seen",
    "has_photo",
    "verified",
    "counters",
    "screen_name",
    "is_closed",
    "show_reply_button",
    "groups_can_post",
    "can_access_closed",
    "wall_count",
    "mail_count",
    "parents_stack",
    "total_count",
}
FLAGS = {
    "is_pinned",
    "has_photo",
    "verified",
    "can_post",
    "can_view",
    "marked_as_ads",
    "can_like",
    "can_publish",
    "user_likes",
    "user_reposted",
    "is_favorite",
    "deleted",
    "can_access_closed",
    "repost_disabled",
}


def apply_drift(body: Any, drift: str | None) -> Any:
    """The body rewritten as an older or newer API would send it (same content)."""
    if drift is None or drift == "legacy_shapes":
        return body  # legacy shapes are produced by the methods themselves
    out = {k: _walk(v, drift, k) for k, v in body.items() if k != "response"}
    # execute's own false (a failed call) is not a field flag: it stays as VK sends it
    out["response"] = [r if r is False else _walk(r, drift, None) for r in body["response"]]
    return out


def _walk(value: Any, drift: str, key: str | None) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if drift == "missing_optional" and k in OPTIONAL:
                continue
            out[k] = _walk(v, drift, k)
        if drift == "newer_shapes" and out:
            out["added_in_a_later_version"] = {"enabled": True, "items": []}
        return out
    if isinstance(value, list):
        return [_walk(v, drift, key) for v in value]
    if drift == "bools_as_ints":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int) and key in FLAGS and value in (0, 1):
            return bool(value)
    if drift == "counts_as_strings" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value
