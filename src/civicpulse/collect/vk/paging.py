"""What to ask VK next: the passes over a wall and over a mention search, as resumable state.

No network here: a pass plans the next ``execute`` (up to 25 calls), reads the results, and
serialises itself to the JSON state the runner commits with each page. The connector
(:mod:`civicpulse.collect.vk.client`) only sends what a pass plans.

**Wall pass** (an official account). The first request carries the snapshot call
(``groups.getById`` or ``users.get``) and the first ``wall.get`` page; each later request asks as
many wall pages as the dates seen so far suggest are left (up to the 25 calls of an ``execute``),
and fills the free calls with queued ``wall.getComments`` jobs. The wall is read newest first down
to the pass's *boundary*: ``--since``, else the older of the newest post of the last pass and
``refresh_days`` ago (recent posts are observed again, their counts still move), else
``backfill_days`` ago. A post's comments are fetched when its comment count differs from the one
seen by the last pass: top-level comments with up to 10 inline thread replies, then
``wall.getComments(comment_id=...)`` for threads with more replies, starting after the inline ones.

**Mention search** (one entity). ``newsfeed.search`` by every alias in one request, each paged
with ``start_from``/``next_from`` over a window fixed when the pass starts: from the end of the
last pass (minus an overlap) or ``mention_backfill_days`` ago, to now. VK returns at most 1000
results per query and window; when an alias has more, a note says so.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from civicpulse.collect.vk.errors import VkError
from civicpulse.collect.vk.types import VkPost, as_int
from civicpulse.collect.window import PassState, boundary_of, seen_since, settled_of

WALL_PAGE = 100
COMMENTS_PAGE = 100
SEARCH_PAGE = 200
SEARCH_CAP = 1000
USERS_PER_CALL = 1000
EXECUTE_CALLS = 25
AUTHOR_FIELDS = "photo_100,has_photo,followers_count,counters,last_seen,verified,screen_name,is_closed"


@dataclass(frozen=True)
class Call:
    """One API call inside an ``execute``; ``purpose`` tells the parser what the result is for."""

    method: str
    params: dict[str, Any]
    purpose: str

    def describe(self) -> dict[str, Any]:
        return {"method": self.method, "params": self.params, "purpose": self.purpose}


@dataclass(frozen=True)
class Failure:
    """Why a wall cannot be collected: a short label for reports and the full reason."""

    label: str
    reason: str


@dataclass(frozen=True)
class CallResult:
    """A call's result, or the error VK reported for it."""

    value: Any = None
    error: VkError | None = None


def _epoch(value: dt.datetime) -> int:
    return int(value.timestamp())


