"""Real processes: an import killed mid-way, and an import running while ratings read."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from civicpulse.store.home import Home
from tests.conftest import SMALL_REGISTRY, engine_of, post, snapshot, write_jsonl

CLI = [sys.executable, "-m", "civicpulse"]


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "--home", str(home), *args], capture_output=True, text=True, timeout=300)


def big_file(path: Path, n: int, prefix: str) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            record = post("vk", f"{prefix}{i}", "-1", "2024-03-05T09:00:00+05:00", likes=1, text="x" * 40)
            fh.write(json.dumps(record) + "\n")
    return path


def setup_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    registry = tmp_path / "registry.yaml"
    registry.write_text(SMALL_REGISTRY, encoding="utf-8")
    assert cli(home, "registry", "load", str(registry)).returncode == 0
    return home


def pending_batches(home: Path) -> list[int]:
    with sqlite3.connect(home / "state.sqlite") as conn:
        return [r[0] for r in conn.execute("SELECT id FROM batches WHERE status = 'pending'")]


def test_killed_import_leaves_nothing_visible_and_loses_nothing(tmp_path: Path) -> None:
    home_dir = setup_home(tmp_path)
    first = write_jsonl(
        tmp_path / "first.jsonl",
        [
            snapshot("vk", "-1", "2024-03-06T00:00:00Z", 100),
            post("vk", "keep", "-1", "2024-03-05T09:00:00Z", likes=5),
        ],
    )
    assert cli(home_dir, "import", str(first)).returncode == 0
    big = big_file(tmp_path / "big.jsonl", 200_000, "big")

    proc = subprocess.Popen(
        [*CLI, "--home", str(home_dir), "import", str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    # kill it once it has written Parquet data for its pending batch
    while time.monotonic() < deadline:
        if pending_batches(home_dir) and list((home_dir / "lake" / "posts").glob("b*-p*.parquet*")):
            written = [p for p in (home_dir / "lake" / "posts").iterdir() if not p.name.startswith("b000000001")]
            if written:
                break
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed: make the file bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    home = Home(home_dir)
    engine = engine_of(home)
    ids = [r["id"] for r in engine.to_pylist(engine.table("posts").select("id"))]
    assert ids == ["keep"]  # the killed batch is invisible, the earlier one intact
    # the next writer cleans up the dead batch and its files, then imports normally
    assert cli(home_dir, "import", str(big)).returncode == 0
    assert pending_batches(home_dir) == []
    statuses = [b.status for b in home.lake.batches()]
    assert statuses.count("aborted") == 1
    leftovers = [p.name for p in (home_dir / "lake" / "posts").iterdir() if p.suffix == ".tmp"]
    assert leftovers == []
    engine = engine_of(home)
    assert engine.to_pylist(engine.table("posts").count().name("n").as_table())[0]["n"] == 200_001


READER = """
import json, sys
from pathlib import Path
from civicpulse.store.home import Home
from civicpulse.query.engine import Engine, connect
from civicpulse.rating.methodology import load
from civicpulse.rating.compute import compute
from civicpulse.periods import parse_week
home = Home(Path(sys.argv[1]))
ready, stop = Path(sys.argv[2]), Path(sys.argv[3])
seen = []
while True:
    stopping = stop.exists()
    cut = home.lake.cut()
    engine = Engine(connect("duckdb"), cut, home.registry())
    rating = compute(engine, load("pages"), parse_week("2024-W10", "Asia/Almaty"), previous=False)
    row = rating.row("vk:-1")
    n_posts = engine.to_pylist(engine.table("posts").count().name("n").as_table())[0]["n"]
    seen.append([cut.seq, n_posts, row.metrics["engagement"].value if row else None])
    ready.touch()
    if stopping:
        break
print(json.dumps(seen))
"""


def test_import_while_ratings_read(tmp_path: Path) -> None:
    home_dir = setup_home(tmp_path)
    base = write_jsonl(tmp_path / "base.jsonl", [snapshot("vk", "-1", "2024-03-06T00:00:00Z", 100)])
    assert cli(home_dir, "import", str(base)).returncode == 0
    files = [big_file(tmp_path / f"part{i}.jsonl", 20_000, f"p{i}-") for i in range(3)]
    ready, stop = tmp_path / "ready", tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(home_dir), str(ready), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not ready.exists() and reader.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    writer = subprocess.run(
        [*CLI, "--home", str(home_dir), "import", *map(str, files)], capture_output=True, text=True, timeout=300
    )
    stop.touch()
    out, err = reader.communicate(timeout=300)
    assert writer.returncode == 0, writer.stderr
    assert reader.returncode == 0, err
    seen = json.loads(out)
    assert seen[0][0] == 1 and seen[-1][0] == 4  # read before the import began and after it ended
    for seq, n_posts, engagement in seen:
        # every read sees whole batches only: the base batch plus (seq - 1) complete files
        assert n_posts == (seq - 1) * 20_000
        assert engagement == n_posts  # each post has one like
    final = engine_of(Home(home_dir))
    assert final.to_pylist(final.table("posts").count().name("n").as_table())[0]["n"] == 60_000
