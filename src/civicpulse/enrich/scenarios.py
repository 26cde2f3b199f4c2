"""Seeded link-sharing scenarios with known coordinated accounts, for the evaluation and the tests.

The simulator (``civicpulse simulate``) writes one campaign shape (a single link a week pushed
into a dozen groups within 20 s), so it cannot show how a detector copes with campaigns of other
sizes and speeds, or with campaign links that ordinary people share too. This module writes such
weeks itself, as a table in the lake's ``posts`` columns plus the ground truth, from a seed alone:

- **organic sharing**: ``organic_accounts`` people share ``organic_links`` news links over
  ``days`` days. Link popularity is heavy-tailed (Zipf), people's activity too (Pareto). Each link
  is published at a daytime moment; its shares follow with a delay that is short for *fast
  responders* (a tenth of the people, minutes after publication, the usual source of innocent
  near-simultaneous sharing) and hours for everyone else, and the most popular links go *viral*
  (a crowd within the first half hour). Some people cross-post a link into two or three of their
  groups within a minute. URLs carry the noise of real sharing (``www.``, ``utm_*`` tags, a
  trailing slash) that a detector must normalise away.
- **campaigns**: a few accounts push a set of links, each push landing within ``spread_s``
  seconds, every member posting the link into ``groups_per_push`` groups; each member takes part
  in a push with probability ``participation``. A share ``pool_share`` of a campaign's links is
  drawn from the organic pool (people share those links too, at their own pace). Members also
  share organic links at their own pace, as camouflage.

:func:`reference` is the issue's scenario (6 accounts pushing 5 links into 5 groups each within
40 s, among 200 organic accounts sharing 150 links over a week); :func:`varied` draws 2 to 4
campaigns of different sizes and speeds per seed; :func:`hard` is beyond the target on purpose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from civicpulse.records.schema import POSTS

POSTS_BODY = pa.schema([f for f in POSTS if not f.name.startswith("_")])
START = dt.datetime(2024, 3, 4, tzinfo=dt.UTC)
"""Monday 00:00 UTC of the first simulated day."""
PLATFORM = "vk"
_SITES = ("novosti-region.kz", "qazaq-habar.kz", "gorod-online.kz", "kaspiy-info.kz", "dala-news.kz")
_COMMENTS = (
    "Посмотрите",
    "Вот что пишут",
    "Қараңыздар",
    "Новость дня",
    "Ну и дела",
    "Интересно",
    "Кто в курсе?",
    "",
)
_PUSH_TEXTS = (
    "Акимат опять молчит! Читайте и распространяйте",
    "Вся правда о расходах акимата",
    "Әкімдік тағы да жауап бермеді, таратыңыздар",
    "Срочно! Это касается каждого жителя",
    "Почему об этом молчат? Делитесь",
)


@dataclass(frozen=True)
class CampaignSpec:
    """One coordinated campaign."""

    members: int
    links: int
    groups_per_push: int
    """Groups each taking part member posts the link into, per push."""
    spread_s: float
    """Every post of one push lands within this many seconds of the push's start."""
    pool_share: float = 0.0
    """Share of the campaign's links taken from the organic pool."""
    participation: float = 0.9
    """Probability that a member takes part in a push (at least two always do)."""
    camouflage: int = 3
    """Organic shares per member besides the pushes (mean of a Poisson)."""


@dataclass(frozen=True)
class ScenarioSpec:
    """A whole scenario: the organic background and the campaigns hidden in it."""

    seed: int
    campaigns: tuple[CampaignSpec, ...]
    organic_accounts: int = 200
    organic_links: int = 150
    days: int = 7
    groups: int = 40
    shares_per_account: float = 6.0
    """Mean organic shares per person (heavy-tailed)."""
    fast_responders: float = 0.05
    viral_links: int = 5
    cross_posters: float = 0.05


@dataclass
class Scenario:
    """The posts of a scenario and what a detector should find."""

    spec: ScenarioSpec
    posts: pa.Table
    coordinated: set[str]
    """Author keys ``platform:id`` of every campaign member."""
    campaigns: list[dict[str, object]] = field(default_factory=list)

    @property
    def organic(self) -> set[str]:
        """Author keys of everyone who is not a campaign member."""
        authors = {f"{PLATFORM}:{a}" for a in self.posts.column("author").to_pylist()}
        return authors - self.coordinated


def reference(seed: int) -> ScenarioSpec:
    """The issue's week: 6 accounts pushing 5 links into 5 groups each within 40 s, among 200 organic
    accounts sharing 150 links (campaign links new, as in the reference runs)."""
    campaign = CampaignSpec(members=6, links=5, groups_per_push=5, spread_s=40.0, participation=1.0)
    return ScenarioSpec(seed=seed, campaigns=(campaign,))


