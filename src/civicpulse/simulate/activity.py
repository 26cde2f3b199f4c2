"""One local day of activity as Arrow tables in the lake's schemas, plus its ground truth.

A day is generated in ``parts`` slices (one up to scale 25) so memory stays flat at any scale; each
slice has its own random stream, seeded by (seed, day, slice), so a run is reproducible whatever
happens around it. Per slice: the registered accounts' own posts (weekday rhythm, daytime hours in
the registry's zone, heavy-tailed engagement by follower count and media type, views where the
platform shows them), citizens' comments under them, bots' comment bursts, citizens' posts in local
groups (mentions, bare place names, organic links) and, once a day, the coordinated pushes and
the follower snapshots. Once a run: the authors who wrote something, and the follower samples of
heads' personal accounts (``author`` records with ``follows``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civicpulse.platforms import PLATFORMS
from civicpulse.records.schema import AUTHORS, POSTS, SNAPSHOTS
from civicpulse.simulate import people
from civicpulse.simulate.people import LANG_KK, LANG_RU
from civicpulse.simulate.templates import NEWS_SITES
from civicpulse.simulate.texts import MENTION, PLACE, PLAIN, Texts
from civicpulse.simulate.world import EXCLUDED, MEDIA, OFFICIAL, PERSONAL, World

IntArray = np.ndarray
FloatArray = np.ndarray

HOUR: Final = 3_600 * 1_000_000
SECOND: Final = 1_000_000
MEDIA_TYPES: Final = ("text", "photo", "video", "live", "link")
MEDIA_FACTOR: Final = np.array([0.5, 1.0, 1.5, 1.2, 0.6])
PLATFORM_MEDIA: Final = {
    "vk": [0.2, 0.5, 0.18, 0.02, 0.1],
    "telegram": [0.35, 0.4, 0.2, 0.0, 0.05],
    "instagram": [0.0, 0.6, 0.36, 0.04, 0.0],
    "facebook": [0.2, 0.5, 0.18, 0.02, 0.1],
    "youtube": [0.0, 0.0, 0.93, 0.07, 0.0],
    "ok": [0.2, 0.6, 0.18, 0.02, 0.0],
    "x": [0.5, 0.35, 0.13, 0.0, 0.02],
}
_MEDIA_CUM: Final = np.cumsum(np.array([PLATFORM_MEDIA[p] for p in PLATFORMS]), axis=1)
# views are shown by Telegram, VK and YouTube: (median share of followers, spread)
VIEWS: Final = {"telegram": (0.35, 0.35), "vk": (0.2, 0.6), "youtube": (0.4, 1.0)}
WEEKDAY: Final = np.array([1.0, 1.05, 1.0, 1.0, 0.95, 0.45, 0.3])
CITIZEN_WEEKDAY: Final = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.85, 0.8])
CITIZEN_HOURS: Final = np.array(
    [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3.5, 4, 4, 4, 4.5, 4, 3.5, 3.5, 3.5, 4, 4.5, 5, 5.5, 5, 3.5, 2]
)
SOURCES: Final = ("comment", "group", "bot", "campaign", "media", "excluded")
COMMENT, GROUP, BOT, CAMPAIGN, MEDIA_SOURCE, EXCLUDED_SOURCE = range(6)
POSTS_BODY: Final = pa.schema([f for f in POSTS if not f.name.startswith("_")])
SNAPSHOTS_BODY: Final = pa.schema([f for f in SNAPSHOTS if not f.name.startswith("_")])
AUTHORS_BODY: Final = pa.schema([f for f in AUTHORS if not f.name.startswith("_")])
_PLATFORM_NAMES: Final = pa.array(PLATFORMS, type=pa.string())
_MEDIA_NAMES: Final = pa.array(MEDIA_TYPES, type=pa.string())


@dataclass
class Truth:
    """What each text names, for the texts that name an entity or a place (columns)."""

    platform: list[IntArray] = field(default_factory=list)
    post: list[pa.Array] = field(default_factory=list)
    entity: list[IntArray] = field(default_factory=list)
    mention: list[IntArray] = field(default_factory=list)
    """Boolean: True names the akimat, False only the territory."""
    tone: list[IntArray] = field(default_factory=list)
    topic: list[IntArray] = field(default_factory=list)
    lang: list[IntArray] = field(default_factory=list)
    source: list[IntArray] = field(default_factory=list)

    def add(self, world: World, platform: IntArray, post: pa.Array, texts: Texts, source: int) -> None:
        named = (texts.mention >= 0) | (texts.place >= 0)
        if not named.any():
            return
        keep = pa.array(named)
        self.platform.append(platform[named])
        self.post.append(pc.filter(post, keep))
        self.entity.append(np.where(texts.mention >= 0, texts.mention, texts.place)[named])
        self.mention.append(texts.mention[named] >= 0)
        self.tone.append(texts.tone(world.bank)[named])
        self.topic.append(texts.topic(world.bank)[named])
        self.lang.append(texts.lang(world.bank)[named])
        self.source.append(np.full(int(named.sum()), source, dtype=np.int64))


@dataclass
class Slice:
    """The records of one slice of a day."""

    posts: list[pa.Table]
    snapshots: pa.Table | None
    truth: Truth
    pushes: list[dict[str, object]]


@dataclass
class _Own:
    """The registered accounts' own posts of a slice."""

    account: IntArray
    time: IntArray
    ids: pa.Array
    comments: IntArray


