"""Window stages: flags that need all the posts of a period at once.

A batch stage (:mod:`civicpulse.enrich.stage`) sees one post at a time; coordinated sharing,
text floods and posting rhythm only show across posts. A *window stage* is the same contract one
level up: a name, a version (plus a fingerprint of its settings), the flags it may set, and a pure
function from a :class:`WindowInput` (the latest observation of every post published in the
window, the latest observation of every author, the registry and the settings in force) to one
``flags`` / ``flag_reasons`` pair per input post.

The window of a period is the period plus ``lookback_days`` before it: evidence from the weeks
before (a campaign pushing one link a week) counts, but only the period's own posts get rows.
:func:`run` reads the window through the query engine (DuckDB or Spark, as Arrow), calls the
selected stages and writes their rows, keyed by post and effective version, to the lake tables
``enrich_<stage>`` (the same layout as batch stages: ``platform``, ``id``, ``text_md5``,
``version``, ``flags``, ``flag_reasons``), all in one lake batch. Re-running a period replaces its
rows (latest write wins), so flags follow new data and new settings. :func:`flags_long` reads
them back for :mod:`civicpulse.enrich.flags`.

Every run is that lake batch: kind ``enrich``, source ``window <stage>,<stage> <period label>``
(:func:`batch_source`), committed even when the period has no posts. :func:`not_run` reads those
batches as of a data cut and says which installed stages no run covers a period with, so a rating
can say that its flags are missing instead of counting bots and spam in silence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from civicpulse import plugins
from civicpulse.config import Settings, home_settings
from civicpulse.enrich.stage import StageContext
from civicpulse.errors import ConfigError, PeriodError
from civicpulse.periods import Period, days_period, parse_day, parse_period
from civicpulse.query.engine import Engine, connect
from civicpulse.records.schema import BOOKKEEPING
from civicpulse.registry.models import Registry
from civicpulse.store import state
from civicpulse.store.home import Home

KEY = ("platform", "id")
_STRINGS = pa.list_(pa.string())
TABLE_SCHEMA = pa.schema(
    [
        pa.field("platform", pa.string(), False),
        pa.field("id", pa.string(), False),
        pa.field("text_md5", pa.string(), False),
        pa.field("version", pa.string(), False),
        pa.field("flags", _STRINGS),
        pa.field("flag_reasons", _STRINGS),
        *BOOKKEEPING,
    ]
)
_TS = "timestamp('UTC', 6)"


@dataclass(frozen=True)
class WindowInput:
    """What a window stage sees."""

    posts: pa.Table
    """Latest observation of every post published in the window (lake ``posts`` columns)."""
    authors: pa.Table
    """Latest observation before the window's end of every observed author (lake ``authors`` columns)."""
    registry: Registry
    start: dt.datetime
    """The period's first instant (UTC); posts before it are evidence only."""
    end: dt.datetime
    settings: Settings = field(default_factory=Settings)
    """The settings in force (``flags detect``: those the command line resolved for the home in use)."""

    @property
    def context(self) -> StageContext:
        """The registry and settings as a batch stage gets them, for helpers shared with batch stages."""
        return StageContext(self.registry, self.settings)


@dataclass(frozen=True)
class Flagged:
    """One ``flags`` and one ``flag_reasons`` list per input post, and a summary for the log."""

    flags: list[list[str]]
    reasons: list[list[str]]
    summary: str = ""


WindowFunction = Callable[[WindowInput], Flagged]


@dataclass(frozen=True)
class WindowStage:
    """A stage over a window of posts; see the module docstring."""

    name: str
    version: str
    flags: tuple[str, ...]
    """The flags it may set."""
    function: WindowFunction
    description: str
    settings: str = ""
    """Its settings as text; part of the effective version."""
    lookback_days: int = 28

    @property
    def table(self) -> str:
        return f"enrich_{self.name}"

    @property
    def effective_version(self) -> str:
        """``version`` plus a hash of the settings, so a changed threshold is a new version."""
        if not self.settings:
            return self.version
        return f"{self.version}+{hashlib.sha256(self.settings.encode()).hexdigest()[:12]}"


def installed() -> dict[str, WindowStage]:
    """Every window stage the installed plugins provide."""
    stages: dict[str, WindowStage] = {}
    for name, stage in plugins.window_stages().items():
        if not isinstance(stage, WindowStage):
            raise ConfigError(f"plugin window stage {name!r} is not a civicpulse.enrich.window.WindowStage")
        if stage.name != name or not name.isidentifier() or name != name.lower():
            raise ConfigError(f"plugin window stage registered as {name!r} is named {stage.name!r}")
        stages[name] = stage
    return stages


