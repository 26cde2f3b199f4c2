"""The persons rating by hand: real followers from a follower sample, engaged real users, ER, life share."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app
from civicpulse.enrich import flags, pipeline, read
from civicpulse.importers.base import run_import
from civicpulse.importers.canonical import CanonicalJsonl
from civicpulse.metrics.persons import MIN_SAMPLE, persons_evidence, top_persons
from civicpulse.periods import parse_week
from civicpulse.rating import methodology
from civicpulse.rating.compute import Rating, compute
from civicpulse.rating.explain import explain
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.store.home import Home
from tests.conftest import engine_of, post, snapshot, write_jsonl

REGISTRY = """\
timezone: Asia/Almaty
entities:
  - {id: kz, kind: country}
  - {id: r-north, kind: region, parent: kz, population: 500000}
  - {id: r-south, kind: region, parent: kz, population: 900000}
  - {id: r-east, kind: region, parent: kz}
accounts:
  - {platform: instagram, id: head_north, entity: r-north, role: personal, person: p-north}
  - {platform: instagram, id: head_south, entity: r-south, role: personal, person: p-south}
  - {platform: telegram, id: head_east_tg, entity: r-east, role: personal, person: p-east}
  - {platform: instagram, id: north_gov, entity: r-north, role: official}
persons:
  - {id: p-north, entity: r-north, name: {ru: Айдос Северный, en: Aidos Severny}}
  - {id: p-south, entity: r-south, name: {ru: Марат Южный}}
  - {id: p-east, entity: r-east}
