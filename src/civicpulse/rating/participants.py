"""Who takes part in a methodology, and which accounts feed each participant (from the registry)."""

from __future__ import annotations

from dataclasses import dataclass

from civicpulse.metrics.base import Feed
from civicpulse.periods import Period
from civicpulse.rating.methodology import Participants
from civicpulse.registry.models import Account, Registry


@dataclass(frozen=True)
class Cast:
    """Participants as ``(participant, entity)`` pairs and the accounts that feed them."""

    participants: list[tuple[str, str]]
    feeds: list[Feed]
    without_accounts: dict[str, str]
    """Entity participants that have no matching account, with the reason."""


def _entities(spec: Participants, registry: Registry) -> list[str]:
    if spec.entities:
        return [e for e in spec.entities if registry.has_entity(e)]
    return [e.id for e in registry.entities if e.kind == spec.kind]


def _active(account: Account, period: Period) -> bool:
    if account.active_from and account.active_from >= period.end_day:
        return False
    return not (account.active_to and account.active_to < period.first_day)


def cast(spec: Participants, registry: Registry, period: Period) -> Cast:
    """The participants of ``spec`` in ``period`` (accounts outside their active dates drop out)."""
    entity_ids = _entities(spec, registry)
    if spec.level == "entity" and not spec.roles:
        # ``roles: []``: the entities themselves take part, fed by no account (e.g. what people say about them)
        return Cast([(e, e) for e in entity_ids], [], {})
    wanted = set(entity_ids)
    accounts = [
        a
        for a in registry.accounts
        if a.entity in wanted
        and a.role in spec.roles
        and (not spec.platforms or a.platform in spec.platforms)
        and _active(a, period)
    ]
    if spec.level == "account":
        feeds = [Feed(a.key, a.entity, a.platform, a.id) for a in accounts]
        return Cast([(f.participant, f.entity) for f in feeds], feeds, {})
    feeds = [Feed(a.entity, a.entity, a.platform, a.id) for a in accounts]
    fed = {f.entity for f in feeds}
    roles = "/".join(spec.roles)
    missing = {e: f"no {roles} account in the registry" for e in entity_ids if e not in fed}
    return Cast([(e, e) for e in entity_ids if e in fed], feeds, missing)
