"""Instagram payloads to canonical records: pure functions, no network, no settings, no clock.

A stored payload describes the request: the Graph API ``path`` (the app user's IG user id),
``fields`` (the ``business_discovery`` expansion), ``purpose`` (``account`` for the first page,
``media`` after it) and ``account`` (the registry's username). The body is
``{"business_discovery": {...}, "id": <the app user's id>}``:

* ``followers_count`` (with ``media_count`` as ``posts_total``) gives the account's snapshot;
* each item of ``media.data`` gives a post: id = the shortcode of its ``permalink`` (as the
  instaloader and CrowdTangle importers name Instagram posts), account and author = the
  registry's username, ``caption`` as text, ``like_count`` (0 when the owner hides likes),
  ``comments_count``, no reposts and no views (business discovery gives neither), media
  ``photo`` (images and carousels) or ``video`` (videos and reels), ``timestamp`` with its
  ``+0000`` offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import ValidationError

from civicpulse.collect.base import ParseResult
from civicpulse.collect.instagram.types import IgAccount, IgMedia, media_edge
from civicpulse.collect.values import as_str, mapping
from civicpulse.records.models import PostRecord, SnapshotRecord

PLATFORM = "instagram"


def parse_payload(payload: str) -> ParseResult:
    """Every canonical record in one stored Instagram payload, and a problem line per unreadable item."""
    out = ParseResult()
    opened = out.open(payload)
    if opened is None:
        return out
    data, observed = opened
    body = mapping(data.get("body"))
    request = mapping(data.get("request"))
    business = mapping(body.get("business_discovery"))
    if "error" in body or not business:
        return out
    account = as_str(request.get("account")) or IgAccount.from_payload(business).username
    if account is None:
        out.problems.append("the stored request names no account, and the answer no username")
        return out
    counters = IgAccount.from_payload(business)
    if counters.followers is not None:
        try:
            out.records.append(
                SnapshotRecord(
                    platform=PLATFORM,
                    record="snapshot",
                    account=account,
                    observed_at=observed,
                    followers=counters.followers,
                    posts_total=counters.media,
                )
            )
        except ValidationError as exc:
            out.problems.append(f"account: {_short(exc)}")
    entries, _after = media_edge(business)
    for index, item in enumerate(entries):
        if not isinstance(item, Mapping):
            out.problems.append(f"media item {index}: not an object")
            continue
        try:
            out.records.append(media_record(IgMedia.from_payload(item), account, observed))
        except (ValueError, TypeError, ValidationError) as exc:
            out.problems.append(f"media item {index}: {_short(exc)}")
    return out


def media_record(media: IgMedia, account: str, observed: dt.datetime) -> PostRecord:
    return PostRecord(
        platform=PLATFORM,
        record="post",
        id=media.id,
        account=account,
        author=account,
        published_at=media.published_at,
        text=media.caption,
        likes=media.likes,
        comments=media.comments,
        reposts=0,
        url=media.url,
        media=media.media,
        kind="post",
        observed_at=observed,
    )


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)[:200]
