"""The simulated registry: the original one plus synthetic accounts and heads, all marked as such.

Every entity below the country level gets official pages on 2 to 4 platforms and a head with a
personal Instagram page; a few paid publics (``media``, ``paid: true``) and corporate or
state-company pages (``excluded``) are added per registry. Ids say what they are
(``sim.kz-atyrau.ig``), URLs point at the reserved ``.invalid`` domain, and every account carries
``simulated: true``. Entities, sources and the accounts the registry already had are kept; accounts
and persons added by an earlier simulation are replaced, so simulating a simulated registry does
not pile them up.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import yaml

from civicpulse.errors import CivicpulseError
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.registry.models import Account, Entity, Registry
from civicpulse.simulate.templates import FEMALE_FIRST, MALE_FIRST, SURNAMES

PLATFORM_CODES: Final = {
    "vk": "vk",
    "telegram": "tg",
    "instagram": "ig",
    "facebook": "fb",
    "youtube": "yt",
    "ok": "ok",
    "x": "x",
}
# how likely an akimat is to run a page on each platform (Instagram and Telegram lead in Kazakhstan)
OFFICIAL_WEIGHTS: Final = {
    "instagram": 0.9,
    "telegram": 0.75,
    "facebook": 0.55,
    "youtube": 0.3,
    "vk": 0.25,
    "ok": 0.15,
    "x": 0.15,
}
MEDIA_NAMES: Final = (
    "Новости региона",
    "Город живёт",
    "Жизнь области",
    "Главное за день",
    "Наш край",
    "Вести онлайн",
    "Что случилось",
    "Народный репортёр",
)
EXCLUDED_NAMES: Final = (
    "Водоканал",
    "Энергосбыт",
    "Газовые сети",
    "Региональная почта",
    "Теплосети",
    "Центр обслуживания населения",
)
SIM_PREFIX: Final = "sim."
_AKIM: Final = {"ru": "аким", "kk": "әкім", "en": "akim"}
POSITIONS: Final = {
    "region": _AKIM,
    "district": _AKIM,
    "city": _AKIM,
    "ministry": {"ru": "министр", "kk": "министр", "en": "minister"},
    "other": {"ru": "руководитель", "kk": "басшы", "en": "head"},
}
_UNSAFE = re.compile(r"[^\w.-]+", re.ASCII)


@dataclass(frozen=True)
class SimRegistry:
    """The registry with simulated accounts, its text as saved, and its simulated accounts in order."""

    registry: Registry
    text: RegistryText
    accounts: list[Account]
    population: dict[str, float]
    """Population per entity id, with a stand-in where the registry has none."""


def slug(value: str) -> str:
    """An id safe in account ids, URLs and JSON without escaping."""
    return _UNSAFE.sub("-", value).strip("-") or "x"


def account_url(platform: str, account_id: str) -> str:
    return f"https://{platform}.sim.invalid/{account_id}"


def with_accounts(base: Registry, base_text: RegistryText, spec: str, seed: int) -> SimRegistry:
    """``base`` plus simulated accounts and persons (deterministic in ``seed``), validated."""
    rng = np.random.default_rng([seed, 101])
    data: dict[str, Any] = yaml.load(base_text.text, Loader=yaml.CSafeLoader) or {}
    kept = [a for a in data.get("accounts") or [] if not (isinstance(a, dict) and a.get("simulated"))]
    persons = [p for p in data.get("persons") or [] if not str(_get(p, "id")).startswith(SIM_PREFIX)]
    covered = [e for e in base.entities if e.kind != "country"]
    if not covered:
        raise CivicpulseError(f"registry {spec} has no entity below the country level: nothing to simulate")
    population = stand_in_population(base)
    accounts: list[dict[str, Any]] = []
    for entity in covered:
        accounts += _official(entity, rng)
        head = f"{SIM_PREFIX}head.{slug(entity.id)}"
        persons.append(_person(head, entity, rng))
        accounts.append(
            _account(
                "instagram",
                f"{SIM_PREFIX}{slug(entity.id)}.head.ig",
                entity.id,
                "personal",
                f"{persons[-1]['name']['ru']}",
                person=head,
            )
        )
    areas = top_areas(covered)
    if areas:
        weights = np.array([population[a.id] for a in areas], dtype=float)
        weights /= weights.sum()
        n_media = int(np.clip(round(len(areas) / 4), 2, len(MEDIA_NAMES)))
        for i in range(n_media):
            area = areas[int(rng.choice(len(areas), p=weights))]
            platform = str(rng.choice(["telegram", "instagram"]))
            name = f"{MEDIA_NAMES[i]} · {area.display_name('ru')}"
            # the last outlet is an ordinary newsroom, the others sell placements
            accounts.append(
                _account(
                    platform,
                    f"{SIM_PREFIX}media.{i + 1}.{PLATFORM_CODES[platform]}",
                    area.id,
                    "media",
                    name,
                    paid=i < n_media - 1,
                )
            )
        n_excluded = int(np.clip(round(len(areas) / 5), 2, len(EXCLUDED_NAMES)))
        for i in range(n_excluded):
            area = areas[int(rng.choice(len(areas), p=weights))]
            platform = str(rng.choice(["facebook", "instagram", "vk"]))
            name = f"{EXCLUDED_NAMES[i]} · {area.display_name('ru')}"
            accounts.append(
                _account(platform, f"{SIM_PREFIX}corp.{i + 1}.{PLATFORM_CODES[platform]}", area.id, "excluded", name)
            )
    data["accounts"] = kept + accounts
    data["persons"] = persons
    header = (
        f"# SIMULATED: `civicpulse simulate` (seed {seed}) added to {spec} every account marked `simulated: true`\n"
        f"# and every person whose id starts with `{SIM_PREFIX}`. They are synthetic; none of them exists.\n"
    )
    text = RegistryText(
        header + yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=120),
        f"simulated:{spec}",
    )
    registry = parse(text)
    simulated = [a for a in registry.accounts if a.simulated]
    return SimRegistry(registry, text, simulated, population)


def _get(item: object, key: str) -> object:
    return item.get(key, "") if isinstance(item, dict) else ""


def top_areas(entities: list[Entity]) -> list[Entity]:
    """The highest covered entities (regions): those whose parent is not covered itself."""
    ids = {e.id for e in entities}
    return [e for e in entities if e.parent not in ids]


def stand_in_population(registry: Registry) -> dict[str, float]:
    """Population per entity; missing ones take the median of their kind, else a share of the parent's."""
    known: dict[str, list[int]] = {}
    for e in registry.entities:
        if e.population:
            known.setdefault(e.kind, []).append(e.population)
    out: dict[str, float] = {}
    for e in registry.entities:
        if e.population:
            out[e.id] = float(e.population)
        elif known.get(e.kind):
            out[e.id] = float(statistics.median(known[e.kind]))
        elif e.parent and registry.has_entity(e.parent) and registry.entity(e.parent).population:
            siblings = max(1, len(registry.children(e.parent)))
            out[e.id] = float(registry.entity(e.parent).population or 0) / siblings
        else:
            out[e.id] = 100_000.0
    return out


