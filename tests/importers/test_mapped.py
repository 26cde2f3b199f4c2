"""Exports read through a YAML mapping: CSV and XLSX, encodings, delimiters, counts, zones, problems."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from civicpulse.cli.main import app
from civicpulse.errors import AlreadyImported, CivicpulseError, ConfigError, MappingError, RecordError
from civicpulse.importers.base import run_import
from civicpulse.importers.cells import CellError, parse_count, parse_time, zone_offset
from civicpulse.importers.detect import choose
from civicpulse.importers.mapped import MappedImporter, load_mapping
from civicpulse.store.home import Home
from tests.conftest import engine_of

CASES = Path(__file__).parents[1] / "cases" / "mapped"
MAPPING = CASES / "monitoring.yaml"
EXPORT = CASES / "export.csv"
DOCS = Path(__file__).parents[2] / "docs" / "mappings"
ALMATY = dt.timezone(dt.timedelta(hours=5))  # Asia/Almaty since 2024-03-01


def posts_of(home: Home) -> dict[str, dict[str, Any]]:
    engine = engine_of(home)
    rows = engine.to_pylist(engine.latest(engine.table("posts"), ("platform", "id")))
    return {str(r["id"]): r for r in rows}


def mapping_file(tmp_path: Path, change: Any = None, name: str = "map.yaml") -> Path:
    settings = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    if change is not None:
        change(settings)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def export_file(tmp_path: Path, replace: tuple[str, str] | None = None, encoding: str = "utf-8") -> Path:
    text = EXPORT.read_text(encoding="utf-8")
    if encoding == "cp1251":
        text = text.replace("Жаңа", "Жана")  # cp1251 has no Kazakh letters
    if replace is not None:
        assert replace[0] in text
        text = text.replace(*replace)
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    return path


def problems(home: Home, path: Path, mapping: Path = MAPPING, **options: Any) -> list[str]:
    with pytest.raises(RecordError) as caught:
        run_import(home, path, MappedImporter(mapping, **options))
    assert home.lake.cut().seq == 0
    return [str(p) for p in caught.value.problems]


# -- a CSV export ---------------------------------------------------------------------------------


def test_csv_export_through_the_mapping(home: Home) -> None:
    report = run_import(home, EXPORT, MappedImporter(MAPPING))
    assert report.counts["posts"] == 3
    posts = posts_of(home)
    vk = posts["vk.com/wall-100_1"]
    assert (vk["platform"], vk["account"], vk["likes"], vk["comments"], vk["reposts"], vk["views"]) == (
        "vk",
        "club100",
        1234,
        12,
        3,
        10_000,
    )
    assert vk["published_at"] == dt.datetime(2024, 3, 5, 10, 0, tzinfo=ALMATY)
    assert vk["text"] == "Приём граждан; с 10:00"
    ig = posts["instagram.com/p/C4aBcDeFgHi"]
    assert (ig["platform"], ig["account"], ig["likes"], ig["reposts"], ig["views"]) == (
        "instagram",
        "north_gov",
        1200,
        0,
        2_500_000,
    )
    tg = posts["t.me/south_gov/2"]
    assert (tg["platform"], tg["likes"], tg["views"]) == ("telegram", 1234, None)


def test_hostile_text_is_verbatim(home: Home) -> None:
    run_import(home, EXPORT, MappedImporter(MAPPING))
    posts = posts_of(home)
    assert posts["instagram.com/p/C4aBcDeFgHi"]["text"] == "  Жаңа мектеп =1+1"  # leading blanks kept too
    assert posts["t.me/south_gov/2"]["text"] == "<script>alert(1)</script>"


def test_the_row_is_kept_raw(home: Home) -> None:
    run_import(home, EXPORT, MappedImporter(MAPPING))
    engine = engine_of(home)
    raw = {r["target"]: json.loads(r["payload"]) for r in engine.to_pylist(engine.table("raw"))}
    assert raw["vk:vk.com/wall-100_1"]["Лайки"] == "1 234"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
def test_encodings_are_recognised(home: Home, tmp_path: Path, encoding: str) -> None:
    path = export_file(tmp_path, encoding=encoding)
    run_import(home, path, MappedImporter(MAPPING))
    assert posts_of(home)["vk.com/wall-100_1"]["text"] == "Приём граждан; с 10:00"


def test_commas_with_an_auto_delimiter(home: Home, tmp_path: Path) -> None:
    text = EXPORT.read_text(encoding="utf-8").splitlines()
    rows = [line.split(";") for line in text]
    path = tmp_path / "comma.csv"
    path.write_text(
        "Дата,Источник,Автор,Текст,Ссылка,Лайки,Комментарии,Репосты,Просмотры\n"
        '05.03.2024 10:00,vk.com,https://vk.com/club100,"a, b",https://vk.com/wall-100_1,"1,234",12,3,10K\n',
        encoding="utf-8",
    )
    assert len(rows[0]) == 9
    mapping = mapping_file(tmp_path, lambda m: m.update(delimiter="auto"))
    run_import(home, path, MappedImporter(mapping))
    post = posts_of(home)["vk.com/wall-100_1"]
    assert (post["text"], post["likes"]) == ("a, b", 1234)


def test_chosen_when_a_mapping_is_given() -> None:
    assert choose(EXPORT, "auto", mapping=MAPPING).name == "mapped"
    assert choose(EXPORT, "mapped", mapping=MAPPING).name == "mapped"
    with pytest.raises(CivicpulseError, match="format not recognised"):
        choose(EXPORT)


def test_the_same_export_twice_changes_nothing(home: Home) -> None:
    run_import(home, EXPORT, MappedImporter(MAPPING))
    before = (home.lake.cut().seq, posts_of(home))
    with pytest.raises(AlreadyImported):
        run_import(home, EXPORT, MappedImporter(MAPPING))
    assert (home.lake.cut().seq, posts_of(home)) == before


# -- an XLSX export -------------------------------------------------------------------------------


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Posts"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_with_a_title_block_dates_and_numbers(home: Home, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "popsters.xlsx",
        [
            ["Отчёт по сообществу"],
            [],
            ["Дата", "Текст", "Ссылка", "Лайки", "Комментарии", "Репосты", "Просмотры", "ID"],
            [dt.datetime(2024, 3, 5, 10, 0), "Пост", "https://vk.com/wall-100_1", 1234, 12.0, "1,2K", None, 1.0],
            [dt.datetime(2024, 3, 6, 11, 30), 42, "https://vk.com/wall-100_2", "10K", 0, 0, 900, 2],
        ],
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "record: post\nheader_row: 3\nsheet: Posts\ntimezone: Asia/Almaty\n"
        "columns: {published_at: Дата, text: Текст, url: Ссылка, likes: Лайки, comments: Комментарии,"
        " reposts: Репосты, views: Просмотры, id: ID}\n"
        "constants: {platform: VKontakte, account: '-100'}\n",
        encoding="utf-8",
    )
    assert choose(path, "mapped", mapping=mapping).name == "mapped"
    report = run_import(home, path, MappedImporter(mapping))
    assert report.counts["posts"] == 2
    posts = posts_of(home)
    first, second = posts["1"], posts["2"]
    assert (first["platform"], first["account"], first["likes"], first["reposts"], first["views"]) == (
        "vk",
        "-100",
        1234,
        1200,
        None,
    )
    assert first["published_at"] == dt.datetime(2024, 3, 5, 10, 0, tzinfo=ALMATY)
    assert (second["text"], second["likes"], second["views"]) == ("42", 10_000, 900)


def test_xlsx_problems_name_the_sheet_row(home: Home, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [["Дата", "Текст", "Лайки"], [dt.datetime(2024, 3, 5), "ok", 1], [dt.datetime(2024, 3, 6), "bad", 2.5]],
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "timezone: UTC\ncolumns: {published_at: Дата, text: Текст, likes: Лайки, id: Текст}\n"
        "constants: {platform: vk, account: '1', comments: 0, reposts: 0}\n",
        encoding="utf-8",
    )
    assert problems(home, path, mapping) == [f"{path}:3: Лайки: expected a whole count, got 2.5 (for likes)"]
    sheets = tmp_path / "sheets.yaml"
    sheets.write_text(mapping.read_text(encoding="utf-8") + "sheet: Nope\n", encoding="utf-8")
    assert problems(home, path, sheets) == [f"{path}:1: (sheet): no sheet 'Nope' (sheets: Posts)"]


def test_a_broken_xlsx(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:1: (file): not a readable XLSX workbook")


# -- malformed exports ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("replace", "column", "reason"),
    [
        (("1 234", "много"), "Лайки", "not a count: 'много' (for likes)"),
        (("1 234", "1,5"), "Лайки", "not a whole count"),
        (("1 234", "-4"), "Лайки", "cannot be negative"),
        (("10K", "10Q"), "Просмотры", "unknown multiplier 'q'"),
        (("05.03.2024 10:00", "2024-03-05"), "Дата", "does not match '%d.%m.%Y %H:%M' (for published_at)"),
        (("05.03.2024 10:00", "31.02.2024 10:00"), "Дата", "does not match"),
        (("vk.com;", "myspace.com;"), "Источник", "'myspace.com' is not one of the mapped values"),
        (("https://vk.com/club100", "https://example.com/x"), "Автор", "does not match the pattern"),
    ],
)
def test_a_bad_cell_names_file_line_and_column(
    home: Home, tmp_path: Path, replace: tuple[str, str], column: str, reason: str
) -> None:
    path = export_file(tmp_path, replace)
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:2: {column}: "), problem
    assert reason in problem


def test_an_empty_required_cell(home: Home, tmp_path: Path) -> None:
    path = export_file(tmp_path, (";12;3;10K", ";;3;10K"))
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:2: Комментарии: Field required (for comments)"), problem


def test_a_naive_time_without_a_zone(home: Home, tmp_path: Path) -> None:
    mapping = mapping_file(tmp_path, lambda m: m.pop("timezone"))
    problems_seen = problems(home, EXPORT, mapping)
    assert (
        problems_seen[0]
        == f"{EXPORT}:2: Дата: 2024-03-05T10:00:00 has no time zone, and none is configured (for published_at)"
    )


def test_the_wrong_delimiter(home: Home, tmp_path: Path) -> None:
    mapping = mapping_file(tmp_path, lambda m: m.update(delimiter=","))
    found = problems(home, EXPORT, mapping)
    assert found[0].startswith(f"{EXPORT}:1: Дата: column not in the header (the header is one column holding ';'")
    assert len(found) == len(yaml.safe_load(MAPPING.read_text(encoding="utf-8"))["columns"])


def test_cp1251_read_as_utf8(home: Home, tmp_path: Path) -> None:
    path = export_file(tmp_path, encoding="cp1251")
    (problem,) = problems(home, path, encoding="utf-8")
    assert problem.startswith(f"{path}:1: (file): cannot decode as utf-8-sig"), problem


# -- malformed mappings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        ("columns: {likez: Лайки}\n", ":1", "not post fields: likez"),
        ("columns:\n  likes: Лайки\n", ":1", "post needs platform, id, account, published_at, text, comments, reposts"),
        ("record: tweet\ncolumns: {id: ID}\n", ":1", "record: Input should be 'post', 'snapshot' or 'author'"),
        ("timezone: Mars/Olympus\ncolumns: {id: ID}\n", ":1", "unknown time zone 'Mars/Olympus'"),
        ("delimiter: '|'\ncolumns: {id: ID}\n", ":1", "expected auto"),
        ("columns:\n  id: {column: ID, pattern: '(['}\n", ":2", "not a regular expression"),
        ("columns: [id]\n", ":1", "columns: Input should be a valid dictionary"),
        ("columns: {id: ID\n", ":2", "(syntax)"),
        ("- just a list\n", ":1", "expected a mapping of settings"),
    ],
)
def test_a_bad_mapping_names_its_line(tmp_path: Path, text: str, where: str, reason: str) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    shown = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"{path}{where}: ") and reason in p for p in shown), shown


def test_the_mapped_format_needs_a_mapping(home: Home) -> None:
    with pytest.raises(ConfigError, match="--mapping"):
        run_import(home, EXPORT, MappedImporter(None))


# -- the shipped example mappings -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["youscan.yaml", "popsters.yaml"])
def test_shipped_mappings_read_an_export_with_their_columns(home: Home, tmp_path: Path, name: str) -> None:
    mapping = load_mapping(DOCS / name)
    columns = list(dict.fromkeys(spec.column for spec in mapping.columns.values()))
    sample = {
        "published_at": dt.datetime(2024, 3, 5, 10, 0).strftime(mapping.date_format[0]),
        "url": "https://vk.com/wall-100_1",
        "id": "https://vk.com/wall-100_1",
        "account": "https://vk.com/club100",
        "author": "https://vk.com/id5",
        "platform": "vk.com",
        "text": "Текст",
        "kind": "Post",
        "media": "Фото",
    }
    cells = []
    for column in columns:
        field = next(f for f, s in mapping.columns.items() if s.column == column)
        cells.append(sample.get(field, "1 200"))
    path = tmp_path / "export.csv"
    delimiter = ";" if mapping.delimiter == "auto" else mapping.delimiter
    path.write_text(delimiter.join(columns) + "\n" + delimiter.join(cells) + "\n", encoding="utf-8")
    shutil.copy(DOCS / name, tmp_path / name)
    report = run_import(home, path, MappedImporter(tmp_path / name))
    assert report.counts["posts"] == 1


# -- cells ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("1234", 1234),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1\u202f234 567", 1234567),
        ("1,234", 1234),
        ("1.234", 1234),
        ("1'234", 1234),
        ("12.0", 12),
        ("10K", 10_000),
        ("10k", 10_000),
        ("2.5M", 2_500_000),
        ("1,2 тыс.", 1200),
        ("1,2 тыс", 1200),
        ("3 млн", 3_000_000),
        ("1.5B", 1_500_000_000),
        ("15К", 15_000),
        ("", None),
        ("N/A", None),
        ("—", None),
        (7, 7),
        (7.0, 7),
        (None, None),
    ],
)
def test_counts(text: object, count: int | None) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize("text", ["1,5", "1,23", "12.5", "many", "-1", "1,234,56", "1.2.3K", "True", True, 2.5])
def test_not_counts(text: object) -> None:
    with pytest.raises(CellError):
        parse_count(text)


def test_zones() -> None:
    assert zone_offset("EST").utcoffset(None) == dt.timedelta(hours=-5)
    assert zone_offset("cest").utcoffset(None) == dt.timedelta(hours=2)
    assert zone_offset("+06").utcoffset(None) == dt.timedelta(hours=6)
    assert zone_offset("UTC+5:30").utcoffset(None) == dt.timedelta(hours=5, minutes=30)
    assert zone_offset("-0300").utcoffset(None) == dt.timedelta(hours=-3)
    for unknown in ("IST", "XYZ", "+15", "Asia/Almaty"):
        with pytest.raises(CellError, match=r"unknown time zone|out of range"):
            zone_offset(unknown)


def test_times() -> None:
    almaty = dt.timezone(dt.timedelta(hours=5))
    assert parse_time("1709614800", ["unix"], None) == dt.datetime(2024, 3, 5, 5, tzinfo=dt.UTC)
    assert parse_time("1709614800000", ["unix_ms"], None) == dt.datetime(2024, 3, 5, 5, tzinfo=dt.UTC)
    assert parse_time("2024-03-05T10:00:00Z", ["iso"], None) == dt.datetime(2024, 3, 5, 10, tzinfo=dt.UTC)
    assert parse_time(45356.5, ["excel"], almaty) == dt.datetime(2024, 3, 5, 12, tzinfo=almaty)
    assert parse_time("05.03.2024", ["iso", "%d.%m.%Y"], almaty) == dt.datetime(2024, 3, 5, tzinfo=almaty)
    with pytest.raises(CellError, match="does not match"):
        parse_time("tomorrow", ["iso", "%d.%m.%Y"], almaty)


# -- through the command line -------------------------------------------------------------------------


def test_cli_import_with_a_mapping(home: Home, tmp_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(app, ["--home", str(home.path), "import", str(EXPORT), "--mapping", str(MAPPING)])
    assert result.exit_code == 0, result.output
    assert f"{EXPORT}: imported 3 posts, 3 raw" in result.output

    bad = mapping_file(tmp_path, lambda m: m["columns"].update(likez="Лайки"))
    result = runner.invoke(app, ["--home", str(home.path), "import", str(EXPORT), "--mapping", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "not post fields: likez" in result.output

    broken = export_file(tmp_path, ("1 234", "много"))
    result = runner.invoke(app, ["--home", str(home.path), "import", str(broken), "--mapping", str(MAPPING)])
    assert result.exit_code == 2
    assert f"{broken}:2: Лайки: not a count: 'много' (for likes)" in result.output
