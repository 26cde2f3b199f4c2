"""What to ask the Graph API next about a Facebook page, as resumable state.

No network here: the pass plans the next request, reads its parsed body, and serialises itself
to the JSON state the runner commits with each page.

**Page pass** (an official account). The page's counters (``followers_count``, ``fan_count``),
then its feed newest first (``/{page}/feed``, ``limit`` posts a page, cursor ``after``) with the
reaction, comment and share summaries in the same request; the walk stops at the first page
whose last post is older than the pass's *boundary* (``--since``, else the older of the newest
post of the last pass and ``refresh_days`` ago, else ``backfill_days`` ago); an older post on top
(pinned) does not stop it. Then the comments (``filter=stream``: replies too, with ``parent``) of
every post whose comment count differs from the one the last pass saw, 100 a page. A post deleted
or hidden meanwhile is a note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final

from civicpulse.collect.facebook.errors import GraphError
from civicpulse.collect.facebook.types import REACTIONS, FbPage, FbPost
from civicpulse.collect.values import as_int, as_str, epoch, items, mapping
from civicpulse.collect.window import PassState, boundary_of, seen_since, settled_of

COMMENTS_PAGE: Final = 100
PAGE_FIELDS: Final = "id,name,username,link,followers_count,fan_count"
FEED_FIELDS: Final = ",".join(
    [
        "id,created_time,message,permalink_url,status_type,from{id,name},shares",
        "attachments{media_type,type}",
        "comments.filter(stream).limit(0).summary(total_count)",
        "reactions.limit(0).summary(total_count)",
        *(f"reactions.type({kind.upper()}).limit(0).summary(total_count).as({kind})" for kind in REACTIONS),
    ]
)
COMMENT_FIELDS: Final = "id,from{id,name},message,created_time,like_count,comment_count,parent{id},permalink_url"


@dataclass(frozen=True)
class Call:
    """One Graph API request: a path under the version, its parameters, and what it is for."""

    path: str
    params: dict[str, Any]
    purpose: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def method(self) -> str:
        """How payloads and messages name the request: ``page``, ``feed``, ``comments``."""
        return self.purpose

    def describe(self) -> dict[str, Any]:
        return {"path": self.path, **self.params, "purpose": self.purpose, **self.context}


@dataclass(frozen=True)
class Failure:
    label: str
    reason: str


@dataclass
class PagePass(PassState):
    """One pass over an official page; see the module docstring."""

    done_keys: ClassVar[tuple[str, ...]] = ("newest", "seen")

    account: str
    boundary: int
    edge: str = "feed"
    limit: int = 25
    comments: bool = True
    page_done: bool = False
    page_id: str | None = None
    after: str | None = None
    feed_done: bool = False
    jobs: list[list[str]] = field(default_factory=list)
    """Comment pages to read: ``[post id, after cursor ("" for the first page)]``."""
    seen: dict[str, list[int]] = field(default_factory=dict)
    """Post id -> ``[published, comment count]`` as last collected."""
    newest: int | None = None
    settled: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        account: str,
        previous: Mapping[str, Any],
        now: dt.datetime,
        since: dt.datetime | None,
        backfill_days: int,
        refresh_days: int,
        **options: Any,
    ) -> PagePass:
        settled = settled_of(previous)
        boundary = boundary_of(settled, now, since, backfill_days, refresh_days)
        seen = seen_since(settled.get("seen"), boundary)
        newest = as_int(settled.get("newest"))
        return cls(account, boundary, seen=seen, newest=newest, settled=settled, **options)

    @property
    def done(self) -> bool:
        return self.page_done and self.feed_done and not self.jobs

    def plan(self) -> Call:
        context: dict[str, Any] = {"account": self.account}
        if self.page_id:
            context["page_id"] = self.page_id
        if not self.page_done:
            return Call(self.account, {"fields": PAGE_FIELDS}, "page", context)
        if not self.feed_done:
            params: dict[str, Any] = {"fields": FEED_FIELDS, "limit": self.limit}
            if self.after:
                params["after"] = self.after
            return Call(f"{self.page_id or self.account}/{self.edge}", params, "feed", context)
        post, after = self.jobs[0]
        params = {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            "limit": COMMENTS_PAGE,
        }
        if after:
            params["after"] = after
        return Call(f"{post}/comments", params, "comments", {**context, "post": post})

    def advance(self, call: Call, data: Any) -> tuple[list[str], Failure | None]:
        """Take the answer to the planned call; returns notes and why the page failed, if it did."""
        body = mapping(data)
        if call.purpose == "page":
            self.page_done = True
            try:
                self.page_id = FbPage.from_payload(body).id
            except ValueError:
                self.feed_done = True
                return [], Failure("not found", f"page {self.account}: the answer names no page")
            return [], None
        if call.purpose == "feed":
            self._feed(body)
            return [], None
        return self._comments(call, body), None

    def _feed(self, body: Mapping[str, Any]) -> None:
        posts = []
        for item in items(body.get("data")):
            try:
                posts.append(FbPost.from_payload(mapping(item)))
            except ValueError:
                continue  # the parser reports it; paging goes by the readable posts
        for post in posts:
            published = epoch(post.published_at)
            if published < self.boundary:
                continue
            self.newest = published if self.newest is None else max(self.newest, published)
            previous = self.seen.get(post.id)
            if self.comments and post.comments > 0 and (previous is None or previous[1] != post.comments):
                self.jobs.append([post.id, ""])
            self.seen[post.id] = [published, post.comments]
        paging = mapping(body.get("paging"))
        after = as_str(mapping(paging.get("cursors")).get("after"))
        # newest first: once the last post of a page is older than the boundary, so is the rest
        reached = bool(posts) and epoch(posts[-1].published_at) < self.boundary
        if reached or not posts or not after or not paging.get("next"):
            self.feed_done = True
        else:
            self.after = after

    def _comments(self, call: Call, body: Mapping[str, Any]) -> list[str]:
        post, _after = self.jobs.pop(0)
        if "error" in body:  # an answer about this post only (deleted or hidden meanwhile)
            error = GraphError.from_payload(body["error"], method="comments")
            return [f"comments of post {post} skipped: {error.describe()}"]
        paging = mapping(body.get("paging"))
        after = as_str(mapping(paging.get("cursors")).get("after"))
        if items(body.get("data")) and after and paging.get("next"):
            self.jobs.append([post, after])
        return []
