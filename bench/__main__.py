"""``python -m bench [--quick] [NAME ...]``: run the benchmarks and print their ratios.

``import``, ``rating`` and ``memory`` measure civicpulse against a baseline in the same run and
end with a ratio and a target. The other benchmarks (``enrich``, ``models``, ``collect``...) belong
to their subsystems: each module's ``main(quick)`` prints its own figures and ratios.
"""

from __future__ import annotations

import argparse
import importlib
import math
import sys
from collections.abc import Callable
from pathlib import Path

from bench import import_memory, import_speed, rating_speed
from bench.common import DATA_DIR, Options, Report

RATED: dict[str, Callable[[Options], Report]] = {
    "import": import_speed.run,
    "rating": rating_speed.run,
    "memory": import_memory.run,
}
# imported only when run: they load models and fake servers the benchmarks above do not need
SUBSYSTEMS: dict[str, str] = {
    "enrich": "bench.enrich",
    "models": "bench.models",
    "collect": "bench.collect_requests",
    "collect-platforms": "bench.collect_platforms",
}


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmarks (default: all); 1 when a ratio came out missing or not finite."""
    names = [*RATED, *SUBSYSTEMS]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run (default: all): {', '.join(names)}"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not a measurement")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help=f"where generated data goes (default {DATA_DIR})")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per measurement (default 5, quick 1)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in names]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)} (known: {', '.join(names)})")
    options = Options(quick=args.quick, data_dir=args.data, runs=args.runs or (1 if args.quick else 5))

    reports: list[Report] = []
    for name in args.names or names:
        if name in RATED:
            reports.append(RATED[name](options))
        else:
            print(f"\n== {name} (bench/{SUBSYSTEMS[name].split('.')[-1]}.py) ==", flush=True)
            importlib.import_module(SUBSYSTEMS[name]).main(options.quick)

    if reports:
        print("\n== summary ==")
    for report in reports:
        verdict = {True: "met", False: "NOT met", None: "no target"}[report.met]
        ratio = "n/a" if report.ratio is None else f"{report.ratio:.4g}"
        print(f"  {report.title}\n    ratio {ratio} ({report.ratio_label}); target {report.target}: {verdict}")
    broken = [r.title for r in reports if r.ratio is None or not math.isfinite(r.ratio)]
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
