"""The ``pages`` component: followers and the engagement of the participants' own posts.

Per participant and period it yields ``followers`` (latest snapshot before the period's end,
summed over the participant's accounts), ``followers_start`` (the same before the period's start),
``snapshots`` (how many of its accounts have a snapshot before the end; 0 means unrated),
``posts``, ``engagement`` (likes + comments + reposts of own posts published in the period, latest
observation), ``views`` and ``engagement_viewed`` (engagement of the posts whose views are known),
and ``population`` of the participant's entity. ``unrated_reason`` is set for a participant none
of whose accounts has a snapshot before the period's end.

A post is the account's own when it appears on the account (``account``), is not a reply or
comment, and has no other author.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from civicpulse.metrics.base import Scope

NO_SNAPSHOT = "no follower snapshot before the period's end"


def own_posts(posts: ir.Table) -> ir.Table:
    """Posts the account itself published: no replies, no comments, no other authors."""
    return posts.filter(
        posts.reply_to.isnull() & (posts.kind != "comment") & (posts.author.isnull() | (posts.author == posts.account))
    )


def pages_component(scope: Scope) -> ir.Table:
    engine, period = scope.engine, scope.period
    feeds = scope.feeds_table()

    end = engine.snapshots_before(period.end).select("platform", "account", followers_end=ibis._.followers)
    start = engine.snapshots_before(period.start).select("platform", "account", followers_begin=ibis._.followers)
    posts = own_posts(engine.posts_published(period.start, period.end))
    per_post = posts.mutate(eng=(posts.likes + posts.comments + posts.reposts).cast("int64"))
    activity = per_post.group_by("platform", "account").aggregate(
        n_posts=per_post.count(),
        eng_sum=per_post.eng.sum(),
        views_sum=per_post.views.sum(),
        eng_viewed=per_post.views.notnull().ifelse(per_post.eng, 0).sum(),
        n_viewed=per_post.views.notnull().sum(),
    )

    keys = ["platform", "account"]
    joined = (
        feeds.left_join(end, keys)
        .drop("platform_right", "account_right")
        .left_join(start, keys)
        .drop("platform_right", "account_right")
        .left_join(activity, keys)
        .drop("platform_right", "account_right")
    )
    both = joined.followers_end.notnull() & joined.followers_begin.notnull()
    per_participant = joined.group_by("participant").aggregate(
        followers=joined.followers_end.sum(),
        snapshots=joined.followers_end.count(),
        followers_start=joined.followers_begin.sum(),
        growth=both.ifelse(joined.followers_end - joined.followers_begin, ibis.null("int64")).sum(),
        posts=joined.n_posts.fill_null(0).sum(),
        engagement=joined.eng_sum.fill_null(0).sum(),
        views=joined.views_sum.sum(),
        engagement_viewed=joined.eng_viewed.fill_null(0).sum(),
        viewed_posts=joined.n_viewed.fill_null(0).sum(),
    )
    participants = scope.participants_table()
    entities = engine.entities.select("entity", "population")
    return (
        participants.left_join(per_participant, "participant")
        .drop("participant_right")
        .left_join(entities, "entity")
        .drop("entity_right")
        .mutate(
            snapshots=ibis._.snapshots.fill_null(0),
            posts=ibis._.posts.fill_null(0),
            engagement=ibis._.engagement.fill_null(0),
            viewed_posts=ibis._.viewed_posts.fill_null(0),
        )
        .mutate(unrated_reason=(ibis._.snapshots == 0).ifelse(ibis.literal(NO_SNAPSHOT), ibis.null("string")))
    )
