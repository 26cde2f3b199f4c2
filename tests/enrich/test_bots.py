"""The bot score: profile signals, posting rhythm, thresholds, and the ``bots`` window stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest

from civicpulse.enrich.bots import BotParams, Rhythm, latest_authors, rhythm, score_authors
from civicpulse.enrich.flagging import bots_stage
from civicpulse.enrich.window import WindowInput
from civicpulse.records.schema import AUTHORS
from civicpulse.registry.loader import RegistryText, parse
from tests.enrich.test_coordination import _posts

NOW = dt.datetime(2024, 3, 10, 12, tzinfo=dt.UTC)
BODY = pa.schema([f for f in AUTHORS if not f.name.startswith("_")])


def _author(ident: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(BODY.names)
    row.update(platform="vk", id=ident, observed_at=NOW)
    row.update(fields)
    return row


def _authors(*rows: dict[str, Any]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=BODY)


def _citizen(ident: str) -> dict[str, Any]:
    return _author(
        ident,
        created_at=NOW - dt.timedelta(days=2000),
        has_avatar=True,
        followers=180,
        following=240,
        posts_total=900,
        handle="aigerim.nur",
    )


def _bot(ident: str) -> dict[str, Any]:
    return _author(
        ident,
        created_at=NOW - dt.timedelta(days=12),
        has_avatar=False,
        followers=2,
        following=950,
        posts_total=700,
        handle="arman483920",
    )


def test_a_citizen_scores_low_and_a_bot_high_with_reasons() -> None:
    scores = score_authors(_authors(_citizen("1"), _bot("2")))
    assert scores.score["vk:1"] == 0.0 and scores.signals["vk:1"] == []
    fired = ["young", "no_avatar", "few_followers", "follows_many", "hyperactive", "digit_handle"]
    keep = 1.0
    for name in fired:
        keep *= 1 - BotParams().weights[name]
    assert scores.score["vk:2"] == pytest.approx(1 - keep)
    reason = scores.reason("vk:2", 0.6)
    assert (
        reason.startswith(f"bot score {1 - keep:.2f} (threshold 0.6): ")
        and "no avatar" in reason
        and "account 12 days old" in reason
    )
    assert "58 posts a day" in reason and "follows 950, followed by 2" in reason and "6 digits" in reason


def test_a_banned_account_is_enough_on_its_own() -> None:
    scores = score_authors(_authors({**_citizen("1"), "deactivated": "banned"}))
    assert scores.score["vk:1"] == pytest.approx(0.9)
    assert scores.signals["vk:1"] == ["account banned"]


def test_unknown_fields_fire_nothing() -> None:
    scores = score_authors(_authors(_author("1")))
    assert scores.score["vk:1"] == 0.0


def test_weak_signals_add_up_as_a_noisy_or() -> None:
    row = {**_citizen("1"), "has_avatar": False, "created_at": NOW - dt.timedelta(days=100)}
    scores = score_authors(_authors(row))
    assert scores.score["vk:1"] == pytest.approx(1 - (1 - 0.25) * (1 - 0.15))
    tuned = score_authors(_authors(row), params=BotParams(weights={**BotParams().weights, "no_avatar": 0.5}))
    assert tuned.score["vk:1"] == pytest.approx(1 - 0.5 * 0.85)


def test_rhythm_bursts_and_clockwork() -> None:
    burst = [("b", "g", 1000.0 + 20 * i, "да!") for i in range(6)]
    clock = [("c", "g", 3600.0 * i, "новости") for i in range(12)]
    human = [("h", "g", t, "ну") for t in (10.0, 4000.0, 4100.0, 90_000.0)]
    beats = rhythm(_posts(burst + clock + human))
    assert beats["vk:b"] == Rhythm(6, 20.0, 0.0)
    scores = score_authors(_authors(), beats)
    assert "6 posts, median gap 20 s" in scores.signals["vk:b"]
    assert any("regular intervals" in s for s in scores.signals["vk:c"])
    assert scores.score["vk:h"] == 0.0


def test_latest_observation_of_each_author_wins() -> None:
    old = {**_bot("1"), "observed_at": NOW - dt.timedelta(days=30), "deactivated": None}
    new = {**_bot("1"), "deactivated": "deleted"}
    latest = latest_authors(_authors(old, new, _citizen("2")))
    assert latest.num_rows == 2
    assert score_authors(latest).signals["vk:1"][0] == "account deleted"


def test_the_bots_stage_flags_every_post_of_a_bot_but_never_a_registry_account() -> None:
    registry = parse(
        RegistryText(
            "timezone: UTC\nentities: [{id: kz, kind: country}]\n"
            "accounts: [{platform: vk, id: '2', entity: kz, role: official}]\n",
            "r.yaml",
        )
    )
    posts = _posts(
        [("1", "g", 10.0, "Спасибо"), ("3", "g", 20.0, "Позор"), ("3", "g", 30.0, "ещё"), ("2", "g", 40.0, "x")]
    )
    authors = _authors(_citizen("1"), _bot("2"), _bot("3"))
    start = dt.datetime(2024, 3, 4, tzinfo=dt.UTC)
    result = bots_stage().function(WindowInput(posts, authors, registry, start, start + dt.timedelta(days=7)))
    assert result.flags == [[], ["bot_author"], ["bot_author"], []]
    assert result.reasons[1][0].startswith("author vk:3: bot score")
    assert result.summary == "1 bot authors of 3"
