"""Any other CSV or XLSX export, read through a small YAML mapping of its columns to canonical fields.

For exports of commercial monitoring tools (Brand Analytics, YouScan, Popsters...) whose columns
civicpulse cannot know in advance. A mapping says which kind of record each row is, which column
holds which canonical field, how times are written and in which zone, and values that are the
same for every row::

    record: post                      # post | snapshot | author
    encoding: auto                    # auto | utf-8 | utf-16 | cp1251
    delimiter: auto                   # auto | "," | ";" | "\\t"
    header_row: 1                     # the header's row (exports often start with a title block)
    sheet: null                       # XLSX sheet (default: the first)
    date_format: ["%d.%m.%Y %H:%M", iso]   # strptime patterns, or iso | unix | unix_ms | excel
    timezone: Asia/Almaty             # for times written without an offset
    columns:
      published_at: Дата
      text: Текст
      likes: Лайки
      account: {column: "Ссылка на автора", pattern: "vk\\\\.com/(?:club|public)?([^/?]+)"}
      platform: {column: Источник, values: {vk.com: vk, instagram.com: instagram}}
    constants:
      reposts: 0

A column spec is a header name or ``{column, pattern, values, default}``: ``pattern`` is a regular
expression whose first group (or whole match) is taken, ``values`` maps cell text to a value,
``default`` stands in for an empty cell. Counts may read ``1 234``, ``1,234``, ``10K``, ``2.5M``
or ``1,2 тыс.`` (see :func:`cells.parse_count`). Platform names go through the registry's
aliases (``VKontakte`` -> ``vk``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from civicpulse.errors import ConfigError, MappingError, PeriodError, Problem
from civicpulse.importers.base import Item, Progress, problems_of
from civicpulse.importers.cells import CellError, parse_count, parse_time
from civicpulse.importers.tabular import DELIMITERS, TableError, open_table
from civicpulse.periods import zone
from civicpulse.platforms import normalise_platform
from civicpulse.records.models import RECORD_ADAPTER, AuthorRecord, PostRecord, SnapshotRecord
from civicpulse.yamlsource import YamlSyntaxError, load_located

RecordKind = Literal["post", "snapshot", "author"]
MODELS: Final[dict[str, type[BaseModel]]] = {"post": PostRecord, "snapshot": SnapshotRecord, "author": AuthorRecord}
TIME_FIELDS: Final = frozenset({"published_at", "observed_at", "created_at"})
COUNT_FIELDS: Final = frozenset({"likes", "comments", "reposts", "views", "followers", "following", "posts_total"})
BOOL_FIELDS: Final = frozenset({"has_avatar", "verified"})
_TRUE: Final = frozenset({"1", "true", "yes", "y", "да", "иә"})
_FALSE: Final = frozenset({"0", "false", "no", "n", "нет", "жоқ"})
_IGNORED_POST_FIELDS: Final = frozenset(
    {"lang", "entities", "sentiment", "sentiment_score", "topics", "flags", "flag_reasons"}
)


class ColumnSpec(BaseModel):
    """Where one canonical field comes from."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(min_length=1)
    pattern: str | None = None
    values: dict[str, Any] | None = None
    default: Any = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from exc
        return value