def parts_per_day(scale: float) -> int:
    """Slices per day: about 100k posts per slice at most, whatever the scale."""
    return max(1, int(np.ceil(scale / 25)))


def day_slice(world: World, day: int, part: int, parts: int) -> Slice:
    """The records of slice ``part`` of ``parts`` of day ``day``."""
    rng = np.random.default_rng([world.params.seed, 303, day, part])
    share = 1.0 / parts
    truth = Truth()
    tables: list[pa.Table] = []
    own_table, own = _own_posts(world, day, share, truth, rng)
    comment_table = _comments(world, day, own, share, truth, rng)
    column = own_table.schema.get_field_index("comments")
    tables.append(own_table.set_column(column, POSTS_BODY.field("comments"), pa.array(own.comments, type=pa.int64())))
    if comment_table is not None:
        tables.append(comment_table)
    pushes: list[dict[str, object]] = []
    tables.append(_group_posts(world, day, share, part, truth, pushes, rng))
    snapshots = _snapshots(world, day, rng) if part == parts - 1 else None
    return Slice([t for t in tables if t.num_rows], snapshots, truth, pushes)


# -- the registered accounts ------------------------------------------------------------------


def _own_posts(world: World, day: int, share: float, truth: Truth, rng: np.random.Generator) -> tuple[pa.Table, _Own]:
    acc = world.accounts
    scale = world.params.scale
    dow = world.params.days[day].weekday()
    lam = acc.rate * WEEKDAY[dow] * scale * share
    lam[acc.silent_week == day // 7] = 0.0
    cap = np.where(acc.role == MEDIA, 20, 6) * scale * share
    counts = np.minimum(rng.poisson(lam), np.ceil(cap).astype(np.int64))
    account = np.repeat(np.arange(len(lam)), counts)
    n = len(account)
    role = acc.role[account]
    hour = np.where(rng.random(n) < 0.6, rng.normal(10.5, 1.6, n), rng.normal(16.0, 2.0, n))
    hour = np.where(role == MEDIA, rng.uniform(7.0, 23.0, n), np.clip(hour, 7.0, 21.9))
    time = world.day_start[day] + (hour * HOUR).astype(np.int64) + rng.integers(0, 60 * SECOND, n)
    order = np.lexsort((time, account))
    account, time, role = account[order], time[order], role[order]
    rank = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)
    number = acc.posts_done[account] + rank + 1
    acc.posts_done += counts

    platform = acc.platform[account]
    media = (rng.random(n)[:, None] > _MEDIA_CUM[platform]).sum(axis=1)
    media = np.minimum(media, len(MEDIA_TYPES) - 1)
    followers = acc.followers[day, account].astype(float)
    rate = acc.engagement[account] * MEDIA_FACTOR[media] * rng.lognormal(0.0, 0.7, n)
    viral = rng.random(n) < 0.02
    rate[viral] *= 1.0 + 3.0 * rng.pareto(1.5, int(viral.sum()))
    likes = rng.poisson(np.minimum(followers * rate, 5e7))
    comments = rng.poisson(np.minimum(likes * np.minimum(rng.lognormal(np.log(0.04), 0.9, n), 1.0), 1e7))
    reposts = rng.poisson(np.minimum(likes * np.minimum(rng.lognormal(np.log(0.05), 0.7, n), 1.0), 1e7))
    views = np.full(n, -1, dtype=np.int64)
    for name, (median, spread) in VIEWS.items():
        here = platform == PLATFORMS.index(name)
        views[here] = np.round(followers[here] * rng.lognormal(np.log(median), spread, int(here.sum())))
    views = np.where(views >= 0, np.maximum(views, likes + comments), -1)

    kinds = np.take(np.array([world.bank.kinds[k] for k in ("official", "personal", "media", "excluded")]), role)
    lang = (rng.random(n) < acc.kk_share[account]).astype(np.int64)
    category = np.full(n, PLAIN, dtype=np.int64)
    category[(role == MEDIA) & (rng.random(n) < 0.6)] = MENTION
    category[(role == EXCLUDED) & (rng.random(n) < 0.25)] = MENTION
    target = np.where(role == MEDIA, world.pick_targets(acc.area[account], rng), acc.entity[account])
    tone = rng.choice(3, size=n, p=[0.05, 0.45, 0.5])
    texts = world.bank.assemble(kinds, lang, tone, category, target, rng, decorate=False)

    ids = _numbered(pc.take(acc.ids, pa.array(account)), number, "_")
    urls = _numbered(pc.take(acc.urls, pa.array(account)), number, "/")
    for role_code, source in ((MEDIA, MEDIA_SOURCE), (EXCLUDED, EXCLUDED_SOURCE)):
        mask = role == role_code
        if mask.any():
            truth.add(world, platform[mask], pc.filter(ids, pa.array(mask)), _subset(texts, mask), source)
    own = _Own(account, time, ids, comments)
    table = _posts_table(
        platform=platform,
        ids=ids,
        account=pc.take(acc.ids, pa.array(account)),
        author=None,
        published=time,
        text=texts.text,
        kind="post",
        likes=likes,
        comments=comments,  # replaced once today's comment rows are known
        reposts=reposts,
        views=views,
        url=urls,
        reply_to=None,
        media=media,
        observed=time + rng.integers(HOUR, 24 * HOUR, n),
    )
    return table, own


