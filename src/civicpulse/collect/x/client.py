"""The X connector (API v2, app-only bearer token): official timelines and recent-search mentions.

Methods (``https://api.x.com/2/``):

* ``GET /2/users/by/username/:username`` with ``user.fields=public_metrics,...``: the snapshot of
  an official account and its numeric id;
* ``GET /2/users/:id/tweets`` (100 per page, ``start_time`` = the pass's boundary,
  ``pagination_token`` = the last ``meta.next_token``): its posts with ``public_metrics``,
  ``created_at``, ``referenced_tweets``, ``conversation_id``; the endpoint reaches the 3,200 most
  recent posts only;
* ``GET /2/tweets/search/recent`` (100 per page, ``next_token``): mentions of an entity's aliases
  in the last 7 days, with ``expansions=author_id`` so that the authors' profiles come along.

Limits are per 15-minute window and endpoint; every answer says what is left
(``x-rate-limit-remaining``) and when the window resets (``x-rate-limit-reset``, epoch seconds):
the HTTP layer pauses the token until the reset when nothing is left, and waits for it after a
429. The default ``max_wait`` covers a whole window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
from pydantic import Field, SecretStr

from civicpulse.collect.base import Connector, Cursor, FetchContext, Page, ParseResult, Target
from civicpulse.collect.http import Exchange, labelled
from civicpulse.collect.settings import ConnectorSettings
from civicpulse.collect.values import as_int, as_str, epoch, items, mapping, rfc3339
from civicpulse.collect.window import PassState, boundary_of, finished, resumes, settled_newest
from civicpulse.collect.x.errors import raise_request_problem, raise_resource_problem
from civicpulse.collect.x.parse import parse_payload
from civicpulse.collect.x.types import XTweet
from civicpulse.errors import TerminalError

PAGE = 100
SEARCH_DAYS = 7
END_MARGIN = 30  # seconds: X refuses an end_time less than 10 s before the request
TWEET_FIELDS = "public_metrics,created_at,referenced_tweets,conversation_id,author_id,attachments,note_tweet,lang"
USER_FIELDS = "public_metrics,created_at,verified,protected,profile_image_url,username,name"


class XSettings(ConnectorSettings):
    """``[collect.x]``: an app-only bearer token of an X developer app (any paid access level)."""

    token: SecretStr = Field(description="X API v2 bearer token (app-only).")
    base_url: str = Field(default="https://api.x.com/2/", description="X API v2 endpoint.")
    rate: float = Field(default=1.0, gt=0, description="Requests per second (X counts per 15-minute window).")
    max_wait: float = Field(
        default=960.0, ge=0, description="Longest wait for a rate window to reset (X windows are 15 minutes)."
    )
    query_length: int = Field(default=512, ge=20, description="Longest search query the access level allows.")
    exclude_retweets: bool = Field(default=True, description="Leave retweets out of mention searches.")


@dataclass(frozen=True)
class Call:
    """One request: the method name stored with its answer, the path and the parameters."""

    method: str
    path: str
    params: dict[str, Any]
    describe: dict[str, Any]


@dataclass
class TimelinePass(PassState):
    """One pass over an official account: the user lookup (snapshot), then its posts down to ``boundary``."""

    account: str
    boundary: int
    user_id: str | None = None
    next_token: str | None = None
    newest: int | None = None
    started: bool = False
    done: bool = False
    settled: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        account: str,
        settled: dict[str, Any],
        now: dt.datetime,
        since: dt.datetime | None,
        backfill: int,
        refresh: int,
    ) -> TimelinePass:
        kept = settled_newest(settled)
        boundary = boundary_of(kept, now, since, backfill, refresh)
        return cls(account, boundary, newest=kept.get("newest"), settled=kept)

    def plan(self) -> Call:
        describe: dict[str, Any] = {"account": self.account}
        if self.user_id is None:
            lookup: dict[str, Any] = {"user.fields": USER_FIELDS}
            return Call("users.by.username", f"users/by/username/{self.account}", lookup, {**describe, **lookup})
        params: dict[str, Any] = {
            "max_results": PAGE,
            "start_time": rfc3339(self.boundary),
            "tweet.fields": TWEET_FIELDS,
            "expansions": "attachments.media_keys",
            "media.fields": "type",
        }
        if self.next_token:
            params["pagination_token"] = self.next_token
        describe["user_id"] = self.user_id
        return Call("users.tweets", f"users/{self.user_id}/tweets", params, {**describe, **params})

    def advance(self, call: Call, data: Any) -> str | None:
        """Take an answer; returns why the account cannot be collected, if that is what it said."""
        body = mapping(data)
        if call.method == "users.by.username":
            user = mapping(body.get("data"))
            self.user_id = as_str(user.get("id"))
            if self.user_id is None:
                return "the user lookup returned no id"
            if user.get("protected") in (True, 1, "1", "true"):
                return "the account is protected: its posts are visible to approved followers only"
            return None
        for item in items(body.get("data")):
            try:
                moment = epoch(XTweet.from_payload(mapping(item)).created_at)
            except (ValueError, TypeError):
                continue  # the parser reports it
            self.newest = moment if self.newest is None else max(self.newest, moment)
        self.next_token = as_str(mapping(body.get("meta")).get("next_token"))
        self.done = self.next_token is None
        return None


@dataclass
class MentionSearch:
    """One pass of recent search over an entity's aliases: ``[query, next_token, done]`` per query."""

    start: int
    end: int
    queries: list[list[Any]]

    @classmethod
    def begin(
        cls,
        queries: Sequence[str],
        settled: Mapping[str, Any],
        now: dt.datetime,
        since: dt.datetime | None,
        backfill_days: int,
        overlap_minutes: int,
    ) -> MentionSearch:
        end = epoch(now) - END_MARGIN
        floor = epoch(now - dt.timedelta(days=SEARCH_DAYS)) + 60  # recent search reaches back 7 days, no more
        until = as_int(settled.get("until"))
        if since is not None:
            start = epoch(since)
        elif until is not None:
            start = until - overlap_minutes * 60
        else:
            start = epoch(now - dt.timedelta(days=backfill_days))
        return cls(max(start, floor), end, [[q, None, False] for q in queries])

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> MentionSearch:
        return cls(int(state["start"]), int(state["end"]), [list(q) for q in state["queries"]])

    @property
    def done(self) -> bool:
        return all(q[2] for q in self.queries)

    def state(self) -> dict[str, Any]:
        if self.done:
            return {"phase": "done", "until": self.end}
        return {"phase": "search", "start": self.start, "end": self.end, "queries": self.queries}

    def plan(self) -> Call:
        query, token, _done = next(q for q in self.queries if not q[2])
        params: dict[str, Any] = {
            "query": query,
            "start_time": rfc3339(self.start),
            "end_time": rfc3339(self.end),
            "max_results": PAGE,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id,attachments.media_keys",
            "user.fields": USER_FIELDS,
            "media.fields": "type",
        }
        if token:
            params["next_token"] = token
        return Call("tweets.search.recent", "tweets/search/recent", params, dict(params))

    def advance(self, call: Call, data: Any) -> None:
        entry = next(q for q in self.queries if q[0] == call.params["query"] and not q[2])
        token = as_str(mapping(mapping(data).get("meta")).get("next_token"))
        entry[1], entry[2] = token, token is None


