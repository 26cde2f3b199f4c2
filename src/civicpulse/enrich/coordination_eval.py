"""``civicpulse eval`` rows for the window stages: coordinated accounts and bots against ground truth.

Coordination is measured per seed, as precision and recall of the coordinated *accounts*, on
three kinds of weeks, each with CooRnet and CooRTweet run on the very same shares
(:mod:`civicpulse.enrich.baselines`, with their published defaults and the fixed windows the
issue tried):

``reference``  the issue's week (:func:`civicpulse.enrich.scenarios.reference`): 6 accounts pushing
               5 links into 5 groups each within 40 s, among 200 organic accounts sharing 150 links;
``varied``     2 to 4 campaigns of different sizes and speeds, links partly or wholly from the
               organic pool (:func:`civicpulse.enrich.scenarios.varied`);
``hard``       beyond the target, to show where detection stops: two small, slow campaigns whose
               members skip pushes (:func:`civicpulse.enrich.scenarios.hard`);
``simulator``  ``civicpulse simulate`` (bundled kz registry, 4 weeks, so its one-link-a-week
               campaigns push 4 links) in a temporary data home, against ``truth-<seed>.json``;
               the bot score is measured there too (the simulator's bots).

The target is precision and recall of at least 0.9 on every seed (of ``reference``, ``varied`` and
``simulator``; ``hard`` is reported, not targeted).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from civicpulse.enrich import baselines, scenarios
from civicpulse.enrich.bots import BotParams, latest_authors, rhythm, score_authors
from civicpulse.enrich.coordination import CoordinationParams, Shares, detect, extract_shares
from civicpulse.enrich.evaluate import EvalRow
from civicpulse.query.engine import Engine, connect
from civicpulse.simulate.run import simulate
from civicpulse.store.home import Home

TARGET = 0.9
STAGES = ("coordination", "bots")
"""Window stages this module evaluates (the others are measured on the labelled corpus)."""
SIM_WEEKS = 4
SIM_SCALE = 0.5
SIM_END = dt.date(2024, 3, 31)


@dataclass(frozen=True)
class Score:
    """Precision and recall of a flagged set against the truth."""

    precision: float
    recall: float
    flagged: int
    interval_s: float | None = None

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score(flagged: set[str], truth: set[str], interval_s: float | None = None) -> Score:
    """Precision (1.0 when nothing is flagged) and recall (1.0 when there is nothing to find)."""
    hits = len(flagged & truth)
    precision = hits / len(flagged) if flagged else 1.0
    recall = hits / len(truth) if truth else 1.0
    return Score(precision, recall, len(flagged), interval_s)


@dataclass
class SeedResult:
    """Ours and the baselines on one seed of one kind of week."""

    kind: str
    seed: int
    posts: int
    truth: int
    ours: Score
    baselines: dict[str, Score] = field(default_factory=dict)
    bots: Score | None = None

    @property
    def meets_target(self) -> bool:
        return self.ours.precision >= TARGET and self.ours.recall >= TARGET


def compare(
    shares: Shares, truth: set[str], params: CoordinationParams | None = None
) -> tuple[Score, dict[str, Score]]:
    """Our detector and the four baseline settings on ``shares``."""
    found = detect(shares, params)
    ours = score(found.coordinated, truth, found.interval_s)
    runs = {
        "CooRnet": baselines.coornet(shares),
        "CooRnet 60s": baselines.coornet(shares, 60.0),
        "CooRTweet 10s": baselines.coortweet(shares, 10.0),
        "CooRTweet 60s": baselines.coortweet(shares, 60.0),
    }
    return ours, {name: score(r.flagged, truth, r.interval_s) for name, r in runs.items()}


def scenario_results(kind: str, seeds: Iterable[int]) -> list[SeedResult]:
    """Ours and the baselines on seeded scenarios (``reference``, ``varied`` or ``hard``)."""
    makers: dict[str, Callable[[int], scenarios.ScenarioSpec]] = {
        "reference": scenarios.reference,
        "varied": scenarios.varied,
        "hard": scenarios.hard,
    }
    make = makers[kind]
    out = []
    for seed in seeds:
        scenario = scenarios.generate(make(seed))
        ours, others = compare(extract_shares(scenario.posts), scenario.coordinated)
        out.append(SeedResult(kind, seed, scenario.posts.num_rows, len(scenario.coordinated), ours, others))
    return out


def simulator_results(seeds: Iterable[int], weeks: int = SIM_WEEKS, scale: float = SIM_SCALE) -> list[SeedResult]:
    """Ours, the baselines and the bot score on ``civicpulse simulate`` runs (temporary homes)."""
    out = []
    for seed in seeds:
        with tempfile.TemporaryDirectory(prefix="civicpulse-eval-") as folder:
            home = Home(Path(folder) / "home")
            summary = simulate(home, weeks=weeks, scale=scale, seed=seed, end=SIM_END)
            truth = json.loads(summary.truth.read_text(encoding="utf-8"))
            coordinated = {f"{p}:{i}" for p, i in truth["coordinated"]}
            bots = {f"{p}:{i}" for p, i in truth["bots"]}
            registry = home.registry()
            engine = Engine(connect("duckdb"), home.lake.cut(), registry)
            posts = engine.con.to_pyarrow(engine.latest(engine.table("posts"), ("platform", "id")))
            authors = latest_authors(engine.con.to_pyarrow(engine.table("authors")))
        known = frozenset(a.key for a in registry.accounts)
        ours, others = compare(extract_shares(posts, known), coordinated)
        params = BotParams()
        scores = score_authors(authors, rhythm(posts), params)
        flagged_bots = {k for k, v in scores.score.items() if v >= params.threshold and k not in known}
        out.append(
            SeedResult("simulator", seed, posts.num_rows, len(coordinated), ours, others, score(flagged_bots, bots))
        )
    return out


def eval_rows(results: Sequence[SeedResult]) -> list[EvalRow]:
    """One ``coordination`` row per seed (and one ``bots`` row per simulator seed), for ``civicpulse eval``."""
    rows = []
    for r in results:
        verdict = "ok" if r.meets_target else "not targeted" if r.kind == "hard" else "MISSED"
        rows.append(
            EvalRow(
                "coordination",
                f"{r.kind} s{r.seed}",
                r.truth,
                r.ours.precision,
                r.ours.recall,
                r.ours.f1,
                None,  # the target is on precision and recall each, not on F1: the note gives the verdict
                f"P,R>={TARGET} {verdict}; {r.ours.flagged} flagged @{r.ours.interval_s:.0f}s",
            )
        )
        if r.bots is not None:
            rows.append(
                EvalRow("bots", f"{r.kind} s{r.seed}", r.bots.flagged, r.bots.precision, r.bots.recall, r.bots.f1)
            )
    return rows


def run(selected: Sequence[str] | None = None, *, seeds: int = 10, simulator: bool = True) -> list[SeedResult]:
    """Every kind of week on ``seeds`` seeds (the simulator only when ``simulator``)."""
    wanted = set(selected or STAGES)
    results: list[SeedResult] = []
    if "coordination" in wanted:
        results += scenario_results("reference", range(seeds))
        results += scenario_results("varied", range(seeds))
        results += scenario_results("hard", range(seeds))
    if simulator and wanted & set(STAGES):
        results += simulator_results(range(seeds))
    return results


def summary(results: Sequence[SeedResult]) -> list[dict[str, object]]:
    """Per kind of week and method: seeds meeting the target, worst and mean precision and recall,
    mean accounts flagged and the intervals used."""
    out: list[dict[str, object]] = []
    kinds = list(dict.fromkeys(r.kind for r in results))
    for kind in kinds:
        mine = [r for r in results if r.kind == kind]
        for method in ["ours", *mine[0].baselines]:
            scores = [r.ours if method == "ours" else r.baselines[method] for r in mine]
            intervals = [s.interval_s for s in scores if s.interval_s is not None]
            ok = sum(1 for s in scores if s.precision >= TARGET and s.recall >= TARGET)
            out.append(
                {
                    "week": kind,
                    "method": method,
                    "seeds ok": f"{ok}/{len(scores)}",
                    "min P": f"{min(s.precision for s in scores):.2f}",
                    "min R": f"{min(s.recall for s in scores):.2f}",
                    "mean P": f"{sum(s.precision for s in scores) / len(scores):.2f}",
                    "mean R": f"{sum(s.recall for s in scores) / len(scores):.2f}",
                    "flagged": f"{sum(s.flagged for s in scores) / len(scores):.0f}",
                    "interval s": f"{min(intervals):.0f}-{max(intervals):.0f}" if intervals else "-",
                }
            )
    return out
