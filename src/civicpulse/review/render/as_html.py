"""The review as one self-contained HTML article: inline CSS, an inline SVG chart, no script, no font.

Every text from the registry (names of bodies and pages) passes through Jinja2's autoescaping.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from civicpulse.i18n import translations
from civicpulse.review.render.chart import FollowersChart
from civicpulse.review.render.view import ArticleView


@cache
def environment(lang: str) -> Environment:
    """The review's templates with autoescaping on and the catalogue of ``lang`` installed (cached)."""
    env = Environment(
        loader=PackageLoader("civicpulse.review.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_html(view: ArticleView) -> str:
    """The article page of ``view``."""
    return environment(view.lang).get_template("review.html.j2").render(view=view)


def render_svg(chart: FollowersChart, lang: str) -> str:
    """The followers chart alone, as an inline ``<svg>`` element (for the Markdown article)."""
    module = environment(lang).get_template("_followers.svg.j2").module
    return str(module.followers_svg(chart)).strip()  # type: ignore[attr-defined]
