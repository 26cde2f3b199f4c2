"""What a review covers: its days, the bodies chosen on the command line, and each official page's own days.

A review runs over whole local days ``first_day .. last_day`` (both included) in the registry's
time zone. Followers "at" a day are the latest snapshot at or before the end of that day, so the
start figure is taken at the end of ``first_day`` and the end figure at the end of ``last_day``;
posts count when published on any day of the review.

A page counts only on the days the registry says it belonged to its body (``active_from`` ..
``active_to``, both included): a page closed in the period is measured up to the end of its last
day, a page opened in the period from its first day, so a renamed body's old and new pages each
report their own stretch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from civicpulse.errors import CivicpulseError, PeriodError
from civicpulse.periods import Period, days_period, local_midnight
from civicpulse.registry.models import Account, Entity, Registry

ROLE = "official"


@dataclass(frozen=True)
class PageScope:
    """One official page and the days of the review it counts on."""

    account: Account
    first_day: dt.date
    last_day: dt.date
    opened: bool
    """The registry dates its start inside the review (after the first day)."""
    closed: bool
    """The registry dates its end inside the review (before the last day)."""
    from_cut: dt.datetime
    """End of the review's first day (UTC): the start figure is the latest snapshot before it."""
    to_cut: dt.datetime
    """End of the page's last day (UTC): the end figure is the latest snapshot before it."""
    start: dt.datetime
    """First instant of the page's first day (UTC); posts count from here..."""
    end: dt.datetime
    """...up to here, the end of its last day (UTC)."""

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class Scope:
    """The review's days, its bodies (in registry order) and their official pages."""

    first_day: dt.date
    last_day: dt.date
    tz: str
    entities: list[Entity]
    pages: list[PageScope]

    @cached_property
    def period(self) -> Period:
        return days_period(self.first_day, self.last_day + dt.timedelta(days=1), self.tz)

    def pages_of(self, entity_id: str) -> list[PageScope]:
        return [p for p in self.pages if p.account.entity == entity_id]


def resolve_entities(registry: Registry, spec: str | None, first_day: dt.date, last_day: dt.date) -> list[Entity]:
    """The bodies named by ``spec`` (``KIND|ID,...``), else every body with an official page in the days.

    An item is an entity id if the registry has one by that name, else a kind (``ministry``); an
    item that is neither is an error naming the known kinds.
    """
    if spec is None or not spec.strip():
        wanted = {a.entity for a in registry.accounts if a.role == ROLE and _overlaps(a, first_day, last_day)}
        return [e for e in registry.entities if e.id in wanted]
    kinds = sorted({e.kind for e in registry.entities})
    chosen: dict[str, Entity] = {}
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        if registry.has_entity(item):
            chosen.setdefault(item, registry.entity(item))
        elif item in kinds:
            for entity in registry.entities:
                if entity.kind == item:
                    chosen.setdefault(entity.id, entity)
        else:
            raise CivicpulseError(
                f"--entities: {item!r} is neither an entity id nor a kind in the registry (kinds: {', '.join(kinds)})"
            )
    order = {e.id: i for i, e in enumerate(registry.entities)}
    return sorted(chosen.values(), key=lambda e: order[e.id])


def _overlaps(account: Account, first_day: dt.date, last_day: dt.date) -> bool:
    if account.active_from and account.active_from > last_day:
        return False
    return not (account.active_to and account.active_to < first_day)


def page_scope(account: Account, first_day: dt.date, last_day: dt.date, tz: str) -> PageScope:
    """The days of ``first_day .. last_day`` on which ``account`` belonged to its body."""
    own_first = max(first_day, account.active_from) if account.active_from else first_day
    own_last = min(last_day, account.active_to) if account.active_to else last_day
    after_last = own_last + dt.timedelta(days=1)
    return PageScope(
        account=account,
        first_day=own_first,
        last_day=own_last,
        opened=account.active_from is not None and account.active_from > first_day,
        closed=account.active_to is not None and account.active_to < last_day,
        from_cut=local_midnight(first_day + dt.timedelta(days=1), tz),
        to_cut=local_midnight(after_last, tz),
        start=local_midnight(own_first, tz),
        end=local_midnight(after_last, tz),
    )


def build_scope(registry: Registry, first_day: dt.date, last_day: dt.date, spec: str | None = None) -> Scope:
    """The scope of a review of ``first_day .. last_day``; raises when the days or the bodies make no sense."""
    if last_day < first_day:
        raise PeriodError(f"--to {last_day} is before --from {first_day}")
    entities = resolve_entities(registry, spec, first_day, last_day)
    if not entities:
        what = f"matching {spec!r}" if spec else "with an official account"
        raise CivicpulseError(
            f"nothing to review: the registry has no entity {what} between {first_day} and {last_day}"
        )
    ids = {e.id for e in entities}
    pages = [
        page_scope(a, first_day, last_day, registry.timezone)
        for a in registry.accounts
        if a.entity in ids and a.role == ROLE and _overlaps(a, first_day, last_day)
    ]
    return Scope(first_day, last_day, registry.timezone, entities, pages)
