"""VK payloads to canonical records: pure functions, no network, no settings, no clock.

A stored payload (:meth:`civicpulse.collect.http.Exchange.payload`) says what was asked: for
``execute`` the list of calls (method, params, purpose) and the body whose ``response`` holds one
result per call (``false`` for a call that failed). Each call's result is mapped by method:

==================  ===========================================================================
``groups.getById``  snapshots (``members_count``; ``posts_total`` from a ``wall.get`` at offset
                    0 in the same payload). Both the old bare array and the current
                    ``{"groups": [...], "profiles": [...]}`` shapes.
``users.get``       with purpose ``snapshot``: the snapshot of a person's page
                    (``followers_count``); otherwise ``author`` records for bot scoring
``wall.get``        posts (``copy_history`` -> ``repost_of``, first attachment -> ``media``)
``newsfeed.search`` posts (mentions), any owner
``wall.getComments`` comments with ``reply_to`` (the post, or the comment answered) and their
                    inline thread replies; deleted comments are skipped, their replies kept
==================  ===========================================================================

Ids: posts ``<owner>_<post>`` (``-1_123`` for ``vk.com/wall-1_123``), comments
``<owner>_<post>_<comment>``, accounts and authors the numeric owner id as text (``-1`` for a
community, ``42`` for a person).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from civicpulse.collect.base import CanonicalRecord, ParseResult
from civicpulse.collect.vk.types import VkComment, VkGroup, VkPost, VkUser, as_int, comment_key, post_key
from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord

PLATFORM = "vk"


def parse_payload(payload: str) -> ParseResult:
    """Every canonical record in one stored VK payload, and a problem line per unreadable item."""
    out = ParseResult()
    opened = out.open(payload)
    if opened is None:
        return out
    data, observed = opened
    calls, results = _calls_and_results(data)
    wall_counts = _wall_counts(calls, results)
    for call, result in zip(calls, results, strict=False):
        if result is None or result is False:
            continue  # a failed call inside execute; its error is in execute_errors
        method = str(call.get("method", ""))
        parser = PARSERS.get(method)
        if parser is None:
            out.problems.append(f"{method}: no parser for this method")
            continue
        params = call.get("params") if isinstance(call.get("params"), dict) else {}
        assert isinstance(params, dict)
        context = _Call(method, params, str(call.get("purpose", "")), observed, wall_counts)
        for index, item in enumerate(_items(result, method)):
            if not isinstance(item, dict):
                out.problems.append(f"{method} item {index}: not an object")
                continue
            try:
                out.records.extend(parser(context, item))
            except (ValueError, TypeError, ValidationError) as exc:
                out.problems.append(f"{method} item {index}: {_short(exc)}")
    return out


class _Call:
    """What the parser of one call's items knows about the call."""

    def __init__(
        self, method: str, params: Mapping[str, Any], purpose: str, observed: dt.datetime, wall_counts: dict[int, int]
    ) -> None:
        self.method = method
        self.params = params
        self.purpose = purpose
        self.observed = observed
        self.wall_counts = wall_counts


