"""The connector contract: what a platform package provides and what the runner promises it.

A connector is a class per platform, built with an ``httpx.Client``, its validated settings and
the run's :class:`~civicpulse.collect.http.Session`. It does three things, and nothing else:

* :meth:`Connector.fetch` yields the raw :class:`Page` s of one :class:`Target` (an official
  account of the registry, or the mention search of one entity by its aliases), starting from
  where the target's :class:`Cursor` says. Every page carries the connector's state *after* it;
  the runner stores that state in the same commit as the page's data, so a crash at any point
  resumes after the last committed page, and never stores a page twice.
* :meth:`Connector.fetch_authors` yields pages profiling accounts that authored what the run
  collected (for bot scoring), in as few requests as the platform allows.
* :meth:`Connector.parse` maps one stored payload to canonical records. It is a pure function of
  the payload (no network, no settings, no clock), so raw payloads can be parsed again after a
  parser fix.

Errors are :class:`~civicpulse.errors.TransientError` (retried by the HTTP layer, then the target
is skipped until the next run) or :class:`~civicpulse.errors.TerminalError` (the target is
skipped with its reason); ``platform_wide`` ones (a refused token, a spent quota) stop the
platform. Either way the pages yielded before the error are kept.

A platform package has the same files as every other: ``client.py`` (the connector: network and
paging), ``parse.py`` (pure mapping), ``types.py`` (payload objects), ``errors.py`` (the
platform's error codes mapped to the classes above).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, TypeVar

import httpx

from civicpulse.collect.http import Exchange, Http, Session, payload_time, read_payload
from civicpulse.collect.settings import ConnectorSettings
from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord

TargetKind = Literal["official", "mentions", "authors"]
CanonicalRecord = SnapshotRecord | PostRecord | AuthorRecord
State = dict[str, Any]
"""A connector's JSON-able resumption state; only the connector reads what is inside."""


@dataclass(frozen=True)
class Target:
    """One unit of collection with its own cursor.

    ``official``: an account of the registry (``account`` is its native id); ``mentions``: the
    search of one entity by ``terms`` (its aliases); ``authors``: the profiles of the accounts
    that authored what this run collected.
    """

    platform: str
    kind: TargetKind
    key: str
    entity: str | None = None
    account: str | None = None
    terms: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """``platform:key``, how the target appears in cursors, problems and messages."""
        return f"{self.platform}:{self.key}"


@dataclass(frozen=True)
class Cursor:
    """Where a target's collection stands.

    ``resume`` is true when a pass over the target was started and not finished (by an earlier
    run or an interrupted one): the connector continues it from ``state``. Otherwise ``state`` is
    what the last finished pass left (possibly empty) and the connector starts a new pass.
    """

    state: State = field(default_factory=dict)
    resume: bool = False


@dataclass(frozen=True)
class FetchContext:
    """What a run tells the connector: the time it started and the user's ``--since``."""

    now: dt.datetime
    since: dt.datetime | None = None


@dataclass(frozen=True)
class Page:
    """One fetched exchange and the connector's state after it."""

    exchange: Exchange
    state: State
    notes: tuple[str, ...] = ()
    """Things worth telling the user that did not stop the target (e.g. comments closed on a post)."""


@dataclass
class ParseResult:
    """Canonical records parsed from one payload, and the items that could not be parsed."""

    records: list[CanonicalRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def open(self, payload: str) -> tuple[dict[str, Any], dt.datetime] | None:
        """A stored payload as a dict and the time it was fetched (its observation time); ``None``, with
        the problem noted, when it cannot be read."""
        try:
            data = read_payload(payload)
            return data, payload_time(data)
        except (ValueError, KeyError, TypeError) as exc:
            self.problems.append(f"unreadable payload: {exc}")
            return None


S = TypeVar("S", bound=ConnectorSettings)


class Connector(ABC, Generic[S]):
    """Base class of every platform's connector; see the module docstring for the contract."""

    platform: ClassVar[str]
    settings_model: ClassVar[type[ConnectorSettings]] = ConnectorSettings
    kinds: ClassVar[frozenset[str]] = frozenset({"official", "mentions"})
    """Target kinds this connector can collect (``authors`` is offered when it overrides fetch_authors)."""

    def __init__(self, client: httpx.Client, settings: S, session: Session | None = None) -> None:
        self.settings = settings
        self.session = session or Session()
        self.http = Http(client, platform=self.platform, settings=settings, session=self.session)

    @abstractmethod
    def fetch(self, target: Target, cursor: Cursor, context: FetchContext) -> Iterator[Page]:
        """Yield the pages of ``target`` from ``cursor`` on; the last page's state ends the pass.

        A pass ends when the generator returns. If ``cursor.resume`` is true and its state says
        the pass has nothing left, yield nothing.
        """

    def fetch_authors(self, ids: Sequence[str], context: FetchContext) -> Iterator[Page]:
        """Yield pages profiling the accounts ``ids`` (already filtered by :meth:`profiled`)."""
        return iter(())

    def profiled(self, author_id: str) -> bool:
        """Whether ``author_id`` (as found in posts' ``author``) is an account worth profiling."""
        return False

    @classmethod
    @abstractmethod
    def parse(cls, payload: str) -> ParseResult:
        """Canonical records of one stored payload (an :meth:`Exchange.payload`); pure."""

    @classmethod
    def settings_from(cls, values: dict[str, Any]) -> ConnectorSettings:
        """Validate settings for this connector (tests and benchmarks build them directly)."""
        return cls.settings_model.model_validate(values)


ConnectorClass = type[Connector[Any]]
