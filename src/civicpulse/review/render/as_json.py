"""The review as JSON: ``{"accounts": [...], "entities": [...], "review": {...}}``.

``accounts`` holds one object per official page (``participant`` is ``platform:id``) with every
fact of :class:`AccountFacts`; ``entities`` one object per body with its facts and ``text``, its
paragraph. ``change_pct`` is a percentage (100.0 means doubled) and null for a new page; shares
(``regularity``, a media type's ``share``) are fractions from 0 to 1; instants are UTC (RFC 3339),
days are local calendar days. ``review`` says what was reviewed and whether the data are simulated.
"""

from __future__ import annotations

from typing import Any

import orjson

from civicpulse.review.build import Review
from civicpulse.review.entities import EntityFacts
from civicpulse.review.facts import AccountFacts


def account_json(page: AccountFacts) -> dict[str, Any]:
    return {
        "participant": page.participant,
        "entity": page.entity,
        "platform": page.platform,
        "account": page.account,
        "name": page.name,
        "url": page.url,
        "followers_from": page.followers_from,
        "followers_to": page.followers_to,
        "change": page.change,
        "change_pct": page.change_pct,
        "followers_ratio": page.followers_ratio,
        "new": page.new,
        "dormant": page.dormant,
        "posts": page.posts,
        "last_post_at": page.last_post_at,
        "first_post_at": page.first_post_at,
        "posts_per_week": page.posts_per_week,
        "weeks": page.weeks,
        "weeks_with_posts": page.weeks_with_posts,
        "regularity": page.regularity,
        "longest_silence_days": page.longest_silence_days,
        "likes_per_post": page.likes_per_post,
        "comments_per_post": page.comments_per_post,
        "reposts_per_post": page.reposts_per_post,
        "engagement_per_post": page.engagement_per_post,
        "media": {
            m.media: {
                "posts": m.posts,
                "share": m.share,
                "likes_per_post": m.likes_per_post,
                "engagement_per_post": m.engagement_per_post,
            }
            for m in page.media
        },
        "live_streams": page.live_streams,
        "followers_from_at": page.followers_from_at,
        "followers_to_at": page.followers_to_at,
        "first_day": page.first_day,
        "last_day": page.last_day,
        "opened": page.opened,
        "closed": page.closed,
        "active_from": page.active_from,
        "active_to": page.active_to,
        "note": page.note,
        "simulated": page.simulated,
    }


def entity_json(entity: EntityFacts) -> dict[str, Any]:
    return {
        "entity": entity.entity,
        "name": entity.name,
        "kind": entity.kind,
        "text": entity.text,
        "pages": [p.participant for p in entity.pages],
        "platforms": list(entity.platforms),
        "active_platforms": list(entity.active_platforms),
        "followers_from": entity.followers_from,
        "followers_to": entity.followers_to,
        "change": entity.change,
        "change_pct": entity.change_pct,
        "growth_rank": entity.growth_rank,
        "ranked": entity.ranked,
        "posts": entity.posts,
        "moves": [{"from": m.old, "to": m.new, "on": m.on} for m in entity.moves],
    }


def review_json(review: Review) -> dict[str, Any]:
    totals = review.totals
    return {
        "from": review.first_day,
        "to": review.last_day,
        "timezone": review.tz,
        "lang": review.lang,
        "title": review.title,
        "lead": " ".join(review.lead),
        "simulated": review.simulated,
        "data_cut": review.data_cut,
        "engine": review.engine,
        "generated_at": review.generated_at,
        "totals": None
        if totals is None
        else {
            "bodies": totals.bodies,
            "followers_from": totals.followers_from,
            "followers_to": totals.followers_to,
            "change": totals.change,
            "change_pct": totals.change_pct,
        },
        "opened_pages": review.opened_pages,
        "dormant_pages": review.dormant_pages,
    }


def render_json(review: Review) -> str:
    """The review as indented JSON text (UTF-8, non-ASCII kept as is)."""
    data = {
        "accounts": [account_json(p) for p in review.accounts],
        "entities": [entity_json(e) for e in review.entities],
        "review": review_json(review),
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode() + "\n"
