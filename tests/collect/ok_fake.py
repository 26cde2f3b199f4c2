"""A fake Odnoklassniki REST API (``/fb.do``) over a generated world, checking every signature.

Objects are the fixtures of ``tests/cases/ok/`` with the world's values written over them. It
implements what the connector uses: ``group.getInfo`` (a JSON array; an unknown or deleted group
is left out), ``group.getCounters``, ``mediatopic.getTopics`` (newest first, ``anchor`` +
``direction=FORWARD``, ``has_more``; error 10 for a closed group), errors with HTTP 200. A request
whose ``sig`` is not ``md5(sorted params + md5(access_token + application_secret_key))`` gets error
104, one with another token error 102. ``drift`` rewrites answers into older or newer shapes.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.vk_fake import Truth

CASES = Path(__file__).resolve().parents[1] / "cases" / "ok"
TOKEN = "tkn1TESTsecretAccessToken7f3a9c2e51b84d06a1"
APP_KEY = "CBAFAKEAPPKEYABABA"
APP_SECRET = "0123456789ABCDEF0123456789ABCDEF"
DRIFTS = ("missing_optional", "bools_as_ints", "counts_as_strings", "older_shapes", "newer_shapes")
DAY = 86_400
_WORDS = ("дорога", "школа", "аким", "ремонт", "рахмет", "<b>важно</b>", "=1+2", "'; DROP TABLE posts;--", "😀", "жол")


def case(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def expected_sig(params: dict[str, str]) -> str:
    secret = md5(params.get("access_token", "") + APP_SECRET)
    signed = "".join(f"{k}={params[k]}" for k in sorted(params) if k not in ("sig", "access_token", "session_key"))
    return md5(signed + secret)


def error_body(code: int, message: str | None = None) -> dict[str, Any]:
    body = case(f"error_{code}.json") if (CASES / f"error_{code}.json").exists() else {"error_code": code}
    if message is not None:
        body["error_msg"] = message
    body.setdefault("error_msg", f"ERROR {code}")
    body.setdefault("error_data", None)
    return body


@dataclass
class Topic:
    id: int
    date: int
    text: str
    likes: int
    comments: int
    reshares: int
    views: int
    media: str | None = None
    reshare_of: int | None = None


@dataclass
class Group:
    id: int
    name: str
    members: int
    topics: list[Topic] = field(default_factory=list)
    closed: bool = False
    deleted: bool = False


@dataclass
class OkWorld:
    now: int
    groups: dict[int, Group] = field(default_factory=dict)

    @classmethod
    def generate(cls, now: int, *, seed: int = 5, sizes: tuple[int, ...] = (130, 40, 12)) -> OkWorld:
        rng = random.Random(seed)
        world = cls(now)
        ids = iter(range(156_789_012_340_000, 10**16, 13))
        for index, size in enumerate(sizes):
            gid = 53_038_939_046_000 + index
            group = Group(gid, f"Акимат {index}", rng.randint(500, 90000))
            for date in sorted((now - rng.randint(3600, 20 * DAY) for _ in range(size)), reverse=True):
                topic = Topic(
                    next(ids),
                    date,
                    " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 9))),
                    rng.randint(0, 300),
                    rng.randint(0, 40),
                    rng.randint(0, 20),
                    rng.randint(50, 9000),
                    rng.choice([None, "photo", "movie", "link", "poll"]),
                )
                if rng.random() < 0.08:
                    topic.reshare_of, topic.media = rng.randint(10**14, 10**15), None
                group.topics.append(topic)
            group.topics.sort(key=lambda t: (t.date, t.id), reverse=True)
            world.groups[gid] = group
        world.groups[53_038_939_046_011] = Group(53_038_939_046_011, "Закрытая группа", 311, closed=True)
        world.groups[53_038_939_046_012] = Group(53_038_939_046_012, "Удалённая", 0, deleted=True)
        return world

    def registry_yaml(self) -> str:
        lines = [
            "timezone: Asia/Almaty",
            "entities:",
            "  - {id: kz, kind: country, name: {ru: Казахстан}}",
            "  - {id: r-north, kind: region, parent: kz, name: {ru: Северная}}",
            "accounts:",
        ]
        lines += [f'  - {{platform: ok, id: "{gid}", entity: r-north, role: official}}' for gid in self.groups]
        return "\n".join(lines) + "\n"

    def truth(self, *, views: bool = True) -> Truth:
        truth = Truth()
        for gid, group in self.groups.items():
            if group.deleted:
                continue
            truth.snapshots[str(gid)] = (group.members, None)
            for topic in group.topics:
                truth.posts[str(topic.id)] = {
                    "account": str(gid),
                    "author": str(gid),
                    "published_at": topic.date,
                    "text": topic.text,
                    "likes": topic.likes,
                    "comments": topic.comments,
                    "reposts": topic.reshares,
                    "views": topic.views if views else None,
                    "reply_to": None,
                    "repost_of": str(topic.reshare_of) if topic.reshare_of else None,
                    "media": {"movie": "video"}.get(
                        topic.media or "", topic.media or ("other" if topic.reshare_of else "text")
                    ),
                    "kind": "repost" if topic.reshare_of else "post",
                }
        return truth


class OkFake:
    """The request handler: ``FakeServer(OkFake(world))``."""

    def __init__(self, world: OkWorld, *, drift: str | None = None) -> None:
        self.world = world
        self.drift = drift
        self.template = case("mediatopic.getTopics.json")["media_topics"][0]
        self.group_template = case("group.getInfo.json")[0]

    def __call__(self, request: Request) -> Reply:
        params = {**request.query, **request.form}
        if request.path != "/fb.do" or params.get("application_key") != APP_KEY:
            return json_reply(error_body(101, "PARAM_API_KEY : Invalid application key"))
        if params.get("sig") != expected_sig(params):
            return json_reply(error_body(104))
        if params.get("access_token") != TOKEN:
            return json_reply(error_body(102))
        method = params.get("method")
        if method == "group.getInfo":
            body: Any = self.info(params)
        elif method == "group.getCounters":
            group = self.world.groups.get(int(params["group_id"]))
            if group is None or group.deleted:
                return json_reply(error_body(300))
            body = {"counters": {"members": group.members, "themes": len(group.topics)}}
        elif method == "mediatopic.getTopics":
            group = self.world.groups.get(int(params["gid"]))
            if group is None or group.deleted:
                return json_reply(error_body(300))
            if group.closed:
                return json_reply(error_body(10))
            body = self.topics(group, params)
        else:
            return json_reply(error_body(3, "METHOD : Method does not exist"))
        return json_reply(apply_drift(body, self.drift))

    def info(self, params: dict[str, str]) -> list[dict[str, Any]]:
        out = []
        for gid in params["uids"].split(","):
            group = self.world.groups.get(int(gid))
            if group is None or group.deleted:
                continue
            obj = copy.deepcopy(self.group_template)
            obj.update(
                uid=str(group.id),
                name=group.name,
                members_count=group.members,
                access_type="CLOSED" if group.closed else "OPEN",
                shortname=f"group{group.id}",
            )
            out.append(obj)
        return out

    def topic(self, group: Group, topic: Topic) -> dict[str, Any]:
        obj = copy.deepcopy(self.template)
        ref = f"group:{group.id}"
        obj.update(
            id=str(topic.id), created_ms=topic.date * 1000, author_ref=ref, owner_ref=ref, views_count=topic.views
        )
        obj["like_summary"]["count"] = topic.likes
        obj["discussion_summary"]["comments_count"] = topic.comments
        obj["reshare_summary"]["count"] = topic.reshares
        media: list[dict[str, Any]] = [{"type": "text", "text": topic.text}]
        if topic.media:
            media.append({"type": topic.media, "ref": f"{topic.media}:1"})
        if topic.reshare_of:
            media.append({"type": "topic", "topic_id": str(topic.reshare_of)})
        obj["media"] = media
        return obj

    def topics(self, group: Group, params: dict[str, str]) -> dict[str, Any]:
        count = int(params.get("count", "20"))
        offset = int((params.get("anchor") or "a0")[1:]) if params.get("direction", "FORWARD") == "FORWARD" else 0
        page = group.topics[offset : offset + count]
        more = offset + count < len(group.topics)
        body: dict[str, Any] = {
            "media_topics": [self.topic(group, t) for t in page],
            "has_more": more,
            "entities": {"groups": [{"uid": str(group.id), "ref": f"group:{group.id}"}]},
        }
        if page:
            body["anchor"] = f"a{offset + len(page)}"
        return body


OPTIONAL = {
    "views_count",
    "members_count",
    "self",
    "like_possible",
    "unlike_possible",
    "like_id",
    "reshare_possible",
    "reshare_like_id",
    "entities",
    "status",
    "access_type",
    "shortname",
    "has_more",
    "is_commenting_denied",
    "on_moderation",
    "business",
    "community",
    "premium",
    "created_ms_group",
    "description",
}


def apply_drift(body: Any, drift: str | None, key: str | None = None) -> Any:
    """``body`` as an older or newer API would send it (same content)."""
    if drift is None:
        return body
    if isinstance(body, dict):
        out: dict[str, Any] = {}
        for k, v in body.items():
            if drift == "missing_optional" and k in OPTIONAL:
                continue
            if drift == "older_shapes" and k == "views_count":
                continue
            out[k] = apply_drift(v, drift, k)
        if drift == "older_shapes" and out.get("type") == "text" and "text" in out:
            text = out.pop("text")  # formatted text comes as tokens
            out["text_tokens"] = [{"text": text[: len(text) // 2]}, {"text": text[len(text) // 2 :]}]
        if drift == "newer_shapes" and "id" in out:
            out["capabilities"] = "pin,bookmark"
            out["a_field_added_later"] = {"enabled": True, "items": []}
        return out
    if isinstance(body, list):
        return [apply_drift(v, drift, key) for v in body]
    if drift == "bools_as_ints" and isinstance(body, bool):
        return int(body)
    if drift == "counts_as_strings" and isinstance(body, int) and not isinstance(body, bool):
        return str(body)
    return body