@dataclass
class WallPass(PassState):
    """One pass over an official account's wall; see the module docstring."""

    done_keys: ClassVar[tuple[str, ...]] = ("newest", "seen")

    owner: int
    boundary: int
    comments: bool = True
    thread_items: int = 10
    offset: int = 0
    pages: int = 1
    total: int | None = None
    snapshot: bool = False
    wall_done: bool = False
    newest: int | None = None
    jobs: list[list[int]] = field(default_factory=list)
    """Comment fetches to do: ``[post id, comment id (0 for the top level), offset]``."""
    seen: dict[str, list[int]] = field(default_factory=dict)
    """Post id -> ``[date, comments]`` as last collected, so unchanged posts' comments are not fetched."""
    settled: dict[str, Any] = field(default_factory=dict)
    """The state the last finished pass left, to start again from if this pass fails."""
    started: int = 0
    """When the pass started (epoch seconds)."""
    posts: int = 0
    """Posts seen down to the boundary in this pass, for the posting rate the next pass plans with."""

    @classmethod
    def start(
        cls,
        owner: int,
        settled: dict[str, Any],
        now: dt.datetime,
        since: dt.datetime | None,
        backfill_days: int,
        refresh_days: int,
        *,
        comments: bool = True,
        thread_items: int = 10,
    ) -> WallPass:
        clean = settled_of(settled, ("newest", "seen", "rate"))
        boundary = boundary_of(clean, now, since, backfill_days, refresh_days)
        seen = seen_since(clean.get("seen"), boundary)
        started = _epoch(now)
        # the last pass's posting rate says how many pages this one needs: ask them all at once
        rate = clean.get("rate")
        pages = 1
        if isinstance(rate, int | float) and rate > 0:
            pages = max(1, min(EXECUTE_CALLS - 1, math.ceil(rate * (started - boundary) * 1.2 / WALL_PAGE)))
        return cls(
            owner,
            boundary,
            comments,
            thread_items,
            pages=pages,
            seen=seen,
            settled=clean,
            newest=as_int(clean.get("newest")),
            started=started,
        )

    @property
    def done(self) -> bool:
        return self.wall_done and not self.jobs

    def done_state(self) -> dict[str, Any]:
        """The settled state, with this pass's posting rate (posts a second) for the next one to plan with."""
        rate = self.posts / max(3600, self.started - self.boundary) if self.started else None
        return {**super().done_state(), "rate": rate}

    def plan(self, slots: int = EXECUTE_CALLS) -> list[Call]:
        calls: list[Call] = []
        if not self.snapshot:
            if self.owner < 0:
                calls.append(
                    Call("groups.getById", {"group_id": str(-self.owner), "fields": "members_count"}, "snapshot")
                )
            else:
                calls.append(Call("users.get", {"user_ids": str(self.owner), "fields": "followers_count"}, "snapshot"))
        if not self.wall_done:
            wanted = self.pages
            if self.total is not None:
                wanted = min(wanted, math.ceil((self.total - self.offset) / WALL_PAGE))
            for i in range(max(1, min(wanted, slots - len(calls)))):
                params = {"owner_id": self.owner, "offset": self.offset + i * WALL_PAGE, "count": WALL_PAGE}
                calls.append(Call("wall.get", params, "wall"))
        for post_id, comment_id, offset in self.jobs[: max(0, slots - len(calls))]:
            calls.append(self._comments_call(post_id, comment_id, offset))
        return calls

    def _comments_call(self, post_id: int, comment_id: int, offset: int) -> Call:
        params: dict[str, Any] = {
            "owner_id": self.owner,
            "post_id": post_id,
            "offset": offset,
            "count": COMMENTS_PAGE,
            "need_likes": 1,
            "sort": "asc",
        }
        if comment_id:
            params["comment_id"] = comment_id
            return Call("wall.getComments", params, "thread")
        if self.thread_items:
            params["thread_items_count"] = self.thread_items
        return Call("wall.getComments", params, "comments")

    def advance(self, calls: Sequence[Call], results: Sequence[CallResult]) -> tuple[list[str], Failure | None]:
        """Take the results of a planned request; returns notes and why the wall failed, if it did."""
        notes: list[str] = []
        failure: Failure | None = None
        done_jobs = 0
        new_jobs: list[list[int]] = []
        wall: list[tuple[Call, CallResult]] = []
        for call, result in zip(calls, results, strict=True):
            if call.purpose == "snapshot":
                self.snapshot = True
                failure = failure or _snapshot_failure(result)
            elif call.purpose == "wall":
                wall.append((call, result))
            else:
                done_jobs += 1
                new_jobs += self._comment_results(call, result, notes)
        self.jobs = self.jobs[done_jobs:] + new_jobs
        wall_failure = self._wall_results(wall)
        return notes, failure or wall_failure

    def _wall_results(self, pages: list[tuple[Call, CallResult]]) -> Failure | None:
        oldest: int | None = None
        newest_here: int | None = None
        count = 0
        for call, result in pages:
            if self.wall_done:
                break
            if result.error is not None:
                self.wall_done = True
                return Failure(result.error.label, f"wall: {result.error.reason()}")
            value = _dict(result.value)
            items = _list(value.get("items"))
            self.total = as_int(value.get("count"))
            reached = False
            for item in items:
                try:
                    post = VkPost.from_payload(item)
                except (ValueError, TypeError, AttributeError):
                    continue  # the parser reports it; paging goes by the readable posts
                if post.pinned and post.date < self.boundary:
                    continue  # an old pinned post comes first and says nothing about where the wall is
                if post.date < self.boundary:
                    reached = True
                    continue
                count += 1
                self.posts += 1
                oldest = post.date if oldest is None else min(oldest, post.date)
                newest_here = post.date if newest_here is None else max(newest_here, post.date)
                self.newest = post.date if self.newest is None else max(self.newest, post.date)
                self._queue_comments(post)
            after = int(call.params["offset"]) + WALL_PAGE
            if reached or not items or (self.total is not None and after >= self.total):
                self.wall_done = True
            else:
                self.offset = after
        if not self.wall_done:
            self.pages = _pages_left(count, oldest, newest_here, self.boundary)
        return None

    def _queue_comments(self, post: VkPost) -> None:
        previous = self.seen.get(str(post.id))
        if (
            self.comments
            and post.comments_open
            and post.comments > 0
            and (previous is None or previous[1] != post.comments)
        ):
            self.jobs.append([post.id, 0, 0])
        self.seen[str(post.id)] = [post.date, post.comments]

    def _comment_results(self, call: Call, result: CallResult, notes: list[str]) -> list[list[int]]:
        post_id = int(call.params["post_id"])
        comment_id = int(call.params.get("comment_id", 0))
        offset = int(call.params["offset"])
        if result.error is not None:
            notes.append(f"comments of post {self.owner}_{post_id} skipped: {result.error.reason()}")
            return []
        value = _dict(result.value)
        items = [i for i in _list(value.get("items")) if isinstance(i, dict)]
        jobs: list[list[int]] = []
        if not comment_id:
            for item in items:
                thread = _dict(item.get("thread"))
                inline = len(_list(thread.get("items")))
                if (as_int(thread.get("count")) or 0) > inline and as_int(item.get("id")) is not None:
                    jobs.append([post_id, int(item["id"]), inline])
        level = as_int(value.get("current_level_count"))
        if level is None:
            level = as_int(value.get("count")) or 0
        if items and offset + COMMENTS_PAGE < level:
            jobs.append([post_id, comment_id, offset + COMMENTS_PAGE])
        return jobs


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _snapshot_failure(result: CallResult) -> Failure | None:
    if result.error is not None:
        return Failure(result.error.label, f"snapshot: {result.error.reason()}")
    value = result.value
    items = value.get("groups", []) if isinstance(value, dict) else value
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("deactivated"):
            what = "community" if "name" in item and "first_name" not in item else "page"
            state = str(item["deactivated"])
            return Failure(state, f"the {what} is {state} (VK deactivated)")
    return None


