"""Instagram parsing and the business discovery pass: documented fixtures, real samples when present."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from civicpulse.collect.base import Target
from civicpulse.collect.facebook.client import checked_account
from civicpulse.collect.facebook.errors import GraphError
from civicpulse.collect.http import Exchange
from civicpulse.collect.instagram.client import InstagramSettings
from civicpulse.collect.instagram.paging import AccountPass
from civicpulse.collect.instagram.parse import parse_payload
from civicpulse.collect.instagram.types import IgMedia, shortcode
from civicpulse.errors import TerminalError
from civicpulse.records.models import PostRecord, SnapshotRecord
from tests.collect.instagram_fake import CASES

SAMPLES = Path("/work/shared/samples/instagram")
OBSERVED = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)
APP_USER = "17841400000000001"


def body(name: str) -> str:
    return (CASES / name).read_text(encoding="utf-8")


def stored(request: dict[str, Any], text: str) -> str:
    return Exchange("instagram", str(request.get("purpose")), request, 200, text, OBSERVED).payload()


def by_id(records: list[Any]) -> dict[str, Any]:
    return {str(getattr(r, "id", None) or r.account): r for r in records}


def test_business_discovery_snapshot_and_media() -> None:
    result = parse_payload(
        stored({"purpose": "account", "account": "north_gov"}, body("graph_business_discovery.json"))
    )
    assert not result.problems
    records = by_id(result.records)
    snapshot = records["north_gov"]
    assert isinstance(snapshot, SnapshotRecord)
    assert (snapshot.followers, snapshot.posts_total, snapshot.observed_at) == (18432, 1204, OBSERVED)
    album = records["C4aBcDeFgHi"]  # the shortcode, as the instaloader and CrowdTangle importers name posts
    assert isinstance(album, PostRecord)
    assert (album.account, album.author, album.kind, album.media) == ("north_gov", "north_gov", "post", "photo")
    assert (album.likes, album.comments, album.reposts, album.views) == (612, 31, 0, None)
    assert album.published_at == dt.datetime(2024, 3, 8, 9, 30, tzinfo=dt.UTC)  # "+0000"
    assert album.url == "https://www.instagram.com/p/C4aBcDeFgHi/"
    assert records["C4Zz9y8X7w6"].media == "video"  # a reel
    hidden = records["C4Yy1Xx2Ww3"]
    assert (hidden.likes, hidden.media) == (0, "photo")  # like_count hidden by the owner


def test_a_later_page_has_media_only_with_counts_as_strings() -> None:
    result = parse_payload(
        stored({"purpose": "media", "account": "north_gov"}, body("graph_business_discovery_media.json"))
    )
    assert not result.problems
    (post,) = result.records
    assert isinstance(post, PostRecord)
    assert (post.id, post.likes, post.comments, post.text) == ("C4Xx0Ww1Vv2", 57, 4, "")


def test_bad_media_are_problems_and_errors_hold_nothing() -> None:
    answer = json.loads(body("graph_business_discovery.json"))
    del answer["business_discovery"]["media"]["data"][0]["timestamp"]
    answer["business_discovery"]["media"]["data"].append(["x"])
    result = parse_payload(stored({"purpose": "account", "account": "north_gov"}, json.dumps(answer)))
    assert len([r for r in result.records if isinstance(r, PostRecord)]) == 2
    assert any("media item 0" in p and "timestamp" in p for p in result.problems)
    assert any("media item 3: not an object" in p for p in result.problems)
    assert parse_payload(stored({"purpose": "account", "account": "x"}, body("graph_error_110.json"))).records == []


def test_shortcodes_and_media_types() -> None:
    assert shortcode("https://www.instagram.com/p/CSr71Gzlqo4/") == "CSr71Gzlqo4"
    assert shortcode("https://www.instagram.com/reel/C4Zz9y8X7w6/?igsh=x") == "C4Zz9y8X7w6"
    assert shortcode("https://www.instagram.com/north_gov/p/C4aBcDeFgHi/") == "C4aBcDeFgHi"
    assert shortcode(None) is None
    media = IgMedia.from_payload({"id": "179", "timestamp": "2024-03-01T00:00:00+0000", "media_type": "VIDEO"})
    assert (media.id, media.media, media.url) == ("179", "video", None)  # no permalink: the Graph id


def test_errors_of_business_discovery() -> None:
    error = GraphError.from_payload(json.loads(body("graph_error_110.json"))["error"], 400)
    assert error.scope == "missing" and "Cannot find User" in error.describe()
    rate = GraphError.from_payload(json.loads(body("graph_error_80002.json"))["error"], 403)
    assert rate.scope == "rate"


def test_account_pass_expansions_and_end() -> None:
    now = OBSERVED
    walk = AccountPass.start("north_gov", {}, now, None, 30, 7, limit=3)
    first = walk.plan(APP_USER)
    assert first.path == APP_USER and first.purpose == "account"
    assert first.params["fields"].startswith("business_discovery.username(north_gov){id,username,name,followers_count")
    assert "media.limit(3){id,caption" in first.params["fields"]
    assert walk.advance(first, json.loads(body("graph_business_discovery.json"))) is None
    second = walk.plan(APP_USER)
    assert second.purpose == "media" and "media.after(QVFIUnNhbXBsZUFmdGVy).limit(3)" in second.params["fields"]
    assert "followers_count" not in second.params["fields"]
    walk.advance(second, {"business_discovery": {"media": {"data": []}}})
    assert walk.done and walk.state() == {
        "phase": "done",
        "newest": int(dt.datetime(2024, 3, 8, 9, 30, tzinfo=dt.UTC).timestamp()),
    }


def test_account_pass_stops_at_the_boundary_and_fails_on_nothing() -> None:
    since = dt.datetime(2024, 3, 7, tzinfo=dt.UTC)
    walk = AccountPass.start("north_gov", {}, OBSERVED, since, 30, 7)
    walk.advance(walk.plan(APP_USER), json.loads(body("graph_business_discovery.json")))
    assert walk.done  # the page ends with a post of March 6th
    empty = AccountPass.start("north_gov", {}, OBSERVED, None, 30, 7)
    failure = empty.advance(empty.plan(APP_USER), {"id": APP_USER})
    assert failure is not None and failure.label == "not found"


def test_usernames_are_checked_before_they_enter_a_field_expansion() -> None:
    assert checked_account(Target("instagram", "official", "north_gov", account="north_gov")) == "north_gov"
    with pytest.raises(TerminalError, match="not a page or account name"):
        checked_account(Target("instagram", "official", "x", account="x){followers_count}"))


def test_settings_need_the_app_users_id() -> None:
    settings = InstagramSettings.model_validate({"token": "t", "ig_user_id": APP_USER})
    assert settings.version.startswith("v") and settings.page_size == 25
    with pytest.raises(ValidationError):
        InstagramSettings.model_validate({"token": "t", "ig_user_id": "me"})


# -- real responses (skipped when the shared samples are not on this machine) ---------------


def sample(name: str) -> str:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path.read_text(encoding="utf-8")


def test_real_business_discovery_samples() -> None:
    (snapshot,) = parse_payload(
        stored({"purpose": "account", "account": "fb"}, sample("business_discovery_user_fields.json"))
    ).records
    assert isinstance(snapshot, SnapshotRecord) and (snapshot.followers, snapshot.posts_total) == (64976, 436)
    result = parse_payload(stored({"purpose": "media", "account": "fb"}, sample("business_discovery_media_p1.json")))
    assert not result.problems
    assert {r.id for r in result.records} == {"CSr71Gzlqo4", "CSpNPqgFxE0"}
    assert all(isinstance(r, PostRecord) and r.published_at.tzinfo for r in result.records)


def test_real_own_media_sample_reads_as_media() -> None:
    # /{ig-user-id}/media (an account's own listing) has the same media fields as business discovery
    items = json.loads(sample("ig_user_media_p1.json"))["data"]
    media = [IgMedia.from_payload(item) for item in items]
    assert [m.id for m in media] == ["CSgf9BChwVq", "CSgdWACBeKr"]
    assert media[1].comments == 6 and media[1].likes == 2
