"""The report as plain data in one language: what the HTML template and the workbook show.

Everything people read is decided here once (display names, translated titles, numbers
formatted for the locale, arrows, reasons), so the HTML page and the XLSX workbook cannot
disagree. Nothing here is escaped: the template escapes, the workbook writes typed cells.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from civicpulse.i18n import Language, terms
from civicpulse.metrics.catalogue import CATALOGUE
from civicpulse.periods import Period
from civicpulse.rating.compute import Rating
from civicpulse.rating.methodology import EXPERT, LoadedMethodology
from civicpulse.registry.models import Registry
from civicpulse.report.cards import TopPost
from civicpulse.report.charts import BarChart, bar_chart

if TYPE_CHECKING:  # the sections build on this module's views and are attached to them after
    from civicpulse.report.sections import ListeningView, PersonView

EXCERPT_CHARS = 280
_SPACES = re.compile(r"\s+")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) address, else None (``javascript:`` never becomes a link)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` on one line, cut at a word boundary near ``limit`` characters."""
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.6 else cut).rstrip() + "…"


@dataclass(frozen=True)
class Who:
    """A participant or account as people know it: the entity's name, the platform, the account."""

    entity: str
    name: str
    platform: str | None = None
    account: str | None = None
    url: str | None = None

    @property
    def text(self) -> str:
        """One line: ``Akmola Region Akimat · Instagram akmola_akimat``."""
        if self.platform is None:
            return self.name
        return f"{self.name} · {self.platform} {self.account}"


def who(participant: str, entity: str, registry: Registry, lang: str) -> Who:
    """The display identity of a rating participant (an account ``platform:id`` or an entity id)."""
    name = registry.entity(entity).display_name(lang) if registry.has_entity(entity) else entity
    if participant == entity or ":" not in participant:
        return Who(entity=entity, name=name)
    platform, _, account_id = participant.partition(":")
    account = registry.account(platform, account_id)
    label = (account.name if account and account.name else None) or account_id
    return Who(
        entity=entity,
        name=name,
        platform=terms.platform_title(platform),
        account=label,
        url=safe_url(account.url) if account else None,
    )


@dataclass(frozen=True)
class MetricColumn:
    name: str
    title: str
    help: str
    kind: str
    better: str


@dataclass(frozen=True)
class Cell:
    value: str
    rank: int
    known: bool


@dataclass(frozen=True)
class RowView:
    place: int
    movement: str
    movement_class: str
    movement_help: str
    who: Who
    points: str
    cells: list[Cell]
    notes: list[str]
    card: str | None


@dataclass(frozen=True)
class UnratedView:
    who: Who
    reason: str
    card: str | None


@dataclass(frozen=True)
class RatingView:
    anchor: str
    name: str
    title: str
    description: str | None
    simulated: bool
    columns: list[MetricColumn]
    rows: list[RowView]
    unrated: list[UnratedView]
    charts: list[BarChart]
    previous_label: str | None
    sha256: str
    data_cut: int
    engine: str
    registry_sha256: str
    run_id: int | None
    computed_at: str
    notice: str | None = None
    """One line shown instead of the table and charts (a rating of mentions on data not enriched)."""
    notes: list[str] = field(default_factory=list)
    """Notes about the whole rating, shown above its table (e.g. flags not detected for the period)."""
    listening: ListeningView | None = None
    """Tone chart and top negative topics (ratings of mentions)."""
    persons: list[PersonView] = field(default_factory=list)
    """The top three with an example post each (ratings of heads' accounts)."""


def metric_columns(method: LoadedMethodology, lang: Language) -> list[MetricColumn]:
    """The methodology's metrics with their titles and explanations in ``lang``."""
    columns = []
    for spec in method.spec.metrics:
        name = spec.catalogue_name
        better = spec.resolved_direction
        title = terms.metric_title(name, lang.code)
        if spec.name != name:
            title = f"{title} ({spec.name})"
        columns.append(MetricColumn(spec.name, title, terms.metric_help(name, lang.code), CATALOGUE[name].kind, better))
    if method.spec.expert_scores is not None:
        better = method.spec.expert_scores.direction
        columns.append(
            MetricColumn(
                EXPERT, terms.metric_title(EXPERT, lang.code), terms.metric_help(EXPERT, lang.code), "score", better
            )
        )
    return columns


def format_metric(value: float | int | None, kind: str, lang: Language) -> str:
    """A metric value as the locale writes it: counts grouped, ratios to four significant digits."""
    return lang.ratio(value) if kind == "ratio" else lang.number(value)


def movement(change: int | None, lang: Language) -> tuple[str, str, str]:
    """``(arrow text, css class, tooltip)``: ``▲2``, ``▼1``, ``=`` or the word for new."""
    if change is None:
        return lang.gettext("new"), "new", lang.gettext("not rated in the previous period")
    if change > 0:
        return f"▲{change}", "up", lang.ngettext("up %(num)d place", "up %(num)d places", change) % {"num": change}
    if change < 0:
        n = -change
        return f"▼{n}", "down", lang.ngettext("down %(num)d place", "down %(num)d places", n) % {"num": n}
    return "=", "same", lang.gettext("same place as in the previous period")


