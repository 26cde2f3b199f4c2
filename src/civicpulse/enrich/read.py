"""Reading enrichment results: the latest result of each stage for each post, as Ibis tables.

Every stage writes its own lake table (``enrich_<stage>``, schema in
:func:`civicpulse.enrich.pipeline.table_schema`), so results are part of the data cut like any
other observation and invisible until their batch commits. The latest row per post wins (by
write order), whatever its version: a stage whose version changed keeps serving its previous
results until ``civicpulse enrich`` has re-run it.

:func:`annotate` gives posts the standard columns (``lang``, ``entities``, ``sentiment``,
``sentiment_score``, ``topics``, ``flags``, ``flag_reasons``). A column no installed stage
produces is null, and :func:`notes` says so; nothing is ever made up.

Flags merge from three places: every installed stage that produces ``flags`` (with
``flag_reasons``), minus the flags a stage lists in ``cleared_flags`` (analyst overrides), plus
``excluded_source``, computed here from the registry in force: a post published on, or written
by, an account whose role is ``official`` or ``excluded``, or ``media`` with ``paid: true``, is
not "what people say". Computing it when reading (rather than storing it as a stage) means a
registry change applies at once to every rating, ``explain`` and export, with nothing to re-run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.enrich import pipeline
from civicpulse.enrich.stage import EXPORTED, MERGED, STANDARD, Stage
from civicpulse.query.engine import Engine
from civicpulse.registry.models import Account

EXCLUDED_SOURCE = "excluded_source"
KEY = ("platform", "id")
_LONG_SCHEMA = pa.schema(
    [
        pa.field("platform", pa.string()),
        pa.field("account", pa.string()),
        pa.field("where_reason", pa.string()),
        pa.field("author_reason", pa.string()),
    ]
)


def stage_rows(engine: Engine, stage: Stage) -> ir.Table:
    """The latest result of ``stage`` for every post it has seen: key, ``text_md5``, ``version``, its columns."""
    files = engine.cut.files.get(stage.table, [])
    if not files:
        return engine.memtable(pipeline.table_schema(stage).empty_table()).drop("_batch", "_seq")
    table = engine.table(stage.table)
    order = [ibis.desc(table._batch), ibis.desc(table._seq)]
    ranked = table.mutate(_n=ibis.row_number().over(group_by=[table.platform, table.id], order_by=order))
    return ranked.filter(ranked._n == 0).drop("_n", "_batch", "_seq")


def has_run(engine: Engine, stage: Stage) -> bool:
    """Whether the data cut holds any result of ``stage``."""
    return bool(engine.cut.files.get(stage.table))


def exclusion_reason(account: Account) -> str | None:
    """Why posts of ``account`` are not "what people say", or None when they are."""
    if account.role == "official":
        return f"official account of {account.entity}"
    if account.role == "excluded":
        return f"source excluded in the registry ({account.entity})"
    if account.role == "media" and account.paid:
        return f"media with paid placements ({account.entity})"
    return None


def excluded_sources(engine: Engine) -> ir.Table:
    """Registry accounts whose posts never count: platform, account and the reason in two wordings."""
    rows = []
    for account in engine.registry.accounts:
        reason = exclusion_reason(account)
        if reason is not None:
            rows.append(
                {
                    "platform": account.platform,
                    "account": account.id,
                    "where_reason": f"published on {account.key}: {reason}",
                    "author_reason": f"written by {account.key}: {reason}",
                }
            )
    return engine.memtable(pa.Table.from_pylist(rows, schema=_LONG_SCHEMA))


def _flag_stages(stages: Mapping[str, Stage]) -> list[Stage]:
    return [s for s in stages.values() if "flags" in s.produces.names]


def flags_long(engine: Engine, posts: ir.Table, stages: Mapping[str, Stage] | None = None) -> ir.Table:
    """One row per (post, flag): ``platform``, ``id``, ``flag``, ``reason`` for the posts of ``posts``."""
    stages = pipeline.installed() if stages is None else stages
    keys = posts.select(*KEY).distinct()
    parts: list[ir.Table] = []
    cleared: list[ir.Table] = []
    for stage in _flag_stages(stages):
        if not has_run(engine, stage):
            continue
        rows = stage_rows(engine, stage).semi_join(keys, list(KEY))
        pairs = rows.select(*KEY, pair=rows.flags.zip(rows.flag_reasons).unnest())
        parts.append(pairs.select(*KEY, flag=pairs.pair.f1, reason=pairs.pair.f2.fill_null("")))
    for stage in stages.values():
        if "cleared_flags" in stage.produces.names and has_run(engine, stage):
            rows = stage_rows(engine, stage).semi_join(keys, list(KEY))
            cleared.append(rows.select(*KEY, flag=rows.cleared_flags.unnest()))
    sources = excluded_sources(engine)
    by_place = posts.inner_join(sources, [posts.platform == sources.platform, posts.account == sources.account])
    parts.append(
        by_place.select(posts.platform, posts.id, flag=ibis.literal(EXCLUDED_SOURCE), reason=sources.where_reason)
    )
    authored = posts.filter(posts.author.notnull() & (posts.author != posts.account))
    by_author = authored.inner_join(
        sources, [authored.platform == sources.platform, authored.author == sources.account]
    )
    parts.append(
        by_author.select(
            authored.platform, authored.id, flag=ibis.literal(EXCLUDED_SOURCE), reason=sources.author_reason
        )
    )
    flags = ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    if cleared:
        gone = ibis.union(*cleared, distinct=False) if len(cleared) > 1 else cleared[0]
        flags = flags.anti_join(gone, [*KEY, "flag"])
    return flags


def flags_wide(engine: Engine, posts: ir.Table, stages: Mapping[str, Stage] | None = None) -> ir.Table:
    """``platform``, ``id``, ``flags``, ``flag_reasons`` (parallel lists, sorted by flag) for flagged posts."""
    return widen_flags(flags_long(engine, posts, stages))


def widen_flags(long: ir.Table) -> ir.Table:
    """``platform``, ``id``, ``flags``, ``flag_reasons`` from one row per (post, flag, reason), sorted by flag then
    reason. The pairs are collected and then sorted as a list: an ordered aggregation would be shorter, but
    Spark has none."""
    pairs = long.group_by(*KEY).aggregate(_pairs=ibis.struct({"flag": long.flag, "reason": long.reason}).collect())
    ordered = pairs._pairs.sort()
    return pairs.select(*KEY, flags=ordered.map(lambda p: p.flag), flag_reasons=ordered.map(lambda p: p.reason))


def mentions_long(engine: Engine, stages: Mapping[str, Stage] | None = None) -> ir.Table | None:
    """One row per (post, mentioned entity): ``platform``, ``id``, ``entity``, ``match``.

    None when no installed stage links entities."""
    stage = producer_of("entities", stages)
    if stage is None:
        return None
    rows = stage_rows(engine, stage)
    if "matches" in stage.produces.names:
        pairs = rows.select(*KEY, pair=rows.entities.zip(rows.matches).unnest())
        return pairs.select(*KEY, entity=pairs.pair.f1, match=pairs.pair.f2)
    single = rows.select(*KEY, entity=rows.entities.unnest())
    return single.mutate(match=ibis.null("string"))


def producer_of(column: str, stages: Mapping[str, Stage] | None = None) -> Stage | None:
    """The installed stage that produces a single-valued standard ``column``, if any."""
    stages = pipeline.installed() if stages is None else stages
    name = pipeline.producers(stages).get(column)
    return stages[name] if name else None


@dataclass
class Annotated:
    """Posts with the standard enrichment columns, and what the reader could not supply."""

    table: ir.Table
    notes: list[str] = field(default_factory=list)


def annotate(engine: Engine, posts: ir.Table, stages: Mapping[str, Stage] | None = None) -> Annotated:
    """``posts`` (any table with ``platform``, ``id``, ``account``, ``author``) with the columns of
    :data:`~civicpulse.enrich.stage.EXPORTED` added, in that order."""
    stages = pipeline.installed() if stages is None else stages
    result = Annotated(posts)
    table = posts
    made = pipeline.producers(stages)
    by_stage: dict[str, list[str]] = {}
    for column in EXPORTED:
        if column in MERGED:
            continue
        name = made.get(column)
        if name is None:
            result.notes.append(f"{column}: no installed stage produces it, so it is empty")
        else:
            by_stage.setdefault(name, []).append(column)
    for name, columns in by_stage.items():
        stage = stages[name]
        if not has_run(engine, stage):
            result.notes.append(
                f"{', '.join(columns)}: stage {name} has not run on this data, so empty (run `civicpulse enrich`)"
            )
            continue
        rows = stage_rows(engine, stage).select(*KEY, *columns)
        table = table.left_join(rows, list(KEY)).drop("platform_right", "id_right")
    flags = flags_wide(engine, posts, stages)
    table = table.left_join(flags, list(KEY)).drop("platform_right", "id_right")
    empty = ibis.literal([], type="array<string>")
    table = table.mutate(flags=table.flags.fill_null(empty), flag_reasons=table.flag_reasons.fill_null(empty))
    if not _flag_stages(stages):
        result.notes.append("flags: only registry exclusions (excluded_source); no installed stage flags bots or spam")
    missing = {c: ibis.null(_ibis_type(c)) for c in EXPORTED if c not in table.columns}
    if missing:
        table = table.mutate(**missing)
    result.table = table
    return result


def _ibis_type(column: str) -> str:
    kind = STANDARD[column]
    if pa.types.is_list(kind):
        return "array<string>"
    if pa.types.is_floating(kind):
        return "float32"
    return "string"
