"""Odnoklassniki payloads to canonical records: pure functions, no network, no settings, no clock.

=========================  ================================================================
``group.getInfo``          the group's snapshot (``members_count``), when the field came back
``group.getCounters``      the group's snapshot (``counters.members``), asked when getInfo
                           did not say ``members_count``
``mediatopic.getTopics``   the group's topics as posts: ``likes`` = ``like_summary.count``,
                           ``comments`` = ``discussion_summary.comments_count``, ``reposts`` =
                           ``reshare_summary.count``, ``views`` = ``views_count``
=========================  ================================================================

Ids: a topic's id; account: the group id the request names (as registered); author: the id in
``author_ref`` (the group itself for its own topics); url ``https://ok.ru/group/<gid>/topic/<id>``.
A topic whose media holds another topic (a reshare) is a ``repost``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from civicpulse.collect.base import ParseResult
from civicpulse.collect.ok.types import OkGroup, OkTopic
from civicpulse.collect.values import as_count, as_str, items, mapping
from civicpulse.records.models import PostRecord, SnapshotRecord

PLATFORM = "ok"


def parse_payload(payload: str) -> ParseResult:
    """Every canonical record in one stored OK payload, and a problem line per unreadable item."""
    out = ParseResult()
    opened = out.open(payload)
    if opened is None:
        return out
    data, observed = opened
    method = str(data.get("method", ""))
    request = mapping(data.get("request"))
    body = data.get("body")
    gid = as_str(request.get("account"))
    if gid is None:
        out.problems.append(f"{method}: the request names no group")
        return out
    try:
        if method == "group.getInfo":
            for item in body if isinstance(body, list) else items(mapping(body).get("groups")):
                group = OkGroup.from_payload(mapping(item))
                if group.members is not None and group.id == gid:
                    out.records.append(_snapshot(gid, group.members, observed))
        elif method == "group.getCounters":
            members = as_count(mapping(mapping(body).get("counters")).get("members"))
            if members is not None:
                out.records.append(_snapshot(gid, members, observed))
        elif method == "mediatopic.getTopics":
            _topics(gid, mapping(body), observed, out)
        else:
            out.problems.append(f"{method}: no parser for this method")
    except (ValueError, TypeError, ValidationError) as exc:
        out.problems.append(f"{method}: {_short(exc)}")
    return out


def _snapshot(gid: str, members: int, observed: dt.datetime) -> SnapshotRecord:
    return SnapshotRecord(platform=PLATFORM, record="snapshot", account=gid, observed_at=observed, followers=members)


def _topics(gid: str, body: Mapping[str, Any], observed: dt.datetime, out: ParseResult) -> None:
    for index, item in enumerate(items(body.get("media_topics"))):
        if not isinstance(item, Mapping):
            out.problems.append(f"mediatopic.getTopics item {index}: not an object")
            continue
        try:
            out.records.append(post_record(gid, OkTopic.from_payload(item), observed))
        except (ValueError, TypeError, ValidationError) as exc:
            out.problems.append(f"mediatopic.getTopics item {index}: {_short(exc)}")


def post_record(gid: str, topic: OkTopic, observed: dt.datetime) -> PostRecord:
    """The canonical post of one group topic."""
    return PostRecord(
        platform=PLATFORM,
        record="post",
        id=topic.id,
        account=gid,
        author=topic.author,
        published_at=topic.created_at,
        text=topic.text,
        likes=topic.likes,
        comments=topic.comments,
        reposts=topic.reshares,
        views=topic.views,
        url=f"https://ok.ru/group/{gid}/topic/{topic.id}",
        repost_of=topic.reshare_of,
        media=topic.media,
        kind="repost" if topic.reshare_of else "post",
        observed_at=observed,
    )


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)[:200]
