"""Participants, the accounts that feed them, and the components that aggregate their activity.

A *participant* is what a rating ranks: an account (``platform:id``) or an entity (its id).
``feeds`` says which accounts' data count for which participant: one account for an account
rating, all the matching accounts of the entity for an entity rating. A *component* aggregates
one kind of activity per participant in a period (page activity, mentions...), and metrics are
expressions over the columns components produce.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.periods import Period
from civicpulse.query.engine import Engine

FEEDS_SCHEMA = pa.schema(
    [
        pa.field("participant", pa.string()),
        pa.field("entity", pa.string()),
        pa.field("platform", pa.string()),
        pa.field("account", pa.string()),
    ]
)


@dataclass(frozen=True)
class Feed:
    participant: str
    entity: str
    platform: str
    account: str


PARTICIPANTS_SCHEMA = pa.schema([pa.field("participant", pa.string()), pa.field("entity", pa.string())])


@dataclass(frozen=True)
class Scope:
    """What a component aggregates over: the period, the participants and their feeds."""

    engine: Engine
    period: Period
    participants: list[tuple[str, str]]
    """(participant, entity) pairs."""
    feeds: list[Feed]

    def feeds_table(self) -> ir.Table:
        rows = [f.__dict__ for f in self.feeds]
        return self.engine.memtable(pa.Table.from_pylist(rows, schema=FEEDS_SCHEMA))

    def participants_table(self) -> ir.Table:
        rows = [{"participant": p, "entity": e} for p, e in self.participants]
        return self.engine.memtable(pa.Table.from_pylist(rows, schema=PARTICIPANTS_SCHEMA))

    def with_period(self, period: Period) -> Scope:
        return Scope(self.engine, period, self.participants, self.feeds)


Component = Callable[[Scope], ir.Table]
"""Returns one row per participant: ``participant`` plus the component's columns."""

Evidence = Callable[[Engine, Period, str, str], list[dict[str, Any]]]
"""(engine, period, participant, entity) -> the rows behind a component's values, for ``explain``."""
