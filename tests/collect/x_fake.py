"""A fake X API v2 over a generated world, answering in the documented format.

Objects are the fixtures of ``tests/cases/x/`` (written from the API reference) with the world's
values written over them. It implements what the connector uses, with X's semantics:
``/2/users/by/username/:username`` (``errors`` instead of ``data`` for an unknown name),
``/2/users/:id/tweets`` (newest first, ``start_time``, ``max_results`` ≤ 100,
``pagination_token``), ``/2/tweets/search/recent`` (quoted phrases joined by OR, ``start_time``
no older than 7 days, ``end_time``, ``next_token``, ``includes.users``), rate-limit headers on
every answer and problem objects with HTTP statuses. ``drift`` rewrites answers into older or
newer shapes. :meth:`XWorld.truth` is the ground truth of a complete collection.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.vk_fake import Truth

CASES = Path(__file__).resolve().parents[1] / "cases" / "x"
TOKEN = "AAAAAAAAAAAAAAAAAAAAATEST%2Fbearer%3DSECRET7f3a9c2e51b84d06a1"
DRIFTS = ("missing_optional", "bools_as_ints", "counts_as_strings", "older_shapes", "newer_shapes")
DAY = 86_400
_WORDS = ("дорога", "школа", "аким", "ремонт", "рахмет", "<b>важно</b>", "=1+2", "'; DROP TABLE posts;--", "😀", "жол")


def case(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def iso(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def epoch_of(text: str) -> int:
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


@dataclass
class Tweet:
    id: int
    author: int
    date: int
    text: str
    likes: int
    replies: int
    retweets: int
    quotes: int
    impressions: int
    media: str | None = None
    ref: tuple[str, int] | None = None


@dataclass
class User:
    id: int
    username: str
    name: str
    followers: int
    following: int
    has_avatar: bool = True
    verified: bool = False
    protected: bool = False
    tweets: list[Tweet] = field(default_factory=list)


@dataclass
class XWorld:
    now: int
    users: dict[int, User] = field(default_factory=dict)
    official: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    mentions: dict[str, list[Tweet]] = field(default_factory=dict)
    entities: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def generate(cls, now: int, *, seed: int = 11, sizes: tuple[int, ...] = (260, 40, 15)) -> XWorld:
        rng = random.Random(seed)
        world = cls(now)
        ids = iter(range(1_700_000_000_000_000_000, 10**19, 7919))
        crowd = []
        for n in range(60):
            uid = 3000 + n
            world.users[uid] = User(
                uid,
                f"resident_{uid}",
                f"Житель {n}",
                rng.randint(0, 900),
                rng.randint(0, 900),
                rng.random() > 0.3,
                rng.random() < 0.1,
            )
            crowd.append(uid)

        def tweet(author: int, date: int, text: str) -> Tweet:
            return Tweet(
                next(ids),
                author,
                date,
                text,
                rng.randint(0, 300),
                rng.randint(0, 20),
                rng.randint(0, 40),
                rng.randint(0, 5),
                rng.randint(100, 30000),
                rng.choice([None, None, "photo", "video", "animated_gif"]),
            )

        for index, size in enumerate(sizes):
            uid = 1000 + index
            name = ("akimat_north", "akimat_south", "akim_personal")[index]
            user = User(uid, name, f"Акимат {index}", rng.randint(1000, 90000), rng.randint(10, 500), verified=True)
            dates = sorted(now - rng.randint(3600, 20 * DAY) for _ in range(size))
            for date in dates:
                item = tweet(uid, date, " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 10))))
                roll = rng.random()
                if roll < 0.1:
                    item.ref = ("retweeted", rng.randint(10**17, 10**18))
                    item.likes, item.replies, item.quotes, item.media = 0, 0, 0, None
                elif roll < 0.2:
                    item.ref = ("replied_to", rng.randint(10**17, 10**18))
                elif roll < 0.25:
                    item.ref = ("quoted", rng.randint(10**17, 10**18))
                user.tweets.append(item)
            world.users[uid] = user
            world.official.append(name)
        locked = User(1009, "protected_akim", "Закрытый", 120, 40, protected=True)
        world.users[1009] = locked
        world.official.append(locked.username)
        world.missing.append("closed_akimat")
        world.official.append("closed_akimat")
        world.entities = {"r-north": ["Северная область", "Солтүстік облысы"], "r-south": ["Южная область"]}
        for entity, aliases in world.entities.items():
            for number, alias in enumerate(aliases):
                n = 150 if (entity, number) == ("r-north", 0) else 25
                found = [
                    tweet(rng.choice(crowd), now - rng.randint(600, 5 * DAY), f"{alias} {rng.choice(_WORDS)}")
                    for _ in range(n)
                ]
                world.mentions[alias] = found
        return world

    def by_name(self, username: str) -> User | None:
        return next((u for u in self.users.values() if u.username.lower() == username.lower()), None)

    def registry_yaml(self) -> str:
        lines = ["timezone: Asia/Almaty", "entities:", "  - {id: kz, kind: country, name: {ru: Казахстан}}"]
        for entity, aliases in self.entities.items():
            quoted = ", ".join(json.dumps(a, ensure_ascii=False) for a in aliases)
            lines.append(
                f"  - {{id: {entity}, kind: region, parent: kz, name: {{ru: {entity}}}, aliases: {{ru: [{quoted}]}}}}"
            )
        lines += ["persons:", "  - {id: akim-north, entity: r-north, name: {ru: Аким}}", "accounts:"]
        for name in self.official:
            role = "personal, person: akim-north" if name == "akim_personal" else "official"
            lines.append(f'  - {{platform: x, id: "{name}", entity: r-north, role: {role}}}')
        return "\n".join(lines) + "\n"

    def truth(self, *, views: bool = True) -> Truth:
        truth = Truth()
        for name in self.official:
            user = self.by_name(name)
            if user is None:
                continue
            truth.snapshots[name] = (user.followers, len(user.tweets))
            if user.protected:
                continue
            for item in user.tweets:
                truth.posts[str(item.id)] = _post_truth(item, name, views)
        for found in self.mentions.values():
            for item in found:
                author = self.users[item.author]
                truth.posts[str(item.id)] = _post_truth(item, author.username, views)
                truth.authors.add(str(author.id))
        return truth


def _post_truth(item: Tweet, account: str, views: bool) -> dict[str, Any]:
    kind = {"retweeted": "repost", "replied_to": "comment"}.get(item.ref[0], "post") if item.ref else "post"
    media = {"photo": "photo", "video": "video", "animated_gif": "video"}.get(item.media or "", "text")
    return {
        "account": account,
        "author": str(item.author),
        "published_at": item.date,
        "text": item.text,
        "likes": item.likes,
        "comments": item.replies,
        "reposts": item.retweets + item.quotes,
        "views": item.impressions if views else None,
        "reply_to": str(item.ref[1]) if item.ref and item.ref[0] == "replied_to" else None,
        "repost_of": str(item.ref[1]) if item.ref and item.ref[0] in ("retweeted", "quoted") else None,
        "media": media,
        "kind": kind,
    }


class XFake:
    """The request handler: ``FakeServer(XFake(world))``."""

    def __init__(self, world: XWorld, *, drift: str | None = None, token: str = TOKEN) -> None:
        self.world = world
        self.drift = drift
        self.token = token
        self.tweet_template = case("users.tweets.json")["data"][0]
        self.user_template = case("tweets.search.recent.json")["includes"]["users"][1]

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return json_reply(case("error_401.json"), 401)
        path = request.path
        try:
            if path.startswith("/2/users/by/username/"):
                body = self.lookup(path.rsplit("/", 1)[-1])
            elif re.fullmatch(r"/2/users/\d+/tweets", path):
                body = self.timeline(int(path.split("/")[3]), request.query)
            elif path == "/2/tweets/search/recent":
                body = self.search(request.query)
            else:
                return json_reply({"title": "Not Found", "type": "about:blank", "status": 404, "detail": path}, 404)
        except _Invalid as exc:
            problem = case("error_invalid_request.json")
            problem["errors"][0]["message"] = str(exc)
            return json_reply(problem, 400)
        reset = str(self.world.now + 900)
        return json_reply(
            apply_drift(body, self.drift),
            **{"x-rate-limit-limit": "900", "x-rate-limit-remaining": "850", "x-rate-limit-reset": reset},
        )

    def user(self, user: User) -> dict[str, Any]:
        obj = copy.deepcopy(self.user_template)
        obj.update(
            id=str(user.id), username=user.username, name=user.name, verified=user.verified, protected=user.protected
        )
        obj["public_metrics"] = {
            "followers_count": user.followers,
            "following_count": user.following,
            "tweet_count": len(user.tweets),
            "listed_count": 1,
        }
        if not user.has_avatar:
            obj["profile_image_url"] = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
        return obj

    def lookup(self, username: str) -> dict[str, Any]:
        user = self.world.by_name(username)
        if user is None:
            body = case("error_not_found.json")
            body["errors"][0].update(
                value=username, resource_id=username, detail=f"Could not find user with username: [{username}]."
            )
            return body
        return {"data": self.user(user)}

    def tweet(self, item: Tweet) -> dict[str, Any]:
        obj = copy.deepcopy(self.tweet_template)
        obj.update(
            id=str(item.id),
            text=item.text,
            created_at=iso(item.date),
            author_id=str(item.author),
            conversation_id=str(item.id),
            edit_history_tweet_ids=[str(item.id)],
        )
        obj["public_metrics"] = {
            "retweet_count": item.retweets,
            "reply_count": item.replies,
            "like_count": item.likes,
            "quote_count": item.quotes,
            "bookmark_count": 0,
            "impression_count": item.impressions,
        }
        obj.pop("attachments", None)
        if item.media:
            obj["attachments"] = {"media_keys": [f"3_{item.id}"]}
        if item.ref:
            obj["referenced_tweets"] = [{"type": item.ref[0], "id": str(item.ref[1])}]
        return obj

    def page(self, found: list[Tweet], query: dict[str, str], token_name: str) -> dict[str, Any]:
        count = int(query.get("max_results", "10"))
        if not 5 <= count <= 100:
            raise _Invalid(f"max_results {count} out of range")
        offset = int((query.get(token_name) or "t0")[1:])
        page = found[offset : offset + count]
        body: dict[str, Any] = {"meta": {"result_count": len(page)}}
        if page:
            body["data"] = [self.tweet(t) for t in page]
            media = [{"media_key": f"3_{t.id}", "type": t.media} for t in page if t.media]
            if media:
                body["includes"] = {"media": media}
            body["meta"].update(newest_id=str(page[0].id), oldest_id=str(page[-1].id))
        if offset + count < len(found):
            body["meta"]["next_token"] = f"t{offset + count}"
        return body

    def timeline(self, uid: int, query: dict[str, str]) -> dict[str, Any]:
        user = self.world.users.get(uid)
        if user is None or user.protected:
            body = case("error_not_authorized.json")
            body["errors"][0].update(value=str(uid), resource_id=str(uid))
            return body
        start = epoch_of(query["start_time"]) if "start_time" in query else 0
        found = sorted((t for t in user.tweets if t.date >= start), key=lambda t: t.date, reverse=True)[:3200]
        return self.page(found, query, "pagination_token")

    def search(self, query: dict[str, str]) -> dict[str, Any]:
        start, end = epoch_of(query["start_time"]), epoch_of(query["end_time"])
        if start < self.world.now - 7 * DAY:
            raise _Invalid(f"Invalid 'start_time':'{query['start_time']}'. 'start_time' must be within 7 days")
        seen: dict[int, Tweet] = {}
        for phrase in re.findall(r'"([^"]+)"', query["query"]):
            for item in self.world.mentions.get(phrase, []):
                if start <= item.date < end:
                    seen[item.id] = item
        found = sorted(seen.values(), key=lambda t: (t.date, t.id), reverse=True)
        body = self.page(found, query, "next_token")
        authors = {t.author for t in found[int((query.get("next_token") or "t0")[1:]) :][: int(query["max_results"])]}
        if authors:
            body.setdefault("includes", {})["users"] = [self.user(self.world.users[a]) for a in sorted(authors)]
        return body


class _Invalid(Exception):
    pass


OPTIONAL = {
    "impression_count",
    "bookmark_count",
    "conversation_id",
    "edit_history_tweet_ids",
    "lang",
    "verified",
    "protected",
    "profile_image_url",
    "created_at_user",
    "listed_count",
    "meta_newest",
}
FLAGS = {"verified", "protected"}


def apply_drift(body: Any, drift: str | None, key: str | None = None) -> Any:
    """``body`` as an older or newer API would send it (same content)."""
    if drift is None:
        return body
    if isinstance(body, dict):
        out = {}
        for k, v in body.items():
            if drift == "missing_optional" and k in OPTIONAL:
                continue
            if drift == "older_shapes" and k in ("impression_count", "bookmark_count", "edit_history_tweet_ids"):
                continue
            out[k] = apply_drift(v, drift, k)
        if drift == "newer_shapes" and "id" in out:
            out["edit_controls"] = {"edits_remaining": 5, "is_edit_eligible": True}
            out["a_field_added_later"] = {"enabled": True, "items": []}
        return out
    if isinstance(body, list):
        return [apply_drift(v, drift, key) for v in body]
    if drift == "bools_as_ints" and isinstance(body, bool):
        return int(body)
    if drift == "counts_as_strings" and isinstance(body, int) and not isinstance(body, bool):
        return str(body)
    return body


def error_reply(name: str, status: int, **headers: str) -> Reply:
    return json_reply(case(name), status, **headers)