def _comments(
    world: World, day: int, own: _Own, share: float, truth: Truth, rng: np.random.Generator
) -> pa.Table | None:
    """Citizens' comments under today's own posts, and the bots' bursts; fixes the posts' counts."""
    acc, crowd = world.accounts, world.crowd
    n_posts = len(own.account)
    shown = np.minimum(rng.binomial(own.comments, 0.4), 150)  # collectors see a sample
    post = np.repeat(np.arange(n_posts), shown)
    time = own.time[post] + rng.exponential(2.5 * HOUR, len(post)).astype(np.int64)
    platform = acc.platform[own.account[post]]
    author = crowd.organic.pick(platform, acc.area[own.account[post]], 0.7, rng)
    n = len(post)
    lang = crowd.languages(author, rng)
    tone = rng.choice(3, size=n, p=[0.45, 0.3, 0.25])
    category = rng.choice([MENTION, PLACE, PLAIN], size=n, p=[0.3, 0.07, 0.63])
    kind = np.full(n, world.bank.kinds["citizen"], dtype=np.int64)
    decorate = np.ones(n, dtype=bool)

    # bots: a burst of praise (or abuse) under several of today's posts on their platform, minutes apart
    n_bursts = rng.poisson(len(crowd.bots) * 0.3 * share) if n_posts else 0
    bot = rng.choice(crowd.bots, size=n_bursts) if n_bursts and len(crowd.bots) else np.zeros(0, dtype=np.int64)
    size = 3 + rng.poisson(5, len(bot))
    by_platform = np.argsort(acc.platform[own.account], kind="stable")
    sorted_platform = acc.platform[own.account][by_platform]
    lo = np.searchsorted(sorted_platform, crowd.platform[bot], side="left")
    hi = np.searchsorted(sorted_platform, crowd.platform[bot], side="right")
    live = hi > lo
    bot, size, lo, hi = bot[live], size[live], lo[live], hi[live]
    burst = np.repeat(np.arange(len(bot)), size)
    pick = lo[burst] + (rng.random(len(burst)) * (hi - lo)[burst]).astype(np.int64)
    bot_post = by_platform[np.minimum(pick, len(by_platform) - 1)] if len(burst) else np.zeros(0, dtype=np.int64)
    start = world.day_start[day] + rng.integers(0, 24 * HOUR, len(bot))
    gaps = rng.exponential(40 * SECOND, len(burst)).astype(np.int64)
    steps = np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[np.cumsum(size) - size] - gaps[np.cumsum(size) - size], size)
    bot_time = np.maximum(start[burst] + steps, own.time[bot_post] + 30 * SECOND)
    bot_author = bot[burst]

    post = np.concatenate([post, bot_post])
    time = np.concatenate([time, bot_time])
    author = np.concatenate([author, bot_author])
    lang = np.concatenate([lang, crowd.languages(bot_author, rng)])
    tone = np.concatenate([tone, crowd.bot_tone[bot_author]])
    category = np.concatenate([category, np.full(len(burst), MENTION)])
    kind = np.concatenate([kind, np.full(len(burst), world.bank.kinds["bot"])])
    decorate = np.concatenate([decorate, rng.random(len(burst)) < 0.3])
    source = np.concatenate([np.full(n, COMMENT), np.full(len(burst), BOT)])
    keep = time < world.span_end
    if not keep.any():
        return None
    post, time, author, lang, tone, category, kind, decorate, source = (
        a[keep] for a in (post, time, author, lang, tone, category, kind, decorate, source)
    )
    order = np.lexsort((time, post))
    post, time, author, lang, tone, category, kind, decorate, source = (
        a[order] for a in (post, time, author, lang, tone, category, kind, decorate, source)
    )
    per_post = np.bincount(post, minlength=n_posts)
    own.comments = np.maximum(own.comments, per_post)
    rank = np.arange(len(post)) - np.repeat(np.cumsum(per_post) - per_post, per_post)
    world.seen[author] = True
    entity = acc.entity[own.account[post]]
    texts = world.bank.assemble(kind, lang, tone, category, entity, rng, decorate=decorate)
    ids = _numbered(pc.take(own.ids, pa.array(post)), rank + 1, ".")
    platform = acc.platform[own.account[post]]
    for code in (COMMENT, BOT):
        mask = source == code
        if mask.any():
            truth.add(world, platform[mask], pc.filter(ids, pa.array(mask)), _subset(texts, mask), code)
    likes = np.maximum(np.floor(rng.lognormal(0.0, 1.1, len(post))).astype(np.int64) - 1, 0)
    zeros = np.zeros(len(post), dtype=np.int64)
    return _posts_table(
        platform=platform,
        ids=ids,
        account=pc.take(acc.ids, pa.array(own.account[post])),
        author=pc.take(world.crowd.ids, pa.array(author)),
        published=time,
        text=texts.text,
        kind="comment",
        likes=likes,
        comments=zeros,
        reposts=zeros,
        views=np.full(len(post), -1),
        url=None,
        reply_to=pc.take(own.ids, pa.array(post)),
        media=np.full(len(post), -1),
        observed=time + rng.integers(HOUR, 24 * HOUR, len(post)),
    )


