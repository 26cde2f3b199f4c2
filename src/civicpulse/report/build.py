"""Assembling the whole report view: ratings, what people say, heads' top three, entity cards, footer."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from civicpulse.i18n import Language
from civicpulse.metrics.base import Feed
from civicpulse.periods import Period
from civicpulse.query.engine import Engine
from civicpulse.rating.compute import Rating
from civicpulse.rating.participants import cast
from civicpulse.registry.models import Registry
from civicpulse.report import cards as card_data
from civicpulse.report import sections
from civicpulse.report.listening import Complaints, Listening, Tone
from civicpulse.report.model import (
    AccountLine,
    CardView,
    PostView,
    ReportView,
    excerpt,
    rating_view,
    report_title,
    safe_url,
    who,
)


def entity_order(ratings: list[Rating]) -> list[str]:
    """Entities as they first appear: by place in the first rating, then its unrated, then the next rating."""
    seen: dict[str, None] = {}
    for rating in ratings:
        for row in rating.rows:
            seen.setdefault(row.entity, None)
        for unrated in rating.unrated:
            seen.setdefault(unrated.entity, None)
    return list(seen)


def _place_text(place: int | None, total: int, lang: Language) -> str:
    if place is None:
        return lang.gettext("unrated")
    return lang.gettext("%(place)s of %(total)s") % {"place": place, "total": total}


def _places(ratings: list[Rating], lang: Language) -> dict[str, list[tuple[str, str]]]:
    """Per participant: ``(rating title, place text)`` in every rating it takes part in."""
    out: dict[str, list[tuple[str, str]]] = {}
    for rating in ratings:
        title = rating.methodology.spec.display_title(lang.code)
        total = len(rating.rows)
        for row in rating.rows:
            out.setdefault(row.participant, []).append((title, _place_text(row.place, total, lang)))
        for unrated in rating.unrated:
            out.setdefault(unrated.participant, []).append((title, _place_text(None, total, lang)))
    return out


def _feeds(ratings: list[Rating], registry: Registry) -> list[Feed]:
    feeds: list[Feed] = []
    for rating in ratings:
        feeds += cast(rating.methodology.spec.participants, registry, rating.period).feeds
    return feeds


def card_views(
    engine: Engine,
    ratings: list[Rating],
    period: Period,
    lang: Language,
    listening: list[Listening] | None = None,
) -> list[CardView]:
    """A card per entity of the ratings: its place, its accounts' figures, its top own posts and, from
    ``listening``, the tone of its mentions and its top negative topics."""
    registry = engine.registry
    feeds = _feeds(ratings, registry)
    data = card_data.fetch(engine, feeds, period)
    places = _places(ratings, lang)
    accounts: dict[str, list[tuple[str, str]]] = {}
    for feed in feeds:
        pairs = accounts.setdefault(feed.entity, [])
        if (feed.platform, feed.account) not in pairs:
            pairs.append((feed.platform, feed.account))
    tones: dict[str, Tone] = {}
    complaints: dict[str, Complaints] = {}
    for found in listening or []:
        for entity_id, tone in found.tone.items():
            tones.setdefault(entity_id, tone)
        for entity_id, item in found.complaints.items():
            complaints.setdefault(entity_id, item)
    views = []
    for i, entity_id in enumerate(entity_order(ratings), start=1):
        known = registry.has_entity(entity_id)
        entity = registry.entity(entity_id) if known else None
        card = CardView(
            anchor=f"card-{i}",
            entity=entity_id,
            name=entity.display_name(lang.code) if entity else entity_id,
            kind=entity.kind if entity else "",
            population=lang.number(entity.population) if entity and entity.population is not None else None,
            places=places.get(entity_id, []),
            listening=sections.card_lines(tones.get(entity_id), complaints.get(entity_id), lang),
        )
        for platform, account in accounts.get(entity_id, []):
            key = f"{platform}:{account}"
            figures = data.activity.get((platform, account))
            card.accounts.append(
                AccountLine(
                    who=who(key, entity_id, registry, lang.code),
                    followers=lang.number(figures.followers if figures else None),
                    posts=lang.number(figures.posts if figures else 0),
                    engagement=lang.number(figures.engagement if figures else 0),
                    places=places.get(key, []),
                )
            )
        for post in data.top_posts.get(entity_id, []):
            author = who(f"{post.platform}:{post.account}", entity_id, registry, lang.code)
            card.posts.append(
                PostView(
                    account=f"{author.platform} {author.account}",
                    published=lang.moment(post.published_at, period.tz),
                    excerpt=excerpt(post.text),
                    url=safe_url(post.url),
                    likes=lang.number(post.likes),
                    comments=lang.number(post.comments),
                    reposts=lang.number(post.reposts),
                    views=lang.number(post.views),
                    engagement=lang.number(post.engagement),
                    source=post,
                )
            )
        views.append(card)
    return views


def build(
    engine: Engine, ratings: list[Rating], period: Period, lang: Language, *, now: dt.datetime | None = None
) -> ReportView:
    """The report of ``ratings`` for ``period`` in ``lang``, with cards fetched through ``engine``."""
    generated = now or dt.datetime.now(dt.UTC)
    # ratings of mentions get the tone and the topics of the messages they count
    listening = [
        sections.fetch_listening(engine, r) if "mentions" in sections.components(r.methodology) else None
        for r in ratings
    ]
    cards = card_views(engine, ratings, period, lang, [found for found in listening if found is not None])
    anchors = {c.entity: c.anchor for c in cards}
    views = []
    for rating, found in zip(ratings, listening, strict=True):
        view = rating_view(rating, engine.registry, lang, anchors)
        if found is not None and found.mentions != "ok":
            view = replace(view, notice=sections.not_enriched(found.mentions, lang))
        elif found is not None:
            view = replace(view, listening=sections.listening_view(found, rating, engine.registry, lang, anchors))
        if "persons" in sections.components(rating.methodology) and rating.rows:
            view = replace(view, persons=sections.persons_view(engine, rating, view.columns, lang, anchors))
        views.append(view)
    previous = next((r.previous_period.label for r in ratings if r.previous_period), None)
    return ReportView(
        lang=lang.code,
        title=report_title(period, lang),
        period_label=period.label,
        period_days=lang.days(period.first_day, period.last_day),
        tz=period.tz,
        simulated=any(r.simulated for r in ratings),
        ratings=views,
        cards=cards,
        generated_at=lang.moment(generated, period.tz, "medium"),
        generated_at_utc=generated,
        previous_label=previous,
    )
