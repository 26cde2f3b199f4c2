"""YouTube parsing: documented fixtures (tests/cases/youtube), real samples when present, errors, drift."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from civicpulse.collect.http import Exchange
from civicpulse.collect.youtube.errors import YoutubeError, error_for
from civicpulse.collect.youtube.parse import parse_payload
from civicpulse.collect.youtube.types import YtChannel, YtComment, YtUpload, YtVideo
from civicpulse.errors import QuotaExhausted, TerminalError, TokenError, TransientError
from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord
from tests.collect.youtube_fake import CASES

SAMPLES = Path("/work/shared/samples/youtube")
OBSERVED = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)
NORTH = "UCa1b2c3d4e5f6g7h8i9j0kA"


def body(name: str) -> str:
    return (CASES / name).read_text(encoding="utf-8")


def stored(method: str, request: dict[str, Any], text: str, status: int = 200) -> str:
    return Exchange("youtube", method, request, status, text, OBSERVED).payload()


def by_id(records: list[Any]) -> dict[str, Any]:
    return {str(getattr(r, "id", None) or r.account): r for r in records}


def test_channel_snapshot_counts_as_strings_and_hidden_subscribers() -> None:
    request = {"part": "snippet,statistics,contentDetails", "id": NORTH, "purpose": "snapshot", "account": NORTH}
    result = parse_payload(stored("channels.list", request, body("channels.list.json")))
    assert not result.problems
    # the second channel hides its subscribers: no snapshot for it
    (snapshot,) = result.records
    assert isinstance(snapshot, SnapshotRecord)
    assert (snapshot.account, snapshot.followers, snapshot.posts_total) == (NORTH, 12400, 612)
    assert snapshot.observed_at == OBSERVED


def test_snapshot_of_a_channel_registered_by_handle_keeps_the_registry_id() -> None:
    request = {"forHandle": "@akimat-north", "purpose": "snapshot", "account": "@akimat-north"}
    (snapshot, *_) = parse_payload(stored("channels.list", request, body("channels.list.json"))).records
    assert snapshot.account == "@akimat-north"


def test_channels_as_authors() -> None:
    request = {"part": "snippet,statistics", "id": "x,y", "purpose": "authors"}
    authors = by_id(parse_payload(stored("channels.list", request, body("channels.list.json"))).records)
    north, hidden = authors[NORTH], authors["UCz9y8x7w6v5u4t3s2r1q0pA"]
    assert isinstance(north, AuthorRecord)
    assert (north.name, north.handle, north.followers, north.posts_total) == (
        "Акимат Северной области",
        "@akimat-north",
        12400,
        612,
    )
    assert north.created_at == dt.datetime(2016, 5, 12, 8, 14, 3, tzinfo=dt.UTC)
    assert hidden.followers is None and json.loads(hidden.extra_json() or "{}")["hidden_subscribers"] is True


def test_videos_counts_live_and_hidden_fields() -> None:
    request = {"part": "snippet,statistics,liveStreamingDetails", "purpose": "uploads", "account": NORTH}
    result = parse_payload(stored("videos.list", request, body("videos.list.json")))
    assert not result.problems
    videos = by_id(result.records)
    school = videos["dxRP4f8kXd0"]
    assert isinstance(school, PostRecord)
    assert (school.account, school.author, school.kind, school.media) == (NORTH, NORTH, "post", "video")
    assert (school.views, school.likes, school.comments, school.reposts) == (5230, 214, 37, 0)
    assert school.text.startswith("Открытие новой школы в Петропавловске\n\nАким области")
    assert school.url == "https://www.youtube.com/watch?v=dxRP4f8kXd0"
    assert school.published_at == dt.datetime(2024, 3, 8, 9, 30, tzinfo=dt.UTC)
    assert videos["Liv3sTream1"].media == "live"  # on air now
    past = videos["PastStrm_02"]
    assert past.media == "live"  # a finished broadcast keeps its liveStreamingDetails
    assert (past.likes, past.comments, past.views) == (0, 0, 1377)  # likes hidden, comments off
    assert past.published_at == dt.datetime(2024, 2, 20, 5, 0, tzinfo=dt.UTC)


def test_videos_found_by_a_search_belong_to_their_channel() -> None:
    request = {"part": "snippet,statistics", "id": "dxRP4f8kXd0", "purpose": "mentions"}
    (video, *_) = parse_payload(stored("videos.list", request, body("videos.list.json"))).records
    assert (video.account, video.author) == (NORTH, NORTH)


def test_comment_threads_with_inline_replies() -> None:
    request = {"videoId": "dxRP4f8kXd0", "textFormat": "plainText", "purpose": "comments", "account": "@akimat-north"}
    result = parse_payload(stored("commentThreads.list", request, body("commentThreads.list.json")))
    assert not result.problems
    comments = by_id(result.records)
    assert set(comments) == {"UgzT0pLevel1AaABAg", "UgzT0pLevel1AaABAg.A1b2C3d4E5f", "UgyS3c0ndThrdAaABAg"}
    top = comments["UgzT0pLevel1AaABAg"]
    assert (top.account, top.author, top.reply_to, top.kind) == (
        "@akimat-north",
        "UCc1t1z2e3n4o5n6e7x8y9zA",
        "dxRP4f8kXd0",
        "comment",
    )
    assert (top.likes, top.comments) == (9, 7)
    assert top.text == "Когда откроют школу в нашем районе? <b>Ждём</b>"  # as typed; escaping is the exports' job
    assert top.url == "https://www.youtube.com/watch?v=dxRP4f8kXd0&lc=UgzT0pLevel1AaABAg"
    reply = comments["UgzT0pLevel1AaABAg.A1b2C3d4E5f"]
    assert (reply.reply_to, reply.comments, reply.author) == ("UgzT0pLevel1AaABAg", 0, NORTH)
    assert comments["UgyS3c0ndThrdAaABAg"].author is None  # no authorChannelId


def test_replies_of_a_thread_take_the_video_from_the_request() -> None:
    request = {"parentId": "UgzT0pLevel1AaABAg", "purpose": "comments", "account": NORTH, "video": "dxRP4f8kXd0"}
    result = parse_payload(stored("comments.list", request, body("comments.list.json")))
    assert not result.problems
    replies = by_id(result.records)
    assert {r.reply_to for r in replies.values()} == {"UgzT0pLevel1AaABAg"}
    second = replies["UgzT0pLevel1AaABAg.A1b2C3d4E6g"]
    assert second.url == "https://www.youtube.com/watch?v=dxRP4f8kXd0&lc=UgzT0pLevel1AaABAg.A1b2C3d4E6g"
    assert second.published_at == dt.datetime(2024, 3, 8, 13, 20, 45, tzinfo=dt.UTC)


@pytest.mark.parametrize("method", ["search.list", "playlistItems.list"])
def test_paging_answers_hold_no_records(method: str) -> None:
    name = {"search.list": "search.list.json", "playlistItems.list": "playlistItems.list.json"}[method]
    result = parse_payload(stored(method, {"purpose": "x"}, body(name)))
    assert result.records == [] and not result.problems


def test_an_error_kept_as_an_answer_holds_no_records() -> None:
    payload = stored("commentThreads.list", {"videoId": "x"}, body("error_commentsDisabled.json"), status=403)
    result = parse_payload(payload)
    assert result.records == [] and not result.problems


def test_bad_items_are_problems_and_the_rest_is_kept() -> None:
    page = json.loads(body("videos.list.json"))
    del page["items"][0]["snippet"]["publishedAt"]
    page["items"].append("not an object")
    result = parse_payload(stored("videos.list", {"account": NORTH}, json.dumps(page)))
    assert len(result.records) == 2
    assert any("item 0" in p and "publishedAt" in p for p in result.problems)
    assert any("item 3: not an object" in p for p in result.problems)
    assert parse_payload("{not json").problems


def test_schema_drift_in_the_types() -> None:
    video = json.loads(body("videos.list.json"))["items"][0]
    video["statistics"] = {"viewCount": 5230, "likeCount": "214", "commentCount": None}  # numbers, null
    parsed = YtVideo.from_payload(video)
    assert (parsed.views, parsed.likes, parsed.comments, parsed.comments_known) == (5230, 214, 0, False)
    channel = json.loads(body("channels.list.json"))["items"][0]
    channel.pop("contentDetails")  # older answers: the uploads playlist is UU + the id's tail
    channel["statistics"]["hiddenSubscriberCount"] = 0
    assert YtChannel.from_payload(channel).uploads == "UUa1b2c3d4e5f6g7h8i9j0kA"
    upload = {"snippet": {"publishedAt": "2024-01-01T00:00:00Z", "resourceId": {"videoId": "v1"}}}
    assert YtUpload.from_payload(upload).video_id == "v1"
    html_comment = {"id": "c", "snippet": {"textDisplay": "a<br>b &amp; c", "publishedAt": "2024-01-01T00:00:00Z"}}
    assert YtComment.from_payload(html_comment).text == "a\nb & c"
    assert YtComment.from_payload(html_comment, plain=True).text == "a<br>b &amp; c"


@pytest.mark.parametrize(
    ("fixture", "scope", "label", "error_class"),
    [
        ("error_commentsDisabled.json", "item", "comments disabled", TerminalError),
        ("error_videoNotFound.json", "item", "deleted", TerminalError),
        ("error_quotaExceeded.json", "quota", "quota", QuotaExhausted),
        ("error_rateLimitExceeded.json", "transient", "rate limit", TransientError),
        ("error_playlistItemsNotAccessible.json", "target", "private", TerminalError),
        ("error_keyInvalid.json", "token", "token", TokenError),
    ],
)
def test_error_reasons_map_to_classes(fixture: str, scope: str, label: str, error_class: type[Exception]) -> None:
    error = YoutubeError.from_payload(json.loads(body(fixture))["error"], "commentThreads.list")
    assert (error.scope, error.label) == (scope, label)
    raised = error_for(error, "youtube:x")
    assert type(raised) is error_class
    assert raised.platform_wide == (scope in ("quota", "token"))


def test_unreadable_error_objects_are_terminal_for_the_target() -> None:
    error = YoutubeError.from_payload("Forbidden")
    assert error.scope == "target" and "unreadable" in error.message


# -- real responses (skipped when the shared samples are not on this machine) ---------------


def sample(name: str) -> str:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path.read_text(encoding="utf-8")


def test_real_channels_sample() -> None:
    text = sample("channels.list_statistics.json")
    result = parse_payload(stored("channels.list", {"purpose": "snapshot"}, text))
    assert not result.problems
    assert result.records and all(isinstance(r, SnapshotRecord) and r.followers > 0 for r in result.records)
    authors = parse_payload(stored("channels.list", {"purpose": "authors"}, text)).records
    assert all(isinstance(a, AuthorRecord) and a.handle for a in authors)


def test_real_videos_sample() -> None:
    result = parse_payload(stored("videos.list", {"purpose": "mentions"}, sample("videos.list_statistics.json")))
    assert not result.problems
    (video,) = result.records
    assert isinstance(video, PostRecord)
    assert video.views is not None and video.likes > 0 and video.account.startswith("UC")
    assert video.published_at.tzinfo is not None


def test_real_comment_threads_sample() -> None:
    request = {"purpose": "comments", "account": "UC_x5XG1OV2P6uZZ5FSM9Ttw"}
    result = parse_payload(stored("commentThreads.list", request, sample("commentThreads.list_page1.json")))
    assert not result.problems and result.records
    assert all(r.kind == "comment" and r.reply_to for r in result.records if isinstance(r, PostRecord))


def test_real_search_and_error_samples() -> None:
    assert parse_payload(stored("search.list", {}, sample("search.list_nextPageToken.json"))).records == []
    error = YoutubeError.from_payload(json.loads(sample("error_403_permission.json"))["error"])
    assert error.status == 403 and error.scope == "target"