# -- citizens' groups ---------------------------------------------------------------------------


def _group_posts(
    world: World,
    day: int,
    share: float,
    part: int,
    truth: Truth,
    pushes: list[dict[str, object]],
    rng: np.random.Generator,
) -> pa.Table:
    groups, crowd = world.groups, world.crowd
    date = world.params.days[day]
    dow = date.weekday()
    counts = rng.poisson(groups.rate * CITIZEN_WEEKDAY[dow] * world.params.scale * share)
    group = np.repeat(np.arange(len(counts)), counts)
    n = len(group)
    hours = CITIZEN_HOURS / CITIZEN_HOURS.sum()
    time = world.day_start[day] + rng.choice(24, size=n, p=hours) * HOUR + rng.integers(0, HOUR, n)
    author = crowd.organic.pick(groups.platform[group], groups.area[group], 0.85, rng)
    lang = crowd.languages(author, rng)
    tone = rng.choice(3, size=n, p=[0.5, 0.25, 0.25])
    category = rng.choice([MENTION, PLACE, PLAIN], size=n, p=[0.5, 0.15, 0.35])
    entity = world.pick_targets(groups.area[group], rng)
    texts = world.bank.assemble("citizen", lang, tone, category, entity, rng)
    linked = rng.random(n) < 0.08
    texts = replace(texts, text=_with_links(texts.text, linked, date.strftime("%Y%m%d"), rng))
    source = np.full(n, GROUP)
    pieces = [(group, time, author, texts, source, linked)]
    member_sets: list[IntArray] = []
    if part == 0:
        pieces += _pushes(world, day, pushes, member_sets, rng)
    group = np.concatenate([p[0] for p in pieces])
    time = np.concatenate([p[1] for p in pieces])
    author = np.concatenate([p[2] for p in pieces])
    texts = _concat_texts([p[3] for p in pieces])
    source = np.concatenate([p[4] for p in pieces])
    linked = np.concatenate([p[5] for p in pieces])
    order = np.lexsort((time, group))
    order = order[time[order] < world.span_end]
    group, time, author, source, linked = group[order], time[order], author[order], source[order], linked[order]
    texts = _subset(texts, order)
    per_group = np.bincount(group, minlength=len(groups.platform))
    rank = np.arange(len(group)) - np.repeat(np.cumsum(per_group) - per_group, per_group)
    number = world.group_done[group] + rank + 1
    world.group_done += per_group
    world.seen[author] = True
    ids = _numbered(pc.take(groups.ids, pa.array(group)), number, "_")
    platform = groups.platform[group]
    for code in (GROUP, CAMPAIGN):
        mask = source == code
        if mask.any():
            truth.add(world, platform[mask], pc.filter(ids, pa.array(mask)), _subset(texts, mask), code)
    for push, members in zip(pushes, member_sets, strict=True):  # name each push's posts now they are numbered
        mask = (source == CAMPAIGN) & np.isin(author, members)
        push["posts"] = pc.filter(ids, pa.array(mask)).to_pylist()
    m = len(group)
    likes = np.floor(rng.lognormal(np.log(3.0), 1.2, m)).astype(np.int64)
    views = np.full(m, -1, dtype=np.int64)
    channel = platform == PLATFORMS.index("telegram")
    views[channel] = np.round(
        groups.followers[group[channel]] * rng.lognormal(np.log(0.2), 0.5, int(channel.sum()))
    ).astype(np.int64)
    return _posts_table(
        platform=platform,
        ids=ids,
        account=pc.take(groups.ids, pa.array(group)),
        author=pc.take(crowd.ids, pa.array(author)),
        published=time,
        text=texts.text,
        kind="post",
        likes=likes,
        comments=rng.poisson(likes * 0.3),
        reposts=rng.poisson(0.15, m),
        views=views,
        url=None,
        reply_to=None,
        media=np.where(linked, MEDIA_TYPES.index("link"), MEDIA_TYPES.index("text")),
        observed=time + rng.integers(HOUR, 24 * HOUR, m),
    )