"""
WEEK = parse_week("2024-W10", "Asia/Almaty")
AT = "2024-03-06T10:00:00+05:00"


def _follower(ident: str, follows: str, bot: bool) -> dict[str, Any]:
    profile: dict[str, Any] = {"record": "author", "platform": "instagram", "id": ident, "observed_at": AT}
    if bot:
        profile |= {"created_at": "2024-02-25T00:00:00+05:00", "has_avatar": False, "followers": 1, "following": 900}
    else:
        profile |= {"created_at": "2019-01-01T00:00:00+05:00", "has_avatar": True, "followers": 150, "following": 200}
    return profile | {"follows": [follows]}


@pytest.fixture
def home(tmp_path: Path) -> Home:
    the_home = Home(tmp_path / "home")
    text = RegistryText(REGISTRY, "persons.yaml")
    parse(text)
    the_home.save_registry(text)
    records: list[dict[str, Any]] = [
        snapshot("instagram", "head_north", "2024-03-10T20:00:00+05:00", 10_000),
        snapshot("instagram", "head_south", "2024-03-10T20:00:00+05:00", 4_000),
        post(
            "instagram",
            "n1",
            "head_north",
            "2024-03-05T09:00:00+05:00",
            likes=300,
            comments=6,
            text="С семьёй на Иртыше",
        ),
        post("instagram", "n2", "head_north", "2024-03-07T09:00:00+05:00", likes=100, comments=0, text="Совещание"),
        post("instagram", "s1", "head_south", "2024-03-06T09:00:00+05:00", likes=50, comments=2, text="Объезд района"),
        post("instagram", "old", "head_south", "2024-02-20T09:00:00+05:00", likes=9_999, text="неделей раньше"),
    ]
    # comments on head_north: four people (c1 twice), a bot the analyst flagged, the head's own reply
    for i, who in enumerate(["c1", "c1", "c2", "c3", "c4", "bot1", "head_north"]):
        records.append(
            post("instagram", f"nc{i}", "head_north", AT, text="👍", author=who, kind="comment", reply_to="n1")
        )
    records.append(
        post("instagram", "sc1", "head_south", AT, text="Спасибо", author="c9", kind="comment", reply_to="s1")
    )
    # follower samples: head_north 40 (10 bots), head_south too few to estimate
    records += [_follower(f"nf{i}", "head_north", bot=i < 10) for i in range(40)]
    records += [_follower(f"sf{i}", "head_south", bot=False) for i in range(MIN_SAMPLE - 1)]
    run_import(the_home, write_jsonl(tmp_path / "persons.jsonl", records), CanonicalJsonl())
    flags.add_override(the_home, "author", "instagram", "bot1", "bot_author", "set", "bought comments", "ana")
    return the_home


def _label_topics(home: Home, labels: dict[str, list[str]]) -> None:
    """Results of the topics stage for some posts, written as the stage would write them."""
    stage = pipeline.installed()["topics"]
    schema = pipeline.table_schema(stage)
    n = len(labels)
    with home.lake.begin("enrich", "test topics") as batch:
        columns = {
            "platform": ["instagram"] * n,
            "id": list(labels),
            "text_md5": ["0" * 16] * n,
            "version": ["test"] * n,
            "topics": list(labels.values()),
            "_batch": [batch.id] * n,
            "_seq": list(range(n)),
        }
        batch.write(stage.table, pa.table({f.name: columns[f.name] for f in schema}, schema=schema), schema=schema)
        batch.commit()


def _rate(home: Home) -> Rating:
    return compute(engine_of(home), methodology.load("persons"), WEEK, previous=False)


def _values(rating: Rating, participant: str) -> dict[str, Any]:
    row = rating.row(participant)
    assert row is not None
    return {name: result.value for name, result in row.metrics.items()}


def test_values_by_hand(home: Home) -> None:
    _label_topics(home, {"n1": ["personal_life"], "n2": ["official_work"], "s1": ["roads", "official_work"]})
    rating = _rate(home)
    # only Instagram accounts of heads of regions take part; head_east_tg is on Telegram
    assert sorted(r.participant for r in rating.rows) == ["instagram:head_north", "instagram:head_south"]
    north = _values(rating, "instagram:head_north")
    assert north["followers_real"] == 7_500  # 10,000 less the sample's 10 bots in 40
    # commenters c1..c4 (bot1 flagged, the head's own reply not counted): 4; top post likes 300 * 0.75
    assert north["engaged_users"] == 225
    assert north["er"] == pytest.approx((306 + 100) / 10_000)
    assert north["life_share"] == 0.5
    south = _values(rating, "instagram:head_south")
    assert south["followers_real"] is None  # 29 sampled followers are too few
    assert south["engaged_users"] == 50  # likes not discounted: bot share unknown
    assert south["life_share"] == 0.0
    row = rating.row("instagram:head_south")
    assert row is not None and any(n.startswith("followers_real: no follower sample") for n in row.notes)
    assert [r.participant for r in rating.rows if r.place == 1] == ["instagram:head_north"]


def test_life_share_is_unknown_until_the_topics_stage_has_run(home: Home) -> None:
    assert read.producer_of("topics") is not None
    rating = _rate(home)
    assert _values(rating, "instagram:head_north")["life_share"] is None
    row = rating.row("instagram:head_north")
    assert row is not None and any("topics stage not installed or not run" in n for n in row.notes)


def test_flagged_commenters_are_shown_with_the_reason(home: Home) -> None:
    rows = persons_evidence(engine_of(home), WEEK, "instagram:head_north", "r-north")
    counted = {r["author"] for r in rows if r["counted"]}
    assert counted == {"c1", "c2", "c3", "c4"}
    flagged = [r for r in rows if not r["counted"]]
    assert [r["author"] for r in flagged] == ["bot1"]
    assert flagged[0]["flag_reasons"] == ["set by ana (override #1): bought comments"]
    # clearing the flag counts the commenter again (from the override's data cut on)
    flags.add_override(home, "post", "instagram", flagged[0]["id"], "bot_author", "clear", "a real person", "bek")
    assert _values(_rate(home), "instagram:head_north")["engaged_users"] == 225  # likes still dominate
    again = persons_evidence(engine_of(home), WEEK, "instagram:head_north", "r-north")
    assert {r["author"] for r in again if r["counted"]} == {"c1", "c2", "c3", "c4", "bot1"}


def test_top_persons_for_the_report(home: Home) -> None:
    _label_topics(home, {"n1": ["personal_life"], "n2": ["official_work"]})
    engine = engine_of(home)
    rating = compute(engine, methodology.load("persons"), WEEK, previous=False)
    cards = top_persons(engine, rating, n=3)
    assert [c.participant for c in cards] == ["instagram:head_north", "instagram:head_south"]
    first = cards[0]
    assert first.place == 1 and first.person == "p-north" and first.names["en"] == "Aidos Severny"
    assert first.example is not None and first.example.id == "n1" and first.example.life is True
    assert first.example.published_at == dt.datetime(2024, 3, 5, 4, tzinfo=dt.UTC)
    assert first.metrics["followers_real"] == 7_500
    second = cards[1]
    assert second.example is not None and second.example.id == "s1" and second.example.life is None
    assert "followers_real" in " ".join(second.notes)


def test_explain_traces_life_share_to_labelled_posts(home: Home) -> None:
    _label_topics(home, {"n1": ["personal_life"], "s1": ["roads", "official_work"]})
    engine = engine_of(home)
    method = methodology.load("persons")
    rating = compute(engine, method, WEEK, previous=False)
    result = explain(engine, method, rating, "instagram:head_north")
    assert {p["id"]: p["worklife"] for p in result.posts} == {"n1": "personal_life", "n2": None}
    assert _values(rating, "instagram:head_north")["life_share"] == 1.0  # n2 is not labelled: not counted
    _label_topics(home, {"n2": ["official_work"]})
    args = ["--home", str(home.path), "explain", "persons", "instagram:head_north", "--week", "2024-W10"]
    text = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    assert "own posts in the period (2): 1 personal_life, 1 official_work, 0 not labelled" in text.stdout
    (n1,) = [line for line in text.stdout.splitlines() if "instagram:n1 " in line]
    assert "personal_life" in n1 and "С семьёй" in n1
    (n2,) = [line for line in text.stdout.splitlines() if "instagram:n2 " in line]
    assert "official_work" in n2
    as_json = CliRunner().invoke(app, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.stdout)
    assert body["worklife"] == {"personal_life": 1, "official_work": 1, "unlabelled": 0}
    assert {p["id"]: p["worklife"] for p in body["posts"]} == {"n1": "personal_life", "n2": "official_work"}
    assert body["row"]["metrics"]["life_share"]["value"] == 0.5
