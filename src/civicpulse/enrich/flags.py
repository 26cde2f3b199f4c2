"""Effective flags: what the stages flag, as analysts have corrected it.

Flags come from the batch stages and the registry (``civicpulse.enrich.read.flags_long``:
``excluded_source`` and every stage producing ``flags``) and from the window stages
(``coordination``, ``floods``, ``bots``: :func:`civicpulse.enrich.window.flags_long`).

An analyst can *override* a flag on one post (``--post vk:123``) or on every post of an author
(``--author vk:456``): ``set`` adds it with the analyst's reason, ``clear`` removes it. Overrides
live in the state database (table ``flag_overrides``), each with who, why and when; the latest
override of a (target, flag) wins, and a post's own override beats its author's. Each override
also commits an empty lake batch and records that commit's sequence: an override applies to a
data cut that includes its commit, so a stored rating recomputed from its data cut gives the same
answer after later overrides.

:func:`effective_flags` is the one function ratings, ``explain`` and exports call: one row per
flagged post (``platform``, ``id``, ``flags``, ``flag_reasons``), as an Ibis table.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from typing import Final, Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.enrich import read, window
from civicpulse.errors import ConfigError
from civicpulse.platforms import normalise_platform
from civicpulse.query.engine import Engine
from civicpulse.store import state
from civicpulse.store.home import Home

KEY = ("platform", "id")
KNOWN: Final = ("excluded_source", "coordinated", "duplicate", "spam", "bot_author")
"""Flags the built-in stages set; overrides may name others (a plugin's), but must look like these."""
_FLAG = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

state.register_migrations(
    "flags",
    [
        """
        CREATE TABLE flag_overrides (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at TEXT NOT NULL,
            analyst TEXT NOT NULL,
            target_kind TEXT NOT NULL CHECK (target_kind IN ('post', 'author')),
            platform TEXT NOT NULL,
            target TEXT NOT NULL,
            flag TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('set', 'clear')),
            reason TEXT NOT NULL,
            commit_seq INTEGER
        );
        CREATE INDEX flag_overrides_target ON flag_overrides(target_kind, platform, target, flag, id);
        """,
    ],
)

TargetKind = Literal["post", "author"]
Action = Literal["set", "clear"]
_OVERRIDES_SCHEMA = pa.schema(
    [
        pa.field("override", pa.int64()),
        pa.field("target_kind", pa.string()),
        pa.field("platform", pa.string()),
        pa.field("target", pa.string()),
        pa.field("flag", pa.string()),
        pa.field("action", pa.string()),
        pa.field("text", pa.string()),
    ]
)


@dataclass(frozen=True)
class Override:
    """One analyst decision about one flag of one post or author."""

    id: int
    created_at: str
    analyst: str
    target_kind: TargetKind
    platform: str
    target: str
    flag: str
    action: Action
    reason: str
    commit_seq: int | None

    @property
    def text(self) -> str:
        """The reason shown with a flag the override sets."""
        return f"set by {self.analyst} (override #{self.id}): {self.reason}"


def parse_target(value: str, option: str) -> tuple[str, str]:
    """``PLATFORM:ID`` -> (platform, id), or a :class:`ConfigError` naming ``option``."""
    platform, sep, ident = value.partition(":")
    if not sep or not ident.strip():
        raise ConfigError(f"{option}: expected PLATFORM:ID (e.g. vk:12345), got {value!r}")
    try:
        return normalise_platform(platform), ident.strip()
    except ValueError as exc:
        raise ConfigError(f"{option}: {exc}") from exc


def add_override(
    home: Home,
    target_kind: TargetKind,
    platform: str,
    target: str,
    flag: str,
    action: Action,
    reason: str,
    analyst: str,
) -> Override:
    """Record an override and make it visible from the next data cut; returns it."""
    if not _FLAG.match(flag):
        raise ConfigError(
            f"--flag: {flag!r} is not a flag name (lowercase letters, digits, _; e.g. {', '.join(KNOWN)})"
        )
    if not reason.strip():
        raise ConfigError("--reason: say why (it is shown wherever the flag is)")
    if not analyst.strip():
        raise ConfigError("--by: say who decides")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with home.lake.connect() as conn, state.transaction(conn):
        cursor = conn.execute(
            "INSERT INTO flag_overrides (created_at, analyst, target_kind, platform, target, flag, action, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (now, analyst.strip(), target_kind, platform, target, flag, action, reason.strip()),
        )
        number = int(cursor.lastrowid or 0)
    # an empty batch gives the override its place in the commit order (see the module docstring)
    with home.lake.begin("flags", f"override #{number}: {action} {flag} on {target_kind} {platform}:{target}") as b:
        seq = b.commit({})
    with home.lake.connect() as conn, state.transaction(conn):
        conn.execute("UPDATE flag_overrides SET commit_seq = ? WHERE id = ?", (seq, number))
    return next(o for o in list_overrides(home) if o.id == number)


def list_overrides(home: Home, upto_seq: int | None = None) -> list[Override]:
    """Every committed override (up to commit ``upto_seq`` when given), oldest first."""
    with home.lake.connect() as conn:
        return _read(conn, upto_seq)


def _read(conn: sqlite3.Connection, upto_seq: int | None) -> list[Override]:
    sql = "SELECT * FROM flag_overrides WHERE commit_seq IS NOT NULL"
    args: tuple[int, ...] = ()
    if upto_seq is not None:
        sql += " AND commit_seq <= ?"
        args = (upto_seq,)
    rows = conn.execute(sql + " ORDER BY id", args).fetchall()
    return [
        Override(
            r["id"], r["created_at"], r["analyst"], r["target_kind"], r["platform"], r["target"], r["flag"],
            r["action"], r["reason"], r["commit_seq"],
        )
        for r in rows
    ]  # fmt: skip


def overrides_in_force(engine: Engine) -> list[Override]:
    """The latest override of every (target, flag) committed up to ``engine``'s data cut."""
    home = engine.cut.home
    if home is None or not (home / "state.sqlite").exists():
        return []
    with state.opened(home / "state.sqlite") as conn:
        every = _read(conn, engine.cut.seq)
    latest: dict[tuple[str, str, str, str], Override] = {}
    for o in every:
        latest[(o.target_kind, o.platform, o.target, o.flag)] = o
    return list(latest.values())


def _decisions(engine: Engine, posts: ir.Table, overrides: list[Override]) -> ir.Table:
    """Per (post, flag) the override that decides it: ``platform``, ``id``, ``flag``, ``action``, ``text``."""
    rows = [
        {
            "override": o.id,
            "target_kind": o.target_kind,
            "platform": o.platform,
            "target": o.target,
            "flag": o.flag,
            "action": o.action,
            "text": o.text,
        }
        for o in overrides
    ]
    table = engine.memtable(pa.Table.from_pylist(rows, schema=_OVERRIDES_SCHEMA))
    keys = posts.select("platform", "id", writer=posts.author.fill_null(posts.account)).distinct()
    on_post = table.filter(table.target_kind == "post")
    by_post = keys.inner_join(on_post, [keys.platform == on_post.platform, keys.id == on_post.target]).select(
        keys.platform, keys.id, on_post.flag, on_post.action, on_post.text, level=ibis.literal(2)
    )
    on_author = table.filter(table.target_kind == "author")
    by_author = keys.inner_join(
        on_author, [keys.platform == on_author.platform, keys.writer == on_author.target]
    ).select(keys.platform, keys.id, on_author.flag, on_author.action, on_author.text, level=ibis.literal(1))
    both = by_post.union(by_author, distinct=False)
    ranked = both.mutate(
        _n=ibis.row_number().over(group_by=[both.platform, both.id, both.flag], order_by=[ibis.desc(both.level)])
    )
    return ranked.filter(ranked._n == 0).drop("_n", "level")


def effective_flags_long(engine: Engine, posts: ir.Table) -> ir.Table:
    """One row per (post of ``posts``, flag in force): ``platform``, ``id``, ``flag``, ``reason``.

    ``posts`` is any table with ``platform``, ``id``, ``account`` and ``author`` (e.g.
    ``engine.posts_published(start, end)``)."""
    parts = [read.flags_long(engine, posts)]
    from_windows = window.flags_long(engine, posts)
    if from_windows is not None:
        parts.append(from_windows)
    flags = ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    overrides = overrides_in_force(engine)
    if not overrides:
        return flags
    decided = _decisions(engine, posts, overrides)
    kept = flags.anti_join(decided, [*KEY, "flag"])
    added = decided.filter(decided.action == "set").select(*KEY, "flag", reason=decided.text)
    return kept.union(added, distinct=False)


def effective_flags(engine: Engine, posts: ir.Table) -> ir.Table:
    """``platform``, ``id``, ``flags``, ``flag_reasons`` (parallel lists, sorted by flag) for every flagged
    post of ``posts``, after analysts' overrides; unflagged posts have no row (same shape as
    ``civicpulse.enrich.read.flags_wide``, which it extends with window stages and overrides)."""
    return read.widen_flags(effective_flags_long(engine, posts))