def _with_links(text: pa.Array, linked: IntArray, stamp: str, rng: np.random.Generator) -> pa.Array:
    """Organic sharing: some posts end with a link to today's news; a few stories are shared a lot."""
    stories = rng.integers(100, 999, 40)  # today's news, numbered like any story the campaigns push
    which = np.flatnonzero(linked)
    story = np.minimum(rng.zipf(1.6, len(which)), len(stories)) - 1
    site = pc.take(pa.array(NEWS_SITES), pa.array(story % len(NEWS_SITES)))
    with_url = pc.binary_join_element_wise(
        pc.take(text, pa.array(which)),
        " https://",
        site,
        f".sim.invalid/news/{stamp}-",
        pc.cast(pa.array(stories[story]), pa.string()),
        "",
    )
    index = np.arange(len(text))
    index[which] = len(text) + np.arange(len(which))
    return pc.take(pa.concat_arrays([text, with_url]), pa.array(index))


def _pushes(
    world: World, day: int, pushes: list[dict[str, object]], member_sets: list[IntArray], rng: np.random.Generator
) -> list[tuple[IntArray, IntArray, IntArray, Texts, IntArray, IntArray]]:
    """Today's coordinated bursts: one link into every target group within seconds."""
    out = []
    stamp = world.params.days[day].strftime("%Y%m%d")
    for number, campaign in enumerate(world.campaigns):
        for at in [at for d, at in campaign.bursts if d == day]:
            rows = len(campaign.groups)
            start = int(world.day_start[day]) + at
            time = start + np.sort(rng.integers(0, 20 * SECOND, rows))
            author = np.concatenate(
                [rng.permutation(campaign.members), rng.choice(campaign.members, max(0, rows - len(campaign.members)))]
            )[:rows]
            site = NEWS_SITES[int(rng.integers(len(NEWS_SITES)))]
            url = f"https://{site}.sim.invalid/news/{stamp}-{int(rng.integers(100, 999))}"
            lang = np.full(1, LANG_KK if rng.random() < 0.25 else LANG_RU)
            one = world.bank.assemble(
                "campaign",
                lang,
                np.zeros(1, dtype=np.int64),
                np.full(1, MENTION),
                np.full(1, campaign.entity),
                rng,
                decorate=False,
            )
            text = pa.array([f"{one.text[0].as_py()} {url}"] * rows, type=pa.string())
            texts = _subset(one, np.zeros(rows, dtype=np.int64))
            pushes.append(
                {
                    "campaign": number + 1,
                    "platform": PLATFORMS[campaign.platform],
                    "url": url,
                    "start_us": start,
                    "accounts": pc.take(world.crowd.ids, pa.array(campaign.members)).to_pylist(),
                    "groups": pc.take(world.groups.ids, pa.array(campaign.groups)).to_pylist(),
                }
            )
            member_sets.append(campaign.members)
            texts = replace(texts, text=text)
            linked = np.ones(rows, dtype=bool)
            out.append((campaign.groups.copy(), time, author, texts, np.full(rows, CAMPAIGN), linked))
    return out