def varied(seed: int) -> ScenarioSpec:
    """2 to 4 campaigns of 3 to 12 members, 4 to 10 links, 1 to 5 groups per push, 5 to 180 s, with
    0 %, 50 % or 100 % of their links from the organic pool (at least one campaign all from it), in
    200 to 800 organic accounts."""
    rng = np.random.default_rng([seed, 77])
    n = int(rng.integers(2, 5))
    pools = rng.choice([0.0, 0.5, 1.0], size=n)
    pools[int(rng.integers(n))] = 1.0
    campaigns = tuple(
        CampaignSpec(
            members=int(rng.integers(3, 13)),
            links=int(rng.integers(4, 11)),
            groups_per_push=int(rng.integers(1, 6)),
            spread_s=float(np.exp(rng.uniform(np.log(5.0), np.log(180.0)))),
            pool_share=float(pools[i]),
            participation=float(rng.uniform(0.8, 1.0)),
        )
        for i in range(n)
    )
    accounts = int(rng.integers(200, 801))
    return ScenarioSpec(
        seed=seed,
        campaigns=campaigns,
        organic_accounts=accounts,
        organic_links=int(accounts * 0.75),
        groups=int(accounts // 5),
    )


def hard(seed: int) -> ScenarioSpec:
    """Beyond the target, to show where detection stops: two small, slow campaigns (3 members pushing
    4 links from the organic pool and 4 members pushing 5 new links, one group per push, spread over
    2 to 3 minutes, each member taking part in 80 % of the pushes), so some members co-share only
    two or three links with anyone."""
    rng = np.random.default_rng([seed, 99])
    return ScenarioSpec(
        seed=seed,
        campaigns=(
            CampaignSpec(3, 4, 1, float(rng.uniform(120, 180)), pool_share=1.0, participation=0.8),
            CampaignSpec(4, 5, 1, float(rng.uniform(120, 180)), pool_share=0.0, participation=0.8),
        ),
    )


def generate(spec: ScenarioSpec) -> Scenario:
    """The posts and the truth of ``spec``; the same spec always gives the same scenario."""
    rng = np.random.default_rng([spec.seed, 1234])
    week_s = spec.days * 86_400
    link_t0 = _daytime(rng, spec.organic_links, spec.days)
    popularity = 1.0 / np.arange(1, spec.organic_links + 1) ** 0.8
    popularity /= popularity.sum()
    link_urls = [f"https://{_SITES[i % len(_SITES)]}/news/{spec.seed}-{i:04d}" for i in range(spec.organic_links)]

    rows = _Rows()
    # organic people: home groups, activity, fast responders, cross-posters
    n_people = spec.organic_accounts
    activity = np.minimum(rng.pareto(1.5, n_people) + 1.0, 40.0)
    activity *= spec.shares_per_account / activity.mean()
    fast = rng.random(n_people) < spec.fast_responders
    cross = rng.random(n_people) < spec.cross_posters
    homes = [rng.choice(spec.groups, size=int(rng.integers(1, 4)), replace=False) for _ in range(n_people)]
    counts = rng.poisson(activity)
    sharer = np.repeat(np.arange(n_people), counts)
    links = rng.choice(spec.organic_links, size=len(sharer), p=popularity)
    times = link_t0[links] + _delays(rng, fast[sharer], links < spec.viral_links)
    for person, link, t in zip(sharer.tolist(), links.tolist(), times.tolist(), strict=True):
        if t >= week_s:
            continue
        groups = homes[person]
        n_posts = int(rng.integers(2, len(groups) + 1)) if cross[person] and len(groups) > 1 else 1
        for k, group in enumerate(rng.choice(groups, size=n_posts, replace=False).tolist()):
            rows.add(f"sim.o{person}", group, t + k * rng.uniform(5, 60), _noisy(link_urls[link], rng), rng)

    # campaigns
    coordinated: set[str] = set()
    described: list[dict[str, object]] = []
    for c, campaign in enumerate(spec.campaigns):
        members = [f"sim.c{c}m{m}" for m in range(campaign.members)]
        coordinated |= {f"{PLATFORM}:{m}" for m in members}
        targets = rng.choice(spec.groups, size=min(spec.groups, max(campaign.groups_per_push * 2, 6)), replace=False)
        from_pool = rng.random(campaign.links) < campaign.pool_share
        pushed = []
        for k in range(campaign.links):
            if from_pool[k]:
                link = int(rng.choice(spec.organic_links, p=popularity))
                url = link_urls[link]
                start = min(link_t0[link] + rng.uniform(0, 6 * 3600), week_s - 600)
            else:
                url = f"https://{_SITES[int(rng.integers(len(_SITES)))]}/news/{spec.seed}-c{c}-{k}"
                start = float(_daytime(rng, 1, spec.days)[0])
            pushed.append(url)
            text = _PUSH_TEXTS[int(rng.integers(len(_PUSH_TEXTS)))]
            taking_part = [m for m in members if rng.random() < campaign.participation]
            if len(taking_part) < 2:
                taking_part = list(rng.choice(members, size=2, replace=False))
            for member in taking_part:
                for group in rng.choice(targets, size=min(campaign.groups_per_push, len(targets)), replace=False):
                    at = start + rng.uniform(0, campaign.spread_s)
                    rows.add(member, int(group), at, _noisy(url, rng), rng, text=text)
        for member in members:  # camouflage: ordinary sharing at an ordinary pace
            own = rng.choice(spec.organic_links, size=int(rng.poisson(campaign.camouflage)), p=popularity)
            when = link_t0[own] + _delays(rng, np.zeros(len(own), dtype=bool), np.zeros(len(own), dtype=bool))
            for link, t in zip(own.tolist(), when.tolist(), strict=True):
                if t < week_s:
                    rows.add(member, int(rng.choice(targets)), t, _noisy(link_urls[link], rng), rng)
        described.append(
            {
                "campaign": c + 1,
                "members": sorted(members),
                "links": pushed,
                "spread_s": round(campaign.spread_s, 1),
                "groups_per_push": campaign.groups_per_push,
                "pool_share": campaign.pool_share,
            }
        )
    return Scenario(spec, rows.table(), coordinated, described)


def _daytime(rng: np.random.Generator, n: int, days: int) -> np.ndarray:
    """``n`` moments (seconds from the start) on random days between 07:00 and 23:00."""
    day = rng.integers(0, days, n)
    return (day * 86_400 + rng.uniform(7 * 3600, 23 * 3600, n)).astype(np.float64)


def _delays(rng: np.random.Generator, fast: np.ndarray, viral: np.ndarray) -> np.ndarray:
    """Seconds between a link's publication and each share: minutes for fast responders, a crowd in the
    first half hour for a third of the shares of viral links, hours for everyone else."""
    slow = rng.exponential(6 * 3600.0, len(fast))
    crowd = rng.exponential(1800.0, len(fast))
    quick = rng.exponential(300.0, len(fast))
    in_crowd = viral & (rng.random(len(fast)) < 0.3)
    return np.where(fast, quick, np.where(in_crowd, crowd, slow))


def _noisy(url: str, rng: np.random.Generator) -> str:
    """The same link as people paste it: sometimes with ``www.``, tracking tags or a trailing slash."""
    roll = rng.random()
    if roll < 0.15:
        return url.replace("https://", "https://www.")
    if roll < 0.3:
        return f"{url}?utm_source=telegram&utm_medium=social"
    if roll < 0.4:
        return f"{url}/"
    return url


class _Rows:
    """Posts collected as columns."""

    def __init__(self) -> None:
        self.author: list[str] = []
        self.group: list[int] = []
        self.time: list[float] = []
        self.text: list[str] = []

    def add(
        self, author: str, group: int, t: float, url: str, rng: np.random.Generator, text: str | None = None
    ) -> None:
        words = _COMMENTS[int(rng.integers(len(_COMMENTS)))] if text is None else text
        self.author.append(author)
        self.group.append(group)
        self.time.append(t)
        self.text.append(f"{words} {url}".strip())

    def table(self) -> pa.Table:
        n = len(self.author)
        order = np.argsort(np.asarray(self.time, dtype=np.float64), kind="stable")
        start_us = int(START.timestamp()) * 1_000_000
        micros = (np.asarray(self.time, dtype=np.float64)[order] * 1_000_000).astype(np.int64) + start_us
        group = np.asarray(self.group, dtype=np.int64)[order]
        ids = [f"g{group[i]}_{i}" for i in range(n)]
        published = pa.array(micros, type=POSTS.field("published_at").type)
        columns = {
            "platform": pa.array([PLATFORM] * n, type=pa.string()),
            "id": pa.array(ids, type=pa.string()),
            "account": pa.array([f"sim.group.{g}" for g in group], type=pa.string()),
            "author": pa.array([self.author[i] for i in order], type=pa.string()),
            "published_at": published,
            "text": pa.array([self.text[i] for i in order], type=pa.string()),
            "kind": pa.array(["post"] * n, type=pa.string()),
            "likes": pa.array(np.zeros(n, dtype=np.int64)),
            "comments": pa.array(np.zeros(n, dtype=np.int64)),
            "reposts": pa.array(np.zeros(n, dtype=np.int64)),
            "views": pa.nulls(n, pa.int64()),
            "url": pa.nulls(n, pa.string()),
            "reply_to": pa.nulls(n, pa.string()),
            "repost_of": pa.nulls(n, pa.string()),
            "media": pa.array(["link"] * n, type=pa.string()),
            "observed_at": published,
        }
        # from_arrays, not pa.table(dict): the latter imports pandas to look for a DataFrame
        return pa.Table.from_arrays([columns[f.name] for f in POSTS_BODY], schema=POSTS_BODY)