def _pages_left(count: int, oldest: int | None, newest: int | None, boundary: int) -> int:
    """Wall pages probably left down to the boundary, from the posting rate seen so far (1 to 24)."""
    if not count or oldest is None or newest is None or newest <= oldest:
        return 2
    per_second = count / (newest - oldest)
    expected = per_second * max(0, oldest - boundary) * 1.2  # a fifth more: a short page costs no request
    return max(1, min(EXECUTE_CALLS - 1, math.ceil(expected / WALL_PAGE)))


@dataclass
class MentionSearch:
    """One pass of ``newsfeed.search`` by an entity's aliases; see the module docstring."""

    start: int
    end: int
    aliases: list[list[Any]]
    """``[alias, next_from or None, done]`` per alias."""

    @classmethod
    def begin(
        cls,
        terms: Sequence[str],
        settled: dict[str, Any],
        now: dt.datetime,
        since: dt.datetime | None,
        backfill_days: int,
        overlap_minutes: int,
    ) -> MentionSearch:
        end = _epoch(now)
        if since is not None:
            start = _epoch(since)
        elif as_int(settled.get("until")) is not None:
            start = int(settled["until"]) - overlap_minutes * 60
        else:
            start = _epoch(now - dt.timedelta(days=backfill_days))
        return cls(start, end, [[term, None, False] for term in terms])

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> MentionSearch:
        return cls(int(state["start"]), int(state["end"]), [list(a) for a in state["aliases"]])

    @property
    def done(self) -> bool:
        return all(alias[2] for alias in self.aliases)

    def state(self) -> dict[str, Any]:
        if self.done:
            return {"phase": "done", "until": self.end}
        return {"phase": "search", "start": self.start, "end": self.end, "aliases": self.aliases}

    def plan(self, slots: int = EXECUTE_CALLS) -> list[Call]:
        calls = []
        for term, next_from, done in self.aliases:
            if done:
                continue
            params: dict[str, Any] = {"q": term, "count": SEARCH_PAGE, "start_time": self.start, "end_time": self.end}
            if next_from:
                params["start_from"] = next_from
            calls.append(Call("newsfeed.search", params, "search"))
            if len(calls) == slots:
                break
        return calls

    def advance(self, calls: Sequence[Call], results: Sequence[CallResult]) -> list[str]:
        notes = []
        by_term = {alias[0]: alias for alias in self.aliases}
        for call, result in zip(calls, results, strict=True):
            alias = by_term[call.params["q"]]
            if result.error is not None:
                alias[2] = True
                notes.append(f"search {alias[0]!r} skipped: {result.error.reason()}")
                continue
            value = _dict(result.value)
            items = _list(value.get("items"))
            total = as_int(value.get("total_count"))
            if "start_from" not in call.params and total is not None and total > SEARCH_CAP:
                notes.append(
                    f"search {alias[0]!r}: {total} posts in the window, VK returns the first {SEARCH_CAP} only; "
                    "collect more often"
                )
            next_from = value.get("next_from")
            alias[1] = str(next_from) if next_from else None
            alias[2] = not items or not next_from
        return notes


def author_calls(ids: Sequence[str]) -> list[Call]:
    """``users.get`` calls for ``ids``, 1000 per call (the method's limit)."""
    return [
        Call("users.get", {"user_ids": ",".join(ids[i : i + USERS_PER_CALL]), "fields": AUTHOR_FIELDS}, "authors")
        for i in range(0, len(ids), USERS_PER_CALL)
    ]
