"""Ranking ``within`` a column ranks each group as if it were alone (how rated and unrated share a query)."""

from __future__ import annotations

import ibis
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from civicpulse.rating.compute import rank

DIRECTIONS = {"a": "desc", "b": "asc"}
WEIGHTS = {"a": 1.0, "b": 0.5}
CON = ibis.duckdb.connect()

values = st.one_of(st.none(), st.integers(min_value=0, max_value=4))
rows = st.lists(st.tuples(values, values, st.sampled_from([None, "no snapshot", "other"])), min_size=1, max_size=10)


def ranked(
    data: list[tuple[int | None, int | None, str | None]], method: str, within: str | None
) -> dict[str, dict[str, object]]:
    table = pa.table(
        {
            "participant": [f"p{i}" for i in range(len(data))],
            "v__a": pa.array([r[0] for r in data], pa.float64()),
            "v__b": pa.array([r[1] for r in data], pa.float64()),
            "grp": pa.array([r[2] for r in data], pa.string()),
        }
    )
    out = CON.to_pyarrow(rank(ibis.memtable(table), DIRECTIONS, WEIGHTS, method, ["a"], within=within)).to_pylist()
    return {r["participant"]: {k: r[k] for k in ("r__a", "r__b", "points", "place")} for r in out}


@settings(max_examples=40, deadline=None)
@given(rows, st.sampled_from(["min", "dense", "max"]))
def test_each_group_is_ranked_as_if_alone(data: list[tuple[int | None, int | None, str | None]], method: str) -> None:
    together = ranked(data, method, within="grp")
    for group in {r[2] for r in data}:
        members = [i for i, r in enumerate(data) if r[2] == group]
        alone = ranked([data[i] for i in members], method, within=None)
        # the group alone is numbered p0, p1... in the order of its members
        assert [together[f"p{i}"] for i in members] == [alone[f"p{j}"] for j in range(len(members))]
