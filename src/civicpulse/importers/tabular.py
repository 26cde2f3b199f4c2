"""Rows of CSV and XLSX exports, streamed, each with the line or row number a user can find.

CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), or cp1251; separated
by ``,``, ``;`` or a tab. A CSV row's number is the physical line it starts on (quoted cells may
span lines). XLSX is read with openpyxl in read-only mode, row by row; a row's number is the
sheet's row number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from civicpulse.errors import ConfigError
from civicpulse.importers.canonical import sniff_encoding

Progress = Callable[[int], None]
DELIMITERS: Final = (",", ";", "\t")
ENCODINGS: Final = ("auto", "utf-8", "utf-8-sig", "utf-16", "cp1251")


class TableError(Exception):
    """A file that cannot be read further; ``line`` is where reading stopped."""

    def __init__(self, line: int, field: str, reason: str) -> None:
        self.line = line
        self.field = field
        self.reason = reason
        super().__init__(f"line {line}: {field}: {reason}")


@dataclass
class Header:
    """The header row: column names as written (trimmed, BOM removed), where it was, how cells are split."""

    names: list[str]
    line: int
    delimiter: str | None = None
    encoding: str | None = None


Rows = Iterator[tuple[int, list[Any]]]


def is_xlsx(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm")


def sniff(path: Path) -> str:
    """The encoding of a CSV file: UTF-16 when it starts with its BOM, else as the canonical CSV reader decides."""
    with open(path, "rb") as fh:
        head = fh.read(2)
    if head in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    return sniff_encoding(path)


def open_table(
    path: Path,
    *,
    encoding: str = "auto",
    delimiter: str = "auto",
    header_row: int = 1,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> tuple[Header, Rows]:
    """The header and the data rows after it (blank rows skipped); raises :class:`TableError`."""
    if is_xlsx(path):
        return _open_xlsx(path, sheet, header_row, progress)
    return _open_csv(path, encoding, delimiter, header_row, progress)


# -- CSV ------------------------------------------------------------------------------------------


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


def _open_csv(
    path: Path, encoding: str, delimiter: str, header_row: int, progress: Progress | None
) -> tuple[Header, Rows]:
    if encoding not in ENCODINGS:
        raise ConfigError(f"unknown encoding {encoding!r} (known: {', '.join(ENCODINGS)})")
    chosen = sniff(path) if encoding == "auto" else ("utf-8-sig" if encoding == "utf-8" else encoding)
    raw = open(path, "rb")  # noqa: SIM115 (closed by the row generator, or below on error)
    try:
        stream = io.BufferedReader(_CountingReader(raw, progress))
        lines: _Lines = _TextLines(stream, chosen) if chosen == "utf-16" else _ByteLines(stream, chosen)
        for _ in range(header_row - 1):
            lines.readline()
        header_line = lines.readline()
        if not header_line.strip():
            raise TableError(max(lines.number, 1), "(header)", "no header row (the file is empty here)")
        sep = _choose_delimiter(header_line) if delimiter == "auto" else delimiter
        names = next(csv.reader([header_line], delimiter=sep), [])
        header = Header([n.strip().lstrip("\ufeff").strip() for n in names], lines.number, sep, chosen)
    except BaseException:
        raw.close()
        raise
    return header, _csv_rows(raw, lines, sep)


def _choose_delimiter(line: str) -> str:
    counts = {sep: line.count(sep) for sep in DELIMITERS}
    best = max(DELIMITERS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


class _Lines:
    """Text lines for the csv module, counting the physical lines taken (``number`` is the last one's)."""

    number = 0

    def readline(self) -> str:
        raise NotImplementedError

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class _ByteLines(_Lines):
    """Lines split as bytes, then decoded one by one, so a decoding error names its own line."""

    def __init__(self, stream: IO[bytes], encoding: str) -> None:
        self.stream = stream
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self.shown = encoding
        self.number = 0

    def readline(self) -> str:
        data = self.stream.readline()
        if not data:
            return ""
        self.number += 1
        if self.number == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode(self.encoding)
        except UnicodeDecodeError as exc:
            raise TableError(self.number, "(file)", _decode_reason(exc, self.shown)) from exc


class _TextLines(_Lines):
    """UTF-16 cannot be split as bytes; decoded by a text stream (a decoding error names the last line read)."""

    def __init__(self, stream: IO[bytes], encoding: str) -> None:
        self.text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        self.shown = encoding
        self.number = 0

    def readline(self) -> str:
        try:
            line = self.text.readline()
        except UnicodeDecodeError as exc:
            raise TableError(self.number + 1, "(file)", _decode_reason(exc, self.shown)) from exc
        if line:
            self.number += 1
        return line


def _csv_rows(raw: IO[bytes], lines: _Lines, delimiter: str) -> Rows:
    try:
        reader = csv.reader(lines, delimiter=delimiter)
        while True:
            start = lines.number + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise TableError(start, "(row)", str(exc)) from exc
            if any(cell.strip() for cell in cells):
                yield start, list(cells)
    finally:
        raw.close()


def _decode_reason(exc: UnicodeDecodeError, encoding: str) -> str:
    return f"cannot decode as {encoding} ({exc.reason}); give the encoding (utf-8 or cp1251)"


# -- XLSX -----------------------------------------------------------------------------------------


def _open_xlsx(path: Path, sheet: str | None, header_row: int, progress: Progress | None) -> tuple[Header, Rows]:
    try:
        # openpyxl is needed only for spreadsheets; a missing install must not break other imports
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is installed wherever tests run
        raise ConfigError("reading XLSX needs openpyxl (pip install openpyxl==3.1.5)") from exc
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and XML errors for broken files
        raise TableError(1, "(file)", f"not a readable XLSX workbook: {exc}") from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise TableError(1, "(sheet)", f"no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        rows = worksheet.iter_rows(min_row=1, values_only=True)
        names: list[Any] = []
        number = 0
        for number, values in enumerate(rows, start=1):
            if number == header_row:
                names = list(values)
                break
        if not any(v is not None and str(v).strip() for v in names):
            raise TableError(max(number, 1), "(header)", "no header row (the sheet is empty here)")
    except BaseException:
        book.close()
        raise
    header = Header(["" if n is None else str(n).strip() for n in names], number)
    total = max(path.stat().st_size, 1)
    max_row = worksheet.max_row or 0
    return header, _xlsx_rows(book, rows, number, progress, total, max_row)


def _xlsx_rows(book: Any, rows: Any, header_number: int, progress: Progress | None, total: int, max_row: int) -> Rows:
    reported = 0
    try:
        for number, values in enumerate(rows, start=header_number + 1):
            if progress is not None and max_row and number % 1000 == 0:
                # XLSX is compressed XML: report progress by row, scaled to the file's size
                done = min(total, total * number // max_row)
                progress(done - reported)
                reported = done
            cells = list(values)
            if any(v is not None and str(v).strip() for v in cells):
                yield number, cells
        if progress is not None and total > reported:
            progress(total - reported)
    finally:
        book.close()