def username(target: Target) -> str:
    """The registry's username of an official account, without its ``@``."""
    account = (target.account or "").lstrip("@")
    if not account:
        raise labelled(TerminalError(target.name, "the registry gives no username"), "bad id")
    return account


def search_queries(terms: Sequence[str], limit: int, exclude_retweets: bool) -> tuple[list[str], list[str]]:
    """Aliases as few ``("a" OR "b") -is:retweet`` queries as fit ``limit`` characters; and the aliases left out."""
    suffix = " -is:retweet" if exclude_retweets else ""
    queries: list[str] = []
    group: list[str] = []
    left_out: list[str] = []

    def text(phrases: list[str]) -> str:
        return "(" + " OR ".join(phrases) + ")" + suffix

    for term in terms:
        phrase = '"' + " ".join(term.replace('"', " ").split()) + '"'  # a quote inside would end the phrase
        if len(text([phrase])) > limit:
            left_out.append(term)
        elif len(text([*group, phrase])) > limit:
            queries.append(text(group))
            group = [phrase]
        else:
            group.append(phrase)
    if group:
        queries.append(text(group))
    return queries, left_out


class XConnector(Connector[XSettings]):
    """X: official accounts (snapshots, posts) and mention search (posts, their authors' profiles)."""

    platform: ClassVar[str] = "x"
    settings_model: ClassVar[type[ConnectorSettings]] = XSettings
    kinds: ClassVar[frozenset[str]] = frozenset({"official", "mentions"})

    def fetch(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        if target.kind == "official":
            return self._timeline(target, cursor, context)
        if target.kind == "mentions":
            return self._mentions(target, cursor, context)
        raise ValueError(f"X has no {target.kind} targets")

    @classmethod
    def parse(cls, payload: str) -> ParseResult:
        return parse_payload(payload)

    def _timeline(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        if finished(cursor):
            return
        walk = TimelinePass.resumed(cursor) or TimelinePass.start(
            username(target), cursor.state, context.now, context.since, s.backfill_days, s.refresh_days
        )
        while not walk.done:
            call = walk.plan()
            exchange = self.request(target.name, call)
            failure = walk.advance(call, exchange.data)
            if failure is not None:
                yield Page(exchange, walk.failed_state())
                raise labelled(TerminalError(target.name, f"{call.method}: {failure}"), "private")
            yield Page(exchange, walk.state())

    def _mentions(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        s = self.settings
        notes: tuple[str, ...] = ()
        if finished(cursor):
            return
        if resumes(cursor, "search"):
            search = MentionSearch.from_state(cursor.state)
        else:
            queries, left_out = search_queries(target.terms, s.query_length, s.exclude_retweets)
            notes = tuple(f"alias {term!r} is longer than a search query may be; not searched" for term in left_out)
            search = MentionSearch.begin(
                queries, cursor.state, context.now, context.since, s.mention_backfill_days, s.mention_overlap_minutes
            )
            if context.since is not None and epoch(context.since) < search.start:
                notes += ("recent search reaches back 7 days only; older mentions are not collected",)
        while not search.done:
            call = search.plan()
            exchange = self.request(target.name, call)
            search.advance(call, exchange.data)
            yield Page(exchange, search.state(), notes)
            notes = ()

    def request(self, target: str, call: Call) -> Exchange:
        """Send ``call`` with the bearer token; returns the exchange or raises the mapped error."""

        def check(data: Any, response: httpx.Response) -> None:
            if not isinstance(data, Mapping):
                return
            if response.status_code >= 400 and response.status_code != 401:
                raise_request_problem(data, call.method, target)
            errors = [mapping(e) for e in items(data.get("errors"))]
            if errors and "data" not in data and call.method != "tweets.search.recent":
                raise_resource_problem(errors[0], call.method, target)

        return self.http.call(
            target,
            url=self.settings.base_url.rstrip("/") + "/" + call.path,
            method=call.method,
            params=call.params,
            headers={"Authorization": f"Bearer {self.settings.token.get_secret_value()}"},
            describe=call.describe,
            check=check,
        )
