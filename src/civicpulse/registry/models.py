"""The registry: who is monitored, where they publish, and which sources never count.

Entities form a hierarchy (country, region, district, ministry, city...). Accounts tie a
platform's page to an entity with a role. Persons are the heads whose personal accounts are
rated separately. Sources cite where every population figure comes from.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from civicpulse.platforms import normalise_platform

Role = Literal["official", "personal", "media", "excluded"]
LangCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]


def _to_str(value: object) -> object:
    # YAML reads an unquoted VK id such as -100 as an int; ids are always strings here
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Ident = Annotated[str, BeforeValidator(_to_str), Field(min_length=1, pattern=r"^\S+$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where a figure comes from."""

    title: str
    url: list[str] = Field(default_factory=list)
    accessed: dt.date | None = None
    note: str | None = None


class Entity(Strict):
    """A public body, or the territory it governs."""

    id: Ident
    kind: Annotated[str, Field(pattern=r"^[a-z][a-z_-]*$")]
    parent: Ident | None = None
    name: dict[LangCode, str] = Field(default_factory=dict)
    population: Annotated[int, Field(ge=0)] | None = None
    population_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    population_date: dt.date | None = None
    population_source: str | None = None
    codes: dict[str, Annotated[str, BeforeValidator(_to_str)]] = Field(default_factory=dict)
    aliases: dict[LangCode, list[str]] = Field(default_factory=dict)
    note: str | None = None

    def display_name(self, lang: str) -> str:
        """The name in ``lang``, else Russian, else English, else any, else the id."""
        for code in (lang, "ru", "en"):
            if self.name.get(code):
                return self.name[code]
        return next(iter(self.name.values()), self.id)

    def population_year_or_date(self) -> int | None:
        if self.population_year is not None:
            return self.population_year
        return self.population_date.year if self.population_date else None


class Account(Strict):
    """A page, channel, group or profile on one platform."""

    platform: str
    id: Ident
    entity: Ident
    role: Role
    person: Ident | None = None
    name: str | None = None
    url: str | None = None
    paid: bool = Field(default=False, description="A media outlet that carries paid placements.")
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    simulated: bool = False
    note: str | None = None

    @field_validator("platform", mode="before")
    @classmethod
    def _platform(cls, value: object) -> object:
        return normalise_platform(value) if isinstance(value, str) else value

    @property
    def key(self) -> str:
        """``platform:id``, the participant name of an account."""
        return f"{self.platform}:{self.id}"


class Person(Strict):
    """A head of a body, whose personal accounts are rated apart from the official ones."""

    id: Ident
    entity: Ident
    position: dict[LangCode, str] = Field(default_factory=dict)
    name: dict[LangCode, str] = Field(default_factory=dict)


class Registry(Strict):
    """The whole monitored universe."""

    timezone: str
    title: str | None = None
    sources: dict[str, Source] = Field(default_factory=dict)
    entities: list[Entity] = Field(default_factory=list)
    accounts: list[Account] = Field(default_factory=list)
    persons: list[Person] = Field(default_factory=list)

    def entity(self, entity_id: str) -> Entity:
        return self._entities[entity_id]

    def has_entity(self, entity_id: str) -> bool:
        return entity_id in self._entities

    def account(self, platform: str, account_id: str) -> Account | None:
        return self._accounts.get((platform, account_id))

    def children(self, entity_id: str) -> list[Entity]:
        return [e for e in self.entities if e.parent == entity_id]

    def accounts_of(self, entity_id: str) -> list[Account]:
        return [a for a in self.accounts if a.entity == entity_id]

    @cached_property
    def _entities(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    @cached_property
    def _accounts(self) -> dict[tuple[str, str], Account]:
        return {(a.platform, a.id): a for a in self.accounts}
