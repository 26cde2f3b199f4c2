"""Facebook parsing and Graph API errors: documented fixtures, real samples when present, drift, usage."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from civicpulse.collect.facebook.client import FacebookConnector, FacebookSettings
from civicpulse.collect.facebook.errors import GraphError, error_for, read_usage
from civicpulse.collect.facebook.paging import FEED_FIELDS, PagePass
from civicpulse.collect.facebook.parse import parse_payload
from civicpulse.collect.facebook.types import FbComment, FbPost
from civicpulse.collect.http import Exchange, MemoryLedger, Session
from civicpulse.errors import QuotaExhausted, TerminalError, TokenError, TransientError
from civicpulse.records.models import PostRecord, SnapshotRecord
from tests.collect.contract import FakeClock
from tests.collect.facebook_fake import CASES

SAMPLES = Path("/work/shared/samples/facebook")
OBSERVED = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)
PAGE = "100064000000001"
NOW = OBSERVED


def body(name: str) -> str:
    return (CASES / name).read_text(encoding="utf-8")


def stored(request: dict[str, Any], text: str, status: int = 200) -> str:
    return Exchange("facebook", str(request.get("purpose")), request, status, text, OBSERVED).payload()


def by_id(records: list[Any]) -> dict[str, Any]:
    return {str(r.id): r for r in records}


def test_page_snapshot_followers_else_fans() -> None:
    (snapshot,) = parse_payload(stored({"purpose": "page", "account": "east.gov"}, body("graph_page.json"))).records
    assert isinstance(snapshot, SnapshotRecord)
    assert (snapshot.account, snapshot.followers, snapshot.posts_total) == ("east.gov", 48210, None)
    (legacy,) = parse_payload(stored({"purpose": "page", "account": "edu"}, body("graph_page_legacy.json"))).records
    assert legacy.followers == 3120


def test_feed_reactions_comments_shares_and_authors() -> None:
    request = {"purpose": "feed", "account": "east.gov", "page_id": PAGE, "fields": FEED_FIELDS}
    result = parse_payload(stored(request, body("graph_feed.json")))
    assert not result.problems
    posts = by_id(result.records)
    school = posts[f"{PAGE}_811000000000003"]
    assert isinstance(school, PostRecord)
    assert (school.account, school.author, school.kind, school.media) == ("east.gov", "east.gov", "post", "photo")
    assert (school.likes, school.comments, school.reposts, school.views) == (311, 23, 14, None)  # all reactions
    assert school.published_at == dt.datetime(2024, 3, 8, 9, 30, tzinfo=dt.UTC)  # "+0000"
    assert school.url == "https://www.facebook.com/100064000000001/posts/811000000000003/"
    visitor = posts[f"{PAGE}_811000000000002"]
    assert (visitor.author, visitor.reposts, visitor.media) == ("61550000000077", 0, "text")  # no shares: 0
    assert posts[f"{PAGE}_811000000000001"].media == "video"


def test_the_page_is_the_author_even_before_its_id_is_known() -> None:
    request = {"purpose": "feed", "account": "east.gov"}  # no page_id: the post id's prefix says whose feed
    posts = by_id(parse_payload(stored(request, body("graph_feed.json"))).records)
    assert posts[f"{PAGE}_811000000000003"].author == "east.gov"


def test_legacy_feed_likes_instead_of_reactions() -> None:
    request = {"purpose": "feed", "account": "edu", "page_id": "100064000000002"}
    (post,) = parse_payload(stored(request, body("graph_feed_legacy.json"))).records
    assert (post.likes, post.comments, post.reposts, post.author) == (41, 3, 1, "edu")
    assert post.url == "https://www.facebook.com/100064000000002_700000000000009"


def test_comments_stream_with_parents_page_replies_and_hidden_authors() -> None:
    request = {"purpose": "comments", "account": "east.gov", "page_id": PAGE, "post": f"{PAGE}_811000000000003"}
    result = parse_payload(stored(request, body("graph_comments.json")))
    assert not result.problems
    comments = by_id(result.records)
    top = comments["811000000000003_122000000000001"]
    assert (top.reply_to, top.author, top.comments, top.likes, top.kind) == (
        f"{PAGE}_811000000000003",
        "61550000000077",
        2,
        12,
        "comment",
    )
    reply = comments["811000000000003_122000000000002"]
    assert (reply.reply_to, reply.author) == ("811000000000003_122000000000001", "east.gov")  # the page answered
    hidden = comments["811000000000003_122000000000003"]
    assert (hidden.author, hidden.media) == (None, "photo")
    assert hidden.text.startswith("<script>")  # kept as written; escaping is the exports' job


def test_comment_ids_and_parents_from_permalinks_in_older_answers() -> None:
    item = json.loads(body("graph_comments.json"))["data"][1]
    item.pop("id")
    item.pop("parent")
    comment = FbComment.from_payload(item, f"{PAGE}_811000000000003")
    assert (comment.id, comment.parent) == ("811000000000003_122000000000002", "811000000000003_122000000000001")
    with pytest.raises(ValueError, match="id"):
        FbComment.from_payload({"created_time": "2024-03-08T10:00:00+0000"}, "1_2")


def test_bad_items_and_errors_kept_as_answers() -> None:
    feed = json.loads(body("graph_feed.json"))
    del feed["data"][0]["created_time"]
    feed["data"].append(7)
    result = parse_payload(stored({"purpose": "feed", "account": "east.gov"}, json.dumps(feed)))
    assert len(result.records) == 2
    assert any("item 0" in p and "created_time" in p for p in result.problems)
    assert any("item 3: not an object" in p for p in result.problems)
    error = stored({"purpose": "comments", "account": "x", "post": "1_2"}, body("graph_error_100_33.json"), 400)
    assert parse_payload(error).records == [] and not parse_payload(error).problems
    assert parse_payload(stored({"purpose": "feed"}, body("graph_feed.json"))).problems  # no account


def test_counts_drift() -> None:
    item = json.loads(body("graph_feed.json"))["data"][0]
    item["reactions"] = {"summary": {"total_count": "311"}}
    item["shares"] = {"count": "14"}
    assert (FbPost.from_payload(item).reactions, FbPost.from_payload(item).shares) == (311, 14)
    item.pop("reactions")  # only the per-type aliases: their sum
    assert FbPost.from_payload(item).reactions == 311


@pytest.mark.parametrize(
    ("fixture", "status", "scope", "label", "error_class"),
    [
        ("graph_error_100_33.json", 400, "missing", "not found", TerminalError),
        ("graph_error_190_463.json", 400, "token", "token", TokenError),
        ("graph_error_4.json", 403, "rate", "rate limit", TransientError),
        ("graph_error_10.json", 403, "permission", "permission", TerminalError),
        ("graph_error_80001.json", 400, "rate", "rate limit", TransientError),
    ],
)
def test_error_codes(fixture: str, status: int, scope: str, label: str, error_class: type[Exception]) -> None:
    error = GraphError.from_payload(json.loads(body(fixture))["error"], status, "feed")
    assert (error.scope, error.label) == (scope, label)
    raised = error_for(error, "facebook:x", None, 300, "[collect.facebook]")
    assert type(raised) is error_class
    assert raised.platform_wide == (scope == "token")


def test_long_throttles_stop_the_platform_but_a_page_limit_only_its_page() -> None:
    app = GraphError.from_payload(json.loads(body("graph_error_4.json"))["error"], 403)
    assert isinstance(error_for(app, "facebook:x", 3600, 300, "w"), QuotaExhausted)
    short = error_for(app, "facebook:x", 120, 300, "w")
    assert isinstance(short, TransientError) and short.retry_after == 120 and not short.platform_wide
    page = GraphError(400, 32, None, "Page request limit reached", False)
    assert not error_for(page, "facebook:x", 3600, 300, "w").platform_wide
    transient = GraphError(500, 2, None, "Service temporarily unavailable", False)
    assert transient.scope == "transient" and GraphError(400, 99, None, "x", True).scope == "transient"


def test_usage_headers() -> None:
    assert read_usage({}).percent == 0
    headers = {
        "x-app-usage": '{"call_count": 28, "total_cputime": 25, "total_time": 91}',
        "x-business-use-case-usage": json.dumps(
            {
                "17841": [
                    {"type": "instagram", "call_count": 40, "total_cputime": 5, "estimated_time_to_regain_access": 7}
                ]
            }
        ),
        "x-page-usage": "not json",
    }
    usage = read_usage(headers)
    assert (usage.percent, usage.regain_seconds) == (91, 420)


def test_a_token_near_its_limit_rests_before_the_next_request() -> None:
    clock = FakeClock(NOW)
    settings = FacebookSettings.model_validate({"token": "t", "usage_pause": 60, "rate": 1000, "burst": 5})
    connector = FacebookConnector(httpx.Client(), settings, Session(clock=clock, ledger=MemoryLedger()))
    connector._pace(read_usage({"x-app-usage": '{"call_count": 95}'}))
    connector.http.limiter.acquire()
    assert sum(clock.sleeps) == pytest.approx(60, abs=0.01)
    connector._pace(read_usage({"x-app-usage": '{"call_count": 50}'}))
    connector.http.limiter.acquire()
    assert sum(clock.sleeps) == pytest.approx(60, abs=0.01)  # below usage_pause_at: no rest


def test_app_secret_is_a_redacted_secret() -> None:
    settings = FacebookSettings.model_validate({"token": "tok", "app_secret": "s3cret-app"})
    assert "s3cret-app" in settings.secret_values() and "s3cret-app" not in repr(settings)


def test_page_pass_plans_and_stops() -> None:
    walk = PagePass.start("east.gov", {}, NOW, None, 30, 7)
    assert walk.plan().path == "east.gov"
    walk.advance(walk.plan(), json.loads(body("graph_page.json")))
    feed = walk.plan()
    assert feed.path == f"{PAGE}/feed" and feed.describe()["page_id"] == PAGE
    walk.advance(feed, json.loads(body("graph_feed.json")))  # 2024-03 posts: newer than the boundary
    assert walk.after == "QVFIUm9rYU1PN1VjZA3cy" and not walk.feed_done
    assert [job[0] for job in walk.jobs] == [f"{PAGE}_811000000000003", f"{PAGE}_811000000000002"]
    walk.advance(walk.plan(), {"data": [], "paging": {}})
    comments = walk.plan()
    assert comments.path == f"{PAGE}_811000000000003/comments" and comments.params["filter"] == "stream"
    notes, failure = walk.advance(comments, json.loads(body("graph_error_100_33.json")))
    assert failure is None and "does not exist" in notes[0]


# -- real responses (skipped when the shared samples are not on this machine) ---------------


def sample(name: str) -> str:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path.read_text(encoding="utf-8")


def test_real_feed_sample() -> None:
    result = parse_payload(
        stored({"purpose": "feed", "account": "FacebookforDevelopers"}, sample("page_feed_reactions_shares_p1.json"))
    )
    assert not result.problems and len(result.records) == 5
    assert all(isinstance(p, PostRecord) and p.published_at.tzinfo for p in result.records)


def test_real_comments_sample_without_ids() -> None:
    request = {"purpose": "comments", "account": "x", "post": "19292868552_10158407654328553"}
    result = parse_payload(stored(request, sample("post_comments_p1.json")))
    assert not result.problems and len(result.records) == 10
    replies = [r for r in result.records if isinstance(r, PostRecord) and r.reply_to != request["post"]]
    assert replies and all(r.reply_to.startswith("10158407654328553_") for r in replies)


def test_real_page_post_and_error_samples() -> None:
    (snapshot,) = parse_payload(
        stored({"purpose": "page", "account": "facebookapp"}, sample("page_fields_fan_count.json"))
    ).records
    assert snapshot.followers == 214507731  # fan_count: no followers_count in this old answer
    post = FbPost.from_payload(json.loads(sample("post_reactions_breakdown.json")))
    assert post.reactions == 1
    error = GraphError.from_payload(json.loads(sample("error_100_permission.json"))["error"], 400)
    assert error.scope == "missing"
