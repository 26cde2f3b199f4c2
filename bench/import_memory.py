"""Peak memory of ``civicpulse import`` of a 2 GB canonical JSONL file, measured in a child process.

The baseline is the same kind of child that only starts Python and imports civicpulse's command
line (what every command costs before it reads a byte). Peaks are the kernel's high-water marks
of the children's resident memory (``VmHWM``), polled until each child exits. The file is
written under ``bench/.data/`` as a stream and deleted afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Options, Report, human, mib, rate, start, timed_call
from bench.gen import write_canonical_jsonl
from bench.import_speed import civicpulse_command

SIZE = 2 * 1000**3
QUICK_SIZE = 5 * 1000**2
LIMIT = 1000**3
"""The target: the import's peak resident memory stays under 1 GB."""


def peak_rss(command: list[str], every: float = 0.05) -> tuple[int, float]:
    """Run ``command`` as a child; its peak resident set size in bytes and its wall-clock seconds.

    The peak is the kernel's high-water mark of the child's own memory (``VmHWM``), read until it
    exits: a mark only grows, so polling loses at most the last interval's growth. (``ru_maxrss``
    from ``wait4`` would not do: Linux starts a child's count at the size of the parent it was
    forked from.)
    """
    status = Path("/proc")
    if not status.exists():
        raise RuntimeError("this benchmark reads /proc/<pid>/status (Linux)")
    began = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while child.poll() is None:
            peak = max(peak, _high_water(child.pid))
            time.sleep(every)
        seconds = time.perf_counter() - began
        if child.returncode != 0:
            errors.seek(0)
            message = errors.read()[-2000:].decode(errors="replace")
            raise RuntimeError(f"{command[0]} failed ({child.returncode}): {message}")
    if peak == 0:
        raise RuntimeError(f"{command[0]} ended before its memory could be read")
    return peak, seconds


def _high_water(pid: int) -> int:
    """``VmHWM`` of a live process in bytes (0 once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024  # kB
    return 0  # a zombie has no memory left to report


def run(options: Options) -> Report:
    size = QUICK_SIZE if options.quick else SIZE
    report = start(f"import peak memory: civicpulse import of a {mib(size)} JSONL file vs a bare start-up")
    work = options.data_dir / "import-memory"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        path = work / "records.jsonl"
        records, seconds = timed_call(lambda: write_canonical_jsonl(path, size=size))
        on_disk = path.stat().st_size
        report.add(f"file: {human(records)} canonical lines, {mib(on_disk)} (written in {seconds:.1f} s)")

        baseline, _ = peak_rss([sys.executable, "-c", "import civicpulse.cli.main"])
        peak, took = peak_rss([*civicpulse_command(), "--home", str(work / "home"), "import", str(path)])
        report.add(f"baseline (start + import civicpulse): peak {mib(baseline)}")
        report.add(
            f"civicpulse import:                     peak {mib(peak)} ({mib(peak - baseline)} above the baseline)"
        )
        report.add(
            f"import throughput on this file: {human(rate(records, took))} records/s, "
            f"{on_disk / took / (1 << 20):.1f} MiB/s ({took:.1f} s)"
        )
        report.ratio = peak / baseline
        report.ratio_label = "import peak RSS / baseline peak RSS"
        report.target = f"import peak under {LIMIT / 1000**3:.0f} GB ({human(LIMIT)} bytes)"
        report.met = peak < LIMIT
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.finish()
    return report
