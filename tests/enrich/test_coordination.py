"""Coordinated link sharing: link keys, the sliding window, repetition against chance, scenarios, baselines."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from civicpulse.enrich import baselines, scenarios
from civicpulse.enrich.coordination import (
    CoordinationParams,
    Shares,
    coshares,
    detect,
    extract_shares,
    links_in,
    normalise_link,
)
from civicpulse.enrich.coordination_eval import score

START = dt.datetime(2024, 3, 4, tzinfo=dt.UTC)


def _posts(rows: list[tuple[str, str, float, str]]) -> pa.Table:
    """(author, group, seconds after START, text) -> a table in the lake's post columns."""
    n = len(rows)
    micros = [int((START.timestamp() + t) * 1_000_000) for _, _, t, _ in rows]
    published = pa.array(micros, type=pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    columns = {
        "platform": pa.array(["vk"] * n),
        "id": pa.array([f"p{i}" for i in range(n)]),
        "account": pa.array([g for _, g, _, _ in rows]),
        "author": pa.array([a for a, _, _, _ in rows]),
        "published_at": published,
        "text": pa.array([t for _, _, _, t in rows]),
        "kind": pa.array(["post"] * n),
        "likes": pa.array([0] * n, pa.int64()),
        "comments": pa.array([0] * n, pa.int64()),
        "reposts": pa.array([0] * n, pa.int64()),
        "views": pa.nulls(n, pa.int64()),
        "url": pa.nulls(n, pa.string()),
        "reply_to": pa.nulls(n, pa.string()),
        "repost_of": pa.nulls(n, pa.string()),
        "media": pa.nulls(n, pa.string()),
        "observed_at": published,
    }
    return pa.Table.from_arrays(list(columns.values()), names=list(columns))


def _organic(rng: np.random.Generator, people: int = 150, links: int = 100) -> list[tuple[str, str, float, str]]:
    """People sharing news links at their own pace over a week."""
    rows = []
    for person in range(people):
        for _ in range(int(rng.integers(1, 8))):
            link = int(rng.integers(links))
            rows.append((f"o{person}", f"g{person % 20}", float(rng.uniform(0, 7 * 86_400)), f"https://news.kz/{link}"))
    return rows


# -- link keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "https://news.kz/a/b",
        "http://www.news.kz/a/b/",
        "https://NEWS.kz/a/b?utm_source=tg&utm_medium=social",
        "https://m.news.kz/a/b#comments",
        "www.news.kz/a/b?fbclid=XYZ",
        "https://news.kz:443/a/b).",
    ],
)
def test_the_same_link_however_pasted(raw: str) -> None:
    assert normalise_link(raw) == "news.kz/a/b"


def test_links_differ_by_path_and_meaningful_query() -> None:
    assert normalise_link("https://news.kz/a?id=1") != normalise_link("https://news.kz/a?id=2")
    assert normalise_link("https://news.kz/a?b=2&a=1") == normalise_link("https://news.kz/a?a=1&b=2")
    assert normalise_link("https://localhost/x") is None
    assert normalise_link("https://[broken/x") is None


def test_links_in_text_are_distinct_and_in_order() -> None:
    text = "Читайте «https://news.kz/1» и https://www.news.kz/1/ а ещё https://other.kz/2!"
    assert links_in(text) == ["news.kz/1", "other.kz/2"]


def test_shares_leave_out_registry_accounts_and_count_reposts() -> None:
    table = _posts(
        [("a", "g", 0, "https://x.kz/1"), ("official", "official", 1, "https://x.kz/1"), ("b", "g", 2, "no link")]
    )
    reposted = table.set_column(13, "repost_of", pa.array([None, None, "777"], pa.string()))
    shares = extract_shares(reposted, frozenset({"vk:official"}))
    assert sorted(shares.actors) == ["vk:a", "vk:b"]
    assert sorted(shares.objects) == ["repost:vk:777", "x.kz/1"]


# -- the sliding window -------------------------------------------------------------------------


