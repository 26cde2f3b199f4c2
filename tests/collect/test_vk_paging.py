"""VK passes: boundaries, what each request asks, when a wall ends, comment jobs, mention paging, errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from civicpulse.collect.vk.errors import VkError, raise_error
from civicpulse.collect.vk.paging import Call, CallResult, Failure, MentionSearch, WallPass, author_calls
from civicpulse.errors import QuotaExhausted, TerminalError, TokenError, TransientError

NOW = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)
T = int(NOW.timestamp())
DAY = 86_400


def post(post_id: int, date: int, comments: int = 0, pinned: bool = False, can_view: int = 1) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": post_id,
        "owner_id": -1,
        "from_id": -1,
        "date": date,
        "text": "",
        "comments": {"count": comments, "can_view": can_view},
    }
    if pinned:
        item["is_pinned"] = 1
    return item


def page(items: list[dict[str, Any]], count: int) -> CallResult:
    return CallResult({"count": count, "items": items})


def start(**kw: Any) -> WallPass:
    args: dict[str, Any] = {"settled": {}, "now": NOW, "since": None, "backfill_days": 30, "refresh_days": 7}
    args.update(kw)
    return WallPass.start(
        -1, args.pop("settled"), args.pop("now"), args.pop("since"), args.pop("backfill_days"), args.pop("refresh_days")
    )


def test_boundary_first_pass_refresh_and_since() -> None:
    assert start().boundary == T - 30 * DAY
    assert start(settled={"phase": "done", "newest": T - 2 * DAY, "seen": {}}).boundary == T - 7 * DAY
    # not collected for a month: back to the newest post seen, so nothing is skipped
    assert start(settled={"phase": "done", "newest": T - 40 * DAY, "seen": {}}).boundary == T - 40 * DAY
    since = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert start(since=since).boundary == int(since.timestamp())


def test_failed_pass_starts_again_from_what_the_last_finished_pass_left() -> None:
    settled = {"phase": "done", "newest": T - DAY, "seen": {"5": [T - DAY, 3]}}
    walk = start(settled=settled)
    failed = walk.failed_state()
    again = start(settled=failed)
    assert again.boundary == walk.boundary and again.seen == {"5": [T - DAY, 3]}


def test_first_request_is_snapshot_and_one_wall_page() -> None:
    calls = start().plan()
    assert [(c.method, c.purpose) for c in calls] == [("groups.getById", "snapshot"), ("wall.get", "wall")]
    assert calls[0].params == {"group_id": "1", "fields": "members_count"}
    person = WallPass.start(42, {}, NOW, None, 30, 7).plan()
    assert person[0].method == "users.get" and person[1].params["owner_id"] == 42


def test_wall_stops_at_the_boundary_ignoring_an_old_pinned_post() -> None:
    walk = start()
    calls = walk.plan()
    items = [post(900, T - 90 * DAY, comments=4, pinned=True)]
    items += [post(100 - i, T - i * 3600, comments=i % 3) for i in range(99)]
    walk.advance(calls, [CallResult({"groups": [{"id": 1, "members_count": 5}]}), page(items, 5000)])
    assert not walk.wall_done and walk.offset == 100
    assert walk.pages > 1  # 99 posts in ~4 days, 26 days to go: many pages, in one request
    assert [job for job in walk.jobs if job[0] == 900] == []  # the old pinned post's comments are not wanted
    assert all(job[1:] == [0, 0] for job in walk.jobs)
    calls = walk.plan()
    assert calls[0].method == "wall.get" and len([c for c in calls if c.purpose == "wall"]) == walk.pages
    assert len(calls) <= 25
    older = [post(1, T - 31 * DAY)]
    results = [page(older, 5000) if c.purpose == "wall" else CallResult({"count": 0, "items": []}) for c in calls]
    walk.advance(calls, results)
    assert walk.wall_done


def test_wall_ends_at_its_last_post() -> None:
    walk = start()
    calls = walk.plan()
    walk.advance(calls, [CallResult([{"id": 1, "members_count": 5}]), page([post(2, T - 60), post(1, T - 120)], 2)])
    assert walk.wall_done and walk.done
    state = walk.state()
    assert state == {
        "phase": "done",
        "newest": T - 60,
        "seen": {"2": [T - 60, 0], "1": [T - 120, 0]},
        "rate": pytest.approx(2 / (30 * DAY)),
    }


def test_the_next_pass_asks_all_its_pages_at_once_from_the_last_rate() -> None:
    busy = {"phase": "done", "newest": T - 3600, "seen": {}, "rate": 300 / DAY}  # 300 posts a day
    calls = start(settled=busy).plan()
    # 7 days of 300 posts, a fifth more for safety: 26 pages wanted, 24 fit beside the snapshot
    assert len([c for c in calls if c.purpose == "wall"]) == 24
    quiet = {"phase": "done", "newest": T - 3600, "seen": {}, "rate": 5 / DAY}
    assert len([c for c in start(settled=quiet).plan() if c.purpose == "wall"]) == 1


def test_comments_only_for_posts_whose_count_changed() -> None:
    settled = {"phase": "done", "newest": T - DAY, "seen": {"3": [T - DAY, 4], "2": [T - 2 * DAY, 1]}}
    walk = start(settled=settled)
    calls = walk.plan()
    items = [
        post(4, T - 60, comments=2),
        post(3, T - DAY, comments=4),
        post(2, T - 2 * DAY, comments=5),
        post(1, T - 3 * DAY, comments=9, can_view=0),
    ]
    walk.advance(calls, [CallResult([{"id": 1}]), page(items, 4)])
    assert sorted(job[0] for job in walk.jobs) == [2, 4]  # 3 unchanged, 1 has comments hidden


def test_comment_jobs_threads_and_next_pages() -> None:
    walk = start()
    walk.wall_done, walk.snapshot, walk.jobs = True, True, [[7, 0, 0]]
    (call,) = walk.plan()
    assert call.params["thread_items_count"] == 10 and call.params["need_likes"] == 1
    items = [
        {"id": 70, "thread": {"count": 14, "items": [{"id": 71}] * 10}},
        {"id": 72, "thread": {"count": 2, "items": [{"id": 73}, {"id": 74}]}},
    ]
    notes, failure = walk.advance([call], [CallResult({"count": 250, "current_level_count": 130, "items": items})])
    assert not notes and failure is None
    assert walk.jobs == [[7, 70, 10], [7, 0, 100]]  # the thread after its 10 inline replies; the next top page
    thread, top = walk.plan()
    assert (
        thread.purpose == "thread" and thread.params["comment_id"] == 70 and "thread_items_count" not in thread.params
    )
    walk.advance(
        [thread, top],
        [
            CallResult({"count": 14, "items": [{"id": 80}] * 4}),
            CallResult({"count": 250, "current_level_count": 130, "items": [{"id": 90}] * 30}),
        ],
    )
    assert walk.done


def test_closed_comments_are_a_note_and_a_private_wall_a_failure() -> None:
    walk = start()
    walk.jobs = [[7, 0, 0]]
    calls = walk.plan()
    denied = CallResult(error=VkError(212, "Access to post comments denied", "wall.getComments"))
    private = CallResult(error=VkError(15, "Access denied", "wall.get"))
    results = [CallResult([{"id": 1, "members_count": 3}]), private, denied]
    notes, failure = walk.advance(calls, results)
    assert notes == ["comments of post -1_7 skipped: wall.getComments: VK error 212: Access to post comments denied"]
    assert failure == Failure("private", "wall: wall.get: VK error 15: Access denied")


def test_deleted_community_fails_at_the_snapshot() -> None:
    walk = start()
    calls = walk.plan()
    _notes, failure = walk.advance(
        calls,
        [
            CallResult({"groups": [{"id": 1, "name": "DELETED", "deactivated": "deleted"}]}),
            CallResult(error=VkError(18, "deleted", "wall.get")),
        ],
    )
    assert failure == Failure("deleted", "the community is deleted (VK deactivated)")


def test_state_survives_json() -> None:
    walk = start()
    walk.advance(walk.plan(), [CallResult([{"id": 1}]), page([post(9, T - 60, comments=3)] * 100, 900)])
    state = json.loads(json.dumps(walk.state()))
    assert state["phase"] == "walk"
    again = WallPass.from_state(state)
    assert again.plan() == walk.plan()


def test_mention_search_pages_every_alias_in_one_request() -> None:
    search = MentionSearch.begin(["Север", "Солтүстік"], {}, NOW, None, 7, 60)
    assert (search.start, search.end) == (T - 7 * DAY, T)
    calls = search.plan()
    assert [c.params["q"] for c in calls] == ["Север", "Солтүстік"] and "start_from" not in calls[0].params
    notes = search.advance(
        calls,
        [
            CallResult({"items": [{}], "next_from": "2/-1_5", "count": 1000, "total_count": 4000}),
            CallResult({"items": [], "count": 0}),
        ],
    )
    assert notes and "4000" in notes[0]
    (call,) = search.plan()
    assert call.params["start_from"] == "2/-1_5"
    search.advance([call], [CallResult({"items": [{}]})])
    assert search.done and search.state() == {"phase": "done", "until": T}
    later = MentionSearch.begin(["Север"], search.state(), NOW + dt.timedelta(days=1), None, 7, 60)
    assert later.start == T - 3600


def test_mention_search_error_skips_the_alias() -> None:
    search = MentionSearch.begin(["x"], {}, NOW, None, 7, 0)
    notes = search.advance(search.plan(), [CallResult(error=VkError(100, "bad q", "newsfeed.search"))])
    assert search.done and "skipped" in notes[0]


def test_author_calls_take_a_thousand_ids_each() -> None:
    calls = author_calls([str(i) for i in range(2500)])
    assert [len(c.params["user_ids"].split(",")) for c in calls] == [1000, 1000, 500]
    assert all(isinstance(c, Call) and c.purpose == "authors" for c in calls)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (6, TransientError),
        (9, TransientError),
        (10, TransientError),
        (29, QuotaExhausted),
        (5, TokenError),
        (28, TokenError),
        (15, TerminalError),
        (18, TerminalError),
        (30, TerminalError),
        (203, TerminalError),
        (212, TerminalError),
        (100, TerminalError),
    ],
)
def test_error_codes_map_to_classes(code: int, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        raise_error(VkError.from_payload({"error_code": code, "error_msg": "m"}), "vk:-1")
    assert type(caught.value) is error
    assert f"VK error {code}" in str(caught.value) and str(caught.value).startswith("vk:-1: ")
    assert caught.value.platform_wide == (code in (5, 28, 29))  # type: ignore[attr-defined]


def test_unreadable_error_objects_are_terminal() -> None:
    error = VkError.from_payload("boom")
    assert error.code == 0 and error.scope == "target"
    assert VkError.from_payload({"error_code": "6"}).message == "Too many requests per second"
