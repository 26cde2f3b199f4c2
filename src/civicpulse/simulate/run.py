"""``civicpulse simulate``: a registry with simulated accounts, weeks of their activity, the truth.

The same parameters (registry text, weeks, scale, seed, last day) always give the same records:
every random draw comes from a numpy generator seeded with the seed (and the day and slice being
generated). A lake batch carries the hash of all parameters, so running the same simulation
again raises :class:`AlreadyImported` instead of adding a copy; the batch is marked simulated, so
every rating and report built on it says so.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from civicpulse.errors import CivicpulseError, RegistryMissing
from civicpulse.periods import week_period, zone
from civicpulse.platforms import PLATFORMS
from civicpulse.registry import loader
from civicpulse.simulate import accounts
from civicpulse.simulate.activity import authors_table, day_slice, followers_table, parts_per_day
from civicpulse.simulate.output import JsonlOutput, LakeOutput, TruthWriter
from civicpulse.simulate.world import OFFICIAL, Params, World, build
from civicpulse.store.home import Home

VERSION: Final = 2
"""Bump when the generator changes what it writes for the same parameters."""


@dataclass
class Summary:
    """What a simulation did; ``str()`` is the message the CLI prints."""

    params: Params
    registry_source: str
    roles: dict[str, int]
    counts: dict[str, int]
    seconds: float
    truth: Path
    batch: int | None = None
    out: Path | None = None
    registry_file: Path | None = None
    weeks: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        p = self.params
        roles = ", ".join(f"{n} {role}" for role, n in self.roles.items())
        counts = ", ".join(f"{n:,} {table}" for table, n in sorted(self.counts.items()))
        where = f"lake batch {self.batch}" if self.batch is not None else f"file {self.out}"
        speed = self.rows / self.seconds if self.seconds > 0 else 0.0
        span = self.weeks[0] if len(self.weeks) == 1 else f"{self.weeks[0]}..{self.weeks[-1]}"
        lines = [
            f"SIMULATED DATA: {p.weeks} week(s) {span} "
            f"({p.first_day}..{p.last_day}, {p.tz}), scale {p.scale:g}, seed {p.seed}",
            f"registry {self.registry_source}: {sum(self.roles.values())} simulated accounts ({roles})",
            f"{where}: {counts} in {self.seconds:.1f} s ({speed:,.0f} rows/s)",
        ]
        if self.registry_file is not None:
            lines.append(f"registry for that file: {self.registry_file}")
        lines.append(f"ground truth: {self.truth}")
        return "\n".join(lines)


def default_end(tz: str, now: datetime | None = None) -> date:
    """The last Sunday before today in ``tz``, so that ``--week last`` is the last simulated week."""
    today = (now or datetime.now(UTC)).astimezone(zone(tz)).date()
    return today - timedelta(days=today.weekday() + 1)


def content_hash(params: Params, registry_sha256: str) -> str:
    """The identity of a simulation: every parameter that changes what it writes."""
    payload = {
        "generator": VERSION,
        "registry_sha256": registry_sha256,
        "weeks": params.weeks,
        "scale": params.scale,
        "seed": params.seed,
        "first_day": params.first_day.isoformat(),
        "last_day": params.last_day.isoformat(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def simulate(
    home: Home,
    *,
    weeks: int,
    scale: float,
    seed: int,
    end: date | None = None,
    registry: str = "bundled:kz",
    out: Path | None = None,
    console: Console | None = None,
) -> Summary:
    """Simulate ``weeks`` weeks ending on ``end`` (default: the last Sunday) for ``registry``.

    Saves the registry with its simulated accounts as the home's registry in force, then writes the
    records into one simulated lake batch (or, with ``out``, into a canonical JSONL file plus the
    registry next to it) and the ground truth into ``<home>/simulated/truth-<seed>.json``. Raises
    :class:`AlreadyImported` when the lake already holds this very simulation.
    """
    if weeks < 1 or not scale > 0:
        raise CivicpulseError(f"weeks must be at least 1 and scale positive (got weeks={weeks}, scale={scale})")
    started = time.perf_counter()
    base, base_text = loader.load(registry)
    sim = accounts.with_accounts(base, base_text, registry, seed)
    tz = sim.registry.timezone
    last_day = end or default_end(tz)
    params = Params(weeks, float(scale), seed, last_day - timedelta(days=7 * weeks - 1), last_day, tz)
    digest = content_hash(params, sim.text.sha256)
    _make_current(home, sim.text)
    truth_path = home.path / "simulated" / f"truth-{seed}.json"
    source = f"simulate {registry} weeks={weeks} scale={scale:g} seed={seed} end={last_day}"
    summary = Summary(
        params=params,
        registry_source=sim.text.source,
        roles=dict(Counter(a.role for a in sim.accounts)),
        counts={},
        seconds=0.0,
        truth=truth_path,
        weeks=sorted({week_period(d, tz).label for d in params.days}),
    )
    if out is None:
        with home.lake.begin("simulate", source, content_sha256=digest, simulated=True) as batch:
            world = build(sim, params)
            sink = LakeOutput(batch)
            summary.counts = _run(world, sink, _truth_writer(truth_path, world, digest), console)
            batch.commit(summary.counts)
        summary.batch = batch.id
    else:
        world = build(sim, params)
        jsonl = JsonlOutput(out, tz)
        try:
            summary.counts = _run(world, jsonl, _truth_writer(truth_path, world, digest), console)
        except BaseException:
            jsonl.abort()
            raise
        jsonl.close()
        summary.out = out
        summary.registry_file = out.with_name(f"{out.stem}.registry.yaml")
        summary.registry_file.write_text(sim.text.text, encoding="utf-8")
    summary.seconds = time.perf_counter() - started
    return summary


def _make_current(home: Home, text: loader.RegistryText) -> None:
    """Save the simulated registry unless it is already the one in force."""
    try:
        if home.registry_text().sha256 == text.sha256:
            return
    except RegistryMissing:
        pass
    home.save_registry(text)


def _truth_writer(path: Path, world: World, digest: str) -> TruthWriter:
    p = world.params
    header = {
        "simulated": True,
        "content_sha256": digest,
        "params": {
            "weeks": p.weeks,
            "scale": p.scale,
            "seed": p.seed,
            "first_day": p.first_day.isoformat(),
            "last_day": p.last_day.isoformat(),
            "timezone": p.tz,
            "registry": world.sim.text.source,
            "registry_sha256": world.sim.text.sha256,
        },
    }
    return TruthWriter(path, header, [e.id for e in world.entities])


def _run(world: World, sink: LakeOutput | JsonlOutput, truth: TruthWriter, console: Console | None) -> dict[str, int]:
    """Generate every day slice into ``sink`` and the truth; returns rows written per table."""
    parts = parts_per_day(world.params.scale)
    n_days = len(world.params.days)
    pushes: list[dict[str, object]] = []
    progress = Progress(
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=console is None,
    )
    try:
        with progress:
            task = progress.add_task("days", total=n_days * parts + 1)
            for day in range(n_days):
                for part in range(parts):
                    piece = day_slice(world, day, part, parts)
                    for table in piece.posts:
                        sink.add("posts", table)
                    if piece.snapshots is not None:
                        sink.add("snapshots", piece.snapshots)
                    truth.add(piece.truth)
                    pushes.extend(piece.pushes)
                    progress.advance(task)
            sink.add("authors", authors_table(world))
            sink.add("authors", followers_table(world))
            progress.advance(task)
        counts = sink.close() if isinstance(sink, LakeOutput) else dict(sink.counts)
    except BaseException:
        truth.abort()
        raise
    truth.close(_tail(world, pushes))
    return counts


def _tail(world: World, pushes: list[dict[str, object]]) -> dict[str, Any]:
    """The small parts of the truth: who the bots and coordinated accounts are, what they did, and the
    follower samples (bots among sampled followers are listed with the other bots)."""
    crowd, acc, sample = world.crowd, world.accounts, world.followers
    ids = crowd.ids.to_pylist()

    def listed(mask: Any) -> list[list[str]]:
        return [[PLATFORMS[int(crowd.platform[i])], ids[i]] for i in mask.nonzero()[0]]

    sample_ids = sample.ids.to_pylist()
    follower_bots = [[PLATFORMS[int(sample.platform[i])], sample_ids[i]] for i in np.flatnonzero(sample.bot)]
    sizes, bots = sample.sizes(len(acc.role))

    keys = [a.key for a in world.sim.accounts]
    day_of = world.params.days
    for push in pushes:
        start = datetime.fromtimestamp(int(str(push.pop("start_us"))) / 1e6, UTC)
        push["started_at"] = start.isoformat()
    return {
        "bots": listed(crowd.bot & world.seen) + follower_bots,
        "coordinated": listed(crowd.coordinated & world.seen),
        "campaigns": [
            {
                "campaign": i + 1,
                "platform": PLATFORMS[c.platform],
                "accounts": [ids[m] for m in c.members],
                "entity": world.entities[c.entity].id,
            }
            for i, c in enumerate(world.campaigns)
        ],
        "pushes": pushes,
        "silent_weeks": [
            {"account": keys[i], "from": day_of[min(7 * int(w), len(day_of) - 1)].isoformat(), "days": 7}
            for i, w in enumerate(acc.silent_week)
            if w >= 0
        ],
        "unobserved": [keys[i] for i in (~acc.observed).nonzero()[0]],
        "unobserved_official": [keys[i] for i in ((~acc.observed) & (acc.role == OFFICIAL)).nonzero()[0]],
        "follower_jumps": [{"account": k, "day": day_of[d].isoformat()} for k, d in acc.jumps],
        "follower_samples": [
            {
                "account": keys[i],
                "sampled": int(sizes[i]),
                "bots": int(bots[i]),
                "bot_share": round(bots[i] / sizes[i], 4),
            }
            for i in np.flatnonzero(sizes)
        ],
    }
