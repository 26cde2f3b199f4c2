"""The canonical format: JSONL or CSV rows whose ``record`` field says what they are.

JSONL is validated strictly (a count must be a JSON integer, a time an ISO 8601 string with an
offset). CSV cells are text, so they are parsed: numbers from digits, empty cells as missing,
lists (``follows``) as JSON or ``;``-separated. CSV may be UTF-8 (with or without BOM) or
cp1251, separated by ``,`` or ``;``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal, TextIO

from pydantic import ValidationError

from civicpulse.errors import Problem
from civicpulse.importers.base import Item, Progress, problems_of
from civicpulse.records.models import RECORD_ADAPTER

BOM = b"\xef\xbb\xbf"
Encoding = Literal["auto", "utf-8", "cp1251"]


class CanonicalJsonl:
    """One JSON object per line."""

    name = "jsonl"

    def detect(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() in {".jsonl", ".ndjson"} or head.lstrip(BOM).lstrip().startswith(b"{")

    def items(self, path: Path, progress: Progress | None = None) -> Iterator[Item]:
        with open(path, "rb") as fh:
            for number, line in enumerate(fh, start=1):
                if progress is not None:
                    progress(len(line))
                if number == 1 and line.startswith(BOM):
                    line = line[len(BOM) :]
                if not line.strip():
                    continue
                try:
                    record = RECORD_ADAPTER.validate_json(line, strict=True)
                except ValidationError as exc:
                    yield Item(number, _text(line), problems=problems_of(exc, f"{path}:{number}"))
                    continue
                yield Item(number, None, record=record)


def _text(line: bytes) -> str:
    return line.decode("utf-8", errors="replace").rstrip("\r\n")


class CanonicalCsv:
    """A header row naming canonical fields (``record`` among them), one record per row."""

    name = "csv"

    def __init__(self, encoding: Encoding = "auto") -> None:
        self.encoding = encoding

    def detect(self, path: Path, head: bytes) -> bool:
        first = head.lstrip(BOM).split(b"\n", 1)[0]
        return path.suffix.lower() == ".csv" and b"record" in first

    def items(self, path: Path, progress: Progress | None = None) -> Iterator[Item]:
        encoding = self.encoding if self.encoding != "auto" else sniff_encoding(path)
        with open(path, "rb") as raw:
            counted = _CountingReader(raw, progress)
            text = io.TextIOWrapper(counted, encoding=encoding, newline="")  # type: ignore[type-var]
            yield from _csv_items(path, text, encoding)


def sniff_encoding(path: Path, size: int = 1 << 20) -> str:
    """``utf-8-sig`` when the file's head is valid UTF-8, else ``cp1251``."""
    with open(path, "rb") as fh:
        head = fh.read(size)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start < len(head) - 3:
            return "cp1251"
    return "utf-8-sig"


class _CountingReader(io.RawIOBase):
    def __init__(self, inner: IO[bytes], progress: Progress | None) -> None:
        self.inner = inner
        self.progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        if self.progress is not None and data:
            self.progress(len(data))
        return len(data)


def _csv_items(path: Path, text: TextIO, encoding: str) -> Iterator[Item]:
    try:
        header_line = text.readline()
    except UnicodeDecodeError as exc:
        yield Item(1, None, problems=[Problem(f"{path}:1", "(file)", _decode_reason(exc, encoding))])
        return
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    header = [name.strip().lstrip("\ufeff") for name in header]
    if "record" not in header:
        yield Item(1, header_line, problems=[Problem(f"{path}:1", "record", "column missing from the header")])
        return
    reader = csv.reader(text, delimiter=delimiter)
    line = 2
    while True:
        start = line
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            yield Item(start, None, problems=[Problem(f"{path}:{start}", "(file)", _decode_reason(exc, encoding))])
            return
        except csv.Error as exc:
            yield Item(start, None, problems=[Problem(f"{path}:{start}", "(row)", str(exc))])
            return
        line = reader.line_num + 2
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{path}:{start}"
        if len(cells) != len(header):
            reason = f"{len(cells)} cells for {len(header)} columns"
            yield Item(start, cells, problems=[Problem(where, "(row)", reason)])
            continue
        row = {name: cell for name, cell in zip(header, cells, strict=True) if cell != ""}
        try:
            record = RECORD_ADAPTER.validate_python(row)
        except ValidationError as exc:
            yield Item(start, row, problems=problems_of(exc, where))
            continue
        except ValueError as exc:  # a malformed list cell
            yield Item(start, row, problems=[Problem(where, "(row)", str(exc))])
            continue
        yield Item(start, None, record=record)


def _decode_reason(exc: UnicodeDecodeError, encoding: str) -> str:
    return f"cannot decode as {encoding} ({exc.reason}); give --encoding cp1251 or utf-8"