# -- snapshots and authors -----------------------------------------------------------------------


def _snapshots(world: World, day: int, rng: np.random.Generator) -> pa.Table:
    acc = world.accounts
    who = np.flatnonzero(acc.observed)
    at = world.day_start[day] + 21 * HOUR + rng.integers(0, int(2.9 * HOUR), len(who))
    return pa.table(
        {
            "platform": pc.take(_PLATFORM_NAMES, pa.array(acc.platform[who])),
            "account": pc.take(acc.ids, pa.array(who)),
            "observed_at": _ts(at),
            "followers": pa.array(acc.followers[day, who], type=pa.int64()),
            "posts_total": pa.array(acc.posts_total[who] + acc.posts_done[who], type=pa.int64()),
        },
        schema=SNAPSHOTS_BODY,
    )


def authors_table(world: World) -> pa.Table:
    """One observation of every citizen who wrote something, taken at the end of the run."""
    crowd = world.crowd
    who = np.flatnonzero(world.seen)
    n = len(who)
    banned = crowd.banned[who]
    return pa.table(
        {
            "platform": pc.take(_PLATFORM_NAMES, pa.array(crowd.platform[who])),
            "id": pc.take(crowd.ids, pa.array(who)),
            "observed_at": _ts(np.full(n, world.span_end - HOUR)),
            "name": crowd.names(who),
            "handle": crowd.handles(who),
            "url": pa.nulls(n, pa.string()),
            "followers": pa.array(crowd.followers[who], type=pa.int64()),
            "following": pa.array(crowd.following[who], type=pa.int64()),
            "posts_total": pa.array(crowd.posts_total[who], type=pa.int64()),
            "created_at": _ts(crowd.created_at[who]),
            "has_avatar": pa.array(crowd.has_avatar[who].astype(bool)),
            "deactivated": pa.array(np.where(banned, "banned", ""), mask=~banned.astype(bool), type=pa.string()),
            "verified": pa.nulls(n, pa.bool_()),
            "follows": pa.nulls(n, pa.list_(pa.string())),
            "extra": pa.nulls(n, pa.string()),
        },
        schema=AUTHORS_BODY,
    )