def _calls_and_results(data: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    body = data.get("body")
    response = body.get("response") if isinstance(body, dict) else None
    request = data.get("request") if isinstance(data.get("request"), dict) else {}
    assert isinstance(request, dict)
    if data.get("method") == "execute":
        calls = [c for c in request.get("calls") or [] if isinstance(c, dict)]
        results = response if isinstance(response, list) else []
        return calls, results
    # a single method called directly: the request is its params
    return [{"method": data.get("method"), "params": request}], [response]


def _wall_counts(calls: list[dict[str, Any]], results: list[Any]) -> dict[int, int]:
    """Total posts per wall, from the ``wall.get`` calls at offset 0 of the payload."""
    counts: dict[int, int] = {}
    for call, result in zip(calls, results, strict=False):
        params = call.get("params") or {}
        if call.get("method") == "wall.get" and isinstance(params, dict) and not as_int(params.get("offset")):
            owner = as_int(params.get("owner_id"))
            total = as_int(result.get("count")) if isinstance(result, dict) else None
            if owner is not None and total is not None:
                counts[owner] = total
    return counts


def _items(result: Any, method: str) -> list[Any]:
    """The list of objects a result carries, in any of the shapes VK has used."""
    if method == "groups.getById" and isinstance(result, dict):
        result = result.get("groups", [])  # v5.139+: {"groups": [...], "profiles": [...]}
    if isinstance(result, dict):
        items = result.get("items", [])
        return items if isinstance(items, list) else []
    if isinstance(result, list):
        # API versions before 5.0 put the total first: [count, item, item, ...]
        return [item for item in result if isinstance(item, dict)]
    return []


def _utc(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def post_record(post: VkPost, observed: dt.datetime) -> PostRecord:
    """A wall post (or a repost, when it has ``copy_history``) as a canonical record."""
    return PostRecord(
        platform=PLATFORM,
        record="post",
        id=post.key,
        account=str(post.owner_id),
        author=str(post.from_id) if post.from_id else None,
        published_at=_utc(post.date),
        text=post.text,
        likes=post.likes,
        comments=post.comments,
        reposts=post.reposts,
        views=post.views,
        url=f"https://vk.com/wall{post.key}",
        repost_of=post.repost_of,
        media=post.media or "text",
        kind="repost" if post.repost_of else "post",
        observed_at=observed,
    )


def comment_records(
    owner_id: int, post_id: int, comment: VkComment, observed: dt.datetime, thread_root: int | None
) -> Iterator[PostRecord]:
    """A comment (unless deleted) and its inline thread replies."""
    if not comment.deleted and comment.date is not None:
        if comment.reply_to_comment:
            reply_to = comment_key(owner_id, post_id, comment.reply_to_comment)
        elif comment.parent:
            reply_to = comment_key(owner_id, post_id, comment.parent)
        elif thread_root:
            reply_to = comment_key(owner_id, post_id, thread_root)
        else:
            reply_to = post_key(owner_id, post_id)
        yield PostRecord(
            platform=PLATFORM,
            record="post",
            id=comment_key(owner_id, post_id, comment.id),
            account=str(owner_id),
            author=str(comment.from_id) if comment.from_id else None,
            published_at=_utc(comment.date),
            text=comment.text,
            likes=comment.likes,
            comments=comment.thread_count,
            reposts=0,
            url=f"https://vk.com/wall{post_key(owner_id, post_id)}?reply={comment.id}",
            reply_to=reply_to,
            media=comment.media or "text",
            kind="comment",
            observed_at=observed,
        )
    for reply in comment.thread:
        yield from comment_records(owner_id, post_id, reply, observed, comment.id)


def author_record(user: VkUser, observed: dt.datetime) -> AuthorRecord:
    """A person's profile as bot scoring reads it; VK-only counters go to ``extra``."""
    extra: dict[str, Any] = {
        "friends": user.friends,
        "photos": user.photos,
        "is_closed": user.is_closed,
        "last_seen_at": _utc(user.last_seen_time).isoformat() if user.last_seen_time else None,
        "last_seen_platform": user.last_seen_platform,
    }
    return AuthorRecord(
        platform=PLATFORM,
        record="author",
        id=str(user.id),
        observed_at=observed,
        name=user.name or None,
        handle=user.screen_name,
        url=f"https://vk.com/{user.screen_name or f'id{user.id}'}",
        followers=user.followers,
        following=user.subscriptions,
        has_avatar=user.has_avatar,
        deactivated=user.deactivated,
        verified=user.verified,
        **{k: v for k, v in extra.items() if v is not None},
    )


def _groups(call: _Call, item: Any) -> list[CanonicalRecord]:
    group = VkGroup.from_payload(item)
    if group.deactivated or group.members_count is None:
        return []  # a deleted community has no members to count; members_count not asked or hidden
    owner = -group.id
    return [
        SnapshotRecord(
            platform=PLATFORM,
            record="snapshot",
            account=str(owner),
            observed_at=call.observed,
            followers=group.members_count,
            posts_total=call.wall_counts.get(owner),
        )
    ]


def _users(call: _Call, item: Any) -> list[CanonicalRecord]:
    user = VkUser.from_payload(item)
    if call.purpose != "snapshot":
        return [author_record(user, call.observed)]
    if user.deactivated or user.followers is None:
        return []
    return [
        SnapshotRecord(
            platform=PLATFORM,
            record="snapshot",
            account=str(user.id),
            observed_at=call.observed,
            followers=user.followers,
            posts_total=call.wall_counts.get(user.id),
        )
    ]


def _posts(call: _Call, item: Any) -> list[CanonicalRecord]:
    return [post_record(VkPost.from_payload(item), call.observed)]


def _comments(call: _Call, item: Any) -> list[CanonicalRecord]:
    owner = as_int(call.params.get("owner_id"))
    post = as_int(call.params.get("post_id"))
    if owner is None or post is None:
        owner, post = as_int(item.get("owner_id")), as_int(item.get("post_id"))
    if owner is None or post is None:
        raise ValueError("owner_id/post_id: not in the request nor in the comment")
    root = as_int(call.params.get("comment_id")) or None
    return list(comment_records(owner, post, VkComment.from_payload(item), call.observed, root))


PARSERS: dict[str, Callable[[_Call, Any], list[CanonicalRecord]]] = {
    "groups.getById": _groups,
    "users.get": _users,
    "wall.get": _posts,
    "newsfeed.search": _posts,
    "wall.getComments": _comments,
}


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)[:200]
