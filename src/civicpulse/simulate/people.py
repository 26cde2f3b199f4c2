"""Who talks: citizens, bots, the members of coordinated campaigns, and the local groups they post in.

Everything is a column (numpy arrays indexed by person or group), so picking the authors of a
million comments is one weighted search. Citizens live in an *area* (a top-level entity such as a
region), use one platform, write Russian, Kazakh or both, and are active with heavy-tailed weights.
Bots are young, mostly without avatars, with few followers, many follows and many posts; they act
in bursts. Campaign members look like ordinary citizens (some are bots) and also post organically;
together they push the same link into many groups within seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civicpulse.platforms import PLATFORMS
from civicpulse.simulate.templates import FEMALE_FIRST, MALE_FIRST, SURNAMES

IntArray = np.ndarray
FloatArray = np.ndarray

DAY_US: Final = 86_400 * 1_000_000
# where citizens are (their one platform), and where bots are: near the official pages
CITIZEN_PLATFORMS: Final = {
    "instagram": 0.3,
    "telegram": 0.2,
    "vk": 0.15,
    "facebook": 0.15,
    "ok": 0.1,
    "youtube": 0.05,
    "x": 0.05,
}
BOT_PLATFORMS: Final = {
    "instagram": 0.4,
    "telegram": 0.25,
    "facebook": 0.15,
    "vk": 0.1,
    "ok": 0.04,
    "youtube": 0.03,
    "x": 0.03,
}
GROUP_PLATFORMS: Final = {"vk": 0.25, "telegram": 0.3, "facebook": 0.2, "instagram": 0.15, "ok": 0.1}
MIN_GROUPS: Final = 60
CAMPAIGN_PLATFORMS: Final = ("telegram", "vk", "facebook")
LANG_RU, LANG_KK, LANG_BOTH = 0, 1, 2


def _probabilities(weights: dict[str, float]) -> FloatArray:
    p = np.array([weights.get(name, 0.0) for name in PLATFORMS], dtype=float)
    return np.asarray(p / p.sum())


class Sampler:
    """Weighted picks of members by (platform, area), falling back to the platform, then to anyone."""

    def __init__(self, platform: IntArray, area: IntArray, weight: FloatArray, n_areas: int) -> None:
        self.n_areas = max(n_areas, 1)
        self.order = np.lexsort((area, platform))
        self.cum = np.cumsum(weight[self.order].astype(float))
        keys = platform[self.order] * self.n_areas + area[self.order]
        n_keys = len(PLATFORMS) * self.n_areas
        self.lo = np.searchsorted(keys, np.arange(n_keys), side="left")
        self.hi = np.searchsorted(keys, np.arange(n_keys), side="right")
        plat = platform[self.order]
        self.plo = np.searchsorted(plat, np.arange(len(PLATFORMS)), side="left")
        self.phi = np.searchsorted(plat, np.arange(len(PLATFORMS)), side="right")

    def _mass(self, lo: IntArray, hi: IntArray) -> tuple[FloatArray, FloatArray]:
        base = np.where(lo > 0, self.cum[np.maximum(lo - 1, 0)], 0.0)
        top = np.where(hi > 0, self.cum[np.maximum(hi - 1, 0)], 0.0)
        return base, top

    def pick(self, platform: IntArray, area: IntArray, local: float, rng: np.random.Generator) -> IntArray:
        """One member per row, from the row's area with probability ``local``, else from its platform."""
        n = len(platform)
        key = platform * self.n_areas + np.maximum(area, 0)
        lo, hi = self.lo[key], self.hi[key]
        base, top = self._mass(lo, hi)
        wide = (rng.random(n) >= local) | (area < 0) | (top <= base)
        lo = np.where(wide, self.plo[platform], lo)
        hi = np.where(wide, self.phi[platform], hi)
        base, top = self._mass(lo, hi)
        anyone = top <= base
        lo = np.where(anyone, 0, lo)
        hi = np.where(anyone, len(self.cum), hi)
        base, top = self._mass(lo, hi)
        target = base + rng.random(n) * (top - base)
        position = np.clip(np.searchsorted(self.cum, target, side="right"), lo, np.maximum(hi - 1, lo))
        return np.asarray(self.order[np.minimum(position, len(self.order) - 1)])


