"""The window of a pass over an official account, and the state a pass leaves: shared by the connectors.

Every connector reads an official account (a wall, a page, a channel, a group, a timeline) in
*passes*: a pass reads the account's posts newest first down to its *boundary*, and after each
page serialises itself to the JSON state the runner commits with that page (see
:mod:`civicpulse.collect.base`). What a pass plans and reads is the platform's own (its
``paging.py`` or ``client.py``); what every platform does the same way is here:

* :func:`settled_of` — what the last finished pass left for the next one: the cursor's state when
  that pass ended (``phase`` ``done``), or what a failed pass kept of the one before it;
* :func:`boundary_of` — where a pass stops walking back: ``--since`` when given, else the older of
  the newest post of the last pass and ``refresh_days`` ago (recent posts are read again, their
  counts still move; an account not collected for a while is read back to where the last pass
  stopped, so nothing is skipped), else ``backfill_days`` ago;
* :func:`seen_since` — the posts the last pass saw (``id -> [published, ...]``) that are still
  inside the window, so that the comments of unchanged posts are not read again;
* :class:`PassState` — ``from_state``, ``state`` and ``failed_state`` of a pass dataclass;
* :func:`finished` and :func:`resumes` — how a connector's fetch reads its cursor: go on with the
  pass it resumes, yield nothing when that pass has nothing left, else start a new pass.

The states a pass writes (stored cursors of earlier runs are read back by later versions, so
these keys do not change):

* ``{"phase": "walk", <every field of the pass>}`` while the pass runs;
* ``{"phase": "done", "newest": ..., ...}`` when it ends (:attr:`PassState.done_keys`);
* ``{"phase": "failed", "settled": <what the last finished pass left>}`` when the account cannot
  be read: the next run starts a new pass from what the last finished one left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import Field, fields
from typing import Any, ClassVar, Final, Self

from civicpulse.collect.base import Cursor
from civicpulse.collect.values import as_int, epoch, mapping

SETTLED_KEYS: Final = ("newest", "seen")
"""What a finished pass leaves for the next one, on most platforms: its newest post and the posts it saw."""


def settled_of(state: Mapping[str, Any], keys: tuple[str, ...] = SETTLED_KEYS) -> dict[str, Any]:
    """``keys`` of what the last finished pass left: ``state`` itself, or what a failed pass kept.

    ``state`` is the cursor's state when a new pass starts: a finished pass's (``phase`` ``done``),
    a failed pass's (``phase`` ``failed``, which keeps the one before it under ``settled``), or
    empty on the first pass. Values are copied as they are, keys that are absent stay absent.
    """
    if state.get("phase") == "failed":
        state = mapping(state.get("settled"))
    return {k: state[k] for k in keys if k in state}


def settled_newest(state: Mapping[str, Any]) -> dict[str, Any]:
    """What the last finished pass left, for passes that keep only their newest post (OK, X).

    ``{"newest": <epoch seconds>}`` (read with :func:`~civicpulse.collect.values.as_int`), or an
    empty object when no newest post is known.
    """
    newest = as_int(settled_of(state, ("newest",)).get("newest"))
    return {} if newest is None else {"newest": newest}


def boundary_of(
    settled: Mapping[str, Any], now: dt.datetime, since: dt.datetime | None, backfill_days: int, refresh_days: int
) -> int:
    """Where a pass stops walking back (epoch seconds); see the module docstring.

    ``settled`` is what the last finished pass left (:func:`settled_of`): its ``newest`` post, if
    any, in epoch seconds.
    """
    if since is not None:
        return epoch(since)
    newest = as_int(settled.get("newest"))
    if newest is not None:
        return min(newest, epoch(now - dt.timedelta(days=refresh_days)))
    return epoch(now - dt.timedelta(days=backfill_days))


def seen_since(seen: Any, boundary: int) -> dict[str, list[int]]:
    """The entries of ``seen`` (post id -> ``[published, ...]``) published at or after ``boundary``.

    ``seen`` is what the last finished pass left under ``seen``; anything but an object of lists
    reads as nothing seen.
    """
    return {k: v for k, v in mapping(seen).items() if isinstance(v, list) and v[0] >= boundary}


class PassState:
    """What a pass dataclass serialises the same way on every platform: a mixin.

    The dataclass has the fields ``newest`` (its newest post so far, epoch seconds) and
    ``settled`` (what the last finished pass left, kept for :meth:`failed_state`), and a ``done``
    property or field. Every field must be JSON-able: :meth:`state` writes them all.
    """

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # a dataclass (fields() skips its class variables)
    done_keys: ClassVar[tuple[str, ...]] = ("newest",)
    """The fields a finished pass leaves for the next one, in this order after ``phase``."""

    settled: dict[str, Any]

    @property
    def done(self) -> bool:
        """Whether the pass has nothing left to read."""
        raise NotImplementedError

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Self:
        """The pass a ``walk`` state describes (what :meth:`state` wrote while it ran)."""
        return cls(**{f.name: state[f.name] for f in fields(cls) if f.name in state})

    @classmethod
    def resumed(cls, cursor: Cursor) -> Self | None:
        """The pass ``cursor`` resumes (interrupted in its ``walk``), or None."""
        return cls.from_state(cursor.state) if resumes(cursor, "walk") else None

    def state(self) -> dict[str, Any]:
        """The JSON state after the latest answer: in progress, or settled when the pass is done."""
        if self.done:
            return self.done_state()
        return {"phase": "walk", **{f.name: getattr(self, f.name) for f in fields(self)}}

    def done_state(self) -> dict[str, Any]:
        """What the finished pass leaves for the next one: ``phase`` ``done`` and :attr:`done_keys`."""
        return {"phase": "done", **{k: getattr(self, k) for k in self.done_keys}}

    def failed_state(self) -> dict[str, Any]:
        """The state to keep when the account cannot be read: the next run starts a new pass."""
        return {"phase": "failed", "settled": self.settled}


def resumes(cursor: Cursor, phase: str) -> bool:
    """Whether ``cursor`` resumes a pass interrupted in ``phase`` (``walk``, ``search``)."""
    return cursor.resume and cursor.state.get("phase") == phase


def finished(cursor: Cursor) -> bool:
    """Whether ``cursor`` resumes a pass that has nothing left: the fetch yields nothing."""
    return resumes(cursor, "done")
