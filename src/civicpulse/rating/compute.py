"""Computing a rating: metric values, ranks as penalty points, places, movement.

Ranks are 1-based and computed among rated participants only. Equal values share a place by the
methodology's ``rank_method`` (``min``: 1, 2, 2, 4). A null value (not computable) ranks after
every known value, all nulls sharing that place. Points are the weighted sum of ranks; the place
in the total ranks the points the same way, ties broken by ``tie_break`` metrics when given.
Everything up to the final rows runs as one Ibis expression on the chosen backend, rated and
unrated participants alike, so that the lake is scanned once per period.

A rating also carries notes about itself (:attr:`Rating.notes`), in English, each one of the
:data:`NOTES` templates filled in (``civicpulse.i18n.terms.rating_note`` translates them): today,
that a rating leaving out flagged messages rates a period the window stages of
``civicpulse flags detect`` did not cover, so bots, spam and coordinated posts are counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.enrich import window
from civicpulse.metrics.base import Scope
from civicpulse.metrics.catalogue import CATALOGUE, COMPONENTS, WINDOW_FLAGGED
from civicpulse.periods import Period
from civicpulse.query.engine import Engine
from civicpulse.rating.methodology import EXPERT, LoadedMethodology
from civicpulse.rating.participants import cast


@dataclass(frozen=True)
class MetricResult:
    value: float | int | None
    rank: int


@dataclass
class RatedRow:
    participant: str
    entity: str
    place: int
    points: float | int
    metrics: dict[str, MetricResult]
    notes: list[str] = field(default_factory=list)
    previous_place: int | None = None

    @property
    def movement(self) -> int | None:
        """Places gained since the previous period (positive is up); None when new."""
        return None if self.previous_place is None else self.previous_place - self.place

    def to_json(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "entity": self.entity,
            "place": self.place,
            "points": self.points,
            "metrics": {k: {"value": v.value, "rank": v.rank} for k, v in self.metrics.items()},
            "previous_place": self.previous_place,
            "movement": self.movement,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class UnratedRow:
    participant: str
    entity: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"participant": self.participant, "entity": self.entity, "place": None, "unrated": self.reason}


@dataclass
class Rating:
    methodology: LoadedMethodology
    period: Period
    rows: list[RatedRow]
    unrated: list[UnratedRow]
    data_cut: int
    simulated: bool
    engine: str
    registry_sha256: str
    computed_at: dt.datetime
    run_id: int | None = None
    previous_period: Period | None = None
    notes: list[str] = field(default_factory=list)
    """About the whole rating (see :data:`NOTES`); shown by ``rate``, ``explain`` and the report."""

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.rows] + [u.to_json() for u in self.unrated]

    def row(self, participant: str) -> RatedRow | None:
        return next((r for r in self.rows if r.participant == participant), None)


FLAGS_NOT_DETECTED: Final = (
    "flags not detected for %(period)s: bots, spam and coordinated accounts are counted (run %(command)s)"
)
STAGES_NOT_RUN: Final = "flags of %(stages)s not detected for %(period)s: what they flag is counted (run %(command)s)"
NOTES: Final = (FLAGS_NOT_DETECTED, STAGES_NOT_RUN)
"""The templates of rating notes (``%(name)s`` placeholders); ``civicpulse.i18n.terms`` translates each."""


def flags_notes(engine: Engine, method: LoadedMethodology, period: Period) -> list[str]:
    """A note when ``method`` leaves out flagged messages and some installed window stage has not
    run over ``period`` (as of ``engine``'s data cut); else nothing."""
    components = {CATALOGUE[m.catalogue_name].component for m in method.spec.metrics}
    if not components & WINDOW_FLAGGED:
        return []
    missing = window.not_run(engine, period)
    if not missing:
        return []
    every = len(missing) == len(window.installed())
    if period.kind in ("week", "month"):
        runs = [f"--{period.kind} {period.label}"]
    else:  # a run of days: the weeks that overlap it
        runs = [f"--week {week.label}" for week in period.weeks()]
    only = "" if every else "".join(f" --stage {name}" for name in missing)
    command = "; ".join(f"civicpulse flags detect {option}{only}" for option in runs)
    if every:
        return [FLAGS_NOT_DETECTED % {"period": period.label, "command": command}]
    return [STAGES_NOT_RUN % {"stages": ", ".join(missing), "period": period.label, "command": command}]


@dataclass(frozen=True)
class RatingPlan:
    """The Ibis expressions of one rating, before they run."""

    everyone: ir.Table
    """Every participant: rated ones (``unrated_reason`` null) ranked among themselves, then the others."""
    rated: ir.Table
    unrated: ir.Table
    scope: Scope
    without_accounts: dict[str, str]


def plan(engine: Engine, method: LoadedMethodology, period: Period) -> RatingPlan:
    """The whole rating of ``period`` as Ibis expressions: ranked participants and unrated ones."""
    spec = method.spec
    who = cast(spec.participants, engine.registry, period)
    scope = Scope(engine, period, who.participants, who.feeds)
    needed = sorted({CATALOGUE[m.catalogue_name].component for m in spec.metrics})
    parts = [COMPONENTS[name](scope) for name in needed]
    base = parts[0]
    for part in parts[1:]:
        base = base.left_join(part.drop("entity"), "participant").drop("participant_right")

    values = {m.name: CATALOGUE[m.catalogue_name].value(base).name(f"v__{m.name}") for m in spec.metrics}
    table = base.mutate(**{f"v__{k}": v for k, v in values.items()})
    directions = {m.name: m.resolved_direction for m in spec.metrics}
    weights = {m.name: m.weight for m in spec.metrics}
    if spec.expert_scores is not None:
        scores = pa.table(
            {"participant": list(method.expert), "v__expert": [float(s) for s in method.expert.values()]},
            schema=pa.schema([("participant", pa.string()), ("v__expert", pa.float64())]),
        )
        table = table.left_join(engine.memtable(scores), "participant").drop("participant_right")
        directions[EXPERT] = spec.expert_scores.direction
        weights[EXPERT] = spec.expert_scores.weight

    if "unrated_reason" not in table.columns:
        table = table.mutate(unrated_reason=ibis.null("string"))
    # ranking within groups of equal unrated_reason ranks the rated (null reason) among themselves,
    # in the same query that lists the unrated: one scan of the lake where two queries would make two
    everyone = rank(table, directions, weights, spec.rank_method, spec.tie_break, within="unrated_reason")
    rated = everyone.filter(everyone.unrated_reason.isnull())
    unrated = everyone.filter(everyone.unrated_reason.notnull()).select("participant", "entity", "unrated_reason")
    return RatingPlan(everyone, rated, unrated, scope, who.without_accounts)


def compute(
    engine: Engine, method: LoadedMethodology, period: Period, *, registry_sha256: str = "", previous: bool = True
) -> Rating:
    """Run the rating of ``period`` (and of the period before it, for movement)."""
    spec = method.spec
    the_plan = plan(engine, method, period)
    rows = engine.to_pylist(the_plan.everyone)
    names = method.metric_names
    null_reasons = {m.name: CATALOGUE[m.catalogue_name].null_reason for m in spec.metrics}
    null_reasons[EXPERT] = "no expert score"
    rated = []
    for row in rows:
        if row["unrated_reason"] is not None:
            continue
        metrics = {n: MetricResult(row[f"v__{n}"], int(row[f"r__{n}"])) for n in names}
        notes = [f"{n}: {null_reasons.get(n) or 'unknown'}" for n in names if metrics[n].value is None]
        rated.append(
            RatedRow(
                participant=row["participant"],
                entity=row["entity"],
                place=int(row["place"]),
                points=row["points"],
                metrics=metrics,
                notes=notes,
            )
        )
    rated.sort(key=lambda r: (r.place, r.participant))
    end_local = f"{period.end_day.isoformat()} 00:00 {period.tz}"
    unrated = [
        UnratedRow(r["participant"], r["entity"], f"{r['unrated_reason']} ({end_local})")
        for r in rows
        if r["unrated_reason"] is not None
    ]
    unrated += [UnratedRow(p, p, reason) for p, reason in the_plan.without_accounts.items()]
    unrated.sort(key=lambda u: u.participant)
    result = Rating(
        methodology=method,
        period=period,
        rows=rated,
        unrated=unrated,
        data_cut=engine.cut.seq,
        simulated=engine.cut.simulated,
        engine=engine.name,
        registry_sha256=registry_sha256,
        computed_at=dt.datetime.now(dt.UTC),
        notes=flags_notes(engine, method, period) if rated else [],
    )
    if previous:
        before = compute(engine, method, period.previous(), registry_sha256=registry_sha256, previous=False)
        places = {r.participant: r.place for r in before.rows}
        for rated_row in result.rows:
            rated_row.previous_place = places.get(rated_row.participant)
        result.previous_period = before.period
    return result


def rank(
    table: ir.Table,
    directions: Mapping[str, str],
    weights: Mapping[str, float],
    method: str = "min",
    tie_break: list[str] | None = None,
    within: str | None = None,
) -> ir.Table:
    """Rank ``v__<metric>`` columns into ``r__<metric>``, sum weighted ranks into ``points``, add ``place``.

    With ``within`` (a column), a row is ranked only against the rows with the same value in it.
    """
    ranked = _rank_all(table, directions, method, within)
    points = sum((ranked[f"r__{n}"] * _weight(w) for n, w in weights.items()), ibis.literal(0))
    ranked = ranked.mutate(points=points)
    order = [ranked.points] + [ranked[f"r__{n}"] for n in tie_break or []]
    return ranked.mutate(place=_place(order, method, _groups(ranked, within)))


def _groups(table: ir.Table, within: str | None) -> list[ir.Value]:
    return [table[within]] if within else []


def _weight(weight: float) -> ir.Value:
    return ibis.literal(int(weight)) if float(weight).is_integer() else ibis.literal(weight)


def _known_rank(value: ir.Value, direction: str, method: str, groups: list[ir.Value]) -> ir.Value:
    """1-based rank among non-null values (null for a null value)."""
    better_first = ibis.desc(value) if direction == "desc" else ibis.asc(value)
    worse_first = ibis.asc(value) if direction == "desc" else ibis.desc(value)
    known = [*groups, value.isnull()]
    if method == "dense":
        rank = ibis.dense_rank().over(ibis.window(group_by=known, order_by=[better_first])) + 1
    elif method == "max":
        n_known = value.count().over(ibis.window(group_by=groups))
        rank = n_known - ibis.rank().over(ibis.window(group_by=known, order_by=[worse_first]))
    else:
        rank = ibis.rank().over(ibis.window(group_by=known, order_by=[better_first])) + 1
    return value.isnull().ifelse(ibis.null("int64"), rank.cast("int64"))


def _with_nulls_last(
    known: ir.IntegerValue, method: str, everyone: ir.IntegerValue, groups: list[ir.Value]
) -> ir.Value:
    """Fill the ranks of nulls: they share the place after every known value."""
    window = ibis.window(group_by=groups)
    if method == "dense":
        last = known.max().over(window).fill_null(0) + 1
    elif method == "max":
        last = everyone
    else:
        last = known.count().over(window) + 1
    return known.isnull().ifelse(last, known).cast("int64")


def _rank_all(table: ir.Table, directions: Mapping[str, str], method: str, within: str | None) -> ir.Table:
    """Add ``r__<metric>`` for every metric (two steps: ranks among known values, then nulls)."""
    groups = _groups(table, within)
    step = table.mutate(
        **{f"k__{n}": _known_rank(table[f"v__{n}"], d, method, groups) for n, d in directions.items()},
        _n_all=table.participant.count().over(ibis.window(group_by=groups)),
    )
    groups = _groups(step, within)
    return step.mutate(
        **{f"r__{n}": _with_nulls_last(step[f"k__{n}"], method, step._n_all, groups) for n in directions}
    ).drop(*[f"k__{n}" for n in directions], "_n_all")


def _place(order: list[ir.Value], method: str, groups: list[ir.Value]) -> ir.Value:
    if method == "dense":
        return (ibis.dense_rank().over(ibis.window(group_by=groups, order_by=order)) + 1).cast("int64")
    if method == "max":
        reverse = ibis.window(group_by=groups, order_by=[ibis.desc(o) for o in order])
        return (order[0].count().over(ibis.window(group_by=groups)) - ibis.rank().over(reverse)).cast("int64")
    return (ibis.rank().over(ibis.window(group_by=groups, order_by=order)) + 1).cast("int64")
