"""Rendering the report view as one self-contained HTML page (inline CSS and SVG, no script)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from civicpulse.i18n import translations
from civicpulse.report.model import ReportView


@cache
def environment(lang: str) -> Environment:
    """The templates with autoescaping on and the catalogue of ``lang`` installed (cached)."""
    env = Environment(
        loader=PackageLoader("civicpulse.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def render(report: ReportView) -> str:
    """The page of ``report``: every text from the registry and from social media is escaped."""
    return environment(report.lang).get_template("report.html.j2").render(report=report)
