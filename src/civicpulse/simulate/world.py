"""Everything about a run that does not change from day to day, built once from the simulated registry.

Accounts become columns: platform, entity, area, role, posting rate, engagement rate, and a
follower series for every day (log-normal in the entity's population, small daily growth and
noise, now and then a bought jump). Some official accounts go silent for one week, some are never
observed (no snapshot, so ratings show them unrated). Citizens, groups, campaigns and the follower
samples of heads' personal accounts come from :mod:`civicpulse.simulate.people`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

import numpy as np
import pyarrow as pa

from civicpulse.periods import local_midnight
from civicpulse.platforms import PLATFORMS
from civicpulse.registry.models import Entity
from civicpulse.simulate import people
from civicpulse.simulate.accounts import SimRegistry, account_url, top_areas
from civicpulse.simulate.texts import TextBank

IntArray = np.ndarray
FloatArray = np.ndarray

ROLES: Final = ("official", "personal", "media", "excluded")
OFFICIAL, PERSONAL, MEDIA, EXCLUDED = range(4)
# share of an entity's population following its page on each platform
PENETRATION: Final = {
    "instagram": 0.06,
    "telegram": 0.02,
    "facebook": 0.012,
    "vk": 0.006,
    "youtube": 0.005,
    "ok": 0.004,
    "x": 0.002,
}
# typical likes per follower of one post
ENGAGEMENT: Final = {
    "instagram": 0.012,
    "telegram": 0.004,
    "vk": 0.006,
    "facebook": 0.004,
    "youtube": 0.01,
    "ok": 0.005,
    "x": 0.002,
}
ROLE_REACH: Final = (1.0, 0.5, 1.5, 0.15)
ROLE_ENGAGEMENT: Final = (1.0, 2.5, 0.6, 0.3)
ROLE_RATE: Final = (2.2, 0.7, 7.0, 0.7)
# posts per day at scale 1, by platform (Telegram channels post more, YouTube much less)
PLATFORM_RATE: Final = {"telegram": 1.4, "youtube": 0.15, "x": 0.6}
CITIZEN_POSTS_PER_AREA: Final = 75.0
CITIZENS_PER_AREA: Final = 400


@dataclass(frozen=True)
class Params:
    """What a run is asked for; everything generated follows from these and the registry."""

    weeks: int
    scale: float
    seed: int
    first_day: date
    last_day: date
    tz: str

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1)]


@dataclass
class Accounts:
    """The simulated accounts as columns (index = position in ``SimRegistry.accounts``)."""

    platform: IntArray
    entity: IntArray
    area: IntArray
    role: IntArray
    ids: pa.Array
    urls: pa.Array
    rate: FloatArray
    engagement: FloatArray
    kk_share: FloatArray
    silent_week: IntArray
    observed: IntArray
    """Boolean: False for accounts never observed (no snapshot)."""
    followers: IntArray
    """Followers by [day, account]."""
    jumps: list[tuple[str, int]]
    posts_total: IntArray
    posts_done: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class World:
    """The fixed state of one run."""

    params: Params
    sim: SimRegistry
    entities: list[Entity]
    bank: TextBank
    area_of: IntArray
    """Area index of every entity."""
    areas: IntArray
    """Entity index of every area."""
    targets: tuple[FloatArray, IntArray]
    """Per area, who its people name: a cumulative table (``area + share``) and entity indices."""
    accounts: Accounts
    crowd: people.Crowd
    groups: people.Groups
    campaigns: list[people.Campaign]
    followers: people.Followers
    """Follower samples of the heads' personal accounts."""
    day_start: IntArray
    """UTC microseconds of each local midnight, one more than there are days."""
    seen: IntArray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    group_done: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def span_end(self) -> int:
        return int(self.day_start[-1])

    def pick_targets(self, area: IntArray, rng: np.random.Generator) -> IntArray:
        """An entity each row's author might name: its area's akimat or one below it."""
        cum, items = self.targets
        position = np.searchsorted(cum, area + rng.random(len(area)) * 0.999999, side="right")
        return np.asarray(items[np.minimum(position, len(items) - 1)])


def build(sim: SimRegistry, params: Params) -> World:
    """The world of a run; deterministic in the registry and ``params``."""
    rng = np.random.default_rng([params.seed, 202])
    entities = [e for e in sim.registry.entities if e.kind != "country"]
    index = {e.id: i for i, e in enumerate(entities)}
    area_entities = top_areas(entities)
    area_index = {e.id: i for i, e in enumerate(area_entities)}
    area_of = np.array([area_index[_area_id(e, index, entities, area_index)] for e in entities], dtype=np.int64)
    population = np.array([sim.population[e.id] for e in entities], dtype=float)
    area_population = np.array([sim.population[e.id] for e in area_entities], dtype=float)

    days = params.days
    day_start = np.array(
        [int(local_midnight(d, params.tz).timestamp() * 1_000_000) for d in [*days, days[-1] + timedelta(days=1)]],
        dtype=np.int64,
    )
    accounts = _accounts(sim, index, area_of, population, len(days), params, rng)
    crowd = people.crowd(
        round(CITIZENS_PER_AREA * len(area_entities) * params.scale), area_population, int(day_start[-1]), rng
    )
    group_set = people.groups(area_population, CITIZEN_POSTS_PER_AREA, rng)
    areas = np.array([index[e.id] for e in area_entities], dtype=np.int64)
    runs = people.campaigns(crowd, group_set, areas, len(days), params.scale, rng)
    samples = _follower_samples(sim, accounts, int(day_start[0]), np.random.default_rng([params.seed, 303]))
    return World(
        params=params,
        sim=sim,
        entities=entities,
        bank=TextBank(entities),
        area_of=area_of,
        areas=areas,
        targets=_targets(area_of, population, areas),
        accounts=accounts,
        crowd=crowd,
        groups=group_set,
        campaigns=runs,
        followers=samples,
        day_start=day_start,
        seen=np.zeros(len(crowd), dtype=bool),
        group_done=np.zeros(len(group_set.platform), dtype=np.int64),
    )