def followers_table(world: World) -> pa.Table:
    """The follower samples as ``author`` records whose ``follows`` lists the followed account."""
    sample = world.followers
    n = len(sample)
    profile = sample.profile
    banned = profile.banned
    follows = pa.ListArray.from_arrays(
        pa.array(np.arange(n + 1, dtype=np.int32)), pc.take(world.accounts.ids, pa.array(sample.account))
    )
    return pa.table(
        {
            "platform": pc.take(_PLATFORM_NAMES, pa.array(sample.platform)),
            "id": sample.ids,
            "observed_at": _ts(sample.observed_at),
            "name": people.names(sample.first, sample.last, sample.female),
            "handle": people.handles(sample.first, sample.last, sample.female, profile.handle_digits, sample.bot),
            "url": pa.nulls(n, pa.string()),
            "followers": pa.array(profile.followers, type=pa.int64()),
            "following": pa.array(profile.following, type=pa.int64()),
            "posts_total": pa.array(profile.posts_total, type=pa.int64()),
            "created_at": _ts(profile.created_at),
            "has_avatar": pa.array(profile.has_avatar.astype(bool)),
            "deactivated": pa.array(np.where(banned, "banned", ""), mask=~banned.astype(bool), type=pa.string()),
            "verified": pa.nulls(n, pa.bool_()),
            "follows": follows,
            "extra": pa.nulls(n, pa.string()),
        },
        schema=AUTHORS_BODY,
    )


# -- helpers ----------------------------------------------------------------------------------


def _ts(micros: IntArray) -> pa.Array:
    """UTC microseconds as the lake's timestamps, in whole seconds like the platforms report them."""
    return pa.array(np.asarray(micros, dtype=np.int64) // SECOND * SECOND, type=POSTS.field("published_at").type)


def _numbered(prefix: pa.Array, number: IntArray, separator: str) -> pa.Array:
    return pc.binary_join_element_wise(
        prefix, pc.cast(pa.array(np.asarray(number, dtype=np.int64)), pa.string()), separator
    )


def _subset(texts: Texts, rows: IntArray) -> Texts:
    """The rows ``rows`` (indices or a boolean mask) of ``texts``."""
    index = np.flatnonzero(rows) if rows.dtype == bool else rows
    return Texts(
        text=pc.take(texts.text, pa.array(index, type=pa.int64())),
        template=texts.template[index],
        mention=texts.mention[index],
        place=texts.place[index],
    )


def _concat_texts(parts: list[Texts]) -> Texts:
    return Texts(
        text=pa.concat_arrays([p.text for p in parts]),
        template=np.concatenate([p.template for p in parts]),
        mention=np.concatenate([p.mention for p in parts]),
        place=np.concatenate([p.place for p in parts]),
    )


def _posts_table(
    *,
    platform: IntArray,
    ids: pa.Array,
    account: pa.Array,
    author: pa.Array | None,
    published: IntArray,
    text: pa.Array,
    kind: str,
    likes: IntArray,
    comments: IntArray,
    reposts: IntArray,
    views: IntArray,
    url: pa.Array | None,
    reply_to: pa.Array | None,
    media: IntArray,
    observed: IntArray,
) -> pa.Table:
    n = len(platform)
    media = np.asarray(media)
    return pa.table(
        {
            "platform": pc.take(_PLATFORM_NAMES, pa.array(platform)),
            "id": ids,
            "account": account,
            "author": author if author is not None else pa.nulls(n, pa.string()),
            "published_at": _ts(published),
            "text": text,
            "kind": pa.array(np.full(n, kind), type=pa.string()),
            "likes": pa.array(likes, type=pa.int64()),
            "comments": pa.array(comments, type=pa.int64()),
            "reposts": pa.array(reposts, type=pa.int64()),
            "views": pa.array(views, mask=np.asarray(views) < 0, type=pa.int64()),
            "url": url if url is not None else pa.nulls(n, pa.string()),
            "reply_to": reply_to if reply_to is not None else pa.nulls(n, pa.string()),
            "repost_of": pa.nulls(n, pa.string()),
            "media": pc.take(_MEDIA_NAMES, pa.array(media, mask=media < 0, type=pa.int64())),
            "observed_at": _ts(observed),
        },
        schema=POSTS_BODY,
    )


__all__ = [
    "OFFICIAL",
    "PERSONAL",
    "SOURCES",
    "Slice",
    "Truth",
    "authors_table",
    "day_slice",
    "followers_table",
    "parts_per_day",
]