def rating_view(rating: Rating, registry: Registry, lang: Language, cards: dict[str, str]) -> RatingView:
    """One rating in ``lang``; ``cards`` maps entity ids to the anchors of their cards."""
    method = rating.methodology
    columns = metric_columns(method, lang)
    titles = {c.name: c.title for c in columns}
    rows = []
    for r in rating.rows:
        arrow, css, tip = movement(r.movement, lang)
        rows.append(
            RowView(
                place=r.place,
                movement=arrow,
                movement_class=css,
                movement_help=tip,
                who=who(r.participant, r.entity, registry, lang.code),
                points=lang.number(r.points),
                cells=[
                    Cell(
                        format_metric(r.metrics[c.name].value, c.kind, lang),
                        r.metrics[c.name].rank,
                        r.metrics[c.name].value is not None,
                    )
                    for c in columns
                ],
                notes=[terms.note(n, lang.code, titles) for n in r.notes],
                card=cards.get(r.entity),
            )
        )
    unrated = [
        UnratedView(
            who(u.participant, u.entity, registry, lang.code), terms.reason(u.reason, lang.code), cards.get(u.entity)
        )
        for u in rating.unrated
    ]
    return RatingView(
        anchor=f"rating-{method.name}",
        name=method.name,
        title=method.spec.display_title(lang.code),
        description=method.spec.description,
        simulated=rating.simulated,
        columns=columns,
        rows=rows,
        unrated=unrated,
        charts=charts(rating, rows, columns, lang),
        previous_label=rating.previous_period.label if rating.previous_period else None,
        sha256=method.sha256,
        data_cut=rating.data_cut,
        engine=rating.engine,
        registry_sha256=rating.registry_sha256,
        run_id=rating.run_id,
        computed_at=lang.moment(rating.computed_at, rating.period.tz, "medium"),
        notes=[terms.rating_note(n, lang.code) for n in rating.notes],
    )


def key_metric(columns: list[MetricColumn]) -> MetricColumn | None:
    """The metric worth a chart of its own: the first ratio (ER...), else the first metric."""
    return next((c for c in columns if c.kind == "ratio"), columns[0] if columns else None)


def charts(rating: Rating, rows: list[RowView], columns: list[MetricColumn], lang: Language) -> list[BarChart]:
    """The points of every rated participant by place, and the key metric by its rank."""
    if not rows:
        return []
    out = [
        bar_chart(
            lang.gettext("Points"),
            lang.gettext("Fewer points is better: points are the sum of the places in each metric."),
            [(row.who.text, r.points, row.points) for row, r in zip(rows, rating.rows, strict=True)],
        )
    ]
    key = key_metric(columns)
    if key is not None:
        pairs = sorted(zip(rows, rating.rows, strict=True), key=lambda p: (p[1].metrics[key.name].rank, p[1].place))
        better = lang.gettext("Higher is better.") if key.better == "desc" else lang.gettext("Lower is better.")
        out.append(
            bar_chart(
                key.title,
                f"{key.help} {better}" if key.help else better,
                [
                    (row.who.text, r.metrics[key.name].value, format_metric(r.metrics[key.name].value, key.kind, lang))
                    for row, r in pairs
                ],
            )
        )
    return out


@dataclass(frozen=True)
class AccountLine:
    who: Who
    followers: str
    posts: str
    engagement: str
    places: list[tuple[str, str]]
    """``(rating title, place or "unrated")`` for every rating this account takes part in."""


@dataclass(frozen=True)
class PostView:
    account: str
    published: str
    excerpt: str
    url: str | None
    likes: str
    comments: str
    reposts: str
    views: str
    engagement: str
    source: TopPost
    """The post as fetched, for the workbook's typed cells."""


@dataclass
class CardView:
    anchor: str
    entity: str
    name: str
    kind: str
    population: str | None
    places: list[tuple[str, str]] = field(default_factory=list)
    """Places of the entity itself in entity-level ratings."""
    accounts: list[AccountLine] = field(default_factory=list)
    posts: list[PostView] = field(default_factory=list)
    listening: list[str] = field(default_factory=list)
    """What people say of the entity: its mentions by tone, its top negative topics."""


@dataclass(frozen=True)
class ReportView:
    lang: str
    title: str
    period_label: str
    period_days: str
    tz: str
    simulated: bool
    ratings: list[RatingView]
    cards: list[CardView]
    generated_at: str
    generated_at_utc: dt.datetime
    previous_label: str | None


def report_title(period: Period, lang: Language) -> str:
    if period.kind == "week":
        return lang.gettext("Weekly report")
    if period.kind == "month":
        return lang.gettext("Monthly report")
    return lang.gettext("Report")
