"""The review laid out for reading: headings, table cells as text, the chart, in the review's language.

Markdown, HTML and the terminal table all show this view, so they agree cell for cell; the XLSX
workbook writes the facts' numbers themselves (so they sort and sum) under the same headings.
Nothing here is escaped: each renderer escapes for its own format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from civicpulse.i18n import N_, Language
from civicpulse.i18n.terms import platform_title
from civicpulse.periods import zone
from civicpulse.review.build import Review
from civicpulse.review.facts import AccountFacts
from civicpulse.review.numbers import Style
from civicpulse.review.render.chart import FollowersChart, followers_chart

DASH: Final = "–"

HEADINGS: Final = {
    "place": N_("Growth place"),
    "body": N_("Body"),
    "pages": N_("Pages"),
    "page": N_("Page"),
    "platform": N_("Platform"),
    "change": N_("Change"),
    "change_pct": N_("Change, %"),
    "posts": N_("Posts"),
    "posts_per_week": N_("Posts a week"),
    "weeks": N_("Weeks with posts"),
    "silence": N_("Longest silence, days"),
    "last_post": N_("Last post"),
    "likes": N_("Likes per post"),
    "live": N_("Live streams"),
    "status": N_("Status"),
    "text": N_("Text"),
}


@dataclass(frozen=True)
class BodyRow:
    place: str
    name: str
    anchor: str
    pages: str
    followers_from: str
    followers_to: str
    change: str
    change_pct: str
    posts: str


@dataclass(frozen=True)
class PageRow:
    platform: str
    name: str
    participant: str
    url: str | None
    followers_from: str
    followers_to: str
    change_pct: str
    posts: str
    posts_per_week: str
    last_post: str
    status: str


@dataclass(frozen=True)
class BodyView:
    name: str
    anchor: str
    text: str
    pages: list[PageRow]


@dataclass(frozen=True)
class ArticleView:
    lang: str
    title: str
    subtitle: str
    lead: list[str]
    simulated: bool
    simulated_label: str
    warning: str
    headings: dict[str, str]
    followers_from_heading: str
    followers_to_heading: str
    short_from_heading: str
    """The first day alone, short (``16 дек. 2017 г.``), for narrow tables."""
    short_to_heading: str
    bodies: list[BodyRow]
    details: list[BodyView]
    chart: FollowersChart
    footer: str


def heading(key: str, lang: Language) -> str:
    return lang.gettext(HEADINGS[key])


def followers_on(day: dt.date, style: Style) -> str:
    return style.lang.gettext("Followers on %(date)s") % {"date": style.day(day)}


def _n(value: int | None, style: Style) -> str:
    return DASH if value is None else style.exact(value)


def _pct(value: float | None, style: Style) -> str:
    return DASH if value is None else style.percent(value, signed=True)


def _change(value: int | None, style: Style) -> str:
    if value is None:
        return DASH
    return ("+" if value > 0 else "") + style.exact(value).replace("-", "\u2212")


def status(page: AccountFacts, style: Style) -> str:
    """What is special about a page: new, closed, never posting in the period."""
    lang = style.lang
    parts = []
    if page.new:
        parts.append(lang.gettext("new page"))
    if page.closed:
        parts.append(lang.gettext("closed on %(date)s") % {"date": style.day(page.last_day)})
    if page.dormant:
        parts.append(lang.gettext("no posts"))
    return ", ".join(parts)


def page_row(page: AccountFacts, tz: str, style: Style) -> PageRow:
    last = page.last_post_at.astimezone(zone(tz)).date() if page.last_post_at else None
    return PageRow(
        platform=platform_title(page.platform),
        name=page.name or page.account,
        participant=page.participant,
        url=page.url,
        followers_from=_n(page.followers_from, style),
        followers_to=_n(page.followers_to, style),
        change_pct=_pct(page.change_pct, style),
        posts=style.exact(page.posts),
        posts_per_week=style.rate(page.posts_per_week),
        last_post=style.day(last) if last else DASH,
        status=status(page, style),
    )


def anchor(i: int) -> str:
    # positions, not ids: an id from the registry may hold anything
    return f"body-{i + 1}"


def article(review: Review) -> ArticleView:
    """The view of ``review`` in its language."""
    lang = Language(review.lang)
    style = Style(lang)
    before, after = followers_on(review.first_day, style), followers_on(review.last_day, style)
    bodies, details, items = [], [], []
    for i, e in enumerate(review.entities):
        mark = anchor(i)
        bodies.append(
            BodyRow(
                place=str(e.growth_rank) if e.growth_rank is not None else DASH,
                name=e.name,
                anchor=mark,
                pages=style.exact(len(e.pages)),
                followers_from=_n(e.followers_from, style),
                followers_to=_n(e.followers_to, style),
                change=_change(e.change, style),
                change_pct=_pct(e.change_pct, style),
                posts=style.exact(e.posts),
            )
        )
        details.append(BodyView(e.name, mark, e.text, [page_row(p, review.tz, style) for p in e.pages]))
        text = f"{_n(e.followers_from, style)} → {_n(e.followers_to, style)}"
        if e.change_pct is not None:
            text += f" ({_pct(e.change_pct, style)})"
        items.append((e.name, e.followers_from, e.followers_to, text))
    chart = followers_chart(lang.gettext("Followers at both dates"), before, after, items)
    generated = lang.moment(review.generated_at, review.tz)
    footer = " ".join(
        [
            lang.gettext("Generated %(when)s (%(tz)s).") % {"when": generated, "tz": review.tz},
            f"{lang.gettext('Data cut')}: {review.data_cut}.",
            f"{lang.gettext('Engine')}: {review.engine}.",
        ]
    )
    return ArticleView(
        lang=review.lang,
        title=review.title,
        subtitle=review.registry_title or "",
        lead=list(review.lead),
        simulated=review.simulated,
        simulated_label=lang.gettext("SIMULATED DATA"),
        warning=lang.gettext(
            "This report is built from generated data, not from real social media. "
            "Its figures and places describe no real account."
        ),
        headings={k: lang.gettext(v) for k, v in HEADINGS.items()},
        followers_from_heading=before,
        followers_to_heading=after,
        short_from_heading=style.short_day(review.first_day),
        short_to_heading=style.short_day(review.last_day),
        bodies=bodies,
        details=details,
        chart=chart,
        footer=footer,
    )
