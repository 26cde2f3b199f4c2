"""A whole review: its scope, the facts of every page and body, their paragraphs and the article's lead.

:func:`build_review` is what the CLI and the renderers use; everything it returns is plain data
(dataclasses of numbers, dates and strings), so the renderers only lay it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from civicpulse.i18n import Language
from civicpulse.query.engine import Engine
from civicpulse.review.entities import EntityFacts, Totals, entity_facts, rank, totals
from civicpulse.review.facts import AccountFacts, compute_accounts
from civicpulse.review.scope import Scope, build_scope
from civicpulse.review.text import Writer


@dataclass(frozen=True)
class Review:
    """A review of ``first_day .. last_day`` in ``tz``, its facts and its text in ``lang``."""

    first_day: dt.date
    last_day: dt.date
    tz: str
    lang: str
    registry_title: str | None
    data_cut: int
    engine: str
    simulated: bool
    generated_at: dt.datetime
    """UTC."""
    entities: tuple[EntityFacts, ...]
    """Ordered by growth (bodies without a growth place last)."""
    totals: Totals | None
    opened_pages: int
    dormant_pages: int
    title: str
    lead: tuple[str, ...]

    @property
    def accounts(self) -> list[AccountFacts]:
        """Every page, body by body in the review's order, each body's pages main first."""
        return [p for e in self.entities for p in e.pages]


def facts_of(engine: Engine, scope: Scope, writer: Writer) -> list[EntityFacts]:
    """The ranked facts of every body of ``scope`` with its paragraph."""
    accounts = compute_accounts(engine, scope)
    bodies = [
        entity_facts(e, e.display_name(writer.lang.code), [a for a in accounts if a.entity == e.id])
        for e in scope.entities
    ]
    return [replace(e, text=writer.paragraph(e)) for e in rank(bodies)]


def build_review(
    engine: Engine,
    first_day: dt.date,
    last_day: dt.date,
    *,
    entities: str | None = None,
    lang: str = "ru",
    now: dt.datetime | None = None,
) -> Review:
    """The review of ``first_day .. last_day`` (local days, both included) over the lake as ``engine`` sees it.

    ``entities`` is the ``--entities`` option (``KIND|ID,...``); by default every body with an
    official page in those days is reviewed.
    """
    registry = engine.registry
    scope = build_scope(registry, first_day, last_day, entities)
    writer = Writer(Language(lang), registry.timezone)
    bodies = facts_of(engine, scope, writer)
    pages = [p for e in bodies for p in e.pages]
    sums = totals(bodies)
    opened = sum(1 for p in pages if p.new)
    dormant = sum(1 for p in pages if p.dormant)
    return Review(
        first_day=first_day,
        last_day=last_day,
        tz=registry.timezone,
        lang=lang,
        registry_title=registry.title,
        data_cut=engine.cut.seq,
        engine=engine.name,
        simulated=engine.cut.simulated,
        generated_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
        entities=tuple(bodies),
        totals=sums,
        opened_pages=opened,
        dormant_pages=dormant,
        title=writer.title(first_day, last_day),
        lead=tuple(writer.lead(first_day, last_day, bodies, sums, opened, dormant)),
    )
