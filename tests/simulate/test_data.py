"""What the simulated data looks like: ratings work on it, texts, truth, bots, campaigns, rhythms."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import timedelta
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from civicpulse.periods import week_period
from civicpulse.query.engine import Engine, connect
from civicpulse.rating.compute import compute
from civicpulse.rating.methodology import load
from civicpulse.simulate.morph import kk_forms, ru_forms
from tests.simulate.conftest import LAST_DAY, Simulated

KAZAKH_LETTERS = re.compile("[әғқңөұүһі]", re.IGNORECASE)


def query(simulated: Simulated, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Run SQL over the lake's files (tables ``posts``, ``snapshots``, ``authors``)."""
    con = duckdb.connect()
    for table, files in simulated.home.lake.cut().files.items():
        if files:
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({files!r})")
    return con.execute(sql, list(params)).fetchall()


def truth(simulated: Simulated) -> dict[str, Any]:
    return json.loads(simulated.summary.truth.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_pages_rating_ranks_every_region_page_and_leaves_some_unrated(simulated: Simulated) -> None:
    home = simulated.home
    registry = home.registry()
    engine = Engine(connect("duckdb"), home.lake.cut(), registry)
    period = week_period(LAST_DAY, registry.timezone)
    rating = compute(engine, load("pages"), period)
    region_pages = {
        a.key for a in registry.accounts if a.role == "official" and registry.entity(a.entity).kind == "region"
    }
    rated = {r.participant for r in rating.rows}
    unrated = {u.participant for u in rating.unrated}
    assert rated | unrated == region_pages
    assert not rated & unrated
    assert len(rated) >= 8
    # the page from the original registry has no data; at least one simulated page is never observed
    assert "vk:-100" in unrated
    assert any(p.split(":", 1)[1].startswith("sim.") for p in unrated)
    assert set(truth(simulated)["unobserved_official"]) <= unrated | {
        a.key for a in registry.accounts if registry.entity(a.entity).kind != "region"
    }
    assert rating.simulated
    assert len({r.place for r in rating.rows}) > 1


def test_comments_are_not_counted_as_own_posts(simulated: Simulated) -> None:
    home = simulated.home
    registry = home.registry()
    engine = Engine(connect("duckdb"), home.lake.cut(), registry)
    period = week_period(LAST_DAY, registry.timezone)
    rating = compute(engine, load("pages"), period, previous=False)
    window = (period.start, period.end)
    own = dict(
        query(
            simulated,
            "SELECT platform || ':' || account, SUM(likes + comments + reposts) FROM posts"
            " WHERE kind = 'post' AND author IS NULL AND published_at >= ? AND published_at < ? GROUP BY 1",
            *window,
        )
    )
    everything = dict(
        query(
            simulated,
            "SELECT platform || ':' || account, SUM(likes + comments + reposts) FROM posts"
            " WHERE published_at >= ? AND published_at < ? GROUP BY 1",
            *window,
        )
    )
    commented = 0
    for row in rating.rows:
        assert row.metrics["engagement"].value == own.get(row.participant, 0)
        commented += everything.get(row.participant, 0) != own.get(row.participant, 0)
    assert commented >= 5  # comments sat on those pages; they would have changed the values


def test_comments_point_at_posts_of_the_page_they_sit_on(simulated: Simulated) -> None:
    ((orphans, wrong_page, comments, later),) = query(
        simulated,
        "SELECT COUNT(*) FILTER (WHERE p.id IS NULL), COUNT(*) FILTER (WHERE p.account <> c.account),"
        " COUNT(*), COUNT(*) FILTER (WHERE c.published_at >= p.published_at)"
        " FROM posts c LEFT JOIN posts p ON p.platform = c.platform AND p.id = c.reply_to"
        " WHERE c.kind = 'comment'",
    )
    assert comments > 1000
    assert (orphans, wrong_page) == (0, 0)
    assert later == comments
    ((too_few,),) = query(
        simulated,
        "SELECT COUNT(*) FROM posts p JOIN (SELECT platform, reply_to, COUNT(*) n FROM posts"
        " WHERE kind = 'comment' GROUP BY ALL) c ON c.platform = p.platform AND c.reply_to = p.id"
        " WHERE p.comments < c.n",
    )
    assert too_few == 0


def test_texts_are_russian_and_kazakh_with_inflected_mentions(simulated: Simulated) -> None:
    texts = [t for (t,) in query(simulated, "SELECT text FROM posts WHERE author IS NOT NULL")]
    kazakh = [t for t in texts if KAZAKH_LETTERS.search(t)]
    russian = [t for t in texts if re.search("[а-я]", t) and not KAZAKH_LETTERS.search(t)]
    assert len(kazakh) > 0.15 * len(texts)
    assert len(russian) > 0.4 * len(texts)
    joined = "\n".join(texts)
    for phrase in (
        "акимату Атырауской области",
        "в акимат Атырауской области",
        "Атыраускому областному акимату",
        "Атырау облысы әкімдігіне",
        "акимата Акмолинской области",
        "Ақмола облысы әкімдігі",
    ):
        assert phrase in joined, phrase


def test_truth_names_every_mention_and_place(simulated: Simulated) -> None:
    known = truth(simulated)
    assert known["simulated"] is True
    folder = simulated.summary.truth.parent
    rows = pq.read_table(folder / known["texts"]["file"]).to_pylist()
    assert len(rows) == known["texts"]["rows"] > 500
    texts = dict(query(simulated, "SELECT platform || ':' || id, text FROM posts"))
    registry = simulated.home.registry()
    sources = Counter(r["source"] for r in rows)
    assert {"comment", "group", "bot", "campaign", "media"} <= set(sources)
    assert {r["tone"] for r in rows} == {"positive", "negative", "neutral"}
    assert {r["lang"] for r in rows} == {"ru", "kk"}
    for row in rows:
        text = texts[f"{row['platform']}:{row['post']}"]
        entity = registry.entity(row["entity"])
        if row["mention"]:
            # the text names the akimat: a stem of one of its names is in it
            stems = [a.split(" ", 1)[1][:6] for a in entity.aliases.get("ru", []) if a.startswith("акимат ")]
            stems += [a[:6] for a in entity.aliases.get("kk", [])]
            stems += [n[:5] for n in entity.name.values()]
            assert re.search("акимат|әкімдіг|акима", text, re.IGNORECASE), text
            assert any(s.lower() in text.lower() for s in stems), (row, text)
        else:  # only the territory: no word for the akimat at all
            assert not re.search("акимат|әкімдіг|әкімшіліг", text, re.IGNORECASE), text
    assert any(not r["mention"] and texts[f"{r['platform']}:{r['post']}"].find("в Атыраус") >= 0 for r in rows)


def test_bots_are_young_bare_and_bursty(simulated: Simulated) -> None:
    known = truth(simulated)
    bots = {tuple(b) for b in known["bots"]}
    assert bots
    authors = query(
        simulated, "SELECT platform, id, followers, has_avatar, EPOCH(observed_at) - EPOCH(created_at) FROM authors"
    )
    bot_rows = [a for a in authors if (a[0], a[1]) in bots]
    people = [a for a in authors if (a[0], a[1]) not in bots]
    assert len(bot_rows) == len(bots)

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    assert median([a[2] for a in bot_rows]) < median([a[2] for a in people]) / 5
    assert sum(a[3] for a in bot_rows) / len(bot_rows) < 0.4 < sum(a[3] for a in people) / len(people)
    assert all(a[4] <= timedelta(days=121).total_seconds() for a in bot_rows)
    # bursts: a bot's comments come minutes apart, a person's hours apart
    gaps = query(
        simulated,
        "WITH c AS (SELECT author, EPOCH(published_at) - EPOCH(LAG(published_at) OVER"
        " (PARTITION BY author ORDER BY published_at)) gap FROM posts WHERE kind = 'comment')"
        " SELECT list_contains(?::VARCHAR[], author), MEDIAN(gap) FROM c WHERE gap IS NOT NULL GROUP BY 1",
        [b[1] for b in bots],
    )
    by_kind = dict(gaps)
    assert by_kind[True] < 300 < by_kind[False]


def test_coordinated_pushes_hit_many_groups_within_seconds(simulated: Simulated) -> None:
    known = truth(simulated)
    assert len(known["campaigns"]) >= 2
    assert len(known["pushes"]) >= 3
    coordinated = {tuple(c) for c in known["coordinated"]}
    for push in known["pushes"]:
        rows = query(
            simulated,
            "SELECT account, author, EPOCH(published_at), text FROM posts WHERE platform = ? AND id IN ?",
            push["platform"],
            push["posts"],
        )
        assert len(rows) == len(push["groups"]) >= 8
        assert {r[0] for r in rows} == set(push["groups"])
        assert all((push["platform"], r[1]) in coordinated for r in rows)
        assert all(r[3].endswith(push["url"]) for r in rows)
        assert max(r[2] for r in rows) - min(r[2] for r in rows) <= 20
    # the pushed links look like the links people share on their own
    ((organic,),) = query(
        simulated,
        "SELECT COUNT(*) FROM posts WHERE text LIKE '%https://%.sim.invalid/news/%' AND author NOT IN ?",
        sorted({c[1] for c in coordinated}),
    )
    assert organic > 10 * sum(len(p["posts"]) for p in known["pushes"]) / 10


def test_followers_follow_population_and_posting_follows_the_week(simulated: Simulated) -> None:
    registry = simulated.home.registry()
    rows = query(
        simulated,
        "SELECT account, MAX(followers) FROM snapshots WHERE platform = 'instagram' AND account LIKE '%.ig'"
        " AND account NOT LIKE '%.head.ig' GROUP BY account",
    )
    followers = {account.split(".")[1]: n for account, n in rows}
    if "kz-astana" in followers and "kz-atyrau-inder" in followers:
        assert followers["kz-astana"] > followers["kz-atyrau-inder"]
    by_weekday = dict(
        query(
            simulated,
            "SELECT ISODOW(timezone('Asia/Almaty', published_at)), COUNT(*) FROM posts"
            " WHERE author IS NULL AND account NOT LIKE 'sim.media.%' GROUP BY 1",
        )
    )
    assert by_weekday[7] < 0.6 * by_weekday[3]
    hours = [
        h
        for (h,) in query(
            simulated,
            "SELECT HOUR(timezone('Asia/Almaty', published_at)) FROM posts"
            " WHERE author IS NULL AND account NOT LIKE 'sim.media.%'",
        )
    ]
    assert min(hours) >= 7 and max(hours) <= 22
    views = dict(query(simulated, "SELECT platform, COUNT(views) FROM posts WHERE author IS NULL GROUP BY 1"))
    assert all(views.get(p, 0) == 0 for p in ("instagram", "facebook", "ok", "x"))
    assert any(views.get(p, 0) > 0 for p in ("telegram", "vk", "youtube"))
    media = dict(
        query(
            simulated,
            "SELECT media, AVG(likes::DOUBLE / 1) FROM posts WHERE author IS NULL"
            " AND platform = 'instagram' GROUP BY 1",
        )
    )
    assert media["video"] > media["photo"]
    assert registry.timezone == "Asia/Almaty"


@pytest.mark.parametrize(
    ("phrase", "case", "expected"),
    [
        ("акимат Атырауской области", "dat", "акимату Атырауской области"),
        ("акимат Атырауской области", "ins", "акиматом Атырауской области"),
        ("Атырауский областной акимат", "dat", "Атыраускому областному акимату"),
        ("Атырауский областной акимат", "ins", "Атырауским областным акиматом"),
        ("Жылыойский районный акимат", "gen", "Жылыойского районного акимата"),
        ("аппарат акима Атырауской области", "loc", "аппарате акима Атырауской области"),
    ],
)
def test_russian_forms(phrase: str, case: str, expected: str) -> None:
    assert ru_forms(phrase)[case] == expected


def test_kazakh_forms_follow_vowel_harmony() -> None:
    forms = kk_forms("Атырау облысы әкімдігі")
    assert forms["dat"] == "Атырау облысы әкімдігіне"
    assert forms["abl"] == "Атырау облысы әкімдігінен"
    assert kk_forms("Атырау облысы басқармасы")["dat"] == "Атырау облысы басқармасына"
    assert kk_forms("Atyrau oblysy akimdigi") == {}
    assert ru_forms("Акимат")["dat"] == "Акимату"
