"""The benchmarks run end to end in quick mode and print a finite ratio each (no timing is judged)."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RATIO = re.compile(r"^\s*ratio \((?P<label>[^)]*)\): (?P<value>\S+)$", re.MULTILINE)


@pytest.mark.slow
def test_quick_benchmarks_print_finite_ratios(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--data", str(tmp_path), "import", "rating", "memory"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,  # a hang guard, not a speed check
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ratios = {m["label"]: float(m["value"]) for m in RATIO.finditer(done.stdout)}
    assert len(ratios) == 3, done.stdout
    assert all(math.isfinite(v) and v > 0 for v in ratios.values()), ratios
    assert "same answer" in done.stdout  # the rating benchmark compared the results before timing them
    assert list(tmp_path.iterdir()) == []  # generated data is deleted