def _official(entity: Entity, rng: np.random.Generator) -> list[dict[str, Any]]:
    regional = entity.kind == "region"
    k = int(rng.choice([2, 3, 4], p=[0.3, 0.45, 0.25] if regional else [0.5, 0.4, 0.1]))
    names = list(OFFICIAL_WEIGHTS)
    weights = np.array(list(OFFICIAL_WEIGHTS.values()))
    chosen = rng.choice(len(names), size=k, replace=False, p=weights / weights.sum())
    title = _page_name(entity)
    return [
        _account(names[i], f"{SIM_PREFIX}{slug(entity.id)}.{PLATFORM_CODES[names[i]]}", entity.id, "official", title)
        for i in sorted(chosen)
    ]


def _page_name(entity: Entity) -> str:
    for alias in entity.aliases.get("ru", []):
        if alias.lower().startswith("акимат"):
            return alias[:1].upper() + alias[1:]
    return entity.display_name("ru")


def _person(person_id: str, entity: Entity, rng: np.random.Generator) -> dict[str, Any]:
    female = rng.random() < 0.15
    first = FEMALE_FIRST if female else MALE_FIRST
    given = first[int(rng.integers(len(first)))][0]
    family = SURNAMES[int(rng.integers(len(SURNAMES)))][0] + ("а" if female else "")
    name = f"{given} {family}"
    return {
        "id": person_id,
        "entity": entity.id,
        "position": dict(POSITIONS.get(entity.kind, POSITIONS["other"])),  # a copy: no YAML anchors
        "name": {"ru": name, "kk": name},
    }


def _account(
    platform: str,
    account_id: str,
    entity: str,
    role: str,
    name: str,
    *,
    person: str | None = None,
    paid: bool = False,
) -> dict[str, Any]:
    out: dict[str, Any] = {"platform": platform, "id": account_id, "entity": entity, "role": role}
    if person:
        out["person"] = person
    out["name"] = name
    out["url"] = account_url(platform, account_id)
    if paid:
        out["paid"] = True
    out["simulated"] = True
    return out