def test_sliding_window_has_no_bin_edges() -> None:
    # CooRnet's bins start at a link's first share: shares at 50 s and 70 s fall in two 60-s bins
    table = _posts(
        [("first", "g1", 0, "https://x.kz/1"), ("a", "g2", 50, "https://x.kz/1"), ("b", "g3", 70, "https://x.kz/1")]
    )
    shares = extract_shares(table)
    co = coshares(shares, 60.0, max_crowd=100)
    pairs = {
        tuple(sorted((shares.actors[shares.actor[i]], shares.actors[shares.actor[j]])))
        for i, j in zip(co.i, co.j, strict=True)
    }
    assert ("vk:a", "vk:b") in pairs
    assert ("vk:b", "vk:first") not in pairs  # 70 s apart


def test_one_coincidence_never_flags_however_many_groups() -> None:
    rng = np.random.default_rng(3)
    rows = _organic(rng)
    # two accounts post one link into twenty groups each, within seconds: one link, one coincidence
    for k in range(20):
        rows += [("x", f"h{k}", 1000.0 + k, "https://once.kz/1"), ("y", f"h{k}", 1000.5 + k, "https://once.kz/1")]
    found = detect(extract_shares(_posts(rows)))
    assert "vk:x" not in found.coordinated and "vk:y" not in found.coordinated


def test_a_small_campaign_among_organic_sharing() -> None:
    rng = np.random.default_rng(5)
    rows = _organic(rng)
    members = ["c1", "c2", "c3", "c4"]
    for k in range(4):
        start = float(rng.uniform(0, 6 * 86_400))
        rows += [(m, f"g{j}", start + rng.uniform(0, 30), f"https://push.kz/{k}") for j, m in enumerate(members)]
    found = detect(extract_shares(_posts(rows)))
    assert found.coordinated == {f"vk:{m}" for m in members}
    assert found.interval_estimated and found.interval_s <= 60
    network = found.networks[0]
    assert set(network.links) == {f"push.kz/{k}" for k in range(4)}
    assert set(found.partners["vk:c1"]) == {"vk:c2", "vk:c3", "vk:c4"}


def test_hyperactive_sharers_in_viral_crowds_are_not_a_campaign() -> None:
    rng = np.random.default_rng(11)
    rows = _organic(rng)
    # three viral links: a crowd of 60 people within ten minutes, two news junkies in each crowd
    for k in range(3):
        start = 86_400.0 * (k + 1)
        rows += [
            (f"crowd{k}_{i}", f"g{i % 20}", start + rng.uniform(0, 600), f"https://viral.kz/{k}") for i in range(60)
        ]
        rows += [
            ("junkie1", "g1", start + 100, f"https://viral.kz/{k}"),
            ("junkie2", "g2", start + 104, f"https://viral.kz/{k}"),
        ]
    for k in range(40):  # they share everything, all week
        rows += [("junkie1", "g1", float(rng.uniform(0, 604_800)), f"https://news.kz/{k}")]
        rows += [("junkie2", "g2", float(rng.uniform(0, 604_800)), f"https://news.kz/{k}")]
    found = detect(extract_shares(_posts(rows)))
    assert not {"vk:junkie1", "vk:junkie2"} & found.coordinated


def test_fixed_interval_is_used_as_given() -> None:
    rows = [(m, "g", 100.0 * k + i, f"https://push.kz/{k}") for k in range(3) for i, m in enumerate(["a", "b"])]
    found = detect(extract_shares(_posts(rows)), CoordinationParams(interval_s=0.5))
    assert found.interval_s == 0.5 and not found.coordinated
    found = detect(extract_shares(_posts(rows)), CoordinationParams(interval_s=5.0))
    assert found.coordinated == {"vk:a", "vk:b"}


def test_nothing_to_find_in_organic_weeks() -> None:
    for seed in range(3):
        scenario = scenarios.generate(scenarios.ScenarioSpec(seed=seed, campaigns=()))
        found = detect(extract_shares(scenario.posts))
        assert found.coordinated == set()
        assert not found.interval_estimated


