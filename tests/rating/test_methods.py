"""Methodology options: tie-break, weights, rank methods, expert scores, entity participants."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from civicpulse.errors import MethodologyError
from civicpulse.importers.base import ImportReport
from civicpulse.rating import methodology
from civicpulse.store.home import Home
from tests.conftest import post, snapshot
from tests.rating.test_pages import places, rate, value, write_method

Load = Callable[..., ImportReport]


@pytest.fixture
def four_pages(load: Load) -> None:
    load(
        [
            snapshot("vk", "-1", "2024-03-05T00:00:00Z", 100),
            snapshot("instagram", "north_gov", "2024-03-05T00:00:00Z", 300),
            snapshot("telegram", "south_gov", "2024-03-05T00:00:00Z", 200),
            snapshot("facebook", "east.gov", "2024-03-05T00:00:00Z", 200),
            post("vk", "a", "-1", "2024-03-06T09:00:00Z", likes=40),
            post("instagram", "b", "north_gov", "2024-03-06T09:00:00Z", likes=10),
            post("telegram", "c", "south_gov", "2024-03-06T09:00:00Z", likes=20),
            post("facebook", "d", "east.gov", "2024-03-06T09:00:00Z", likes=30),
        ]
    )


@pytest.mark.usefixtures("four_pages")
def test_tie_break_orders_equal_totals(home: Home) -> None:
    # followers 300, 200, 200, 100 -> 1, 2, 2, 4; engagement 40, 30, 20, 10 for vk, east, south, north
    plain = rate(home, spec=str(write_method(home.path.parent, ["followers", "engagement"])), previous=False)
    assert {r.participant: r.points for r in plain.rows} == {
        "facebook:east.gov": 4,
        "instagram:north_gov": 5,
        "vk:-1": 5,
        "telegram:south_gov": 5,
    }
    assert places(plain) == {"facebook:east.gov": 1, "instagram:north_gov": 2, "vk:-1": 2, "telegram:south_gov": 2}
    broken = rate(
        home,
        spec=str(write_method(home.path.parent, ["followers", "engagement"], tie_break=["engagement"])),
        previous=False,
    )
    assert places(broken) == {"facebook:east.gov": 1, "vk:-1": 2, "telegram:south_gov": 3, "instagram:north_gov": 4}


@pytest.mark.usefixtures("four_pages")
def test_weights_multiply_ranks(home: Home) -> None:
    spec = write_method(home.path.parent, [{"name": "followers", "weight": 3}, "engagement"])
    rating = rate(home, spec=str(spec), previous=False)
    assert {r.participant: r.points for r in rating.rows} == {
        "instagram:north_gov": 3 + 4,
        "facebook:east.gov": 6 + 2,
        "telegram:south_gov": 6 + 3,
        "vk:-1": 12 + 1,
    }


@pytest.mark.usefixtures("four_pages")
def test_dense_and_max_rank_methods(home: Home) -> None:
    dense = rate(home, spec=str(write_method(home.path.parent, ["followers"], rank_method="dense")), previous=False)
    assert {r.participant: r.metrics["followers"].rank for r in dense.rows} == {
        "instagram:north_gov": 1,
        "telegram:south_gov": 2,
        "facebook:east.gov": 2,
        "vk:-1": 3,
    }
    worst = rate(home, spec=str(write_method(home.path.parent, ["followers"], rank_method="max")), previous=False)
    assert {r.participant: r.metrics["followers"].rank for r in worst.rows} == {
        "instagram:north_gov": 1,
        "telegram:south_gov": 3,
        "facebook:east.gov": 3,
        "vk:-1": 4,
    }
    assert places(worst) == {"instagram:north_gov": 1, "telegram:south_gov": 3, "facebook:east.gov": 3, "vk:-1": 4}


@pytest.mark.usefixtures("four_pages")
def test_lower_is_better_direction(home: Home) -> None:
    rating = rate(
        home,
        spec=str(
            write_method(
                home.path.parent,
                [{"name": "posts", "direction": "asc"}, {"name": "small", "metric": "followers", "direction": "asc"}],
            )
        ),
        previous=False,
    )
    assert {r.participant: r.metrics["small"].rank for r in rating.rows} == {
        "vk:-1": 1,
        "telegram:south_gov": 2,
        "facebook:east.gov": 2,
        "instagram:north_gov": 4,
    }


@pytest.mark.usefixtures("four_pages")
def test_expert_scores_from_csv(home: Home) -> None:
    folder = home.path.parent
    (folder / "experts.csv").write_text("participant,score\nvk:-1,9\ninstagram:north_gov,7,5\n", encoding="utf-8")
    with pytest.raises(MethodologyError):
        methodology.load(str(write_method(folder, ["followers"], expert_scores={"file": "experts.csv"})))
    (folder / "experts.csv").write_text('participant,score\nvk:-1,9\ninstagram:north_gov,"7,5"\n', encoding="utf-8")
    rating = rate(
        home, spec=str(write_method(folder, ["followers"], expert_scores={"file": "experts.csv"})), previous=False
    )
    assert value(rating, "instagram:north_gov", "expert") == 7.5
    assert {r.participant: r.metrics["expert"].rank for r in rating.rows} == {
        "vk:-1": 1,
        "instagram:north_gov": 2,
        "telegram:south_gov": 3,
        "facebook:east.gov": 3,
    }
    (folder / "experts.csv").write_text("participant,score\nvk:-1,many\n", encoding="utf-8")
    with pytest.raises(MethodologyError) as caught:
        methodology.load(str(write_method(folder, ["followers"], expert_scores={"file": "experts.csv"})))
    assert f"{folder / 'experts.csv'}:2: score: not a number" in str(caught.value)


@pytest.mark.usefixtures("four_pages")
def test_entity_participants_sum_their_pages(home: Home) -> None:
    spec = write_method(
        home.path.parent, ["followers", "engagement", "er"], participants={"level": "entity", "kind": "region"}
    )
    rating = rate(home, spec=str(spec), previous=False)
    assert value(rating, "r-north", "followers") == 400
    assert value(rating, "r-north", "engagement") == 50
    assert value(rating, "r-north", "er") == pytest.approx(50 / 400)
    assert {r.participant for r in rating.rows} == {"r-north", "r-south", "r-east"}


def test_entity_without_accounts_is_unrated(home: Home, tmp_path: Path) -> None:
    spec = write_method(tmp_path, ["followers"], participants={"level": "entity", "entities": ["kz"]})
    rating = rate(home, spec=str(spec), previous=False)
    assert [(u.participant, u.reason) for u in rating.unrated] == [("kz", "no official account in the registry")]


def test_district_pages_builtin(load: Load, home: Home) -> None:
    load([snapshot("instagram", "d_one", "2024-03-05T00:00:00Z", 77)])
    rating = rate(home, spec="district-pages", previous=False)
    assert [(r.participant, r.place) for r in rating.rows] == [("instagram:d_one", 1)]
