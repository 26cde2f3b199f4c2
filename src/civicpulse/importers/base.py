"""What every importer shares: located problems, the import driver, the quarantine.

An importer yields :class:`Item` objects, one per source line or row, each either a canonical
record or the problems that kept it from being one. The driver validates the whole file while
streaming it into a pending batch; with problems it aborts the batch (default) or commits the
good records and writes the bad ones to a quarantine file next to the import report
(``--skip-bad``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from civicpulse.errors import Problem, RecordError
from civicpulse.records.models import RECORD_KINDS, AuthorRecord, PostRecord, SnapshotRecord
from civicpulse.store.home import Home
from civicpulse.store.sink import RecordSink

CanonicalRecord = SnapshotRecord | PostRecord | AuthorRecord
Progress = Callable[[int], None]


@dataclass
class Item:
    """One source line or row: a record, or the problems with it, and the raw text to quarantine."""

    line: int
    raw: Any
    record: CanonicalRecord | None = None
    problems: list[Problem] = field(default_factory=list)
    keep: str | None = None
    """The untouched source of ``record`` (e.g. a message's JSON) for the lake's ``raw`` table, if any."""


class Importer(Protocol):
    """A file format mapped to canonical records."""

    name: str

    def detect(self, path: Path, head: bytes) -> bool:
        """Whether this importer reads the file (``head`` is its first bytes)."""
        ...

    def items(self, path: Path, progress: Progress | None = None) -> Iterator[Item]:
        """Every record or problem, streaming; ``progress`` receives bytes read."""
        ...


def problems_of(error: ValidationError, where: str) -> list[Problem]:
    """Pydantic errors as ``where: field: reason`` problems."""
    out = []
    for err in error.errors():
        loc = list(err["loc"])
        if loc and loc[0] in RECORD_KINDS:
            loc = loc[1:]
        name = ".".join(str(p) for p in loc) or "record"
        reason = err["msg"]
        if err["type"] in {"union_tag_not_found"}:
            reason = "missing (expected one of snapshot, post, author)"
        elif err["type"] == "union_tag_invalid":
            reason = f"unknown record type {err['input'].get('record')!r} (expected snapshot, post, author)"
        elif err["type"] == "json_invalid":
            name, reason = "(line)", err["msg"]
        elif err["type"] == "extra_forbidden":
            reason = "unknown field"
        elif err["type"] != "missing" and _short(err.get("input")):
            reason = f"{reason} (got {err['input']!r})"
        out.append(Problem(where, name, reason))
    return out


def _short(value: object) -> bool:
    return isinstance(value, str | int | float | bool) and len(repr(value)) <= 40


def file_sha256(path: Path) -> str:
    """The content hash of a file, or of a directory's files (names and bytes, in name order)."""
    digest = hashlib.sha256()
    if path.is_dir():
        for member in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(member.relative_to(path).as_posix().encode() + b"\0" + file_sha256(member).encode())
        return digest.hexdigest()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def raw_target(record: CanonicalRecord) -> str:
    """``platform:id`` of a post or author, ``platform:account`` of a snapshot: how a raw payload is found again."""
    key = record.account if isinstance(record, SnapshotRecord) else record.id
    return f"{record.platform}:{key}"


def content_key(path: Path, importer: Importer) -> str:
    """What makes two imports the same: the file's bytes, the format, and the options that shape records.

    An importer whose options change the records it makes (a mapping file, an account name) says so
    with a ``fingerprint()`` method; the same file imported with another mapping is a new import.
    """
    fingerprint = getattr(importer, "fingerprint", None)
    extra = fingerprint() if callable(fingerprint) else ""
    return hashlib.sha256(f"{file_sha256(path)}\0{importer.name}\0{extra}".encode()).hexdigest()


@dataclass
class ImportReport:
    """What an import did, also written as JSON next to the quarantine."""

    path: str
    format: str
    batch: int
    counts: dict[str, int]
    rejected: int
    report_path: Path
    quarantine_path: Path | None


def run_import(
    home: Home,
    path: Path,
    importer: Importer,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import one file as one batch, all or nothing unless ``skip_bad``."""
    observed_at = now or dt.datetime.now(dt.UTC)
    sha = content_key(path, importer)
    home.imports_dir.mkdir(parents=True, exist_ok=True)
    with home.lake.begin("import", str(path), content_sha256=sha) as batch:
        stem = f"{batch.id:06d}-{path.name}"
        report_path = home.imports_dir / f"{stem}.report.json"
        quarantine_path = home.imports_dir / f"{stem}.rejected.jsonl"
        sink = RecordSink(batch, observed_at)
        shown: list[Problem] = []
        shown_lines = 0
        rejected = 0
        with contextlib.ExitStack() as stack:
            quarantine = stack.enter_context(quarantine_path.open("w", encoding="utf-8")) if skip_bad else None
            for item in importer.items(path, progress):
                if item.record is not None:
                    sink.add(item.record)
                    if item.keep is not None:
                        sink.add_raw(f"import:{importer.name}", raw_target(item.record), observed_at, item.keep)
                    continue
                rejected += 1
                if shown_lines < RecordError.shown:
                    shown.extend(item.problems)
                    shown_lines += 1
                if quarantine is not None:
                    quarantine.write(
                        json.dumps(
                            {"line": item.line, "errors": [str(p) for p in item.problems], "raw": item.raw},
                            ensure_ascii=False,
                            default=str,
                        )
                        + "\n"
                    )
        if rejected and not skip_bad:
            quarantine_path.unlink(missing_ok=True)
            raise RecordError(
                f"{path}: {rejected} bad record(s); nothing was imported (use --skip-bad to import the rest)",
                shown,
                hidden=rejected - shown_lines,
                unit="bad line(s)",
                limit=False,
            )
        counts = sink.close()
        batch.commit(counts)
    if skip_bad and not rejected:
        quarantine_path.unlink(missing_ok=True)
    report = ImportReport(
        path=str(path),
        format=importer.name,
        batch=batch.id,
        counts=counts,
        rejected=rejected,
        report_path=report_path,
        quarantine_path=quarantine_path if rejected else None,
    )
    report_path.write_text(
        json.dumps(
            {
                "path": report.path,
                "format": report.format,
                "batch": report.batch,
                "sha256": sha,
                "counts": counts,
                "rejected": rejected,
                "problems": [str(p) for p in shown],
                "quarantine": str(quarantine_path) if rejected else None,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return report