# -- the targets on generated weeks ---------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_reference_week(seed: int) -> None:
    scenario = scenarios.generate(scenarios.reference(seed))
    assert len(scenario.coordinated) == 6
    result = score(detect(extract_shares(scenario.posts)).coordinated, scenario.coordinated)
    assert result.precision >= 0.9 and result.recall >= 0.9


@pytest.mark.parametrize("seed", range(4))
def test_varied_campaigns_with_links_from_the_organic_pool(seed: int) -> None:
    spec = scenarios.varied(seed)
    assert any(c.pool_share == 1.0 for c in spec.campaigns)
    scenario = scenarios.generate(spec)
    result = score(detect(extract_shares(scenario.posts)).coordinated, scenario.coordinated)
    assert result.precision >= 0.9 and result.recall >= 0.9


def test_scenarios_are_reproducible_and_hide_campaign_links_among_organic_ones() -> None:
    spec = scenarios.ScenarioSpec(seed=4, campaigns=(scenarios.CampaignSpec(4, 5, 2, 30.0, pool_share=1.0),))
    one, two = scenarios.generate(spec), scenarios.generate(spec)
    assert one.posts.equals(two.posts)
    links = one.campaigns[0]["links"]
    assert isinstance(links, list)
    pushed = set(links)
    organic_texts = [
        t for t, a in zip(one.posts.column("text").to_pylist(), one.posts.column("author").to_pylist(), strict=True)
        if a.startswith("sim.o")
    ]  # fmt: skip
    assert all(any(link.split("//")[1] in t for t in organic_texts) for link in pushed)


# -- the baselines ----------------------------------------------------------------------------------


def _shares(rows: list[tuple[str, str, float]]) -> Shares:
    """(actor, object, seconds) -> shares."""
    actors = sorted({a for a, _, _ in rows})
    objects = sorted({o for _, o, _ in rows})
    return Shares(
        row=np.arange(len(rows)),
        actor=np.array([actors.index(a) for a, _, _ in rows]),
        obj=np.array([objects.index(o) for _, o, _ in rows]),
        seconds=np.array([t for _, _, t in rows], dtype=float),
        actors=actors,
        objects=objects,
    )


def test_coornet_interval_follows_its_recipe() -> None:
    # 10 links; link k's second share comes k*10 s after the first; each has 4 shares
    rows = []
    for k in range(10):
        base = 10_000.0 * k
        rows += [
            ("a", f"l{k}", base),
            ("b", f"l{k}", base + 10 * (k + 1)),
            ("c", f"l{k}", base + 500),
            ("d", f"l{k}", base + 900),
        ]
    # q = 0.1: links whose second share is within the 0.1 quantile of second-share delays (10 s, 20 s -> 19 s): link 0;
    # its first share past p = 0.5 of its shares is the third (rank 3 of 4), 500 s after the first
    assert baselines.coornet_interval(_shares(rows)) == 500.0


def test_coortweet_drops_campaigns_whose_pairs_all_weigh_the_same() -> None:
    members = ["a", "b", "c"]
    rows = [(m, f"l{k}", 10_000.0 * k + i) for k in range(4) for i, m in enumerate(members)]
    # people sharing at their own pace (one share each: CooRTweet's min_participation drops them)
    rng = np.random.default_rng(8)
    background = [(f"o{i}", f"n{int(rng.integers(50))}", float(rng.uniform(0, 604_800))) for i in range(400)]
    shares = _shares(rows + background)
    assert baselines.coortweet(shares, 10.0).flagged == set()  # every weight equals the median: none above it
    assert detect(shares).coordinated == set(members)


def test_coornet_keeps_single_coincidences_when_most_edges_weigh_one() -> None:
    rng = np.random.default_rng(2)
    rows = [(f"o{i}", f"l{int(rng.integers(30))}", float(rng.uniform(0, 10_800))) for i in range(600)]
    rows += [(m, f"push{k}", 50_000.0 * k + i) for k in range(3) for i, m in enumerate(["a", "b", "c"])]
    flagged = baselines.coornet(_shares(rows), 60.0).flagged
    assert {"a", "b", "c"} <= flagged
    assert len(flagged) > 3  # organic pairs with one co-share pass the 0.9 quantile of mostly-1 weights
