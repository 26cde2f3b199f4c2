"""Facts per page and per body, computed from the lake: figures worked out by hand from tests/review/conftest.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from civicpulse.errors import CivicpulseError, PeriodError
from civicpulse.review.build import Review
from civicpulse.review.entities import EntityFacts
from civicpulse.review.facts import AccountFacts
from civicpulse.review.scope import build_scope
from tests.review.conftest import World


@pytest.fixture(scope="module")
def review(world: World) -> Review:
    return world.review("en")


def page(review: Review, participant: str) -> AccountFacts:
    return next(p for p in review.accounts if p.participant == participant)


def body(review: Review, entity: str) -> EntityFacts:
    return next(e for e in review.entities if e.entity == entity)


def test_followers_at_a_date_are_the_latest_snapshot_before_that_day_ends(review: Review) -> None:
    agri = page(review, "facebook:agri")
    assert (agri.followers_from, agri.followers_to) == (11_400, 22_800)  # the 99 999 of the next midnight is out
    assert agri.change == 11_400 and agri.change_pct == 100.0 and agri.followers_ratio == 2.0
    assert agri.followers_to_at == datetime(2018, 12, 16, 8, 0, tzinfo=UTC)
    youth = page(review, "facebook:youth")
    assert youth.followers_to == 4_000  # observed at 23:59:59 local time on the last day
    assert youth.change == -6_000 and youth.change_pct == -60.0
    assert not agri.new and not youth.new


def test_a_page_opened_in_the_period_is_new_and_has_no_change(review: Review) -> None:
    new = page(review, "facebook:culture.new")
    assert new.opened and new.new and not new.closed
    assert new.first_day == date(2018, 4, 21)
    assert new.followers_from is None and new.followers_to == 4_200
    assert new.change is None and new.change_pct is None
    first_seen = page(review, "facebook:migration")  # no registry date, first snapshot inside the period
    assert first_seen.new and not first_seen.opened and first_seen.change_pct is None


def test_a_page_closed_in_the_period_is_measured_up_to_its_last_day(review: Review) -> None:
    old = page(review, "facebook:culture.old")
    assert old.closed and not old.new and old.last_day == date(2018, 4, 20)
    assert (old.followers_from, old.followers_to) == (17_000, 17_500)  # not the 30 000 after it left the body
    assert old.posts == 1  # the post of 2018-05-19 came after it closed
    assert old.last_post_at is not None and old.last_post_at.date() == date(2018, 4, 19)


def test_a_page_with_no_snapshot_at_either_date(review: Review) -> None:
    customs = page(review, "facebook:customs")
    assert customs.followers_from is None and customs.followers_to is None
    assert customs.change is None and customs.change_pct is None and not customs.new
    assert body(review, "c-customs").growth_rank is None


def test_posts_count_on_local_days_edges_included(review: Review) -> None:
    customs = page(review, "facebook:customs")
    # 00:00:00 of the first day and 23:59:59 of the last count; the second before and the midnight after do not
    assert customs.posts == 2 and customs.likes_per_post == 15.0
    assert customs.weeks_with_posts == 2 and customs.weeks == 53
    assert customs.longest_silence_days == 365
    assert customs.first_post_at == datetime(2017, 12, 15, 19, 59, 59, tzinfo=UTC)  # before the period, still known
    assert customs.last_post_at == datetime(2018, 12, 16, 19, 59, 59, tzinfo=UTC)  # the post after the end is not


def test_own_posts_only_and_engagement_by_media_type(review: Review) -> None:
    agri = page(review, "facebook:agri")
    assert agri.posts == 59  # the comment and the reply are not the page's own posts
    assert agri.weeks_with_posts == agri.weeks == 53 and agri.regularity == 1.0
    assert agri.longest_silence_days == 7
    assert agri.likes_per_post == round((53 * 20 + 6 * 3_000) / 59, 2)
    assert agri.posts_per_week == round(59 / 366 * 7, 2)
    video, text = agri.media_of("video"), agri.media_of("text")
    assert video is not None and text is not None
    assert (video.posts, video.likes_per_post, video.share) == (6, 3_000.0, round(6 / 59, 4))
    assert (text.posts, text.likes_per_post) == (53, 20.0)
    edu = page(review, "facebook:edu")
    assert edu.live_streams == 12 and edu.posts == 22 and edu.regularity == round(12 / 53, 4)


def test_dormant_pages_keep_their_last_post_from_before_the_period(review: Review) -> None:
    justice = page(review, "facebook:justice")
    assert justice.dormant and justice.posts == 0 and justice.likes_per_post is None
    assert justice.first_post_at is not None and justice.first_post_at.year == 2011
    assert justice.last_post_at is not None and justice.last_post_at.year == 2011
    aqro = page(review, "facebook:aqro")
    assert aqro.dormant and aqro.last_post_at is None and aqro.longest_silence_days == 366


def test_bodies_with_several_pages_sum_them_and_rank_by_growth(review: Review) -> None:
    agri = body(review, "m-agri")
    assert [p.participant for p in agri.pages] == ["facebook:agri", "facebook:aqro", "youtube:agri.yt"]
    assert (agri.followers_from, agri.followers_to) == (25_800, 37_750)  # the media page is not official
    assert agri.platforms == ("facebook", "youtube") and agri.active_platforms == ("facebook",)
    order = [e.entity for e in review.entities]
    assert order == [
        "m-internal",
        "m-evil",
        "m-agri",
        "m-edu",
        "m-justice",
        "m-youth",
        "m-culture",
        "c-customs",
        "s-migration",
    ]
    assert [e.growth_rank for e in review.entities] == [1, 2, 3, 4, 5, 6, 7, None, None]
    assert {e.ranked for e in review.entities[:7]} == {7}
    assert review.totals is not None and review.totals.bodies == 7
    assert (review.totals.followers_from, review.totals.followers_to) == (148_300, 180_565)
    assert review.opened_pages == 2 and review.dormant_pages == 4


def test_a_renamed_body_shows_its_old_and_new_pages_side_by_side(review: Review) -> None:
    culture = body(review, "m-culture")
    assert [p.participant for p in culture.pages] == ["facebook:culture.new", "facebook:culture.old"]
    assert [(m.old, m.new, m.on) for m in culture.moves] == [
        ("facebook:culture.old", "facebook:culture.new", date(2018, 4, 20))
    ]
    assert (culture.followers_from, culture.followers_to) == (17_000, 4_200)  # the audience left behind
    assert culture.change_pct == round((4_200 - 17_000) / 17_000 * 100, 2)


def test_pages_out_of_the_period_and_bodies_chosen_by_kind_or_id(world: World) -> None:
    registry = world.engine.registry
    scope = build_scope(registry, date(2017, 12, 16), date(2018, 12, 16))
    assert "facebook:gone" not in {p.account.key for p in scope.pages}  # closed before the period
    assert "m-nopage" not in {e.id for e in scope.entities}
    chosen = build_scope(registry, date(2017, 12, 16), date(2018, 12, 16), "service, m-youth,committee")
    assert [e.id for e in chosen.entities] == ["m-youth", "s-migration", "c-customs"]
    nopage = world.review("en", entities="m-nopage")
    assert nopage.entities[0].pages == () and "no official page" in nopage.entities[0].text
    with pytest.raises(CivicpulseError, match="'agency' is neither an entity id nor a kind"):
        build_scope(registry, date(2017, 12, 16), date(2018, 12, 16), "agency")
    with pytest.raises(PeriodError, match="before --from"):
        build_scope(registry, date(2018, 12, 16), date(2017, 12, 16))
    one_day = build_scope(registry, date(2018, 12, 16), date(2018, 12, 16))
    assert one_day.period.first_day == one_day.period.last_day == date(2018, 12, 16)