@dataclass(frozen=True)
class WindowRun:
    """What one window stage did for one period."""

    stage: str
    version: str
    posts: int
    """Posts of the period given rows."""
    window_posts: int
    flagged: int
    seconds: float
    summary: str


def window_input(engine: Engine, period: Period, lookback_days: int, settings: Settings | None = None) -> WindowInput:
    """The posts published from ``lookback_days`` before ``period`` to its end, and the authors, with
    ``settings`` (default: those of the home the engine reads, :func:`civicpulse.config.home_settings`)."""
    start = period.start - dt.timedelta(days=lookback_days)
    posts = engine.con.to_pyarrow(engine.posts_published(start, period.end))
    authors = engine.table("authors")
    before = authors.filter(authors.observed_at < ibis.literal(period.end, type=_TS))
    latest = engine.con.to_pyarrow(engine.latest(before, KEY))
    settings = home_settings(engine.cut.home) if settings is None else settings
    return WindowInput(posts, latest, engine.registry, period.start, period.end, settings)


def run(
    home: Home,
    period: Period,
    selected: Sequence[str] | None = None,
    *,
    stages: Mapping[str, WindowStage] | None = None,
    engine: Engine | None = None,
    settings: Settings | None = None,
) -> list[WindowRun]:
    """Run ``selected`` window stages (default: all installed) over ``period``; one lake batch for all.

    The stages see ``settings`` (default: those of ``home``, :func:`civicpulse.config.home_settings`)."""
    stages = installed() if stages is None else stages
    names = list(selected) if selected else sorted(stages)
    unknown = [n for n in names if n not in stages]
    if unknown:
        raise ConfigError(f"unknown window stage {unknown[0]!r} (installed: {', '.join(sorted(stages)) or 'none'})")
    chosen = [stages[n] for n in names]
    if not chosen:
        return []
    engine = engine or Engine(connect("duckdb"), home.lake.cut(), home.registry())
    settings = home_settings(home.path) if settings is None else settings
    whole = window_input(engine, period, max(s.lookback_days for s in chosen), settings)
    reports = []
    with home.lake.begin("enrich", batch_source(names, period)) as batch:
        for stage in chosen:
            started = time.perf_counter()
            given = _narrowed(whole, period.start - dt.timedelta(days=stage.lookback_days))
            result = stage.function(given)
            if len(result.flags) != given.posts.num_rows or len(result.reasons) != given.posts.num_rows:
                raise ConfigError(
                    f"window stage {stage.name} returned {len(result.flags)} rows for {given.posts.num_rows}"
                )
            rows = _rows(stage, given, result)
            first = batch.next_seq(rows.num_rows)
            rows = rows.append_column(BOOKKEEPING[0], pa.array([batch.id] * rows.num_rows, type=pa.int64()))
            rows = rows.append_column(BOOKKEEPING[1], pa.array(range(first, first + rows.num_rows), type=pa.int64()))
            if rows.num_rows:
                batch.write(stage.table, rows, schema=TABLE_SCHEMA)
            flagged = sum(1 for f in rows.column("flags").to_pylist() if f)
            elapsed = time.perf_counter() - started
            reports.append(
                WindowRun(
                    stage.name,
                    stage.effective_version,
                    rows.num_rows,
                    given.posts.num_rows,
                    flagged,
                    elapsed,
                    result.summary,
                )
            )
        batch.commit({r.stage: r.posts for r in reports})
    return reports


_SOURCE = "window"
"""The first word of the source of a window run's lake batch."""


def batch_source(names: Sequence[str], period: Period) -> str:
    """The source recorded with the lake batch of a run: ``window coordination,floods 2024-W10``."""
    return f"{_SOURCE} {','.join(names)} {period.label}"


@dataclass(frozen=True)
class StoredRun:
    """A committed run of window stages, read back from its lake batch."""

    batch: int
    commit_seq: int
    stages: tuple[str, ...]
    label: str
    """The period's label (``2024-W10``, ``2024-03``)."""


def stored_runs(engine: Engine) -> list[StoredRun]:
    """Every run of window stages committed up to ``engine``'s data cut, oldest first."""
    home = engine.cut.home
    if home is None or not (home / "state.sqlite").exists():
        return []
    conn = state.connect(home / "state.sqlite")
    try:
        rows = conn.execute(
            "SELECT id, commit_seq, source FROM batches WHERE kind = 'enrich' AND status = 'committed'"
            " AND commit_seq <= ? AND source LIKE ? ORDER BY commit_seq",
            (engine.cut.seq, f"{_SOURCE} %"),
        ).fetchall()
    finally:
        conn.close()
    runs = []
    for row in rows:
        parts = str(row["source"]).split(" ")
        if len(parts) == 3 and parts[0] == _SOURCE:
            runs.append(StoredRun(int(row["id"]), int(row["commit_seq"]), tuple(parts[1].split(",")), parts[2]))
    return runs


