"""The ``persons`` component: heads' personal accounts, without bots (the seed's fourth rating).

Per participant (a head's personal account, role ``personal`` in the registry) and period:

- ``person_followers``: followers at the period's end (latest snapshot before it);
- ``sample_size`` / ``sample_bots`` / ``bot_share``: the follower sample is every account whose
  latest ``author`` observation before the period's end lists the participant in ``follows``
  (imported per account, or collected where a platform's API gives followers); each is scored by
  the bot score of :mod:`civicpulse.enrich.bots` (profile signals; its threshold). ``bot_share``
  is known from ``MIN_SAMPLE`` sampled followers on;
- ``followers_real``: ``person_followers * (1 - bot_share)``, rounded; null without a sample;
- ``engaged_commenters``: distinct authors of comments on the account published in the period,
  other than the account itself, whose comments carry no flag in force (bots, spam, coordination,
  excluded sources: ``civicpulse.enrich.flags.effective_flags``);
- ``top_post_likes``: the likes of the account's most liked own post of the period;
- ``engaged_users``: distinct real users who liked or commented. Platforms do not tell who liked,
  so this is a lower bound: every like of one post is a different user, hence at least the top
  post's likes (less the bot share when known) and at least the real commenters, whichever is
  more;
- ``typed_posts`` / ``life_posts``: own posts of the period the topics stage labelled
  ``official_work`` or ``personal_life`` / ``personal_life``; ``life_share`` is their ratio
  (null when nothing was labelled: the topics stage is not installed, has not run, or the account
  did not post).

:func:`persons_evidence` lists the comments behind ``engaged_commenters`` with the reason each
flagged one was left out; :func:`label_worklife` gives each own post that ``explain`` lists its
work/life label, so that ``life_share`` can be traced to posts; :func:`top_persons` gives the report
its top 3 with an example post each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.enrich import flags, read
from civicpulse.enrich.bots import BotParams, score_authors
from civicpulse.metrics.base import Scope
from civicpulse.metrics.pages import own_posts
from civicpulse.periods import Period
from civicpulse.query.engine import Engine

if TYPE_CHECKING:  # the rating imports the metric catalogue, which imports this module
    from civicpulse.rating.compute import Rating

MIN_SAMPLE: Final = 30
"""Sampled followers from which a bot share is estimated."""
LIFE: Final = "personal_life"
WORK: Final = "official_work"
_TS = "timestamp('UTC', 6)"
_SAMPLE_SCHEMA = pa.schema(
    [
        pa.field("platform", pa.string()),
        pa.field("account", pa.string()),
        pa.field("sample_size", pa.int64()),
        pa.field("sample_bots", pa.int64()),
    ]
)


def follower_sample(engine: Engine, feeds: ir.Table, end: dt.datetime) -> ir.Table:
    """Per fed account: ``sample_size`` and ``sample_bots`` of its follower sample (see the module doc).

    The sample is scored in Python (the bot score is one implementation, shared with the ``bots``
    stage); the result comes back as a small in-memory table."""
    authors = engine.table("authors")
    seen = engine.latest(
        authors.filter(authors.observed_at < ibis.literal(end.astimezone(dt.UTC), type=_TS)), ("platform", "id")
    )
    listed = seen.filter(seen.follows.notnull())
    pairs = listed.mutate(followed=listed.follows.unnest())
    wanted = feeds.select("platform", "account").distinct()
    sample = pairs.inner_join(wanted, [pairs.platform == wanted.platform, pairs.followed == wanted.account])
    rows = engine.con.to_pyarrow(sample.select(*[c for c in seen.columns if c not in ("follows",)], "followed"))
    params = BotParams()
    scores = score_authors(rows.drop_columns(["followed"]), params=params).score
    counts: dict[tuple[str, str], list[int]] = {}
    for platform, ident, followed in zip(
        rows.column("platform").to_pylist(),
        rows.column("id").to_pylist(),
        rows.column("followed").to_pylist(),
        strict=True,
    ):
        size_bots = counts.setdefault((platform, followed), [0, 0])
        size_bots[0] += 1
        size_bots[1] += int(scores.get(f"{platform}:{ident}", 0.0) >= params.threshold)
    table = pa.Table.from_pylist(
        [
            {"platform": p, "account": a, "sample_size": n, "sample_bots": b}
            for (p, a), (n, b) in sorted(counts.items())
        ],
        schema=_SAMPLE_SCHEMA,
    )
    return engine.memtable(table)


def _topics(engine: Engine, posts: ir.Table) -> ir.Table:
    """``posts`` with ``topics`` from the topics stage (null when it is not installed or has not run)."""
    stage = read.producer_of("topics")
    if stage is None or not read.has_run(engine, stage):
        return posts.mutate(topics=ibis.null("array<string>"))
    rows = read.stage_rows(engine, stage).select("platform", "id", "topics")
    return posts.left_join(rows, ["platform", "id"]).drop("platform_right", "id_right")


def worklife(topics: list[str] | None) -> str | None:
    """The work/life label among a post's ``topics``: :data:`LIFE`, :data:`WORK` or None (not labelled)."""
    topics = topics or []
    return LIFE if LIFE in topics else WORK if WORK in topics else None


