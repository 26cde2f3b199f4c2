"""The built-in ``mentions`` rating: counts, engagement, per population, audience balance, exclusions, explain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from civicpulse.enrich import pipeline
from civicpulse.enrich import run as runner
from civicpulse.enrich.language import STAGE as LANGUAGE
from civicpulse.enrich.mentions import STAGE as MENTIONS
from civicpulse.enrich.stage import STANDARD, Stage, StageContext
from civicpulse.metrics.mentions import NOT_ENRICHED
from civicpulse.periods import parse_week
from civicpulse.rating import methodology
from civicpulse.rating.compute import compute
from civicpulse.rating.explain import explain
from civicpulse.store.home import Home
from tests.conftest import engine_of, post


def _tone(context: StageContext) -> Callable[[pa.RecordBatch], pa.RecordBatch]:
    def fn(batch: pa.RecordBatch) -> pa.RecordBatch:
        labels, scores = [], []
        for text in batch.column("text").to_pylist():
            label = "positive" if "Спасибо" in text else "negative" if "плохо" in text else "neutral"
            labels.append(label)
            scores.append(0.9 if label != "neutral" else 0.5)
        return pa.RecordBatch.from_arrays(
            [pa.array(labels, STANDARD["sentiment"]), pa.array(scores, STANDARD["sentiment_score"])],
            names=["sentiment", "sentiment_score"],
        )

    return fn


TONE = Stage(
    name="tone",
    version="1",
    requires=("text",),
    produces=pa.schema([("sentiment", STANDARD["sentiment"]), ("sentiment_score", STANDARD["sentiment_score"])]),
    prepare=_tone,
    description="test: tone from keywords",
)
STAGES = {"language": LANGUAGE, "mentions": MENTIONS, "tone": TONE}


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> dict[str, Stage]:
    monkeypatch.setattr(pipeline, "installed", lambda: dict(STAGES))
    return STAGES


def _week(home: Home, load: Callable[..., Any]) -> None:
    load(
        [
            post(
                "vk",
                "1",
                "-9",
                "2024-03-05T10:00:00+05:00",
                5,
                1,
                0,
                text="Спасибо акимату Атырауской области",
                author="5",
                views=100,
            ),
            post(
                "vk",
                "2",
                "-9",
                "2024-03-06T10:00:00+05:00",
                2,
                1,
                0,
                text="Атырау облысы әкімдігі плохо работает",
                author="6",
            ),
            post("vk", "4", "-1", "2024-03-06T12:00:00+05:00", 10, 0, 0, text="Акимат Атырауской области сообщает"),
            post(
                "vk",
                "5",
                "-2",
                "2024-03-06T12:00:00+05:00",
                7,
                0,
                0,
                text="Реклама: акимат Мангистауской области",
                author="8",
            ),
            post(
                "vk",
                "6",
                "-3",
                "2024-03-07T13:00:00+05:00",
                3,
                1,
                0,
                text="Новости: акимат Мангистауской области",
                author="9",
            ),
            post(
                "vk",
                "7",
                "-9",
                "2024-03-01T10:00:00+05:00",
                50,
                0,
                0,
                text="Спасибо акимату Атырауской области",
                author="5",
            ),
            {
                "record": "author",
                "platform": "vk",
                "id": "6",
                "observed_at": "2024-03-01T00:00:00+00:00",
                "followers": 50,
            },
            {
                "record": "author",
                "platform": "vk",
                "id": "6",
                "observed_at": "2024-03-20T00:00:00+00:00",
                "followers": 9999,
            },  # after the week: not the audience of a message of the week
        ]
    )


def _rate(home: Home, name: str = "mentions") -> Any:
    method = methodology.load(name)
    period = parse_week("2024-W10", "Asia/Almaty")
    engine = engine_of(home)
    return engine, method, compute(engine, method, period)


def test_mentions_rating_by_hand(home: Home, load: Callable[..., Any], stages: dict[str, Stage]) -> None:
    _week(home, load)
    runner.run(home, stages=stages)
    _, _, rating = _rate(home)
    atyrau, mangystau = rating.row("kz-atyrau"), rating.row("kz-mangystau")
    assert atyrau is not None and mangystau is not None
    values = {name: m.value for name, m in atyrau.metrics.items()}
    # vk:4 (official page) and vk:7 (the week before) do not count
    assert values["mentions"] == 2
    assert values["mention_engagement"] == 6 + 3
    assert values["engagement_population"] == pytest.approx(9 * 1000 / 700_000)
    # audience: views 100 (positive) against the author's 50 followers before the week's end (negative)
    assert values["audience_balance"] == pytest.approx((100 - 50) / (100 + 50))
    other = {name: m.value for name, m in mangystau.metrics.items()}
    assert other["mentions"] == 1  # the paid media's post does not count, the plain media's does
    assert other["mention_engagement"] == 4
    assert other["engagement_population"] is None  # no population in the registry
    assert other["audience_balance"] is None  # only a neutral message
    assert (atyrau.place, atyrau.points) == (1, 4)
    assert (mangystau.place, mangystau.points) == (2, 8)


def test_explain_lists_the_messages_with_tone_and_flags(
    home: Home, load: Callable[..., Any], stages: dict[str, Stage]
) -> None:
    _week(home, load)
    runner.run(home, stages=stages)
    engine, method, rating = _rate(home)
    messages = explain(engine, method, rating, "kz-atyrau").evidence["mentions"]
    by_id = {m["id"]: m for m in messages}
    assert set(by_id) == {"1", "2", "4"}
    assert by_id["1"]["counted"] and by_id["1"]["sentiment"] == "positive" and by_id["1"]["audience"] == 100
    assert by_id["2"]["sentiment"] == "negative" and by_id["2"]["audience"] == 50
    assert not by_id["4"]["counted"] and by_id["4"]["flags"] == ["excluded_source"]
    assert by_id["4"]["flag_reasons"] == ["published on vk:-1: official account of kz-atyrau"]
    assert [m["counted"] for m in messages] == [True, True, False]  # counted ones first


def test_without_enrichment_every_region_is_unrated_with_the_reason(
    home: Home, load: Callable[..., Any], stages: dict[str, Stage]
) -> None:
    _week(home, load)
    _, _, rating = _rate(home)
    assert rating.rows == []
    assert {u.participant for u in rating.unrated} == {"kz-atyrau", "kz-mangystau"}
    assert all(NOT_ENRICHED in u.reason for u in rating.unrated)


def test_district_mentions_takes_the_districts(home: Home, load: Callable[..., Any], stages: dict[str, Stage]) -> None:
    _week(home, load)
    runner.run(home, stages=stages)
    _, _, rating = _rate(home, "district-mentions")
    assert rating.rows == [] and rating.unrated == []  # the test registry has no district


def test_registry_without_sentiment_stage_leaves_balance_unknown(
    home: Home, load: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = {"language": LANGUAGE, "mentions": MENTIONS}
    monkeypatch.setattr(pipeline, "installed", lambda: dict(plain))
    _week(home, load)
    runner.run(home, stages=plain)
    _, _, rating = _rate(home)
    row = rating.row("kz-atyrau")
    assert row is not None and row.metrics["audience_balance"].value is None
    assert any(n.startswith("audience_balance:") for n in row.notes)
