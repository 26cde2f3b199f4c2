"""Properties of ranking: improving never costs places, order of input is irrelevant, ties share."""

from __future__ import annotations

import ibis
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from civicpulse.rating.compute import rank

METRICS = ("a", "b", "c")
DIRECTIONS = {"a": "desc", "b": "desc", "c": "asc"}
WEIGHTS = {"a": 1.0, "b": 2.0, "c": 1.0}
CON = ibis.duckdb.connect()

values = st.one_of(st.none(), st.integers(min_value=0, max_value=5))
tables = st.lists(st.tuples(values, values, values), min_size=1, max_size=8)


def run(rows: list[tuple[int | None, ...]], method: str = "min") -> dict[str, dict[str, int]]:
    data = pa.table(
        {
            "participant": [f"p{i}" for i in range(len(rows))],
            **{f"v__{m}": pa.array([r[j] for r in rows], pa.float64()) for j, m in enumerate(METRICS)},
        }
    )
    ranked = rank(ibis.memtable(data), DIRECTIONS, WEIGHTS, method)
    out = CON.to_pyarrow(ranked).to_pylist()
    return {r["participant"]: {"place": r["place"], **{m: r[f"r__{m}"] for m in METRICS}} for r in out}


def better(value: int | None, direction: str) -> int:
    if value is None:
        return 0 if direction == "desc" else 5
    return value + 1 if direction == "desc" else max(value - 1, 0)


@settings(max_examples=40, deadline=None)
@given(tables, st.integers(min_value=0, max_value=7), st.sampled_from(METRICS), st.sampled_from(["min", "max"]))
def test_improving_one_metric_never_loses_places(
    rows: list[tuple[int | None, ...]], who: int, metric: str, method: str
) -> None:
    who %= len(rows)
    before = run(rows, method)[f"p{who}"]
    j = METRICS.index(metric)
    improved = list(rows)
    row = list(improved[who])
    row[j] = better(row[j], DIRECTIONS[metric])
    improved[who] = tuple(row)
    after = run(improved, method)[f"p{who}"]
    assert after["place"] <= before["place"]
    assert after[metric] <= before[metric]


@settings(max_examples=30, deadline=None)
@given(tables, st.randoms(use_true_random=False))
def test_permuting_the_input_changes_nothing(rows: list[tuple[int | None, ...]], rnd: object) -> None:
    original = run(rows)
    order = list(range(len(rows)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    shuffled = [rows[i] for i in order]
    result = run(shuffled)
    assert {f"p{order[k]}": result[f"p{k}"] for k in range(len(rows))} == original


@settings(max_examples=30, deadline=None)
@given(tables)
def test_equal_values_share_the_smallest_place(rows: list[tuple[int | None, ...]]) -> None:
    result = run(rows)
    for j, metric in enumerate(METRICS):
        direction = DIRECTIONS[metric]
        for i, row in enumerate(rows):
            value = row[j]
            if value is None:
                expected = 1 + sum(1 for r in rows if r[j] is not None)
            elif direction == "desc":
                expected = 1 + sum(1 for r in rows if r[j] is not None and r[j] > value)
            else:
                expected = 1 + sum(1 for r in rows if r[j] is not None and r[j] < value)
            assert result[f"p{i}"][metric] == expected
    points = {p: sum(WEIGHTS[m] * r[m] for m in METRICS) for p, r in result.items()}
    for p, r in result.items():
        assert r["place"] == 1 + sum(1 for q in points.values() if q < points[p])
