"""VK parsing: documented fixtures (tests/cases/vk), real samples when present, schema drift, bad items."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from civicpulse.collect.http import Exchange
from civicpulse.collect.vk.client import execute_code
from civicpulse.collect.vk.paging import Call
from civicpulse.collect.vk.parse import parse_payload
from civicpulse.collect.vk.types import VkPost, VkUser, as_bool, as_int, clean_text, count_of, media_of
from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord
from tests.collect.vk_fake import CASES, parse_code

SAMPLES = Path("/work/shared/samples/vk")
OBSERVED = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)


def body(name: str) -> str:
    return (CASES / name).read_text(encoding="utf-8")


def direct(method: str, params: dict[str, Any], text: str) -> str:
    """The stored payload of a method called directly (not through execute)."""
    return Exchange("vk", method, params, 200, text, OBSERVED).payload()


def executed(calls: list[Call], text: str) -> str:
    request = {"v": "5.199", "calls": [c.describe() for c in calls]}
    return Exchange("vk", "execute", request, 200, text, OBSERVED).payload()


def by_id(records: list[Any]) -> dict[str, Any]:
    return {str(r.id): r for r in records}


def test_wall_get_posts_reposts_and_media() -> None:
    result = parse_payload(direct("wall.get", {"owner_id": -10001, "offset": 0, "count": 100}, body("wall.get.json")))
    assert not result.problems
    posts = by_id(result.records)
    assert set(posts) == {"-10001_211", "-10001_245", "-10001_244"}
    school = posts["-10001_245"]
    assert isinstance(school, PostRecord)
    assert (school.account, school.author, school.kind, school.media) == ("-10001", "-10001", "post", "photo")
    assert (school.likes, school.comments, school.reposts, school.views) == (87, 5, 6, 4120)
    assert school.published_at == dt.datetime(2024, 3, 8, 4, 0, tzinfo=dt.UTC)
    assert school.url == "https://vk.com/wall-10001_245"
    assert school.observed_at == OBSERVED
    assert school.text.startswith("Сегодня открыли новую школу") and "\n" in school.text
    repost = posts["-10001_244"]
    assert (repost.kind, repost.repost_of, repost.media, repost.text) == ("repost", "-20002_3321", "video", "")
    pinned = posts["-10001_211"]
    assert pinned.text == "Часы приёма граждан акимом области — каждую среду с 10:00."  # &mdash; decoded
    assert pinned.media == "text"


def test_comments_threads_deleted_and_reply_targets() -> None:
    params = {"owner_id": -10001, "post_id": 245, "offset": 0, "thread_items_count": 10}
    result = parse_payload(direct("wall.getComments", params, body("wall.getComments.json")))
    assert not result.problems
    comments = by_id(result.records)
    # 251 is deleted: skipped, but the reply under it is kept and points at it
    assert set(comments) == {"-10001_245_250", "-10001_245_252", "-10001_245_253", "-10001_245_255", "-10001_245_254"}
    assert {c.kind for c in comments.values()} == {"comment"}
    assert {c.account for c in comments.values()} == {"-10001"}
    top = comments["-10001_245_250"]
    assert (top.reply_to, top.author, top.likes, top.comments) == ("-10001_245", "501", 3, 3)
    assert comments["-10001_245_252"].reply_to == "-10001_245_250"
    assert comments["-10001_245_253"].reply_to == "-10001_245_252"  # reply_to_comment wins over the thread root
    assert comments["-10001_245_255"].reply_to == "-10001_245_251"  # from parents_stack
    assert comments["-10001_245_254"].text == 'Отличная новость "наконец-то"'
    assert comments["-10001_245_254"].url == "https://vk.com/wall-10001_245?reply=254"


def test_thread_page_replies_point_at_the_root_comment() -> None:
    params = {"owner_id": -10001, "post_id": 245, "comment_id": 250, "offset": 2}
    result = parse_payload(direct("wall.getComments", params, body("wall.getComments_thread.json")))
    (reply,) = result.records
    assert isinstance(reply, PostRecord)
    assert (reply.id, reply.reply_to, reply.author) == ("-10001_245_256", "-10001_245_250", "505")


@pytest.mark.parametrize("fixture", ["groups.getById.json", "groups.getById_legacy.json"])
def test_group_snapshots_from_both_shapes(fixture: str) -> None:
    calls = [
        Call("groups.getById", {"group_id": "10001", "fields": "members_count"}, "snapshot"),
        Call("wall.get", {"owner_id": -10001, "offset": 0, "count": 100}, "wall"),
    ]
    groups = json.loads(body(fixture))["response"]
    wall = json.loads(body("wall.get.json"))["response"]
    text = json.dumps({"response": [groups, wall]}, ensure_ascii=False)
    result = parse_payload(executed(calls, text))
    snapshots = [r for r in result.records if isinstance(r, SnapshotRecord)]
    north = next(s for s in snapshots if s.account == "-10001")
    assert (north.followers, north.posts_total, north.observed_at) == (48213, 1482, OBSERVED)
    # the deleted community has no snapshot; the closed one has its member count
    assert {s.account for s in snapshots} <= {"-10001", "-10002"}
    if fixture == "groups.getById.json":
        assert {s.account: s.followers for s in snapshots}["-10002"] == 311


def test_users_as_authors_with_bot_scoring_fields() -> None:
    call = Call("users.get", {"user_ids": "501,502,503,504", "fields": "..."}, "authors")
    result = parse_payload(executed([call], json.dumps({"response": [json.loads(body("users.get.json"))["response"]]})))
    authors = by_id(result.records)
    anna = authors["501"]
    assert isinstance(anna, AuthorRecord)
    assert (anna.name, anna.handle, anna.followers, anna.following) == ("Анна Ким", "anna.kim", 312, 7)
    assert (anna.has_avatar, anna.verified, anna.deactivated) == (True, False, None)
    extra = json.loads(anna.extra_json() or "{}")
    assert extra["friends"] == 240
    assert extra["last_seen_at"] == "2024-03-08T09:15:00+00:00" and extra["last_seen_platform"] == 2
    assert authors["502"].has_avatar is False  # the camera placeholder
    assert authors["503"].deactivated == "deleted" and authors["504"].deactivated == "banned"
    assert authors["504"].followers is None


def test_users_get_as_a_snapshot_of_a_personal_page() -> None:
    call = Call("users.get", {"user_ids": "501", "fields": "followers_count"}, "snapshot")
    result = parse_payload(
        executed([call], json.dumps({"response": [json.loads(body("users.get.json"))["response"][:1]]}))
    )
    (snapshot,) = result.records
    assert isinstance(snapshot, SnapshotRecord)
    assert (snapshot.account, snapshot.followers) == ("501", 312)


def test_newsfeed_search_mentions_of_any_owner() -> None:
    result = parse_payload(direct("newsfeed.search", {"q": "Северная область"}, body("newsfeed.search.json")))
    posts = by_id(result.records)
    assert set(posts) == {"601_77", "-30003_9120"}
    person = posts["601_77"]
    assert (person.account, person.author, person.media) == ("601", "601", "link")
    assert person.text.endswith("❗")  # &#10071;
    assert posts["-30003_9120"].views is None


def test_execute_with_a_failed_call() -> None:
    calls = [
        Call("groups.getById", {"group_id": "10002", "fields": "members_count"}, "snapshot"),
        Call("wall.get", {"owner_id": -10002, "offset": 0, "count": 100}, "wall"),
        Call("wall.getComments", {"owner_id": -10002, "post_id": 1, "offset": 0}, "comments"),
    ]
    result = parse_payload(executed(calls, body("execute.json")))
    assert not result.problems
    (snapshot,) = result.records
    assert isinstance(snapshot, SnapshotRecord) and snapshot.followers == 311 and snapshot.posts_total is None


def test_bad_items_are_problems_not_failures() -> None:
    wall = {
        "response": {
            "count": 3,
            "items": [
                {"id": 1, "owner_id": -5, "date": 1709870400, "text": "ok", "likes": {"count": 1}},
                {"id": 2, "owner_id": -5, "text": "no date"},
                "not an object",
                {"id": 4, "owner_id": -5, "date": "yesterday", "likes": {"count": -3}},
            ],
        }
    }
    result = parse_payload(direct("wall.get", {"owner_id": -5}, json.dumps(wall)))
    assert [str(r.id) for r in result.records] == ["-5_1"]
    assert len(result.problems) == 3
    assert "item 1" in result.problems[0] and "date" in result.problems[0]


def test_unreadable_payload_is_one_problem() -> None:
    result = parse_payload('{"no": "body"}')
    assert not result.records and result.problems[0].startswith("unreadable payload")


def test_lenient_readers_absorb_drift() -> None:
    assert [as_int(v) for v in (5, "5", " -3 ", True, 2.0, "x", None, 2.5)] == [5, 5, -3, 1, 2, None, None, None]
    assert [as_bool(v) for v in (1, 0, True, "1", "true", "0", None)] == [True, False, True, True, True, False, False]
    assert [count_of(v) for v in ({"count": "7"}, 3, {"count": -1}, {}, None)] == [7, 3, 0, None, None]
    assert clean_text("a<br>b<br/>c &amp; d") == "a\nb\nc & d"
    assert media_of([{"type": "video", "video": {"live": 1}}]) == "live"
    assert media_of([{"type": "doc"}]) == "document" and media_of([{"type": "market"}]) == "other"
    post = VkPost.from_payload(
        {
            "id": "9",
            "owner_id": "-1",
            "date": "1709870400",
            "likes": 4,
            "is_pinned": True,
            "comments": {"count": "2", "can_view": 0},
        }
    )
    assert (post.id, post.likes, post.comments, post.pinned, post.comments_open) == (9, 4, 2, True, False)
    user = VkUser.from_payload(
        {"id": 1, "online_info": {"last_seen": 1709870400}, "photo_50": "https://vk.com/images/deactivated_50.png"}
    )
    assert (user.last_seen_time, user.has_avatar) == (1709870400, False)


def test_execute_code_is_what_the_fake_reads_back() -> None:
    calls = [
        Call("wall.get", {"owner_id": -1, "offset": 0, "count": 100}, "wall"),
        Call("newsfeed.search", {"q": 'акимат "Север" API.wall.get({})', "count": 200}, "search"),
    ]
    code = execute_code(calls)
    assert code.startswith("return [API.wall.get({") and code.endswith("];")
    assert parse_code(code) == [(c.method, c.params) for c in calls]


# -- real responses from public repositories (see /work/shared/samples/README.md) ------------------


def sample(name: str) -> str:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"sample {path} not present")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name",
    [
        "wall.get_extended_copy_history.vknet.json",
        "wall.get_rt_community_2016.kasandra.json",
        "wall.get_extended_2021.social_totalizer.json",
    ],
)
def test_real_wall_samples(name: str) -> None:
    text = sample(name)
    items = json.loads(text)["response"]["items"]
    result = parse_payload(direct("wall.get", {"owner_id": 0, "offset": 5}, text))
    assert not result.problems
    assert len(result.records) == len(items)
    for item, record in zip(items, result.records, strict=True):
        assert isinstance(record, PostRecord)
        assert record.id == f"{item['owner_id']}_{item['id']}"
        assert record.likes == item.get("likes", {}).get("count", 0)
        assert record.kind == ("repost" if item.get("copy_history") else "post")


def test_real_comments_sample_with_a_deleted_comment() -> None:
    text = sample("wall.getComments_threads_deleted.vknet.json")
    result = parse_payload(direct("wall.getComments", {"owner_id": -69459624, "post_id": 482121}, text))
    assert sorted(str(r.id) for r in result.records) == ["-69459624_482121_482124", "-69459624_482121_482418"]


def test_real_comments_sample_without_post_in_items() -> None:
    text = sample("wall.getComments_likes_attachments.vknet.json")
    result = parse_payload(direct("wall.getComments", {"owner_id": 1, "post_id": 2}, text))
    comments = by_id(result.records)
    assert comments["1_2_3809"].text == "Поздравляю вас!!!\nРастите здоровыми, счастливыми и красивыми!"
    assert comments["1_2_3810"].media == "photo" and comments["1_2_3810"].likes == 1


def test_real_groups_samples_both_shapes() -> None:
    legacy = json.loads(sample("groups.getById_legacy_array.vknet.json"))["response"]
    current = json.loads(sample("groups.getById_v5.19x_response_value.selenscrapy.json"))
    for shape in (legacy, current):
        call = Call("groups.getById", {"group_id": "1"}, "snapshot")
        result = parse_payload(executed([call], json.dumps({"response": [shape]})))
        assert not result.problems and result.records == []  # members_count was not requested upstream


def test_real_users_samples() -> None:
    for name, expected in (
        ("users.get_full_fields.vknet.json", (5934786, None)),
        ("users.get_counters.vknet.json", (5937280, None)),
        ("users.get_deactivated_deleted.vknet.json", (None, "deleted")),
    ):
        users = json.loads(sample(name))["response"]
        call = Call("users.get", {"user_ids": "1"}, "authors")
        (author,) = parse_payload(executed([call], json.dumps({"response": [users]}))).records
        assert isinstance(author, AuthorRecord)
        assert (author.followers, author.deactivated) == expected


def test_real_newsfeed_search_sample() -> None:
    text = sample("newsfeed.search_next_from.vknet.json")
    result = parse_payload(direct("newsfeed.search", {"q": "x"}, text))
    assert not result.problems and len(result.records) == 3
    assert all("&#" not in r.text for r in result.records if isinstance(r, PostRecord))


def test_real_error_sample_echoes_the_token_and_is_redacted() -> None:
    from civicpulse.collect.http import Redactor
    from civicpulse.collect.vk.errors import VkError

    data = json.loads(sample("error_5_auth.vknet.json"))
    error = VkError.from_payload(data["error"])
    assert (error.code, error.scope) == (5, "token")
    assert "token" not in Redactor(["token"]).text(json.dumps(data))
