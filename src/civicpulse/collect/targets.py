"""Which targets a collection run visits, as the registry says.

* ``official``: every account of the platform whose role is ``official`` or ``personal`` (the
  heads' own pages are rated apart), unless it is simulated or its ``active_to`` has passed.
  ``media`` and ``excluded`` accounts are not collected as pages; their posts arrive through the
  mention searches.
* ``mentions``: one search per entity that has aliases, by all its aliases in every language.
* ``authors``: one per platform, after the others: profiles of who wrote what the run collected.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from civicpulse.collect.base import Target
from civicpulse.registry.models import Registry

TargetChoice = Literal["official", "mentions", "all"]
COLLECTED_ROLES = ("official", "personal")


def official_targets(registry: Registry, platform: str, today: dt.date) -> list[Target]:
    """The registry's own pages on ``platform`` that are collected today."""
    targets = []
    for account in registry.accounts:
        if account.platform != platform or account.role not in COLLECTED_ROLES or account.simulated:
            continue
        if account.active_to is not None and account.active_to < today:
            continue
        targets.append(Target(platform, "official", account.id, entity=account.entity, account=account.id))
    return targets


def mention_targets(registry: Registry, platform: str) -> list[Target]:
    """One mention search per entity with aliases (duplicates across languages removed, order kept)."""
    targets = []
    for entity in registry.entities:
        terms: list[str] = []
        for aliases in entity.aliases.values():
            for alias in aliases:
                alias = alias.strip()
                if alias and alias.casefold() not in {t.casefold() for t in terms}:
                    terms.append(alias)
        if terms:
            targets.append(Target(platform, "mentions", f"mentions:{entity.id}", entity=entity.id, terms=tuple(terms)))
    return targets


def targets_for(
    registry: Registry, platform: str, choice: TargetChoice, kinds: frozenset[str], today: dt.date
) -> list[Target]:
    """Official then mention targets of ``platform``, limited to ``choice`` and what the connector can do."""
    targets: list[Target] = []
    if choice in ("official", "all") and "official" in kinds:
        targets += official_targets(registry, platform, today)
    if choice in ("mentions", "all") and "mentions" in kinds:
        targets += mention_targets(registry, platform)
    return targets


def authors_target(platform: str) -> Target:
    return Target(platform, "authors", "authors")