@dataclass
class Crowd:
    """Citizens, bots among them, as columns."""

    platform: IntArray
    area: IntArray
    lang: IntArray
    weight: FloatArray
    bot: IntArray
    """Boolean."""
    bot_tone: IntArray
    """For bots: 1 praises (positive), 0 attacks (negative)."""
    followers: IntArray
    following: IntArray
    posts_total: IntArray
    created_at: IntArray
    has_avatar: IntArray
    banned: IntArray
    first: IntArray
    last: IntArray
    female: IntArray
    handle_digits: IntArray
    coordinated: IntArray
    ids: pa.Array
    organic: Sampler
    bots: IntArray
    """Indices of bots."""

    def __len__(self) -> int:
        return len(self.platform)

    def languages(self, who: IntArray, rng: np.random.Generator) -> IntArray:
        """The language of one text by each author (bilingual authors toss a coin)."""
        lang = self.lang[who]
        return np.where(lang == LANG_BOTH, rng.integers(0, 2, len(who)), lang)

    def names(self, who: IntArray) -> pa.Array:
        firsts = pa.array([f[0] for f in MALE_FIRST] + [f[0] for f in FEMALE_FIRST])
        lasts = pa.array([s[0] for s in SURNAMES] + [s[0] + "а" for s in SURNAMES])
        first = pc.take(firsts, pa.array(self.first[who] + self.female[who] * len(MALE_FIRST)))
        last = pc.take(lasts, pa.array(self.last[who] + self.female[who] * len(SURNAMES)))
        return pc.binary_join_element_wise(first, last, " ")

    def handles(self, who: IntArray) -> pa.Array:
        firsts = pa.array([f[1] for f in MALE_FIRST] + [f[1] for f in FEMALE_FIRST])
        lasts = pa.array([s[1] for s in SURNAMES] + [s[1] + "a" for s in SURNAMES])
        first = pc.take(firsts, pa.array(self.first[who] + self.female[who] * len(MALE_FIRST)))
        last = pc.take(lasts, pa.array(self.last[who] + self.female[who] * len(SURNAMES)))
        digits = self.handle_digits[who]
        suffix = pc.if_else(pa.array(digits > 0), pc.cast(pa.array(digits), pa.string()), pa.scalar(""))
        # bots: name + many digits; people: name.surname, sometimes a year
        plain = pc.binary_join_element_wise(first, last, ".")
        bot = pa.array(self.bot[who].astype(bool))
        return pc.binary_join_element_wise(pc.if_else(bot, first, plain), suffix, "")


def crowd(n_citizens: int, area_weights: FloatArray, end_us: int, rng: np.random.Generator) -> Crowd:
    """``n_citizens`` people (3% of them bots) spread over the areas by ``area_weights``."""
    n = max(n_citizens, 2 * len(PLATFORMS))
    n_areas = len(area_weights)
    n_bots = max(len(PLATFORMS), round(0.03 * n))
    bot = np.zeros(n, dtype=bool)
    bot[rng.choice(n, size=n_bots, replace=False)] = True
    platform = rng.choice(len(PLATFORMS), size=n, p=_probabilities(CITIZEN_PLATFORMS))
    platform[: len(PLATFORMS)] = np.arange(len(PLATFORMS))  # every platform has people, even in tiny runs
    platform[bot] = rng.choice(len(PLATFORMS), size=n_bots, p=_probabilities(BOT_PLATFORMS))
    area = rng.choice(n_areas, size=n, p=area_weights / area_weights.sum())
    lang = rng.choice(3, size=n, p=[0.55, 0.3, 0.15])
    weight = np.minimum(rng.pareto(1.3, size=n) + 1.0, 200.0)
    weight[bot] = 0.0  # bots act in bursts only, never in the organic stream
    day = DAY_US
    created_people = end_us - rng.integers(30 * day, 12 * 365 * day, size=n)
    created_bots = end_us - rng.integers(3 * day, 120 * day, size=n)
    age_days = np.maximum((end_us - created_bots) // day, 1)
    followers = np.round(rng.lognormal(np.log(120), 1.3, size=n)).astype(np.int64)
    following = np.round(rng.lognormal(np.log(200), 0.8, size=n)).astype(np.int64)
    posts_total = np.round(rng.lognormal(np.log(300), 1.2, size=n)).astype(np.int64)
    has_avatar = rng.random(n) < 0.85
    handle_digits = np.where(rng.random(n) < 0.3, rng.integers(1960, 2010, size=n), 0)
    banned = np.zeros(n, dtype=bool)
    n_b = int(bot.sum())
    followers[bot] = rng.geometric(0.15, size=n_b) - 1
    following[bot] = np.round(rng.lognormal(np.log(900), 0.5, size=n_b)).astype(np.int64)
    posts_total[bot] = age_days[bot] * rng.integers(20, 80, size=n_b)
    has_avatar[bot] = rng.random(n_b) < 0.1
    handle_digits[bot] = rng.integers(1000, 999_999, size=n_b)
    banned[bot] = rng.random(n_b) < 0.05
    ids = pc.binary_join_element_wise(pa.scalar("sim.u"), pc.cast(pa.array(np.arange(n)), pa.string()), "")
    return Crowd(
        platform=platform,
        area=area,
        lang=lang,
        weight=weight,
        bot=bot,
        bot_tone=(rng.random(n) < 0.8).astype(np.int64),
        followers=followers,
        following=following,
        posts_total=posts_total,
        created_at=np.where(bot, created_bots, created_people),
        has_avatar=has_avatar,
        banned=banned,
        first=rng.integers(0, len(MALE_FIRST), size=n),
        last=rng.integers(0, len(SURNAMES), size=n),
        female=(rng.random(n) < 0.5).astype(np.int64),
        handle_digits=handle_digits,
        coordinated=np.zeros(n, dtype=bool),
        ids=ids,
        organic=Sampler(platform, area, weight, n_areas),
        bots=np.flatnonzero(bot),
    )


@dataclass
class Groups:
    """Local citizen groups and channels (not in the registry), where people discuss their area."""

    platform: IntArray
    area: IntArray
    rate: FloatArray
    """Posts per day at scale 1."""
    followers: IntArray
    ids: pa.Array


def groups(area_weights: FloatArray, posts_per_area: float, rng: np.random.Generator) -> Groups:
    """3 to 9 groups per area, more for populous ones (at least ``MIN_GROUPS`` in all); the posting rate
    follows the population."""
    share = area_weights / area_weights.sum()
    median = float(np.median(share))
    counts = np.clip(np.round(5 + 2 * np.log2(share / median)), 3, 9).astype(np.int64)
    # small registries still need enough groups for a campaign to push into "many" of them
    counts = np.maximum(counts, int(np.ceil(MIN_GROUPS / len(share))))
    area = np.repeat(np.arange(len(share)), counts)
    n = len(area)
    platform = rng.choice(len(PLATFORMS), size=n, p=_probabilities(GROUP_PLATFORMS))
    # every campaign platform needs groups to push into
    for i, name in enumerate(CAMPAIGN_PLATFORMS):
        if i < n:
            platform[i] = PLATFORMS.index(name)
    # bigger areas talk more, but less than in proportion (sqrt)
    area_volume = posts_per_area * len(share) * np.sqrt(share) / np.sqrt(share).sum()
    weights = rng.lognormal(0.0, 0.6, size=n)
    rate = area_volume[area] / counts[area] * weights / np.mean(weights)
    followers = np.round(rng.lognormal(np.log(8000), 1.0, size=n)).astype(np.int64)
    ids = pc.binary_join_element_wise(pa.scalar("sim.group."), pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), "")
    return Groups(platform, area, rate, followers, ids)


