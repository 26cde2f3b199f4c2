"""X API v2 payloads to canonical records: pure functions, no network, no settings, no clock.

A stored payload (:meth:`civicpulse.collect.http.Exchange.payload`) names the method and carries
the request description the connector wrote (the registry ``account`` among it):

=======================  ==========================================================================
``users.by.username``    the official account's snapshot: ``followers_count``, and ``tweet_count``
                         as posts total
``users.tweets``         the official account's posts (``/2/users/:id/tweets``); account = the
                         registry id the request names
``tweets.search.recent`` mentions: posts of any account (account = the author's ``username`` from
                         ``includes.users``, else the author id) and an ``author`` record for every
                         user in ``includes.users`` (bot scoring)
=======================  ==========================================================================

Mapping: ``likes`` = ``like_count``, ``comments`` = ``reply_count``, ``reposts`` =
``retweet_count`` + ``quote_count``, ``views`` = ``impression_count`` (absent before late 2022);
a retweet is a ``repost`` (``repost_of`` the original), a reply a ``comment`` (``reply_to`` the
answered post), a quote a ``post`` whose ``repost_of`` is the quoted one; the first attached
media decides ``media`` (``animated_gif`` counts as video). Ids: the tweet id; ``author`` the
numeric user id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from civicpulse.collect.base import ParseResult
from civicpulse.collect.values import as_str, items, mapping
from civicpulse.collect.x.types import XTweet, XUser, media_types, users_by_id
from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord

PLATFORM = "x"


def parse_payload(payload: str) -> ParseResult:
    """Every canonical record in one stored X payload, and a problem line per unreadable item."""
    out = ParseResult()
    opened = out.open(payload)
    if opened is None:
        return out
    data, observed = opened
    method = str(data.get("method", ""))
    request = mapping(data.get("request"))
    body = mapping(data.get("body"))
    if method == "users.by.username":
        _snapshot(request, body, observed, out)
    elif method in ("users.tweets", "tweets.search.recent"):
        _tweets(method, request, body, observed, out)
    else:
        out.problems.append(f"{method}: no parser for this method")
    return out


def _snapshot(request: Mapping[str, Any], body: Mapping[str, Any], observed: dt.datetime, out: ParseResult) -> None:
    user_data = body.get("data")
    if not isinstance(user_data, Mapping):
        return  # the account was not found: the connector reported it
    try:
        user = XUser.from_payload(user_data)
        if user.followers is None:
            return  # public_metrics not sent: nothing to count
        account = as_str(request.get("account")) or user.username or user.id
        out.records.append(
            SnapshotRecord(
                platform=PLATFORM,
                record="snapshot",
                account=account,
                observed_at=observed,
                followers=user.followers,
                posts_total=user.tweets,
            )
        )
    except (ValueError, TypeError, ValidationError) as exc:
        out.problems.append(f"users.by.username data: {_short(exc)}")


def _tweets(
    method: str, request: Mapping[str, Any], body: Mapping[str, Any], observed: dt.datetime, out: ParseResult
) -> None:
    includes = mapping(body.get("includes"))
    media = media_types(includes)
    users = users_by_id(includes)
    official = as_str(request.get("account")) if method == "users.tweets" else None
    for index, item in enumerate(items(body.get("data"))):
        if not isinstance(item, Mapping):
            out.problems.append(f"{method} item {index}: not an object")
            continue
        try:
            out.records.append(post_record(XTweet.from_payload(item), observed, media, users, official))
        except (ValueError, TypeError, ValidationError) as exc:
            out.problems.append(f"{method} item {index}: {_short(exc)}")
    if method != "tweets.search.recent":
        return
    for uid, user_data in users.items():
        try:
            out.records.append(author_record(XUser.from_payload(user_data), observed))
        except (ValueError, TypeError, ValidationError) as exc:
            out.problems.append(f"{method} includes.users {uid}: {_short(exc)}")


def post_record(
    tweet: XTweet,
    observed: dt.datetime,
    media: Mapping[str, str],
    users: Mapping[str, Mapping[str, Any]],
    account: str | None = None,
) -> PostRecord:
    """The canonical post of one tweet; ``account`` is the registry id for an official timeline."""
    username = as_str(mapping(users.get(tweet.author_id or "")).get("username"))
    if account is None:
        account = username or tweet.author_id
    if account is None:
        raise ValueError("author_id: missing, so the post has no account")
    kinds = [media[key] for key in tweet.media_keys if key in media]
    return PostRecord(
        platform=PLATFORM,
        record="post",
        id=tweet.id,
        account=account,
        author=tweet.author_id,
        published_at=tweet.created_at,
        text=tweet.text,
        likes=tweet.likes,
        comments=tweet.replies,
        reposts=tweet.retweets + tweet.quotes,
        views=tweet.impressions,
        url=f"https://x.com/{username or 'i'}/status/{tweet.id}",
        reply_to=tweet.reply_to,
        repost_of=tweet.retweet_of or tweet.quote_of,
        media=kinds[0] if kinds else "text",
        kind=tweet.kind,
        observed_at=observed,
    )


def author_record(user: XUser, observed: dt.datetime) -> AuthorRecord:
    """A user's profile as bot scoring reads it; X-only fields go to ``extra``."""
    extra: dict[str, Any] = {"listed": user.listed, "protected": user.protected}
    return AuthorRecord(
        platform=PLATFORM,
        record="author",
        id=user.id,
        observed_at=observed,
        name=user.name,
        handle=user.username,
        url=f"https://x.com/{user.username}" if user.username else None,
        followers=user.followers,
        following=user.following,
        posts_total=user.tweets,
        created_at=user.created_at,
        has_avatar=user.has_avatar,
        verified=user.verified,
        **{k: v for k, v in extra.items() if v is not None},
    )


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)[:200]
