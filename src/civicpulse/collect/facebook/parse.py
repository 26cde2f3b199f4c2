"""Facebook payloads to canonical records: pure functions, no network, no settings, no clock.

A stored payload (:meth:`civicpulse.collect.http.Exchange.payload`) describes the request: the
Graph API ``path``, its parameters, ``purpose`` (``page``, ``feed``, ``comments``), ``account``
(the registry's id of the page), ``page_id`` (its numeric id, once known) and, for comments,
``post``. By purpose:

============  ===============================================================================
``page``      the page's snapshot: ``followers_count``, else ``fan_count`` (older pages)
``feed``      a post per item: ``message`` as text, all reactions (``reactions.summary``) as
              likes (each kind stays in the raw payload), ``comments.summary`` (replies
              included), ``shares.count`` as reposts, the first attachment as media
``comments``  a comment per item (``filter=stream``: replies too), ``reply_to`` the ``parent``
              comment or the post, ``comment_count`` as comments, ``like_count`` as likes
============  ===============================================================================

Ids are the Graph API's: posts ``<page id>_<post id>``, comments ``<post id>_<comment id>``. A
post's account is the registry's id of the page; its author is that account when the page
itself posted (``from`` is the page, or not given), else the visitor's id. A comment's author is
its ``from`` (Graph API gives it with a page token of the page only), the account when the page
replied. An error body kept as an answer (a post deleted meanwhile) holds no records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from civicpulse.collect.base import CanonicalRecord, ParseResult
from civicpulse.collect.facebook.types import FbComment, FbPage, FbPost
from civicpulse.collect.values import as_str, items, mapping
from civicpulse.records.models import PostRecord, SnapshotRecord

PLATFORM = "facebook"


def parse_payload(payload: str) -> ParseResult:
    """Every canonical record in one stored Facebook payload, and a problem line per unreadable item."""
    out = ParseResult()
    opened = out.open(payload)
    if opened is None:
        return out
    data, observed = opened
    body = mapping(data.get("body"))
    request = mapping(data.get("request"))
    purpose = str(request.get("purpose") or data.get("method") or "")
    if "error" in body:
        return out  # an error kept as an answer about one post
    parser = PARSERS.get(purpose)
    if parser is None:
        out.problems.append(f"{purpose}: no parser for this request")
        return out
    account = as_str(request.get("account"))
    if account is None:
        out.problems.append(f"{purpose}: the stored request names no account")
        return out
    entries = [body] if purpose == "page" else items(body.get("data"))
    for index, item in enumerate(entries):
        if not isinstance(item, Mapping):
            out.problems.append(f"{purpose} item {index}: not an object")
            continue
        try:
            out.records.extend(parser(request, account, item, observed))
        except (ValueError, TypeError, ValidationError) as exc:
            out.problems.append(f"{purpose} item {index}: {_short(exc)}")
    return out


def _page(
    request: Mapping[str, Any], account: str, item: Mapping[str, Any], observed: dt.datetime
) -> list[CanonicalRecord]:
    page = FbPage.from_payload(item)
    if page.followers is None:
        return []  # neither count was given (not asked, or hidden)
    return [
        SnapshotRecord(
            platform=PLATFORM, record="snapshot", account=account, observed_at=observed, followers=page.followers
        )
    ]


def post_record(post: FbPost, account: str, page_id: str | None, observed: dt.datetime) -> PostRecord:
    own = post.author is None or post.author in (post.owner, page_id)
    return PostRecord(
        platform=PLATFORM,
        record="post",
        id=post.id,
        account=account,
        author=account if own else post.author,
        published_at=post.published_at,
        text=post.text,
        likes=post.reactions,
        comments=post.comments,
        reposts=post.shares,
        url=post.url,
        media=post.media,
        kind="post",
        observed_at=observed,
    )


def _feed(
    request: Mapping[str, Any], account: str, item: Mapping[str, Any], observed: dt.datetime
) -> list[CanonicalRecord]:
    return [post_record(FbPost.from_payload(item), account, as_str(request.get("page_id")), observed)]


def _comments(
    request: Mapping[str, Any], account: str, item: Mapping[str, Any], observed: dt.datetime
) -> list[CanonicalRecord]:
    post = as_str(request.get("post"))
    if post is None:
        raise ValueError("post: the stored request names no post")
    comment = FbComment.from_payload(item, post)
    page_id = as_str(request.get("page_id")) or post.split("_", 1)[0]
    return [
        PostRecord(
            platform=PLATFORM,
            record="post",
            id=comment.id,
            account=account,
            author=account if comment.author == page_id else comment.author,
            published_at=comment.published_at,
            text=comment.text,
            likes=comment.likes,
            comments=comment.replies,
            reposts=0,
            url=comment.url,
            reply_to=comment.parent or post,
            media=comment.media,
            kind="comment",
            observed_at=observed,
        )
    ]


PARSERS: dict[str, Callable[[Mapping[str, Any], str, Mapping[str, Any], dt.datetime], list[CanonicalRecord]]] = {
    "page": _page,
    "feed": _feed,
    "comments": _comments,
}


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)[:200]