def _period_of(label: str, tz: str) -> Period | None:
    """The period a stored label names (a week, a month or a run of days), None when unreadable."""
    try:
        if ".." in label:
            first, _, last = label.partition("..")
            return days_period(parse_day(first), parse_day(last) + dt.timedelta(days=1), tz)
        return parse_period(label, tz)
    except PeriodError:
        return None


def not_run(engine: Engine, period: Period, stages: Mapping[str, WindowStage] | None = None) -> list[str]:
    """The installed window stages (or ``stages``) that no run committed up to ``engine``'s data cut
    covers ``period`` with, sorted; empty when every one has run over it (in one run or several:
    a month's run covers its weeks, and a week's runs together can cover a month)."""
    stages = installed() if stages is None else stages
    spans: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {name: [] for name in stages}
    for stored in stored_runs(engine):
        covered = _period_of(stored.label, period.tz)
        if covered is None:
            continue
        for name in stored.stages:
            if name in spans:
                spans[name].append((covered.start, covered.end))
    return sorted(name for name, found in spans.items() if not _covers(found, period.start, period.end))


def _covers(spans: list[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime) -> bool:
    """Whether the union of the half-open ``spans`` holds all of ``[start, end)``."""
    reached = start
    for first, after in sorted(spans):
        if first > reached:
            break
        reached = max(reached, after)
        if reached >= end:
            return True
    return reached >= end


def _narrowed(whole: WindowInput, start: dt.datetime) -> WindowInput:
    published = whole.posts.column("published_at")
    keep = pc.greater_equal(published, pa.scalar(start, type=published.type))
    return replace(whole, posts=whole.posts.filter(keep))


def _rows(stage: WindowStage, given: WindowInput, result: Flagged) -> pa.Table:
    """The rows of the period's posts, in the stage table's columns (bookkeeping added by the caller)."""
    published = given.posts.column("published_at")
    inside = pc.greater_equal(published, pa.scalar(given.start, type=published.type)).to_pylist()
    index = [i for i, yes in enumerate(inside) if yes]
    texts = given.posts.column("text").take(pa.array(index, type=pa.int64())).to_pylist()
    return pa.table(
        {
            "platform": given.posts.column("platform").take(pa.array(index, type=pa.int64())),
            "id": given.posts.column("id").take(pa.array(index, type=pa.int64())),
            "text_md5": pa.array(
                [hashlib.md5((t or "").encode(), usedforsecurity=False).hexdigest()[:16] for t in texts], pa.string()
            ),
            "version": pa.array([stage.effective_version] * len(index), pa.string()),
            "flags": pa.array([result.flags[i] for i in index], _STRINGS),
            "flag_reasons": pa.array([result.reasons[i] for i in index], _STRINGS),
        },
        schema=pa.schema([f for f in TABLE_SCHEMA if not f.name.startswith("_")]),
    )


def stage_rows(engine: Engine, stage: WindowStage) -> ir.Table | None:
    """The latest row of ``stage`` for every post it has seen, or None when it never ran on this data."""
    files = engine.cut.files.get(stage.table, [])
    if not files:
        return None
    table = engine.table(stage.table)
    order = [ibis.desc(table._batch), ibis.desc(table._seq)]
    ranked = table.mutate(_n=ibis.row_number().over(group_by=[table.platform, table.id], order_by=order))
    return ranked.filter(ranked._n == 0).drop("_n", "_batch", "_seq")


def flags_long(engine: Engine, posts: ir.Table, stages: Mapping[str, WindowStage] | None = None) -> ir.Table | None:
    """One row per (post of ``posts``, flag) from the window stages: ``platform``, ``id``, ``flag``,
    ``reason``; None when no window stage has run on this data."""
    stages = installed() if stages is None else stages
    keys = posts.select(*KEY).distinct()
    parts = []
    for stage in stages.values():
        rows = stage_rows(engine, stage)
        if rows is None:
            continue
        rows = rows.semi_join(keys, list(KEY))
        pairs = rows.select(*KEY, pair=rows.flags.zip(rows.flag_reasons).unnest())
        parts.append(pairs.select(*KEY, flag=pairs.pair.f1, reason=pairs.pair.f2.fill_null("")))
    if not parts:
        return None
    return ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
