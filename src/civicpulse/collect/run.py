"""A collection run: every configured platform, every target, pages committed as they arrive.

For each platform the run builds the connector, visits the official and mention targets of the
registry, then profiles the authors of what it collected. For each target it asks the stored
cursor where to start, and for each page it keeps the raw payload, parses it (pure functions) and
adds the canonical records to a lake batch; every ``commit_every`` pages, and at the end of the
target, it commits the batch together with the cursor after its last page (see
:mod:`civicpulse.collect.state`). So a crash loses at most the uncommitted pages, which the next
run fetches again, and a run interrupted within ``resume_within`` with the same options is
resumed: targets it finished are not visited again and nothing is stored twice.

Faults: a transient or terminal error skips its target with the reason (an open problem until
the target succeeds again); a platform-wide one (refused token, spent quota) skips the rest of
the platform; pages fetched before any fault are committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, cast

import duckdb
import httpx

from civicpulse.collect.base import Connector, ConnectorClass, Cursor, FetchContext, Page, Target
from civicpulse.collect.http import SYSTEM_CLOCK, Clock, Session, describe_error
from civicpulse.collect.settings import configured_platforms, read_collect_config, settings_for
from civicpulse.collect.state import CollectState, ResultRow
from civicpulse.collect.targets import TargetChoice, authors_target, targets_for
from civicpulse.errors import CollectError, ConfigError
from civicpulse.periods import zone
from civicpulse.plugins import connectors
from civicpulse.store.home import Home
from civicpulse.store.lake import BatchWriter
from civicpulse.store.sink import RecordSink

log = logging.getLogger("civicpulse.collect")

RESUME_WITHIN = dt.timedelta(hours=12)


@dataclass(frozen=True)
class CollectOptions:
    """What the user asked for; a run is resumed only with the same options."""

    platforms: tuple[str, ...] = ()
    """Platforms to collect; empty means every platform configured in ``config.toml``."""
    since: dt.date | None = None
    targets: TargetChoice = "all"

    def as_json(self) -> dict[str, Any]:
        return {
            "platforms": list(self.platforms),
            "since": self.since.isoformat() if self.since else None,
            "targets": self.targets,
        }


@dataclass
class TargetOutcome:
    """How one target went in this run."""

    target: Target
    status: str
    """``ok`` or ``skipped``."""
    reason: str | None = None
    requests: int = 0
    pages: int = 0
    records: int = 0
    notes: list[str] = field(default_factory=list)
    earlier: bool = False
    """Finished by the interrupted run this one resumes; nothing was fetched now."""
    stop: CollectError | None = field(default=None, repr=False)
    """The platform-wide fault that ended this target, which also ends the platform."""


@dataclass(frozen=True)
class Summary:
    """One row of the final table: a platform and a target kind."""

    platform: str
    kind: str
    targets: int
    ok: int
    skipped: int
    reasons: dict[str, int]
    new: int
    updated: int
    requests: int
    quota_left: int | None

    def as_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class RunReport:
    run_id: int
    resumed: bool
    outcomes: list[TargetOutcome] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    platform_errors: dict[str, str] = field(default_factory=dict)
    """Platforms not collected at all, with why (not configured, no connector, bad settings)."""


class Observer(Protocol):
    """Progress callbacks (the CLI draws a progress bar from them)."""

    def platform_started(self, platform: str, targets: int) -> None: ...

    def target_started(self, target: Target) -> None: ...

    def target_finished(self, outcome: TargetOutcome) -> None: ...


class _Quiet:
    def platform_started(self, platform: str, targets: int) -> None:
        pass

    def target_started(self, target: Target) -> None:
        pass

    def target_finished(self, outcome: TargetOutcome) -> None:
        pass


def collect(
    home: Home,
    options: CollectOptions,
    *,
    clock: Clock = SYSTEM_CLOCK,
    observer: Observer | None = None,
    transport: httpx.BaseTransport | None = None,
    resume_within: dt.timedelta = RESUME_WITHIN,
) -> RunReport:
    """Run (or resume) a collection; returns what happened per target and per platform and kind.

    ``transport`` replaces the network (tests); ``clock`` replaces time and sleeping.
    """
    registry = home.registry()
    config = read_collect_config(home.path)
    store = CollectState(home.lake)
    now = clock.now()
    run_id, resumed = store.begin_run(options.as_json(), now, resume_within)
    report = RunReport(run_id, resumed)
    session = Session(clock=clock, ledger=store)
    since = None
    if options.since is not None:
        since = dt.datetime.combine(options.since, dt.time(), zone(registry.timezone)).astimezone(dt.UTC)
    context = FetchContext(now=now, since=since)
    platforms = list(options.platforms) or [p for p in configured_platforms(config) if p in connectors()]
    runner = _Runner(home, store, run_id, session, context, observer or _Quiet(), report)
    try:
        for platform in platforms:
            connector_class = cast("ConnectorClass | None", connectors().get(platform))
            if connector_class is None:
                report.platform_errors[platform] = f"no connector for {platform} (installed: {', '.join(connectors())})"
                continue
            try:
                settings = settings_for(connector_class.settings_model, platform, config)
            except ConfigError as exc:
                report.platform_errors[platform] = str(exc)
                continue
            client = httpx.Client(
                transport=transport, headers={"User-Agent": settings.user_agent}, follow_redirects=False
            )
            with client:
                connector = connector_class(client, settings, session)
                today = now.astimezone(zone(registry.timezone)).date()
                targets = targets_for(registry, platform, options.targets, connector.kinds, today)
                runner.platform(connector, targets)
        report.summaries = runner.summaries()
        store.finish_run(run_id, clock.now(), [s.as_json() for s in report.summaries])
    except BaseException:
        store.interrupt_run(run_id)
        log.warning("collection run %d stopped before its end; the next run resumes it", run_id)
        raise
    finally:
        store.close()
    return report


class _Runner:
    def __init__(
        self,
        home: Home,
        store: CollectState,
        run_id: int,
        session: Session,
        context: FetchContext,
        observer: Observer,
        report: RunReport,
    ) -> None:
        self.home = home
        self.store = store
        self.run_id = run_id
        self.session = session
        self.clock = session.clock
        self.context = context
        self.observer = observer
        self.report = report
        self.quota: dict[str, int | None] = {}

    def platform(self, connector: Connector[Any], targets: list[Target]) -> None:
        platform = connector.platform
        targets = self.stalest_first(targets)
        if "authors" in connector.kinds:
            targets = [*targets, authors_target(platform)]
        self.observer.platform_started(platform, len(targets))
        stop: CollectError | None = None
        for target in targets:
            if stop is not None:
                outcome = TargetOutcome(target, "skipped", f"not tried: {describe_error(stop)}")
                self._record(outcome)
            else:
                self.observer.target_started(target)
                outcome = self.target(connector, target)
                stop = outcome.stop
            self.report.outcomes.append(outcome)
            self.observer.target_finished(outcome)
        self.quota[platform] = connector.http.quota_left()

    def stalest_first(self, targets: list[Target]) -> list[Target]:
        """Each kind's targets, those least recently collected first, so a scarce quota is shared.

        A pass begun and not finished comes first (a quota stopped it), then targets never
        collected, then the others by the run that last finished them, oldest first; ties keep
        the registry's order. Without this, a daily quota smaller than the work would be spent
        every day by the same first targets, and the last ones never collected.
        """

        def rank(target: Target) -> tuple[int, int, int]:
            stored = self.store.cursor(target.platform, target.name)
            if stored is None:
                return (_KIND_ORDER[target.kind], 1, 0)
            return (_KIND_ORDER[target.kind], 2 if stored.finished else 0, stored.run_id)

        return sorted(targets, key=rank)

    def target(self, connector: Connector[Any], target: Target) -> TargetOutcome:
        stored = self.store.cursor(target.platform, target.name)
        if stored is not None and stored.run_id == self.run_id and stored.finished:
            return TargetOutcome(target, "ok", earlier=True)
        cursor = Cursor(state=stored.state if stored else {}, resume=bool(stored and not stored.finished))
        chunk = _Chunk(self, connector, target)
        requests_before = connector.http.requests
        outcome = TargetOutcome(target, "ok")
        final: dict[str, Any] | None = None
        try:
            pages: Iterator[Page]
            if target.kind == "authors":
                pages, final = self._author_pages(connector, cursor)
            else:
                pages = connector.fetch(target, cursor, self.context)
            for page in pages:
                chunk.add(page)
                outcome.notes.extend(page.notes)
                if chunk.pages >= connector.settings.commit_every:
                    chunk.commit(finished=False)
            chunk.commit(finished=True, fallback=cursor.state, final=final)
            self.store.resolve_problem(target.platform, target.name, self.clock.now())
        except CollectError as exc:
            chunk.commit(finished=False)  # what was fetched before the fault is kept
            outcome.status, outcome.reason = "skipped", describe_error(exc)
            self.store.open_problem(
                target.platform, target.name, type(exc).__name__, exc.reason, self.run_id, self.clock.now()
            )
            log.info("%s skipped: %s", target.name, outcome.reason)
            if exc.platform_wide:
                outcome.stop = exc
        except BaseException:
            chunk.abort()
            raise
        outcome.requests = connector.http.requests - requests_before
        outcome.pages, outcome.records = chunk.total_pages, chunk.total_records
        outcome.notes.extend(chunk.problems)
        self._record(outcome)
        return outcome

    def _record(self, outcome: TargetOutcome) -> None:
        target = outcome.target
        self.store.record_result(
            self.run_id,
            ResultRow(
                target.platform,
                target.name,
                target.kind,
                outcome.status,
                outcome.reason,
                outcome.requests,
                outcome.pages,
            ),
            self.clock.now(),
        )

    def _author_pages(self, connector: Connector[Any], cursor: Cursor) -> tuple[Iterator[Page], dict[str, Any]]:
        """The authors pass: pages, and the state that ends it.

        The pass covers the platform's batches committed after the last finished pass
        (``through_batch``), so authors of a run whose pass failed are profiled by the next one.
        Until it ends, its pages keep the old ``through_batch``: after a crash the ids are computed
        again, minus those profiled meanwhile.
        """
        through = int(cursor.state.get("through_batch", 0))
        ids, last = self.pending_authors(connector, through)
        pages = connector.fetch_authors(ids, self.context)
        return (replace(page, state={"through_batch": through}) for page in pages), {"through_batch": last}

    def pending_authors(self, connector: Connector[Any], after: int) -> tuple[list[str], int]:
        """Authors of the platform's posts in batches after ``after``, not profiled within ``author_refresh_days``.

        Returns the ids (people only, as ``connector.profiled`` says) and the last batch considered.
        """
        batches = self.store.platform_batches(connector.platform, after)
        last = max(batches, default=after)
        cut = self.home.lake.cut()
        if not batches or not cut.files["posts"]:
            return [], last
        con = duckdb.connect()
        found = con.execute(
            "SELECT DISTINCT author FROM read_parquet($files) WHERE platform = $platform AND author IS NOT NULL"
            " AND _batch IN (SELECT unnest($batches))",
            {"files": cut.files["posts"], "platform": connector.platform, "batches": batches},
        ).fetchall()
        ids = {str(row[0]) for row in found if connector.profiled(str(row[0]))}
        if ids and cut.files["authors"]:
            fresh = self.clock.now() - dt.timedelta(days=connector.settings.author_refresh_days)
            recent = con.execute(
                "SELECT DISTINCT id FROM read_parquet($files) WHERE platform = $platform AND observed_at >= $fresh",
                {"files": cut.files["authors"], "platform": connector.platform, "fresh": fresh},
            ).fetchall()
            ids -= {str(row[0]) for row in recent}
        return sorted(ids, key=_natural), last

    def summaries(self) -> list[Summary]:
        """Per platform and kind: targets ok and skipped, items new and updated, requests, quota left."""
        results = self.store.results(self.run_id)
        changes = _new_and_updated(self.home, self.store.run_batches(self.run_id))
        out = []
        groups: dict[tuple[str, str], list[ResultRow]] = {}
        for row in results:
            groups.setdefault((row.platform, row.kind), []).append(row)
        for (platform, kind), rows in sorted(groups.items(), key=lambda item: (item[0][0], _KIND_ORDER[item[0][1]])):
            skipped = [r for r in rows if r.status != "ok"]
            reasons = Counter(_short(r.reason or "") for r in skipped)
            new, updated = changes.get((platform, kind), (0, 0))
            out.append(
                Summary(
                    platform,
                    kind,
                    len(rows),
                    len(rows) - len(skipped),
                    len(skipped),
                    dict(reasons),
                    new,
                    updated,
                    sum(r.requests for r in rows),
                    self.quota.get(platform),
                )
            )
        return out


_KIND_ORDER = {"official": 0, "mentions": 1, "authors": 2}


def _natural(value: str) -> tuple[int, int | str]:
    try:
        return (0, int(value))
    except ValueError:
        return (1, value)


def _short(reason: str) -> str:
    """The label of a reason (``private: wall: ...`` -> ``private``), for grouping skipped targets."""
    return reason.split(":", 1)[0].strip()


def _new_and_updated(home: Home, batches: Sequence[tuple[int, str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
    """Per (platform, kind): ids written by the run's batches seen for the first time, and seen before."""
    cut = home.lake.cut()
    out: dict[tuple[str, str], tuple[int, int]] = {}
    con = duckdb.connect()
    groups: dict[tuple[str, str], list[int]] = {}
    for batch, platform, kind in batches:
        groups.setdefault((platform, kind), []).append(batch)
    for (platform, kind), ids in groups.items():
        table = "authors" if kind == "authors" else "posts"
        files = cut.files[table]
        if not files:
            continue
        row = con.execute(
            "WITH mine AS (SELECT DISTINCT id FROM read_parquet($files) WHERE platform = $platform"
            "   AND _batch IN (SELECT unnest($batches))),"
            " before AS (SELECT DISTINCT id FROM read_parquet($files) WHERE platform = $platform"
            "   AND _batch NOT IN (SELECT unnest($batches)) AND id IN (SELECT id FROM mine))"
            " SELECT (SELECT count(*) FROM mine) - (SELECT count(*) FROM before), (SELECT count(*) FROM before)",
            {"files": files, "platform": platform, "batches": ids},
        ).fetchone()
        if row is not None:
            out[(platform, kind)] = (int(row[0]), int(row[1]))
    return out


