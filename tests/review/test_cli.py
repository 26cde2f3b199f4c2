"""``civicpulse review`` from the command line: every format, files, and the user's mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app
from tests.review.conftest import FROM, TO, World

runner = CliRunner()


def review(world: World, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--home", str(world.home.path), "review", "--from", FROM, "--to", TO, *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_to_standard_output(world: World) -> None:
    code, out, _ = review(world, "--format", "json", "--lang", "az", "--entities", "m-agri,committee")
    assert code == 0
    data = json.loads(out)
    assert [e["entity"] for e in data["entities"]] == ["m-agri", "c-customs"]
    assert data["entities"][0]["text"].startswith(
        "Facebook səhifəsində izləyicilərin sayı ikiqat artaraq 22,8 min olub."
    )


def test_table_is_the_default(world: World) -> None:
    code, out, _ = review(world, "--lang", "ru")
    assert code == 0 and out.startswith("Официальные страницы: с 16 декабря 2017")
    assert "\nМинистерство внутренних дел\nЧисло подписчиков страницы в Facebook выросло втрое" in out
    assert "+200\xa0%" in out and "Место" in out


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "review.md"), ("html", "review.html"), ("xlsx", "review.xlsx")])
def test_files(world: World, tmp_path: Path, fmt: str, name: str) -> None:
    path = tmp_path / "out" / name
    code, out, err = review(world, "--format", fmt, "--lang", "kk", "--out", str(path))
    assert code == 0 and out == "" and str(path) in err
    if fmt == "xlsx":
        assert openpyxl.load_workbook(path)["Шолу"]._charts
    else:
        assert "Бұл шолу 9 мекеменің ресми парақшаларын" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "--format xlsx needs --out FILE"),
        (["--format", "pdf"], "unknown format 'pdf'"),
        (["--lang", "de"], "unknown language 'de'"),
        (["--entities", "nobody"], "'nobody' is neither an entity id nor a kind"),
    ],
)
def test_mistakes_are_reported_with_exit_code_2(world: World, args: list[str], message: str) -> None:
    code, _, err = review(world, *args)
    assert code == 2 and message in err


def test_bad_dates(world: World) -> None:
    result = runner.invoke(app, ["--home", str(world.home.path), "review", "--from", "2018-13-01", "--to", TO])
    assert result.exit_code == 2 and "not a date: '2018-13-01'" in result.stderr
    result = runner.invoke(app, ["--home", str(world.home.path), "review", "--from", TO, "--to", FROM])
    assert result.exit_code == 2 and "--to 2017-12-16 is before --from 2018-12-16" in result.stderr
