"""Throughput of the window stages: coordination, floods and bots, alone and end to end.

``main(quick)`` simulates four weeks (``civicpulse simulate``, bundled kz registry, scale 1; quick:
0.2) into a temporary data home and prints, in posts per second of the whole window:

- ``read``: the window's posts and authors out of the lake as Arrow (DuckDB);
- ``coordination``: link extraction and the detector (co-shares, chance test over the interval
  grid, networks), also per share;
- ``floods``: near-duplicate groups (our numpy MinHash + LSH) and spam;
- ``bots``: posting rhythm and the bot score of every author;
- ``window run``: ``civicpulse flags detect`` for the last week with its four weeks of evidence,
  end to end (read, the three stages, Parquet writes, commit);

then two reference points: MinHash signing of the same texts with datasketch's ``MinHash.bulk``
against ours (texts per second), and the coordination detector on a scenario whose every post
shares a link (20,000 organic accounts; quick: 2,000), the worst case for co-sharing.

Run inside ``python -m bench`` or alone: ``python -m bench.coordination [--quick]``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from datasketch import MinHash

from civicpulse.enrich import flagging, scenarios, window
from civicpulse.enrich.bots import rhythm, score_authors
from civicpulse.enrich.coordination import detect, extract_shares
from civicpulse.enrich.floods import FloodParams, comparable, detect_floods, signatures
from civicpulse.periods import week_period
from civicpulse.query.engine import Engine, connect
from civicpulse.simulate.run import simulate
from civicpulse.store.home import Home

END = dt.date(2024, 3, 31)


def _median(fn: Callable[[], object], runs: int) -> float:
    """Median wall-clock seconds of ``runs`` calls after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _line(name: str, items: int, seconds: float, unit: str = "posts") -> float:
    rate = items / seconds if seconds > 0 else float("inf")
    print(f"  {name:<28} {items:>9,} {unit} in {seconds:7.3f} s  {rate:>12,.0f} {unit}/s", flush=True)
    return rate


def main(quick: bool = False) -> dict[str, float]:
    """Run the measurements; returns the figures (per second) by name."""
    runs = 1 if quick else 3
    figures: dict[str, float] = {}
    print("\n== window stages: coordination, floods, bots ==", flush=True)
    with tempfile.TemporaryDirectory(prefix="civicpulse-bench-") as folder:
        home = Home(Path(folder) / "home")
        began = time.perf_counter()
        summary = simulate(home, weeks=4, scale=0.2 if quick else 1.0, seed=7, end=END)
        print(f"  simulated {summary.rows:,} rows in {time.perf_counter() - began:.1f} s", flush=True)
        registry = home.registry()
        engine = Engine(connect("duckdb"), home.lake.cut(), registry)
        last = week_period(END, registry.timezone)
        given = window.window_input(engine, last, 28)
        posts = given.posts
        n = posts.num_rows
        figures["read"] = _line("read", n, _median(lambda: window.window_input(engine, last, 28), runs))
        known = flagging.registered(registry)
        shares = extract_shares(posts, known)
        figures["coordination"] = _line("coordination", n, _median(lambda: detect(extract_shares(posts, known)), runs))
        figures["coordination shares"] = _line(
            "  of which shares", len(shares), _median(lambda: detect(shares), runs), "shares"
        )
        figures["floods"] = _line("floods", n, _median(lambda: detect_floods(posts), runs))
        figures["bots"] = _line("bots", n, _median(lambda: score_authors(given.authors, rhythm(posts)), runs))
        figures["window run"] = _line("window run (3 stages)", n, _median(lambda: window.run(home, last), runs))

        texts = sorted({t for t in (comparable(x) for x in posts.column("text").to_pylist()) if len(t) >= 40})
        texts = texts[: 5_000 if quick else 20_000]
        ours = _median(lambda: signatures(texts, FloodParams()), runs)
        figures["minhash ours"] = _line("MinHash, ours (numpy)", len(texts), ours, "texts")

        def datasketch() -> None:
            shingles = [[t[i : i + 5].encode() for i in range(len(t) - 4)] for t in texts]
            MinHash.bulk(shingles, num_perm=64)

        theirs = _median(datasketch, 1)
        figures["minhash datasketch"] = _line("MinHash, datasketch bulk", len(texts), theirs, "texts")
        print(f"  ours / datasketch: {theirs / ours:.1f}x", flush=True)

    accounts = 2_000 if quick else 20_000
    spec = scenarios.ScenarioSpec(
        seed=1,
        campaigns=scenarios.varied(1).campaigns,
        organic_accounts=accounts,
        organic_links=int(accounts * 0.75),
        groups=accounts // 10,
    )
    scenario = scenarios.generate(spec)
    figures["scenario coordination"] = _line(
        "coordination, links in all",
        scenario.posts.num_rows,
        _median(lambda: detect(extract_shares(scenario.posts)), runs),
    )
    return figures


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