class _Chunk:
    """Pages of one target waiting to be committed together with the cursor after the last of them."""

    def __init__(self, runner: _Runner, connector: Connector[Any], target: Target) -> None:
        self.runner = runner
        self.connector = connector
        self.target = target
        self.batch: BatchWriter | None = None
        self.sink: RecordSink | None = None
        self.pages = 0
        """Pages waiting for the next commit."""
        self.state: dict[str, Any] | None = None
        """The connector's state after the last page added (committed or not)."""
        self.total_pages = 0
        self.total_records = 0
        self.problems: list[str] = []

    def add(self, page: Page) -> None:
        exchange = page.exchange
        if self.batch is None:
            lake = self.runner.home.lake
            self.batch = lake.begin("collect", f"collect run {self.runner.run_id} {self.target.name}")
            self.runner.store.add_batch(
                self.batch.id, self.runner.run_id, self.target.platform, self.target.name, self.target.kind
            )
            self.sink = RecordSink(self.batch, exchange.fetched_at)
        assert self.sink is not None
        payload = exchange.payload()
        self.sink.add_raw(f"{exchange.platform}:{exchange.method}", self.target.name, exchange.fetched_at, payload)
        try:
            parsed = self.connector.parse(payload)
        except Exception as exc:  # a parser bug must not lose the fetched page: the raw payload is kept
            log.exception("%s: the %s parser failed", self.target.name, exchange.platform)
            self.problems.append(f"{exchange.method}: parser failed ({type(exc).__name__}); raw payload kept")
        else:
            for record in parsed.records:
                self.sink.add(record)
            self.total_records += len(parsed.records)
            self.problems.extend(parsed.problems)
        self.pages += 1
        self.total_pages += 1
        self.state = page.state

    def commit(
        self, *, finished: bool, fallback: dict[str, Any] | None = None, final: dict[str, Any] | None = None
    ) -> None:
        """Commit the pending pages with the cursor after them; with no pages, store the cursor alone.

        ``finished`` marks the target's pass complete; ``fallback`` is the state to record when
        the pass yielded no page at all, ``final`` the state that replaces the last page's when
        the pass is finished. An unfinished commit without pending pages does nothing.
        """
        runner, target = self.runner, self.target
        state = self.state if self.state is not None else fallback
        if finished and final is not None:
            state = final
        now = runner.clock.now()
        if self.batch is None:
            if finished:
                runner.store.save_cursor(target.platform, target.name, runner.run_id, None, state or {}, True, now)
                runner.store.prune_cursors(target.platform, target.name)
            return
        assert self.sink is not None and state is not None
        counts = self.sink.close()
        runner.store.save_cursor(target.platform, target.name, runner.run_id, self.batch.id, state, finished, now)
        self.batch.commit(counts)
        runner.store.prune_cursors(target.platform, target.name)
        self.batch, self.sink, self.pages = None, None, 0

    def abort(self) -> None:
        if self.batch is not None:
            self.batch.abort()
            self.batch, self.sink = None, None
