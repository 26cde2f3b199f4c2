"""Methodology files: who takes part, which metrics, how places are made.

::

    name: pages
    title: {ru: ..., en: ...}
    participants:
      level: account          # account (participant = platform:id) or entity (participant = entity id)
      kind: region            # entities of this kind...
      entities: [kz-atyrau]   # ...or exactly these (optional)
      roles: [official]       # which of their accounts count ([] with level entity: no account needed)
      platforms: [instagram]  # optional
    metrics:
      - followers                                  # a catalogue metric, direction from the catalogue
      - {name: er, direction: desc, weight: 2}     # weight multiplies the rank in the points
    rank_method: min          # min (1,2,2,4), dense (1,2,2,3) or max (1,3,3,4)
    tie_break: [engagement]   # equal points: better rank in these metrics first; none = shared place
    expert_scores: {file: experts.csv, weight: 1, direction: desc}   # columns participant,score
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from civicpulse.errors import MethodologyError, Problem
from civicpulse.metrics.catalogue import CATALOGUE, Direction
from civicpulse.platforms import normalise_platform
from civicpulse.yamlsource import Located, YamlSyntaxError, load_located

EXPERT = "expert"
Role = Literal["official", "personal", "media", "excluded"]


def _official() -> list[Role]:
    return ["official"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Participants(_Model):
    level: Literal["account", "entity"] = "account"
    kind: str | None = None
    entities: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=_official)
    platforms: list[str] = Field(default_factory=list)

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: list[str]) -> list[str]:
        return [normalise_platform(p) for p in value]

    @model_validator(mode="after")
    def _some(self) -> Participants:
        if self.kind is None and not self.entities:
            raise ValueError("give an entity kind or a list of entities")
        return self


class MetricSpec(_Model):
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    metric: str | None = None
    """Catalogue metric computed (default: ``name``)."""
    direction: Direction | None = None
    weight: Annotated[float, Field(gt=0)] = 1.0

    @property
    def catalogue_name(self) -> str:
        return self.metric or self.name

    @property
    def resolved_direction(self) -> Direction:
        return self.direction or CATALOGUE[self.catalogue_name].direction


class ExpertScores(_Model):
    file: str
    weight: Annotated[float, Field(gt=0)] = 1.0
    direction: Direction = "desc"


class Methodology(_Model):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    title: dict[str, str] = Field(default_factory=dict)
    description: str | None = None
    participants: Participants
    metrics: Annotated[list[MetricSpec], Field(min_length=1)]
    rank_method: Literal["min", "dense", "max"] = "min"
    tie_break: list[str] = Field(default_factory=list)
    expert_scores: ExpertScores | None = None

    @field_validator("metrics", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    def display_title(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.name


class LoadedMethodology(BaseModel):
    """A validated methodology with its expert scores and a hash of everything that shapes it."""

    model_config = ConfigDict(frozen=True)

    spec: Methodology
    source: str
    expert: dict[str, float] = Field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def sha256(self) -> str:
        body = {"spec": self.spec.model_dump(mode="json"), "expert": sorted(self.expert.items())}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()

    @property
    def metric_names(self) -> list[str]:
        names = [m.name for m in self.spec.metrics]
        return [*names, EXPERT] if self.spec.expert_scores else names


def builtin_names() -> list[str]:
    folder = resources.files("civicpulse.rating") / "builtin"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load(spec: str) -> LoadedMethodology:
    """A built-in methodology by name, or a methodology YAML file by path."""
    if spec in builtin_names():
        ref = resources.files("civicpulse.rating") / "builtin" / f"{spec}.yaml"
        return parse(ref.read_text(encoding="utf-8"), f"builtin:{spec}", base=None)
    path = Path(spec)
    if not path.exists():
        known = ", ".join(builtin_names())
        raise MethodologyError(f"no methodology {spec!r}: not a file and not a built-in ({known})", [])
    return parse(path.read_text(encoding="utf-8-sig"), str(path), base=path.parent)


def parse(text: str, source: str, base: Path | None) -> LoadedMethodology:
    try:
        located = load_located(text, source)
    except YamlSyntaxError as exc:
        raise MethodologyError(f"methodology {source} is not valid YAML", [exc.problem]) from exc
    try:
        spec = Methodology.model_validate(located.data)
    except ValidationError as exc:
        raise MethodologyError(f"methodology {source} is not valid", located.problems(exc)) from exc
    problems = located.duplicates + _check(spec, located)
    if problems:
        raise MethodologyError(f"methodology {source} is not valid", problems)
    expert: dict[str, float] = {}
    if spec.expert_scores is not None:
        expert = _read_expert(spec.expert_scores.file, base, source)
    return LoadedMethodology(spec=spec, source=source, expert=expert)


def _check(spec: Methodology, located: Located) -> list[Problem]:
    problems = []
    names = [m.name for m in spec.metrics]
    for i, metric in enumerate(spec.metrics):
        if metric.catalogue_name not in CATALOGUE:
            known = ", ".join(sorted(CATALOGUE))
            problems.append(
                located.problem(("metrics", i), f"unknown metric {metric.catalogue_name!r} (known: {known})")
            )
        if names.count(metric.name) > 1 or metric.name == EXPERT:
            problems.append(located.problem(("metrics", i, "name"), f"metric name {metric.name!r} is taken"))
    for i, name in enumerate(spec.tie_break):
        if name not in names and not (name == EXPERT and spec.expert_scores):
            problems.append(located.problem(("tie_break", i), f"{name!r} is not one of this methodology's metrics"))
    return problems


def _read_expert(file: str, base: Path | None, source: str) -> dict[str, float]:
    path = Path(file) if base is None or Path(file).is_absolute() else base / file
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise MethodologyError(f"{source}: expert_scores.file: cannot read {path}: {exc.strerror}", []) from exc
    scores: dict[str, float] = {}
    problems = []
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"participant", "score"} <= set(reader.fieldnames):
            raise MethodologyError(f"{path}: expected columns participant,score", [])
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if row.get(None):
                problems.append(Problem(where, "(row)", "more cells than columns"))
                continue
            try:
                scores[row["participant"].strip()] = float(row["score"].replace(",", "."))
            except (ValueError, AttributeError):
                problems.append(Problem(where, "score", f"not a number: {row.get('score')!r}"))
    if problems:
        raise MethodologyError(f"expert scores {path} are not valid", problems)
    return scores
