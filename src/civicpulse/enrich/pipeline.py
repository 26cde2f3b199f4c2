"""The installed stages, checked, and the order that runs producers before their consumers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyarrow as pa

from civicpulse import plugins
from civicpulse.enrich.stage import MERGED, Stage, StageContext, check_stage
from civicpulse.errors import ConfigError
from civicpulse.records.schema import BOOKKEEPING, POSTS


def installed() -> dict[str, Stage]:
    """Every stage the installed plugins provide, checked (see :func:`check_pipeline`)."""
    found = plugins.stages()
    stages: dict[str, Stage] = {}
    for name, stage in found.items():
        if not isinstance(stage, Stage):
            raise ConfigError(f"plugin stage {name!r} is not a civicpulse.enrich.stage.Stage")
        if stage.name != name:
            raise ConfigError(f"plugin stage registered as {name!r} is named {stage.name!r}")
        stages[name] = stage
    check_pipeline(stages)
    return stages


def producers(stages: Mapping[str, Stage]) -> dict[str, str]:
    """Column -> the stage producing it (single-valued columns only)."""
    out: dict[str, str] = {}
    for stage in stages.values():
        for column in stage.produces.names:
            if column in MERGED:
                continue
            if column in out:
                raise ConfigError(f"stages {out[column]} and {stage.name} both produce the column {column!r}")
            out[column] = stage.name
    return out


def check_pipeline(stages: Mapping[str, Stage]) -> None:
    """Every stage valid, every single-valued column produced once, every requirement met, no cycle."""
    for stage in stages.values():
        check_stage(stage)
    made = producers(stages)
    for stage in stages.values():
        for column in stage.requires:
            if column not in POSTS.names and column not in made:
                raise ConfigError(
                    f"stage {stage.name} requires {column!r}, which is neither a post column nor produced by a stage"
                )
    order(stages, list(stages))


def upstream(stage: Stage, stages: Mapping[str, Stage]) -> list[str]:
    """Names of the stages whose columns ``stage`` requires."""
    made = producers(stages)
    return sorted({made[c] for c in stage.requires if c in made and c not in POSTS.names})


def order(stages: Mapping[str, Stage], selected: Iterable[str]) -> list[Stage]:
    """``selected`` stages and everything they depend on, producers first; raises on cycles and unknown names."""
    result: list[Stage] = []
    state: dict[str, str] = {}

    def visit(name: str, path: Sequence[str]) -> None:
        if name not in stages:
            known = ", ".join(sorted(stages)) or "none installed"
            raise ConfigError(f"unknown stage {name!r} (known: {known})")
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            raise ConfigError(f"stages depend on each other in a cycle: {' -> '.join([*path, name])}")
        state[name] = "active"
        for dep in upstream(stages[name], stages):
            visit(dep, [*path, name])
        state[name] = "done"
        result.append(stages[name])

    for name in selected:
        visit(name, [])
    return result


def effective_versions(
    stages: Sequence[Stage], all_stages: Mapping[str, Stage], context: StageContext
) -> dict[str, str]:
    """The effective version of each stage of ``stages`` (given in dependency order)."""
    versions: dict[str, str] = {}
    for stage in stages:
        deps = {dep: versions[dep] for dep in upstream(stage, all_stages)}
        versions[stage.name] = stage.effective_version(context, deps)
    return versions


def table_schema(stage: Stage) -> pa.Schema:
    """The lake schema of a stage's results: key, text hash, effective version, produced columns, bookkeeping."""
    return pa.schema(
        [
            pa.field("platform", pa.string(), False),
            pa.field("id", pa.string(), False),
            pa.field("text_md5", pa.string(), False),
            pa.field("version", pa.string(), False),
            *stage.produces,
            *BOOKKEEPING,
        ]
    )
