"""Who talks: citizens, bots, the members of coordinated campaigns, and the local groups they post in.

Everything is a column (numpy arrays indexed by person or group), so picking the authors of a
million comments is one weighted search. Citizens live in an *area* (a top-level entity such as a
region), use one platform, write Russian, Kazakh or both, and are active with heavy-tailed weights.
Bots are young, mostly without avatars, with few followers, many follows and many posts; they act
in bursts. Campaign members look like ordinary citizens (some are bots) and also post organically;
together they push the same link into many groups within seconds. Follower samples of heads'
personal accounts are people and bots with the same profiles who never post: the accounts that the
``persons`` rating estimates the share of bots among followers from.
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
        return names(self.first[who], self.last[who], self.female[who])

    def handles(self, who: IntArray) -> pa.Array:
        return handles(self.first[who], self.last[who], self.female[who], self.handle_digits[who], self.bot[who])


def names(first: IntArray, last: IntArray, female: IntArray) -> pa.Array:
    """Display names (``Айгуль Серикова``) from indices into the name templates."""
    firsts = pa.array([f[0] for f in MALE_FIRST] + [f[0] for f in FEMALE_FIRST])
    lasts = pa.array([s[0] for s in SURNAMES] + [s[0] + "а" for s in SURNAMES])
    first_name = pc.take(firsts, pa.array(first + female * len(MALE_FIRST)))
    last_name = pc.take(lasts, pa.array(last + female * len(SURNAMES)))
    return pc.binary_join_element_wise(first_name, last_name, " ")


def handles(first: IntArray, last: IntArray, female: IntArray, digits: IntArray, bot: IntArray) -> pa.Array:
    """Handles: people ``name.surname``, sometimes with a year; bots a first name and many digits."""
    firsts = pa.array([f[1] for f in MALE_FIRST] + [f[1] for f in FEMALE_FIRST])
    lasts = pa.array([s[1] for s in SURNAMES] + [s[1] + "a" for s in SURNAMES])
    first_name = pc.take(firsts, pa.array(first + female * len(MALE_FIRST)))
    last_name = pc.take(lasts, pa.array(last + female * len(SURNAMES)))
    suffix = pc.if_else(pa.array(digits > 0), pc.cast(pa.array(digits), pa.string()), pa.scalar(""))
    plain = pc.binary_join_element_wise(first_name, last_name, ".")
    return pc.binary_join_element_wise(pc.if_else(pa.array(bot.astype(bool)), first_name, plain), suffix, "")


@dataclass
class Profiles:
    """What an ``author`` record says about an account, as columns (people and bots alike)."""

    created_at: IntArray
    followers: IntArray
    following: IntArray
    posts_total: IntArray
    has_avatar: IntArray
    handle_digits: IntArray
    banned: IntArray


def profiles(bot: IntArray, end_us: int, rng: np.random.Generator) -> Profiles:
    """Profiles observed at ``end_us`` of accounts, ``bot`` (boolean) saying which are bots.

    People: accounts up to 12 years old, a hundred or so followers, 85% with an avatar. Bots: 3 to
    120 days old, mostly without an avatar, a handful of followers, hundreds of follows, 20 to 80
    posts a day, a handle ending in many digits, 5% already banned: the profile signals of
    :mod:`civicpulse.enrich.bots`."""
    n = len(bot)
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
    return Profiles(
        created_at=np.where(bot, created_bots, created_people),
        followers=followers,
        following=following,
        posts_total=posts_total,
        has_avatar=has_avatar,
        handle_digits=handle_digits,
        banned=banned,
    )


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
    profile = profiles(bot, end_us, rng)
    ids = pc.binary_join_element_wise(pa.scalar("sim.u"), pc.cast(pa.array(np.arange(n)), pa.string()), "")
    return Crowd(
        platform=platform,
        area=area,
        lang=lang,
        weight=weight,
        bot=bot,
        bot_tone=(rng.random(n) < 0.8).astype(np.int64),
        followers=profile.followers,
        following=profile.following,
        posts_total=profile.posts_total,
        created_at=profile.created_at,
        has_avatar=profile.has_avatar,
        banned=profile.banned,
        first=rng.integers(0, len(MALE_FIRST), size=n),
        last=rng.integers(0, len(SURNAMES), size=n),
        female=(rng.random(n) < 0.5).astype(np.int64),
        handle_digits=profile.handle_digits,
        coordinated=np.zeros(n, dtype=bool),
        ids=ids,
        organic=Sampler(platform, area, weight, n_areas),
        bots=np.flatnonzero(bot),
    )


@dataclass
class Followers:
    """Follower samples of registered accounts: one row per sampled follower, following one account."""

    account: IntArray
    """Index of the followed account (into the simulation's accounts)."""
    platform: IntArray
    bot: IntArray
    """Boolean."""
    observed_at: IntArray
    profile: Profiles
    first: IntArray
    last: IntArray
    female: IntArray
    ids: pa.Array

    def __len__(self) -> int:
        return len(self.account)

    def sizes(self, n_accounts: int) -> tuple[IntArray, IntArray]:
        """Sampled followers and bots among them, per account."""
        size = np.bincount(self.account, minlength=n_accounts)
        bots = np.bincount(self.account, weights=self.bot, minlength=n_accounts).astype(np.int64)
        return size, bots


SAMPLE_MEDIAN: Final = 180
SMALL_SAMPLES: Final = 0.1
BOT_SHARE: Final = (2.0, 7.0)
BOUGHT_BOTS: Final = 0.2


def followers(
    accounts: IntArray,
    platform: IntArray,
    bought: IntArray,
    observed_us: IntArray,
    rng: np.random.Generator,
) -> Followers:
    """A follower sample for each of ``accounts`` (indices; ``platform``, ``bought`` and ``observed_us``
    indexed alike), as an analyst would import it: a random sample of a few hundred followers, observed
    once at ``observed_us``; about a tenth of the accounts get fewer than 30 (too few to estimate from).

    Each account's true bot share is drawn from Beta(2, 7) (22% on average), 20 points more for an
    account that bought followers (``bought``, capped at 80%); bots have the profiles of the crowd's
    bots, people those of its people (:func:`profiles`)."""
    n_acc = len(accounts)
    size = np.clip(np.round(rng.lognormal(np.log(SAMPLE_MEDIAN), 0.5, size=n_acc)), 40, 800).astype(np.int64)
    n_small = round(SMALL_SAMPLES * n_acc)
    size[rng.choice(n_acc, size=n_small, replace=False)] = rng.integers(8, 30, size=n_small)
    share = np.minimum(rng.beta(*BOT_SHARE, size=n_acc) + BOUGHT_BOTS * bought, 0.8)
    row_of = np.repeat(np.arange(n_acc), size)
    n = len(row_of)
    bot = rng.random(n) < share[row_of]
    observed = np.repeat(np.asarray(observed_us, dtype=np.int64), size)
    profile = profiles(bot, 0, rng)
    profile.created_at += observed  # ages were drawn against 0: shift them to each observation
    ids = pc.binary_join_element_wise(pa.scalar("sim.f"), pc.cast(pa.array(np.arange(n)), pa.string()), "")
    return Followers(
        account=np.asarray(accounts, dtype=np.int64)[row_of],
        platform=np.asarray(platform, dtype=np.int64)[row_of],
        bot=bot,
        observed_at=observed,
        profile=profile,
        first=rng.integers(0, len(MALE_FIRST), size=n),
        last=rng.integers(0, len(SURNAMES), size=n),
        female=(rng.random(n) < 0.5).astype(np.int64),
        ids=ids,
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
