"""A fake Instagram Graph API (business discovery) over a generated world, in the documented format.

Media objects are built from ``tests/cases/instagram/graph_business_discovery.json``. The fake
reads the ``fields`` expansion the connector sends (``business_discovery.username(U){...,
media.after(C).limit(N){...}}``) and answers for the app user's IG user id only, newest media
first, with ``paging.cursors`` and no ``next`` link; a username that is not a business or
creator account gets 110/2207013; the token goes in ``Authorization: Bearer``; answers carry
``X-Business-Use-Case-Usage``. ``drift`` rewrites the answers into older or newer shapes.
"""

from __future__ import annotations

import copy
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.collect.facebook_fake import apply_drift, fb_time, graph_error
from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.vk_fake import Truth

CASES = Path(__file__).resolve().parents[1] / "cases" / "instagram"
TOKEN = "EAAITEST-SECRET-USER-TOKEN-8d41b7c2f3a90e6"
APP_USER = "17841400000000001"
DRIFTS = ("missing_optional", "counts_as_strings", "legacy_shapes", "newer_shapes")
DAY = 86_400
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
EXPANSION = re.compile(r"^business_discovery\.username\(([^)]*)\)\{(.*)\}$")


@dataclass
class Media:
    code: str
    date: int
    caption: str
    likes: int
    comments: int
    kind: str
    """IMAGE, CAROUSEL_ALBUM, VIDEO or REELS."""
    hidden_likes: bool = False


@dataclass
class Account:
    username: str
    followers: int
    media: list[Media] = field(default_factory=list)
    business: bool = True


@dataclass
class InstagramWorld:
    now: int
    accounts: dict[str, Account] = field(default_factory=dict)

    @classmethod
    def generate(cls, now: int, *, seed: int = 3, sizes: tuple[int, ...] = (25, 60, 110)) -> InstagramWorld:
        rng = random.Random(seed)
        world = cls(now)
        numbers = iter(range(1, 10**6))

        def code() -> str:
            number = next(numbers)
            tail = "".join(ALPHABET[(number >> shift) & 63] for shift in (12, 6, 0))
            return "C4" + "".join(rng.choice(ALPHABET) for _ in range(6)) + tail

        for index, size in enumerate(sizes):
            account = Account(f"akimat_{index}", rng.randint(100, 90000))
            dates = sorted((now - rng.randint(3600, 20 * DAY) for _ in range(size)), reverse=True)
            for date in dates:
                kind = rng.choice(["IMAGE", "IMAGE", "CAROUSEL_ALBUM", "VIDEO", "REELS"])
                media = Media(code(), date, _caption(rng), rng.randint(0, 900), rng.randint(0, 40), kind)
                media.hidden_likes = rng.random() < 0.05
                account.media.append(media)
            world.accounts[account.username] = account
        world.accounts["private_person"] = Account("private_person", 10, business=False)
        return world

    def registry_yaml(self) -> str:
        lines = ["timezone: Asia/Almaty", "entities:", "  - {id: kz, kind: country, name: {ru: Казахстан}}"]
        lines.append("  - {id: r-north, kind: region, parent: kz, name: {ru: Север}}")
        lines.append("accounts:")
        for username in self.accounts:
            lines.append(f'  - {{platform: instagram, id: "{username}", entity: r-north, role: official}}')
        return "\n".join(lines) + "\n"

    def truth(self) -> Truth:
        truth = Truth()
        for username, account in self.accounts.items():
            if not account.business:
                continue
            truth.snapshots[username] = (account.followers, len(account.media))
            for media in account.media:
                truth.posts[media.code] = {
                    "account": username,
                    "author": username,
                    "published_at": media.date,
                    "text": media.caption,
                    "likes": 0 if media.hidden_likes else media.likes,
                    "comments": media.comments,
                    "reposts": 0,
                    "views": None,
                    "reply_to": None,
                    "repost_of": None,
                    "media": "photo" if media.kind in ("IMAGE", "CAROUSEL_ALBUM") else "video",
                    "kind": "post",
                }
        return truth


_WORDS = ("мектеп", "школа", "аким", "#жол", "рахмет", "<b>важно</b>", "=1+2", "😀", "'; DROP TABLE posts;--")


def _caption(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 12)))


def parse_fields(fields: str) -> tuple[str, str | None, int, bool] | None:
    """``(username, after, limit, account fields asked)`` of a business discovery expansion."""
    match = EXPANSION.match(fields)
    if match is None:
        return None
    username, inner = match.groups()
    after = re.search(r"media\.after\(([^)]*)\)", inner)
    limit = re.search(r"\.limit\((\d+)\)", inner)
    return username, after.group(1) if after else None, int(limit.group(1)) if limit else 25, "followers_count" in inner


class InstagramFake:
    """The request handler: ``FakeServer(InstagramFake(world))``."""

    def __init__(self, world: InstagramWorld, *, drift: str | None = None, token: str = TOKEN) -> None:
        self.world = world
        self.drift = drift
        self.token = token
        answer = json.loads((CASES / "graph_business_discovery.json").read_text(encoding="utf-8"))
        self.templates = {
            m["media_product_type"] if m["media_product_type"] == "REELS" else m["media_type"]: m
            for m in answer["business_discovery"]["media"]["data"]
        }

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.token}" or "access_token" in request.query:
            return graph_error("190_463")
        if request.path.rstrip("/").rsplit("/", 1)[-1] != APP_USER:
            return graph_error("100_33")
        asked = parse_fields(request.query.get("fields", ""))
        if asked is None:
            return graph_error("100_33", message="(#100) Invalid fields expansion")
        username, after, limit, with_account = asked
        account = self.world.accounts.get(username)
        if account is None or not account.business:
            return graph_error("110", folder=CASES)
        offset = int(after[1:]) if after else 0
        chunk = account.media[offset : offset + limit]
        business: dict[str, Any] = {}
        if with_account:
            business.update(id="17841400000099999", username=username, name=username)
            business.update(followers_count=account.followers, media_count=len(account.media))
        business["media"] = {
            "data": [self.media(m) for m in chunk],
            "paging": {"cursors": {"before": f"o{offset}", "after": f"o{offset + len(chunk)}"}},
        }
        if not chunk:
            business["media"].pop("paging")
        if not with_account:
            business["id"] = "17841400000099999"
        body = {"business_discovery": business, "id": APP_USER}
        usage = {"17841400000099999": [{"type": "instagram", "call_count": 8, "total_cputime": 2, "total_time": 3}]}
        return json_reply(apply_drift(body, self.drift), **{"X-Business-Use-Case-Usage": json.dumps(usage)})

    def media(self, media: Media) -> dict[str, Any]:
        template = {"IMAGE": "IMAGE", "CAROUSEL_ALBUM": "CAROUSEL_ALBUM", "VIDEO": "REELS", "REELS": "REELS"}
        obj = copy.deepcopy(self.templates[template[media.kind]])
        graph_id = f"179{int.from_bytes(media.code.encode()[-8:], 'big') % 10**14:014d}"
        obj.update(id=graph_id, caption=media.caption, comments_count=media.comments)
        obj["media_product_type"] = "REELS" if media.kind == "REELS" else "FEED"
        obj.update(timestamp=fb_time(media.date), like_count=media.likes)
        obj["media_type"] = "VIDEO" if media.kind == "REELS" else media.kind
        path = "reel" if media.kind == "REELS" else "p"
        obj["permalink"] = f"https://www.instagram.com/{path}/{media.code}/"
        if media.hidden_likes:
            obj.pop("like_count")
        if self.drift == "legacy_shapes":
            obj.pop("media_product_type", None)
        return obj