def label_worklife(engine: Engine, posts: list[dict[str, Any]]) -> None:
    """Add ``worklife`` (see :func:`worklife`) to each of ``posts`` (rows with ``platform`` and ``id``)
    from the topics stage: the labels ``life_share`` counts."""
    if not posts:
        return
    keys = engine.memtable(pa.table({"platform": [p["platform"] for p in posts], "id": [p["id"] for p in posts]}))
    rows = engine.to_pylist(_topics(engine, keys))
    labels = {(r["platform"], r["id"]): worklife(r["topics"]) for r in rows}
    for post in posts:
        post["worklife"] = labels.get((post["platform"], post["id"]))


def comments_on(engine: Engine, period: Period, feeds: ir.Table) -> ir.Table:
    """Comments published in ``period`` on the fed accounts by someone else, with ``flags``,
    ``flag_reasons`` and ``counted`` (no flag in force)."""
    posts = engine.posts_published(period.start, period.end)
    on = posts.inner_join(feeds, [posts.platform == feeds.platform, posts.account == feeds.account])
    on = on.select(posts, feeds.participant)
    comments = on.filter(
        ((on.kind == "comment") | on.reply_to.notnull()) & on.author.notnull() & (on.author != on.account)
    )
    flagged = flags.effective_flags(engine, comments)
    joined = comments.left_join(flagged, ["platform", "id"]).drop("platform_right", "id_right")
    empty = ibis.literal([], type="array<string>")
    return joined.mutate(
        flags=joined.flags.fill_null(empty),
        flag_reasons=joined.flag_reasons.fill_null(empty),
        counted=joined.flags.isnull(),
    )


def persons_component(scope: Scope) -> ir.Table:
    engine, period = scope.engine, scope.period
    feeds = scope.feeds_table()
    keys = ["platform", "account"]
    end = engine.snapshots_before(period.end).select("platform", "account", person_followers=ibis._.followers)
    sample = follower_sample(engine, feeds, period.end)
    mine = posts_of(engine, period, feeds)
    own = mine.group_by("platform", "account").aggregate(
        top_post_likes=mine.likes.max(),
        typed_posts=(mine.topics.contains(LIFE) | mine.topics.contains(WORK)).fill_null(False).sum(),
        life_posts=mine.topics.contains(LIFE).fill_null(False).sum(),
    )
    comments = comments_on(engine, period, feeds)
    real = comments.filter(comments.counted)
    commenters = real.group_by("platform", "account").aggregate(engaged_commenters=real.author.nunique())
    joined = feeds
    for part in (end, sample, own, commenters):
        joined = joined.left_join(part, keys).drop("platform_right", "account_right")
    per = joined.group_by("participant").aggregate(
        person_followers=joined.person_followers.sum(),
        sample_size=joined.sample_size.fill_null(0).sum(),
        sample_bots=joined.sample_bots.fill_null(0).sum(),
        top_post_likes=joined.top_post_likes.fill_null(0).max(),
        typed_posts=joined.typed_posts.fill_null(0).sum(),
        life_posts=joined.life_posts.fill_null(0).sum(),
        engaged_commenters=joined.engaged_commenters.fill_null(0).sum(),
    )
    share = (per.sample_size >= MIN_SAMPLE).ifelse(
        per.sample_bots.cast("float64") / per.sample_size.cast("float64"), ibis.null("float64")
    )
    per = per.mutate(bot_share=share)
    likes_real = (per.top_post_likes.cast("float64") * (1.0 - per.bot_share.fill_null(0.0))).round().cast("int64")
    per = per.mutate(
        followers_real=(per.person_followers.cast("float64") * (1.0 - per.bot_share)).round().cast("int64"),
        engaged_users=ibis.greatest(per.engaged_commenters, likes_real),
    )
    participants = scope.participants_table()
    return (
        participants.left_join(per, "participant")
        .drop("participant_right")
        .mutate(
            sample_size=ibis._.sample_size.fill_null(0),
            typed_posts=ibis._.typed_posts.fill_null(0),
            life_posts=ibis._.life_posts.fill_null(0),
            engaged_commenters=ibis._.engaged_commenters.fill_null(0),
            engaged_users=ibis._.engaged_users.fill_null(0),
        )
    )


