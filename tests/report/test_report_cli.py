"""``civicpulse report`` end to end through the command line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from civicpulse.cli.main import app
from tests.report.conftest import make_home


def test_report_command_writes_the_files(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["--home", str(home.path), "report", "--week", "2024-W10", "--out", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    printed = [Path(line) for line in result.output.split()]
    assert printed[0] == out / "report.html"
    assert out / "report.xlsx" in printed and out / "pages.csv" in printed
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Weekly report: 2024-W10" in html
    assert "Akmola Region Akimat" in html


def test_report_command_rejects_an_unknown_language(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    result = CliRunner().invoke(
        app, ["--home", str(home.path), "report", "--week", "2024-W10", "--out", str(tmp_path / "r"), "--lang", "xx"]
    )
    assert result.exit_code != 0
    assert "unknown language 'xx'" in str(result.exception) + result.output
    assert not (tmp_path / "r" / "report.html").exists()
