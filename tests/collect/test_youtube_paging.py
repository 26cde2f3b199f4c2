"""YouTube passes: boundaries, what each request asks, where the uploads end, comment jobs, searches."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from civicpulse.collect.youtube.paging import COSTS, PAGE, ChannelPass, MentionSearch, author_calls, search_query
from tests.collect.youtube_fake import CASES

NOW = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)
T = int(NOW.timestamp())
DAY = 86_400
CHANNEL = "UCa1b2c3d4e5f6g7h8i9j0kA"


def iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def video(video_id: str, published: int, comments: int | None = 0) -> dict[str, Any]:
    statistics = {"viewCount": "1"} if comments is None else {"viewCount": "1", "commentCount": str(comments)}
    return {"id": video_id, "snippet": {"publishedAt": iso(published), "channelId": CHANNEL}, "statistics": statistics}


def start(previous: dict[str, Any] | None = None, **kw: Any) -> ChannelPass:
    return ChannelPass.start(CHANNEL, previous or {}, NOW, kw.get("since"), 30, 7)


def channel_answer() -> dict[str, Any]:
    return json.loads((CASES / "channels.list.json").read_text(encoding="utf-8"))


def test_boundary_first_pass_refresh_since_and_after_a_failure() -> None:
    assert start().boundary == T - 30 * DAY
    assert start({"phase": "done", "newest": T - 2 * DAY, "seen": {}}).boundary == T - 7 * DAY
    assert start({"phase": "done", "newest": T - 40 * DAY, "seen": {}}).boundary == T - 40 * DAY
    since = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert start(since=since).boundary == int(since.timestamp())
    walk = start({"phase": "done", "newest": T - DAY, "seen": {"v": [T - DAY, 3]}})
    again = start(walk.failed_state())
    assert again.boundary == walk.boundary and again.seen == {"v": [T - DAY, 3]}


def test_a_channel_by_id_or_by_handle() -> None:
    assert start().plan().params["id"] == CHANNEL
    by_handle = ChannelPass.start("@akimat-north", {}, NOW, None, 30, 7)
    call = by_handle.plan()
    assert call.method == "channels.list" and call.params["forHandle"] == "@akimat-north"
    notes, failure = by_handle.advance(call, channel_answer())
    assert failure is None and any("registered by handle" in n and CHANNEL in n for n in notes)


def test_a_missing_channel_fails_the_target() -> None:
    walk = start()
    _notes, failure = walk.advance(walk.plan(), {"items": []})
    assert failure is not None and failure.label == "deleted"
    assert walk.failed_state()["phase"] == "failed"


def test_uploads_then_videos_page_by_page_down_to_the_boundary() -> None:
    walk = start()
    walk.advance(walk.plan(), channel_answer())
    call = walk.plan()
    assert (call.method, call.params["playlistId"], call.params["maxResults"]) == (
        "playlistItems.list",
        "UUa1b2c3d4e5f6g7h8i9j0kA",
        PAGE,
    )
    ids = [f"v{i}" for i in range(50)]
    walk.advance(call, {"items": [{"contentDetails": {"videoId": v}} for v in ids], "nextPageToken": "P2"})
    call = walk.plan()
    assert call.method == "videos.list" and call.params["id"].split(",") == ids
    walk.advance(call, {"items": [video(v, T - (i + 1) * 3600, comments=i % 3) for i, v in enumerate(ids)]})
    call = walk.plan()
    assert call.params.get("pageToken") == "P2"  # the next playlist page
    # the second page crosses the boundary: the walk ends after its videos
    walk.advance(call, {"items": [{"contentDetails": {"videoId": "old"}}, {"contentDetails": {"videoId": "new"}}]})
    walk.advance(walk.plan(), {"items": [video("new", T - 5 * DAY), video("old", T - 31 * DAY, comments=4)]})
    assert walk.uploads_done and not walk.videos
    assert "old" not in walk.seen  # older than the boundary: observed, but not followed
    assert [job[0] for job in walk.jobs] == [v for i, v in enumerate(ids) if i % 3]  # videos with comments


def test_comment_jobs_threads_pages_and_errors_kept_as_notes() -> None:
    walk = start()
    walk.channel_done, walk.uploads_done = True, True
    walk.jobs = [["v1", "", ""], ["v2", "", ""]]
    call = walk.plan()
    assert call.method == "commentThreads.list" and call.params["videoId"] == "v1"
    assert call.describe()["video"] == "v1" and "key" not in call.describe()
    threads = json.loads((CASES / "commentThreads.list.json").read_text(encoding="utf-8"))
    notes, failure = walk.advance(call, threads)
    assert not notes and failure is None
    # the thread with 7 replies and 1 inline gets its own job; the page token a next page
    assert walk.jobs == [["v2", "", ""], ["v1", "UgzT0pLevel1AaABAg", ""], ["v1", "", threads["nextPageToken"]]]
    error = json.loads((CASES / "error_commentsDisabled.json").read_text(encoding="utf-8"))
    notes, failure = walk.advance(walk.plan(), error)
    assert failure is None and "commentsDisabled" in notes[0] and "v2" in notes[0]
    call = walk.plan()
    assert call.method == "comments.list" and call.params["parentId"] == "UgzT0pLevel1AaABAg"


def test_unchanged_comment_counts_are_not_fetched_again() -> None:
    previous = {"phase": "done", "newest": T - DAY, "seen": {"a": [T - DAY, 5], "b": [T - DAY, 2]}}
    walk = start(previous)
    walk.channel_done, walk.videos = True, ["a", "b"]
    walk.advance(walk.plan(), {"items": [video("a", T - DAY, 5), video("b", T - DAY, 3)]})
    assert walk.jobs == [["b", "", ""]]


def test_done_state_and_resume() -> None:
    walk = start()
    state = walk.state()
    assert state["phase"] == "walk" and ChannelPass.from_state(state) == walk
    walk.channel_done, walk.uploads_done = True, True
    assert walk.done and walk.state()["phase"] == "done"


def test_search_queries_windows_and_dedup() -> None:
    assert search_query("Северная область") == '"Северная область"'
    assert search_query("Солтүстік") == "Солтүстік"
    search = MentionSearch.begin(("Северная область", "СКО"), {}, NOW, None, 7, 60)
    assert (search.start, search.end) == (T - 7 * DAY, T)
    call = search.plan("KZ", "ru")
    assert call.method == "search.list" and call.params["publishedBefore"] == iso(T)
    assert (call.params["regionCode"], call.params["relevanceLanguage"], call.params["type"]) == ("KZ", "ru", "video")
    hits = {"items": [{"id": {"kind": "youtube#video", "videoId": v}} for v in ("a", "b")], "nextPageToken": "N"}
    search.advance(call, hits)
    videos = search.plan()
    assert videos.method == "videos.list" and videos.params["id"] == "a,b"
    search.advance(videos, {"items": []})
    assert search.plan().params["pageToken"] == "N"
    search.advance(search.plan(), {"items": [{"id": {"videoId": "b"}}, {"id": {"kind": "youtube#channel"}}]})
    second = search.plan()
    assert second.context["alias"] == "СКО"  # no next token: the first alias is done; "b" was read already
    search.advance(second, {"items": [{"id": {"videoId": "b"}}, {"id": {"videoId": "c"}}]})
    assert search.pending == ["c"]
    search.advance(search.plan(), {"items": []})
    assert search.done and search.state() == {"phase": "done", "until": T}
    again = MentionSearch.begin(("СКО",), search.state(), NOW + dt.timedelta(days=1), None, 7, 60)
    assert again.start == T - 3600


def test_costs_and_author_batches() -> None:
    assert COSTS["search.list"] == 100 and {c for m, c in COSTS.items() if m != "search.list"} == {1}
    calls = author_calls([f"UC{i:022d}" for i in range(120)])
    assert [len(c.params["id"].split(",")) for c in calls] == [50, 50, 20]
