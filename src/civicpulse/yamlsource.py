"""YAML loading that remembers where every key came from.

Validation errors must name the key path *and* the line, so we compose the YAML node tree
ourselves and keep a map from the key path (as pydantic reports it) to the line of that node.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from civicpulse.errors import Problem

Loc = tuple[str | int, ...]


@dataclass
class Located:
    """A YAML document as plain Python data, with the line of every node by key path."""

    data: Any
    source: str
    lines: dict[Loc, int] = field(default_factory=dict)
    duplicates: list[Problem] = field(default_factory=list)

    def line(self, loc: Sequence[str | int]) -> int | None:
        """The line of the deepest node on ``loc`` that the document has (1-based)."""
        path = tuple(loc)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def problem(self, loc: Sequence[str | int], reason: str) -> Problem:
        line = self.line(loc)
        where = f"{self.source}:{line}" if line else self.source
        return Problem(where, dotted(loc), reason)

    def problems(self, error: ValidationError) -> list[Problem]:
        """Each pydantic error as a located problem."""
        out = []
        for item in error.errors():
            loc = tuple(p for p in item["loc"] if not _is_union_tag(p))
            out.append(self.problem(loc, item["msg"]))
        return out


def _is_union_tag(part: object) -> bool:
    # pydantic inserts the chosen union member or a validator name into ``loc``; drop those
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)


def dotted(loc: Sequence[str | int]) -> str:
    """``('entities', 3, 'name')`` as ``entities[3].name``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


class YamlSyntaxError(Exception):
    """YAML that does not parse, with the located problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def load_located(text: str, source: str) -> Located:
    """Parse YAML text, keeping lines; raises :class:`YamlSyntaxError` on broken YAML."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise YamlSyntaxError(Problem(where, "(syntax)", str(exc.problem or exc))) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(source, "(syntax)", str(exc))) from exc
    located = Located(data=None, source=source)
    if node is not None:
        located.data = _build(node, (), located)
    return located


def load_file(path: Path) -> Located:
    return load_located(path.read_text(encoding="utf-8-sig"), str(path))


MERGE_TAG = "tag:yaml.org,2002:merge"


def _scalar(node: yaml.Node, loc: Loc, located: Located) -> Any:
    # a fresh constructor per scalar keeps the usual tag rules (ints, bools, dates, nulls)
    try:
        return yaml.SafeLoader("").construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:
        # an unknown tag (!custom, !!python/...) or a value its tag cannot hold (2024-13-45, !!int x)
        reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else str(exc)
        where = f"{located.source}:{node.start_mark.line + 1}"
        raise YamlSyntaxError(Problem(where, dotted(loc), reason)) from exc


def _build(node: yaml.Node, loc: Loc, located: Located, ancestors: frozenset[int] = frozenset()) -> Any:
    located.lines.setdefault(loc, node.start_mark.line + 1)
    if id(node) in ancestors:
        # ``&a [*a]`` composes into a node that contains itself; building it would never end
        where = f"{located.source}:{node.start_mark.line + 1}"
        raise YamlSyntaxError(Problem(where, dotted(loc), "an alias refers to a node that contains it"))
    ancestors = ancestors | {id(node)}
    if isinstance(node, yaml.MappingNode):
        # merge keys (``<<: *defaults``) first, so that the mapping's own keys override them
        out: dict[str, Any] = _merged(node, loc, located, ancestors)
        own: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            raw_key = _scalar(key_node, loc, located)
            key = raw_key if isinstance(raw_key, str) else str(raw_key)
            if key in own:
                where = f"{located.source}:{key_node.start_mark.line + 1}"
                located.duplicates.append(Problem(where, dotted((*loc, key)), "duplicate key"))
            own.add(key)
            located.lines[(*loc, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*loc, key), located, ancestors)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*loc, i), located, ancestors) for i, item in enumerate(node.value)]
    return _scalar(node, loc, located)


def _merged(node: yaml.MappingNode, loc: Loc, located: Located, ancestors: frozenset[int]) -> dict[str, Any]:
    """The keys a mapping takes from its ``<<`` merge keys; an earlier source wins, as in YAML's merge spec."""
    sources: list[yaml.Node] = []
    for key_node, value_node in node.value:
        if key_node.tag == MERGE_TAG:
            sources += value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
    out: dict[str, Any] = {}
    for source in reversed(sources):
        if not isinstance(source, yaml.MappingNode):
            where = f"{located.source}:{source.start_mark.line + 1}"
            raise YamlSyntaxError(Problem(where, dotted((*loc, "<<")), "a merge key needs a mapping or a list of them"))
        # lines of merged keys point at the anchored mapping, where their values are written
        out.update(_build(source, loc, located, ancestors))
    return out
