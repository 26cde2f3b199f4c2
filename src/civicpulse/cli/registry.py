"""``civicpulse registry ...``: load, show and inspect the monitored universe."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from civicpulse.cli.context import get, out
from civicpulse.enrich.aliases import registry_forms
from civicpulse.enrich.mentions import Matcher
from civicpulse.errors import CivicpulseError
from civicpulse.registry import loader

registry_app = typer.Typer(help="The registry: entities, their accounts, persons, exclusions.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(registry_app, name="registry")


@registry_app.command("load")
def load_cmd(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A registry YAML file, or bundled:<name> (e.g. bundled:kz).")],
) -> None:
    """Validate a registry file and make it the registry in force (replacing the previous one)."""
    registry, text = loader.load(source)
    version = get(ctx).home.save_registry(text)
    out.print(
        f"registry {text.source} loaded (version {version}): {len(registry.entities)} entities, "
        f"{len(registry.accounts)} accounts, {len(registry.persons)} persons; time zone {registry.timezone}"
    )


@registry_app.command("show")
def show_cmd(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="table, yaml or json.")] = "table",
    lang: Annotated[str, typer.Option("--lang", help="Language of names in the table.")] = "ru",
) -> None:
    """Print the registry in force."""
    home = get(ctx).home
    text = home.registry_text()
    registry = home.registry()
    if fmt == "yaml":
        out.print(text.text, markup=False, end="")
        return
    if fmt == "json":
        out.print(json.dumps(registry.model_dump(mode="json"), ensure_ascii=False, indent=1), markup=False)
        return
    out.print(f"registry: {text.source} (sha256 {text.sha256[:12]}), time zone {registry.timezone}")
    entities = Table("id", "kind", "parent", "name", "population", "year", "accounts", title="entities")
    counts: dict[str, int] = {}
    for account in registry.accounts:
        counts[account.entity] = counts.get(account.entity, 0) + 1
    for e in registry.entities:
        population = f"{e.population:,}".replace(",", " ") if e.population is not None else "-"
        year = str(e.population_year_or_date() or "-")
        entities.add_row(e.id, e.kind, e.parent or "", e.display_name(lang), population, year, str(counts.get(e.id, 0)))
    out.print(entities)
    if registry.accounts:
        accounts = Table("platform", "id", "entity", "role", "person", "name", title="accounts")
        for a in registry.accounts:
            accounts.add_row(a.platform, a.id, a.entity, a.role, a.person or "", a.name or "")
        out.print(accounts)
    if registry.persons:
        persons = Table("id", "entity", "name", "position", title="persons")
        for p in registry.persons:
            persons.add_row(p.id, p.entity, p.name.get(lang, next(iter(p.name.values()), "")), p.position.get(lang, ""))
        out.print(persons)


@registry_app.command("bundled")
def bundled_cmd() -> None:
    """List the registries shipped with civicpulse."""
    for name in loader.bundled_names():
        out.print(f"{loader.BUNDLED_PREFIX}{name}")


@registry_app.command("aliases")
def aliases_cmd(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="An entity id (e.g. kz-atyrau).")],
    lang: Annotated[str, typer.Option("--lang", help="Only forms of aliases in this language.")] = "",
) -> None:
    """Every form the mentions stage searches for an entity: each alias in every case, suffix rule, spelling."""
    registry = get(ctx).home.registry()
    if not registry.has_entity(entity):
        raise CivicpulseError(f"no entity {entity!r} in the registry (see `civicpulse registry show`)")
    forms = [f for f in registry_forms(registry, [entity]) if not lang or f.lang == lang]
    # keys another entity also has link to neither: say so next to the form
    ambiguous = Matcher.from_forms(registry_forms(registry)).ambiguous
    table = Table("lang", "match", "form (folded)", "made by", "alias", title=f"{entity}: {len(forms)} forms")
    for form in forms:
        match = "word" if form.mode == "word" else "stem+suffix"
        if form.caps:
            match += ", capitals"
        if form.key in ambiguous:
            match += f", ambiguous with {', '.join(e for e in ambiguous[form.key] if e != entity)}: not used"
        table.add_row(form.lang, match, form.key, form.how, form.alias)
    out.print(table)
    if not forms:
        out.print(f"{entity} has no aliases{' in ' + lang if lang else ''}: no text can mention it")