class Mapping(BaseModel):
    """A mapping file, validated."""

    model_config = ConfigDict(extra="forbid")

    record: RecordKind = "post"
    format: str | None = None
    encoding: Literal["auto", "utf-8", "utf-16", "cp1251"] = "auto"
    delimiter: str = "auto"
    header_row: int = Field(default=1, ge=1)
    sheet: str | None = None
    date_format: list[str] = Field(default_factory=lambda: ["iso"])
    timezone: str | None = None
    columns: dict[str, ColumnSpec] = Field(min_length=1)
    constants: dict[str, Any] = Field(default_factory=dict)

    @field_validator("columns", mode="before")
    @classmethod
    def _short_form(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: {"column": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("date_format", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, value: str) -> str:
        if value not in ("auto", *DELIMITERS):
            raise ValueError("expected auto, ',', ';' or a tab")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                zone(value)
            except PeriodError as exc:
                raise ValueError(str(exc)) from exc
        return value

    @model_validator(mode="after")
    def _fields(self) -> Mapping:
        model = MODELS[self.record]
        known = set(model.model_fields) - {"record"} - _IGNORED_POST_FIELDS
        both = set(self.columns) & set(self.constants)
        if both:
            raise ValueError(f"given both as a column and a constant: {', '.join(sorted(both))}")
        if self.record != "author":
            unknown = sorted((set(self.columns) | set(self.constants)) - known)
            if unknown:
                raise ValueError(f"not {self.record} fields: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        required = [name for name, f in model.model_fields.items() if f.is_required() and name != "record"]
        missing = [name for name in required if name not in self.columns and name not in self.constants]
        if missing:
            raise ValueError(f"{self.record} needs {', '.join(missing)}: map a column or set a constant")
        return self


def load_mapping(path: Path) -> Mapping:
    """The mapping in ``path``; raises :class:`MappingError` naming the key and line of every problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the mapping: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise MappingError(f"{path}: not a valid mapping", [Problem(str(path), "(file)", f"not UTF-8: {exc}")]) from exc
    try:
        located = load_located(text, str(path))
    except YamlSyntaxError as exc:
        raise MappingError(f"{path}: not a valid mapping", [exc.problem]) from exc
    if not isinstance(located.data, dict):
        raise MappingError(f"{path}: not a valid mapping", [located.problem((), "expected a mapping of settings")])
    try:
        return Mapping.model_validate(located.data)
    except ValidationError as exc:
        raise MappingError(f"{path}: not a valid mapping", located.problems(exc)) from exc


class MappedImporter:
    """A CSV or XLSX file read through a :class:`Mapping`."""

    name = "mapped"

    def __init__(self, mapping: Path | str | None = None, encoding: str = "auto") -> None:
        self.mapping_path = Path(mapping) if mapping is not None else None
        self.mapping = load_mapping(self.mapping_path) if self.mapping_path is not None else None
        self.encoding = encoding

    def fingerprint(self) -> str:
        """The mapping's text: the same file under another mapping makes other records."""
        return self.mapping_path.read_text(encoding="utf-8") if self.mapping_path is not None else ""

    def detect(self, path: Path, head: bytes) -> bool:
        return self.mapping is not None and path.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")

    def items(self, path: Path, progress: Progress | None = None) -> Iterator[Item]:
        mapping = self.mapping
        if mapping is None:
            raise ConfigError("the mapped format needs a mapping file: give --mapping MAP.yaml")
        encoding = mapping.encoding if self.encoding == "auto" else self.encoding
        try:
            header, rows = open_table(
                path,
                encoding=encoding,
                delimiter=mapping.delimiter,
                header_row=mapping.header_row,
                sheet=mapping.sheet,
                progress=progress,
            )
        except TableError as exc:
            yield Item(exc.line, None, problems=[Problem(f"{path}:{exc.line}", exc.field, exc.reason)])
            return
        positions: dict[str, int] = {}
        for name, spec in mapping.columns.items():
            if spec.column in header.names:
                positions[name] = header.names.index(spec.column)
        missing = [spec.column for name, spec in mapping.columns.items() if name not in positions]
        if missing:
            problems = [
                Problem(f"{path}:{header.line}", column, "column not in the header" + _hint(header.names))
                for column in missing
            ]
            yield Item(header.line, header.names, problems=problems)
            return
        reader = _RowReader(mapping, positions)
        try:
            for line, cells in rows:
                yield reader.item(header.names, cells, line, f"{path}:{line}")
        except TableError as exc:
            yield Item(exc.line, None, problems=[Problem(f"{path}:{exc.line}", exc.field, exc.reason)])


def _hint(names: list[str]) -> str:
    if len(names) == 1:
        found = [sep for sep in DELIMITERS if sep in names[0]]
        if found:
            shown = "tab" if found[0] == "\t" else repr(found[0])
            return f" (the header is one column holding {shown}: set delimiter: {shown} in the mapping?)"
    return f" (found: {', '.join(repr(n) for n in names[:12])}{'...' if len(names) > 12 else ''})"


class _RowReader:
    """Turns one row into a record with the mapping; knows the zone and the column positions."""

    def __init__(self, mapping: Mapping, positions: dict[str, int]) -> None:
        self.mapping = mapping
        self.positions = positions
        self.zone = zone(mapping.timezone) if mapping.timezone else None
        self.patterns = {n: re.compile(s.pattern) for n, s in mapping.columns.items() if s.pattern is not None}

    def item(self, names: list[str], cells: list[Any], line: int, where: str) -> Item:
        raw = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(names) if name}
        data: dict[str, Any] = {"record": self.mapping.record}
        problems: list[Problem] = []
        for name, value in self.mapping.constants.items():
            try:
                data[name] = self.convert(name, value)
            except CellError as exc:
                problems.append(Problem(where, f"constants.{name}", str(exc)))
        for name, spec in self.mapping.columns.items():
            index = self.positions[name]
            cell = cells[index] if index < len(cells) else None
            try:
                value = self.cell(name, spec, cell)
            except CellError as exc:
                problems.append(Problem(where, spec.column, f"{exc} (for {name})"))
                continue
            if value is not None:
                data[name] = value
        if problems:
            return Item(line, _jsonable(raw), problems=problems)
        try:
            record = RECORD_ADAPTER.validate_python(data)
        except ValidationError as exc:
            return Item(line, _jsonable(raw), problems=self._named(problems_of(exc, where)))
        keep = orjson.dumps(_jsonable(raw)).decode() if self.mapping.record == "post" else None
        return Item(line, None, record=record, keep=keep)

    def _named(self, problems: list[Problem]) -> list[Problem]:
        """Problems about canonical fields, renamed to the column the field came from."""
        out = []
        for problem in problems:
            spec = self.mapping.columns.get(problem.field)
            field = spec.column if spec is not None else problem.field
            out.append(Problem(problem.where, field, f"{problem.reason} (for {problem.field})"))
        return out

    def cell(self, name: str, spec: ColumnSpec, cell: object) -> Any:
        text = None if cell is None else (cell.strip() if isinstance(cell, str) else cell)
        if name != "text" and (text is None or text == ""):
            return self.convert(name, spec.default) if spec.default is not None else None
        if name == "text":
            # text is kept verbatim: no trimming, and an empty cell is empty text
            text = "" if cell is None else cell
        pattern = self.patterns.get(name)
        if pattern is not None:
            match = pattern.search(str(text))
            if match is None:
                raise CellError(f"{str(text)[:60]!r} does not match the pattern {spec.pattern!r}")
            text = match.group(1) if match.groups() else match.group(0)
        if spec.values is not None:
            key = str(text)
            if key not in spec.values:
                lowered = {str(k).lower(): v for k, v in spec.values.items()}
                if key.lower() not in lowered:
                    known = ", ".join(map(str, spec.values))
                    raise CellError(f"{key[:60]!r} is not one of the mapped values ({known})")
                text = lowered[key.lower()]
            else:
                text = spec.values[key]
        return self.convert(name, text)

    def convert(self, name: str, value: Any) -> Any:
        """A cell or constant as the canonical field ``name`` needs it."""
        if value is None:
            return None
        if name in TIME_FIELDS:
            return parse_time(value, self.mapping.date_format, self.zone)
        if name in COUNT_FIELDS:
            return parse_count(value)
        if name == "platform":
            try:
                return normalise_platform(str(value))
            except ValueError as exc:
                raise CellError(str(exc)) from exc
        if name in BOOL_FIELDS:
            return _boolean(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # an id typed as a number in a spreadsheet: 123.0 is "123"
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        if name == "text":
            return value if isinstance(value, str) else str(value)
        return str(value).strip() if isinstance(value, str | int | float) else value


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"expected yes or no, got {value!r}")


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime | dt.date | dt.time) else v for k, v in row.items()}