def _follower_samples(
    sim: SimRegistry, accounts: Accounts, start_us: int, rng: np.random.Generator
) -> people.Followers:
    """A follower sample of every personal account, observed on the first day between 9:00 and 18:00
    local time (so every simulated week can use it); accounts that bought followers have more bots.

    Its own random stream: adding the samples changed nothing else the generator writes."""
    personal = np.flatnonzero(accounts.role == PERSONAL)
    bought = np.zeros(len(accounts.role), dtype=bool)
    index = {a.key: i for i, a in enumerate(sim.accounts)}
    for key, _ in accounts.jumps:
        bought[index[key]] = True
    hour = 3_600 * 1_000_000
    observed = start_us + rng.integers(9 * hour, 18 * hour, size=len(personal))
    return people.followers(personal, accounts.platform[personal], bought[personal], observed, rng)


def _area_id(entity: Entity, index: dict[str, int], entities: list[Entity], areas: dict[str, int]) -> str:
    current = entity
    while current.id not in areas:
        assert current.parent is not None  # top_areas guarantees every chain ends in an area
        current = entities[index[current.parent]]
    return current.id


def _targets(area_of: IntArray, population: FloatArray, areas: IntArray) -> tuple[FloatArray, IntArray]:
    """Per area, its entities weighted by population; districts count double (local talk is local)."""
    cum: list[float] = []
    items: list[int] = []
    for a, area_entity in enumerate(areas):
        members = np.flatnonzero(area_of == a)
        weight = np.where(members == area_entity, 1.0, 2.0) * population[members]
        share = np.cumsum(weight / weight.sum())
        share[-1] = 1.0
        cum.extend((a + share).tolist())
        items.extend(members.tolist())
    return np.asarray(cum), np.asarray(items, dtype=np.int64)


def _accounts(
    sim: SimRegistry,
    index: dict[str, int],
    area_of: IntArray,
    population: FloatArray,
    n_days: int,
    params: Params,
    rng: np.random.Generator,
) -> Accounts:
    listed = sim.accounts
    n = len(listed)
    platform = np.array([PLATFORMS.index(a.platform) for a in listed], dtype=np.int64)
    entity = np.array([index[a.entity] for a in listed], dtype=np.int64)
    role = np.array([ROLES.index(a.role) for a in listed], dtype=np.int64)
    names = [a.platform for a in listed]
    reach = np.array([PENETRATION[p] for p in names]) * np.take(ROLE_REACH, role)
    start = np.maximum(population[entity] * reach * rng.lognormal(0.0, 0.6, size=n), 50.0)
    growth = rng.normal(0.0008, 0.0006, size=n)
    noise = rng.normal(0.0, 0.002, size=(n_days, n))
    log_series = np.cumsum(growth + noise, axis=0)
    jumps: list[tuple[str, int]] = []
    for i in np.flatnonzero(rng.random(n) < 0.05):
        day = int(rng.integers(0, n_days))
        log_series[day:, i] += math.log1p(float(rng.uniform(0.05, 0.15)))  # bought followers
        jumps.append((listed[i].key, day))
    followers = np.round(start * np.exp(log_series)).astype(np.int64)

    rate = np.take(ROLE_RATE, role) * np.array([PLATFORM_RATE.get(p, 1.0) for p in names])
    rate *= rng.lognormal(0.0, 0.35, size=n)
    engagement = np.array([ENGAGEMENT[p] for p in names]) * np.take(ROLE_ENGAGEMENT, role)
    engagement *= rng.lognormal(0.0, 0.5, size=n)
    kk_share = np.where(role == MEDIA, 0.3, np.where(role == EXCLUDED, 0.3, 0.45))

    official = np.flatnonzero(role == OFFICIAL)
    silent_week = np.full(n, -1, dtype=np.int64)
    n_silent = max(1, round(0.06 * len(official))) if len(official) >= 5 else 0
    for i in rng.choice(official, size=n_silent, replace=False) if n_silent else []:
        silent_week[i] = int(rng.integers(0, params.weeks))
    observed = np.ones(n, dtype=bool)
    # never observed: about 7% of official pages of each entity kind, at least one where there are several
    kinds = np.array([sim.registry.entity(a.entity).kind for a in listed])
    for kind in sorted(set(kinds[official].tolist())):
        pool = official[kinds[official] == kind]
        n_blind = max(1, round(0.07 * len(pool))) if len(pool) >= 4 else 0
        observed[rng.choice(pool, size=n_blind, replace=False)] = False
    posts_total = np.round(rng.lognormal(np.log(1500), 0.8, size=n)).astype(np.int64)
    return Accounts(
        platform=platform,
        entity=entity,
        area=area_of[entity],
        role=role,
        ids=pa.array([a.id for a in listed], type=pa.string()),
        urls=pa.array([account_url(a.platform, a.id) for a in listed], type=pa.string()),
        rate=rate,
        engagement=engagement,
        kk_share=kk_share,
        silent_week=silent_week,
        observed=observed,
        followers=followers,
        jumps=jumps,
        posts_total=posts_total,
        posts_done=np.zeros(n, dtype=np.int64),
    )