@dataclass(frozen=True)
class Campaign:
    """A few accounts pushing one link per burst into many groups within seconds."""

    platform: int
    members: IntArray
    groups: IntArray
    entity: int
    """The entity whose akimat the pushed texts attack."""
    bursts: list[tuple[int, int]]
    """(day index, microseconds after local midnight)."""


def campaigns(
    people: Crowd, group_set: Groups, target_entities: IntArray, n_days: int, scale: float, rng: np.random.Generator
) -> list[Campaign]:
    """Two campaigns (more at large scales), one burst a week each, members marked ``coordinated``."""
    out: list[Campaign] = []
    n_campaigns = int(min(20, max(2, round(2 * np.sqrt(scale)))))
    for c in range(n_campaigns):
        platform = PLATFORMS.index(CAMPAIGN_PLATFORMS[c % len(CAMPAIGN_PLATFORMS)])
        on_platform = np.flatnonzero(group_set.platform == platform)
        if len(on_platform) == 0:
            continue
        size = min(len(on_platform), int(rng.integers(12, 31)))
        targets = np.sort(rng.choice(on_platform, size=size, replace=False))
        people_here = np.flatnonzero((people.platform == platform) & ~people.bot & ~people.coordinated)
        bots_here = np.flatnonzero((people.platform == platform) & people.bot & ~people.coordinated)
        n_people = min(len(people_here), int(rng.integers(3, 6)))
        n_bots = min(len(bots_here), int(rng.integers(1, 3)))
        members = np.concatenate(
            [rng.choice(people_here, size=n_people, replace=False), rng.choice(bots_here, size=n_bots, replace=False)]
        ).astype(np.int64)
        if len(members) == 0:
            continue
        people.coordinated[members] = True
        bursts = []
        for week_start in range(0, n_days, 7):
            day = week_start + int(rng.integers(0, min(7, n_days - week_start)))
            bursts.append((day, int(rng.integers(8 * 3600, 23 * 3600)) * 1_000_000))
        entity = int(rng.choice(target_entities))
        out.append(Campaign(platform, np.sort(members), targets, entity, bursts))
    return out
