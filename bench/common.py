"""What the benchmarks share: options, timing, and the way figures are printed."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

DATA_DIR = Path(__file__).resolve().parent / ".data"


@dataclass(frozen=True)
class Options:
    quick: bool
    """Small sizes: a smoke run that checks the benchmarks work, not how fast."""
    data_dir: Path
    runs: int
    """Timed runs per measurement (after warm-up); the median is reported."""


@dataclass
class Report:
    """One benchmark's outcome: lines of figures, its ratio, its target."""

    title: str
    lines: list[str] = field(default_factory=list)
    ratio: float | None = None
    ratio_label: str = ""
    target: str = "none set"
    met: bool | None = None

    def add(self, line: str) -> None:
        self.lines.append(line)
        print(f"  {line}", flush=True)

    def finish(self) -> None:
        """Print the ratio, the target and whether it was met."""
        if self.ratio is not None:
            print(f"  ratio ({self.ratio_label}): {self.ratio:.4g}")
        verdict = {True: "met", False: "NOT met", None: "n/a"}[self.met]
        print(f"  target: {self.target}: {verdict}", flush=True)


def start(title: str) -> Report:
    print(f"\n== {title} ==", flush=True)
    return Report(title)


def timed(fn: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def timed_call(fn: Callable[[], T]) -> tuple[T, float]:
    """What ``fn`` returns, and the wall-clock seconds it took."""
    began = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - began


@dataclass
class Samples:
    """Wall-clock and CPU seconds of repeated runs of one function."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """This process's CPU time (all its threads, so DuckDB's too): steadier than wall time on a busy machine."""

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def interleaved(fns: dict[str, Callable[[], object]], runs: int, warmup: int = 1) -> dict[str, Samples]:
    """Time several functions in turns (A B A B ...), so that load from elsewhere hits them alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples = {name: Samples() for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            cpu = time.process_time()
            samples[name].wall.append(timed(fn))
            samples[name].cpu.append(time.process_time() - cpu)
    return samples


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def human(count: float) -> str:
    """``1,234,567`` for counts, with thin spacing that survives every terminal."""
    return f"{count:,.0f}"


def mib(size: float) -> str:
    return f"{size / (1 << 20):,.0f} MiB"
