"""Reading and checking a registry file; every problem names its key path and line."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from civicpulse.errors import Problem, RegistryError
from civicpulse.periods import zone
from civicpulse.registry.models import Registry
from civicpulse.yamlsource import Located, YamlSyntaxError, load_located

BUNDLED_PREFIX = "bundled:"


@dataclass(frozen=True)
class RegistryText:
    """A registry's YAML text with where it came from; what the store keeps."""

    text: str
    source: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def bundled_names() -> list[str]:
    """Names of the registries shipped with civicpulse (``bundled:<name>``)."""
    folder = resources.files("civicpulse.registry") / "bundled"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def read_text(spec: str) -> RegistryText:
    """The text of a registry file, or of a bundled one given as ``bundled:<name>``."""
    if spec.startswith(BUNDLED_PREFIX):
        name = spec.removeprefix(BUNDLED_PREFIX)
        if name not in bundled_names():
            known = ", ".join(BUNDLED_PREFIX + n for n in bundled_names())
            raise RegistryError(f"no bundled registry {name!r} (known: {known})", [])
        ref = resources.files("civicpulse.registry") / "bundled" / f"{name}.yaml"
        return RegistryText(ref.read_text(encoding="utf-8"), spec)
    path = Path(spec)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"cannot read registry {path}: {exc.strerror}", []) from exc
    try:
        return RegistryText(raw.decode("utf-8-sig"), str(path))
    except UnicodeDecodeError as exc:
        problem = Problem(str(path), "(file)", f"not UTF-8 at byte {exc.start}")
        raise RegistryError(f"registry {path} is not valid", [problem]) from exc


def parse(text: RegistryText) -> Registry:
    """Validate a registry text; raises :class:`RegistryError` listing every problem."""
    try:
        located = load_located(text.text, text.source)
    except YamlSyntaxError as exc:
        raise RegistryError(f"registry {text.source} is not valid YAML", [exc.problem]) from exc
    if not isinstance(located.data, dict):
        problem = located.problem((), "expected a mapping with timezone, entities, accounts")
        raise RegistryError(f"registry {text.source} is not valid", [problem])
    problems = list(located.duplicates)
    try:
        registry = Registry.model_validate(located.data)
    except ValidationError as exc:
        raise RegistryError(f"registry {text.source} is not valid", problems + located.problems(exc)) from exc
    problems += _cross_check(registry, located)
    if problems:
        raise RegistryError(f"registry {text.source} is not valid", problems)
    return registry


def load(spec: str) -> tuple[Registry, RegistryText]:
    """Read and validate a registry file or bundled name."""
    text = read_text(spec)
    return parse(text), text


def _cross_check(registry: Registry, located: Located) -> list[Problem]:
    """Checks that span records: unique ids, known references, no cycles, a real time zone."""
    problems: list[Problem] = []
    try:
        zone(registry.timezone)
    except Exception:
        problems.append(located.problem(("timezone",), f"unknown time zone {registry.timezone!r}"))

    entity_ids = Counter(e.id for e in registry.entities)
    parents = {e.id: e.parent for e in registry.entities}
    for i, entity in enumerate(registry.entities):
        if entity_ids[entity.id] > 1:
            problems.append(located.problem(("entities", i, "id"), f"duplicate entity id {entity.id!r}"))
        if entity.parent is not None and entity.parent not in parents:
            problems.append(located.problem(("entities", i, "parent"), f"unknown entity {entity.parent!r}"))
        if entity.population_source and entity.population_source not in registry.sources:
            problems.append(
                located.problem(("entities", i, "population_source"), f"unknown source {entity.population_source!r}")
            )
        if _in_cycle(entity.id, parents):
            problems.append(located.problem(("entities", i, "parent"), "the parent chain loops back"))

    person_ids = {p.id for p in registry.persons}
    seen: Counter[tuple[str, str]] = Counter((a.platform, a.id) for a in registry.accounts)
    for i, account in enumerate(registry.accounts):
        if seen[(account.platform, account.id)] > 1:
            problems.append(located.problem(("accounts", i, "id"), f"duplicate account {account.key}"))
        if account.entity not in parents:
            problems.append(located.problem(("accounts", i, "entity"), f"unknown entity {account.entity!r}"))
        if account.person is not None and account.person not in person_ids:
            problems.append(located.problem(("accounts", i, "person"), f"unknown person {account.person!r}"))
        if account.role == "personal" and account.person is None:
            problems.append(located.problem(("accounts", i, "person"), "a personal account needs a person"))
        if account.active_from and account.active_to and account.active_to < account.active_from:
            problems.append(located.problem(("accounts", i, "active_to"), "ends before it starts"))

    person_counts = Counter(p.id for p in registry.persons)
    for i, person in enumerate(registry.persons):
        if person_counts[person.id] > 1:
            problems.append(located.problem(("persons", i, "id"), f"duplicate person id {person.id!r}"))
        if person.entity not in parents:
            problems.append(located.problem(("persons", i, "entity"), f"unknown entity {person.entity!r}"))
    return problems


def _in_cycle(start: str, parents: dict[str, str | None]) -> bool:
    seen = {start}
    current = parents.get(start)
    while current is not None:
        if current in seen:
            return current == start
        seen.add(current)
        current = parents.get(current)
    return False