def posts_of(engine: Engine, period: Period, feeds: ir.Table) -> ir.Table:
    """The fed accounts' own posts published in ``period``, with ``topics`` and ``engagement``."""
    posts = own_posts(engine.posts_published(period.start, period.end))
    mine = posts.semi_join(feeds, [posts.platform == feeds.platform, posts.account == feeds.account])
    mine = mine.mutate(engagement=(mine.likes + mine.comments + mine.reposts).cast("int64"))
    return _topics(engine, mine)


EVIDENCE_COLUMNS = (
    "platform",
    "id",
    "account",
    "author",
    "published_at",
    "counted",
    "flags",
    "flag_reasons",
    "text",
    "url",
)


def persons_evidence(engine: Engine, period: Period, participant: str, entity: str) -> list[dict[str, Any]]:
    """The comments behind ``engaged_commenters`` of ``participant`` (``platform:id``), counted ones
    first; a flagged one shows why it was left out."""
    platform, _, account = participant.partition(":")
    feeds = engine.memtable(
        pa.table({"participant": [participant], "entity": [entity], "platform": [platform], "account": [account]})
    )
    comments = comments_on(engine, period, feeds).select(*EVIDENCE_COLUMNS)
    return engine.to_pylist(comments.order_by([ibis.desc("counted"), "published_at", "id"]))


@dataclass(frozen=True)
class ExamplePost:
    """One post of a participant, as the report shows it."""

    platform: str
    id: str
    url: str | None
    published_at: dt.datetime
    text: str
    likes: int
    comments: int
    reposts: int
    life: bool | None
    """True for ``personal_life``, False for ``official_work``, None when not labelled."""


@dataclass(frozen=True)
class PersonCard:
    """A top participant of the ``persons`` rating with what the report needs."""

    place: int
    participant: str
    entity: str
    person: str | None
    """The registry person's id (``Account.person``), when given."""
    names: dict[str, str]
    """The person's names by language (empty when the registry has none)."""
    metrics: dict[str, float | int | None]
    example: ExamplePost | None = None
    notes: list[str] = field(default_factory=list)


def top_persons(engine: Engine, rating: Rating, n: int = 3) -> list[PersonCard]:
    """The first ``n`` places of a computed ``persons`` rating, each with its most engaging own post of
    the period (the latest among equals) as the example.

    For the weekly report: texts are returned as written (escape them when rendering)."""
    cards = []
    registry = engine.registry
    for row in sorted(rating.rows, key=lambda r: (r.place, r.participant))[:n]:
        platform, _, account_id = row.participant.partition(":")
        account = registry.account(platform, account_id)
        person = account.person if account is not None else None
        names = next((dict(p.name) for p in registry.persons if p.id == person), {})
        feeds = engine.memtable(
            pa.table({"participant": [row.participant], "platform": [platform], "account": [account_id]})
        )
        posts = posts_of(engine, rating.period, feeds)
        best = posts.order_by([ibis.desc("engagement"), ibis.desc("published_at"), "id"]).limit(1)
        found = engine.to_pylist(best)
        example = None
        if found:
            p = found[0]
            label = worklife(p["topics"])
            life = None if label is None else label == LIFE
            example = ExamplePost(
                p["platform"], p["id"], p["url"], p["published_at"], p["text"], p["likes"], p["comments"],
                p["reposts"], life,
            )  # fmt: skip
        metrics = {name: result.value for name, result in row.metrics.items()}
        cards.append(
            PersonCard(row.place, row.participant, row.entity, person, names, metrics, example, list(row.notes))
        )
    return cards
