"""Registry loading: every problem names its key path and line; the bundled registries hold what they promise."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from civicpulse.errors import Problem, RegistryError
from civicpulse.registry import loader
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.registry.models import Registry

SOURCE = "watch.yaml"

# A small universe of our own: a country, two regions, a district, a head and three accounts.
VALID = """\
timezone: Asia/Almaty
title: Test universe
sources:
  census:
    title: Made-up census for tests
    url: [https://example.org/census]
    accessed: 2026-01-15
entities:
  - id: land
    kind: country
    name: {ru: Страна, en: Land}
  - id: steppe
    kind: region
    parent: land
    name: {ru: Степная область, kk: Дала облысы, en: Steppe Region}
    population: 650000
    population_year: 2024
    population_date: 2024-07-01
    population_source: census
    codes: {kato: 990000000}
    aliases:
      ru: [акимат Степной области]
  - id: coast
    kind: region
    parent: land
    name: {ru: Береговая область}
  - id: steppe-north
    kind: district
    parent: steppe
    name: {ru: Северный район}
persons:
  - id: head-steppe
    entity: steppe
    name: {ru: Иван Тестов}
    position: {ru: аким}
accounts:
  - platform: vk
    id: -100
    entity: steppe
    role: official
  - platform: tg
    id: steppe_head
    entity: steppe
    role: personal
    person: head-steppe
  - platform: instagram
    id: coast.gov
    entity: coast
    role: official
"""


def parse_text(text: str) -> Registry:
    return parse(RegistryText(text, SOURCE))


def problems_of(text: str) -> list[Problem]:
    """The problems ``text`` is rejected with (the test fails if it loads)."""
    with pytest.raises(RegistryError) as caught:
        parse_text(text)
    assert caught.value.problems, "a registry error without problems tells the user nothing"
    return caught.value.problems


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``text`` that contains ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} is not in the test text {occurrence} time(s)"
    return hits[occurrence - 1]


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def the_problem(problems: list[Problem], field: str) -> Problem:
    found = [p for p in problems if p.field == field]
    assert len(found) == 1, f"expected one problem at {field}, got {problems}"
    return found[0]


def test_valid_registry_loads() -> None:
    registry = parse_text(VALID)

    assert registry.timezone == "Asia/Almaty"
    assert [e.id for e in registry.entities] == ["land", "steppe", "coast", "steppe-north"]
    assert [e.id for e in registry.children("steppe")] == ["steppe-north"]
    steppe = registry.entity("steppe")
    assert steppe.population == 650000
    assert steppe.population_source == "census"
    assert steppe.codes == {"kato": "990000000"}  # an unquoted number still becomes a string code
    assert steppe.display_name("kk") == "Дала облысы"
    assert registry.entity("coast").display_name("kk") == "Береговая область"  # falls back to Russian
    vk = registry.account("vk", "-100")  # YAML reads -100 as a number; ids are strings
    assert vk is not None and vk.entity == "steppe"
    personal = registry.account("telegram", "steppe_head")  # "tg" is normalised to "telegram"
    assert personal is not None and personal.person == "head-steppe" and personal.key == "telegram:steppe_head"
    assert registry.sources["census"].accessed is not None


@dataclass(frozen=True)
class Broken:
    """One edit that breaks :data:`VALID`, and the problem it must produce."""

    name: str
    old: str
    new: str
    field: str
    at: str  # text on the line the problem must point to
    reason: str


BROKEN = [
    Broken(
        "wrong-type",
        "population: 650000",
        "population: many",
        "entities[1].population",
        "population: many",
        "valid integer",
    ),
    Broken(
        "unknown-parent",
        "parent: steppe\n",
        "parent: tundra\n",
        "entities[3].parent",
        "parent: tundra",
        "unknown entity 'tundra'",
    ),
    Broken(
        "unknown-timezone",
        "timezone: Asia/Almaty",
        "timezone: Asia/Atlantis",
        "timezone",
        "timezone:",
        "unknown time zone",
    ),
    # the key is missing, so the problem points at the start of the account
    Broken(
        "personal-account-without-person",
        "    person: head-steppe\n",
        "",
        "accounts[1].person",
        "- platform: tg",
        "needs a person",
    ),
    Broken(
        "unknown-platform",
        "platform: instagram",
        "platform: myspace",
        "accounts[2].platform",
        "platform: myspace",
        "unknown platform 'myspace'",
    ),
    Broken(
        "unknown-account-entity",
        "entity: coast\n",
        "entity: lagoon\n",
        "accounts[2].entity",
        "entity: lagoon",
        "unknown entity 'lagoon'",
    ),
    Broken(
        "unknown-population-source",
        "population_source: census",
        "population_source: rumour",
        "entities[1].population_source",
        "population_source: rumour",
        "unknown source 'rumour'",
    ),
    Broken(
        "unknown-person-entity",
        "    entity: steppe\n    name: {ru: Иван",
        "    entity: marsh\n    name: {ru: Иван",
        "persons[0].entity",
        "entity: marsh",
        "unknown entity 'marsh'",
    ),
    Broken("unknown-role", "    role: personal\n", "    role: boss\n", "accounts[1].role", "role: boss", "'official'"),
    Broken(
        "unknown-key",
        "name: {ru: Береговая область}",
        "name: {ru: Береговая область}\n    colour: blue",
        "entities[2].colour",
        "colour: blue",
        "Extra inputs are not permitted",
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_each_problem_names_key_path_and_line(case: Broken) -> None:
    text = replace_once(VALID, case.old, case.new)

    problem = the_problem(problems_of(text), case.field)

    assert problem.where == f"{SOURCE}:{line_of(text, case.at)}"
    assert case.reason in problem.reason
    assert str(problem) == f"{SOURCE}:{line_of(text, case.at)}: {case.field}: {problem.reason}"


def test_duplicate_entity_id_points_at_both_records() -> None:
    text = replace_once(VALID, "  - id: coast\n", "  - id: steppe\n")

    problems = problems_of(text)

    assert {p.field for p in problems} >= {"entities[1].id", "entities[2].id"}
    second = the_problem(problems, "entities[2].id")
    assert second.where == f"{SOURCE}:{line_of(text, '- id: steppe', occurrence=2)}"
    assert "duplicate entity id 'steppe'" in second.reason


def test_duplicate_yaml_key_is_reported_at_the_second_key() -> None:
    text = replace_once(VALID, "    kind: district\n", "    kind: district\n    kind: region\n")

    problem = the_problem(problems_of(text), "entities[3].kind")

    assert problem.where == f"{SOURCE}:{line_of(text, 'kind: region', occurrence=3)}"
    assert problem.reason == "duplicate key"


def test_broken_yaml_syntax_names_the_line() -> None:
    text = replace_once(VALID, "name: {ru: Северный район}", "name: ru: Северный район")

    problem = the_problem(problems_of(text), "(syntax)")

    assert problem.where == f"{SOURCE}:{line_of(text, 'name: ru: Северный район')}"
    assert "mapping values are not allowed" in problem.reason


def test_unclosed_flow_mapping_is_a_syntax_problem_with_a_line() -> None:
    text = replace_once(VALID, "name: {ru: Северный район}", "name: {ru: Северный район")

    problem = the_problem(problems_of(text), "(syntax)")

    assert re.fullmatch(rf"{re.escape(SOURCE)}:\d+", problem.where)
    assert int(problem.where.rsplit(":", 1)[1]) >= line_of(text, "name: {ru: Северный район")


@pytest.mark.parametrize(
    ("old", "new", "field", "reason"),
    [
        ("accessed: 2026-01-15", "accessed: 2026-13-45", "sources.census.accessed", "month must be in 1..12"),
        ("population: 650000", "population: !!int many", "entities[1].population", "invalid literal for int()"),
        ("timezone: Asia/Almaty", "timezone: !vault Asia/Almaty", "timezone", "constructor for the tag '!vault'"),
        ("timezone: Asia/Almaty", "timezone: !!python/name:os.system x", "timezone", "could not determine"),
    ],
    ids=["impossible-date", "bad-explicit-int", "unknown-tag", "python-tag"],
)
def test_values_yaml_cannot_build_are_located_problems(old: str, new: str, field: str, reason: str) -> None:
    # these used to escape as a bare ValueError or ConstructorError, i.e. a traceback instead of a message
    text = replace_once(VALID, old, new)

    problem = the_problem(problems_of(text), field)

    assert problem.where == f"{SOURCE}:{line_of(text, new)}"
    assert reason in problem.reason


MERGED = """\
timezone: Asia/Almaty
entities:
  - &region-defaults
    id: steppe
    kind: region
    parent: land
    population: {population}
  - {{id: land, kind: country}}
  - <<: *region-defaults
    id: coast
    population: 90000
  - {{<<: [*region-defaults], id: marsh}}
"""


def test_yaml_merge_keys_work_and_own_keys_win() -> None:
    registry = parse_text(MERGED.format(population=120000))

    coast, marsh = registry.entity("coast"), registry.entity("marsh")
    assert (coast.kind, coast.parent, coast.population) == ("region", "land", 90000)
    assert (marsh.kind, marsh.parent, marsh.population) == ("region", "land", 120000)


def test_a_bad_merged_value_points_at_the_anchor_where_it_is_written() -> None:
    text = MERGED.format(population="lots")

    problems = problems_of(text)

    marsh = the_problem(problems, "entities[3].population")
    assert marsh.where == f"{SOURCE}:{line_of(text, 'population: lots')}"
    assert not any(p.field == "entities[2].population" for p in problems)  # coast sets its own


def test_a_merge_key_must_merge_a_mapping() -> None:
    text = MERGED.format(population=1).replace("[*region-defaults]", "5")

    problem = the_problem(problems_of(text), "entities[3].<<")

    assert problem.where == f"{SOURCE}:{line_of(text, '<<: 5')}"


def test_an_alias_inside_its_own_anchor_is_a_problem_not_a_recursion_error() -> None:
    text = "timezone: Asia/Almaty\nentities: &loop [*loop]\n"

    problem = the_problem(problems_of(text), "entities[0]")

    assert problem.where == f"{SOURCE}:2"
    assert "contains it" in problem.reason


def test_parent_cycle_is_reported_on_every_entity_in_it() -> None:
    text = replace_once(VALID, "    kind: country\n", "    kind: country\n    parent: steppe-north\n")

    problems = problems_of(text)

    looped = {p.field for p in problems if "loops back" in p.reason}
    assert looped == {"entities[0].parent", "entities[1].parent", "entities[3].parent"}
    assert the_problem(problems, "entities[0].parent").where == f"{SOURCE}:{line_of(text, 'parent: steppe-north')}"
    # "coast" hangs off the loop but is not in it
    assert not any(p.field == "entities[2].parent" for p in problems)


def test_an_entity_that_is_its_own_parent_loops() -> None:
    text = replace_once(VALID, "parent: land\n    name: {ru: Береговая", "parent: coast\n    name: {ru: Береговая")

    problem = the_problem(problems_of(text), "entities[2].parent")

    assert "loops back" in problem.reason


def test_several_cross_record_problems_are_listed_at_once() -> None:
    text = VALID
    text = replace_once(text, "timezone: Asia/Almaty", "timezone: Europe/Nowhere")
    text = replace_once(text, "parent: steppe\n", "parent: tundra\n")
    text = replace_once(text, "entity: coast\n", "entity: lagoon\n")
    text = replace_once(text, "    kind: district\n", "    kind: district\n    kind: region\n")

    with pytest.raises(RegistryError) as caught:
        parse_text(text)

    fields = {p.field for p in caught.value.problems}
    assert fields == {"timezone", "entities[3].parent", "accounts[2].entity", "entities[3].kind"}
    message = str(caught.value)
    assert message.splitlines()[0] == f"registry {SOURCE} is not valid"
    for problem in caught.value.problems:
        assert str(problem) in message


def test_several_field_problems_are_listed_at_once() -> None:
    text = VALID
    text = replace_once(text, "population: 650000", "population: many")
    text = replace_once(text, "platform: instagram", "platform: myspace")
    text = replace_once(text, "accessed: 2026-01-15", "accessed: last tuesday")
    text = replace_once(text, "    kind: district\n", "    kind: district\n    kind: region\n")

    problems = problems_of(text)

    assert {p.field for p in problems} == {
        "entities[1].population",
        "accounts[2].platform",
        "sources.census.accessed",
        "entities[3].kind",
    }
    for problem in problems:
        assert re.fullmatch(rf"{re.escape(SOURCE)}:\d+", problem.where), problem


def test_a_document_that_is_not_a_mapping_is_rejected() -> None:
    problem = the_problem(problems_of("- just\n- a list\n"), "(document)")

    assert problem.where == f"{SOURCE}:1"
    assert "mapping" in problem.reason


def test_missing_timezone_is_a_located_problem() -> None:
    text = VALID.replace("timezone: Asia/Almaty\n", "")

    problem = the_problem(problems_of(text), "timezone")

    assert problem.reason == "Field required"


def test_unreadable_and_non_utf8_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read registry"):
        loader.load(str(tmp_path / "absent.yaml"))

    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("timezone: Asia/Almaty\ntitle: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(RegistryError) as caught:
        loader.load(str(latin1))
    assert caught.value.problems[0].reason.startswith("not UTF-8 at byte")


def test_a_file_with_a_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))

    registry, text = loader.load(str(path))

    assert registry.timezone == "Asia/Almaty"
    assert text.source == str(path)


def test_unknown_bundled_name_lists_the_known_ones() -> None:
    with pytest.raises(RegistryError) as caught:
        loader.read_text("bundled:nope")

    assert "no bundled registry 'nope'" in str(caught.value)
    assert "bundled:kz" in str(caught.value) and "bundled:az" in str(caught.value)


# ---- the bundled registries ---------------------------------------------------------------------------------

KZ_TOTAL_2024_07_01 = 20_159_707  # BNS national total for 1 July 2024, as reported in the press


@pytest.fixture(scope="module")
def kz() -> Registry:
    return loader.load("bundled:kz")[0]


@pytest.fixture(scope="module")
def az() -> Registry:
    return loader.load("bundled:az")[0]


def test_bundled_names() -> None:
    assert {"kz", "az"} <= set(loader.bundled_names())


def test_kz_has_the_20_regions_summing_to_the_national_total(kz: Registry) -> None:
    regions = [e for e in kz.entities if e.kind == "region"]

    assert len(regions) == 20
    assert all(e.parent == "kz" for e in regions)
    assert sum(e.population or 0 for e in regions) == KZ_TOTAL_2024_07_01
    assert kz.entity("kz").population == KZ_TOTAL_2024_07_01
    assert {"kz-astana", "kz-almaty-city", "kz-shymkent"} <= {e.id for e in regions}
    assert kz.timezone == "Asia/Almaty"


def test_kz_every_population_has_a_known_source_and_a_date(kz: Registry) -> None:
    with_population = [e for e in kz.entities if e.population is not None]

    assert len(with_population) == 1 + 20 + 4  # the country, the regions, four Atyrau districts
    for entity in with_population:
        assert entity.population_source in kz.sources, entity.id
        assert entity.population_date is not None, entity.id
        assert entity.population_year == entity.population_date.year, entity.id
        source = kz.sources[entity.population_source]
        assert source.url and source.accessed is not None, entity.population_source


def test_kz_regions_share_one_date_and_districts_another(kz: Registry) -> None:
    # mixing dates in one per-capita metric would be wrong; the file keeps them apart by level
    region_dates = {e.population_date for e in kz.entities if e.kind == "region"}
    district_dates = {e.population_date for e in kz.entities if e.kind == "district" and e.population is not None}

    assert len(region_dates) == 1
    assert len(district_dates) == 1
    assert region_dates != district_dates


def test_kz_atyrau_has_eight_child_units(kz: Registry) -> None:
    children = kz.children("kz-atyrau")

    assert len(children) == 8
    assert all(c.kind == "district" for c in children)
    assert "kz-atyrau-city" in {c.id for c in children}
    without = [c for c in children if c.population is None]
    assert len(without) == 4
    for child in without:
        assert child.note and "population" in child.note, child.id  # the note says why there is none


def test_kz_names_codes_and_aliases(kz: Registry) -> None:
    units = [e for e in kz.entities if e.kind in ("region", "district")]
    katos = [e.codes["kato"] for e in units]

    assert len(set(katos)) == len(katos)
    for entity in units:
        assert set(entity.name) == {"ru", "kk", "en"}, entity.id
        assert re.fullmatch(r"\d{9}", entity.codes["kato"]), entity.id
        assert {"ru", "kk", "en"} <= set(entity.aliases), entity.id
        assert all("аким " not in a.lower() + " " for a in entity.aliases["ru"]), entity.id  # the akimat, not the akim
    for region in (e for e in units if e.kind == "region"):
        assert region.codes["iso3166_2"] == "KZ-" + region.codes["kato"][:2], region.id
    atyrau = kz.entity("kz-atyrau")
    assert "акимат Атырауской области" in atyrau.aliases["ru"]
    assert "Атырау облысы әкімдігі" in atyrau.aliases["kk"]
    assert "Atyrau Region Akimat" in atyrau.aliases["en"]


def test_kz_aliases_never_hide_inside_another_entitys(kz: Registry) -> None:
    # mention matching finds substrings, so one entity's alias inside another's would credit both
    owned = [(e.id, a.casefold()) for e in kz.entities for names in e.aliases.values() for a in names]

    clashes = [(i, a, j, b) for i, a in owned for j, b in owned if i != j and a in b]

    assert clashes == []


def test_kz_has_no_accounts_or_persons(kz: Registry) -> None:
    assert kz.accounts == [] and kz.persons == []


def test_az_loads_with_its_bodies(az: Registry) -> None:
    bodies = [e for e in az.entities if e.parent == "az"]

    assert az.timezone == "Asia/Baku"
    assert az.entity("az").kind == "country"
    assert len(bodies) == 19
    assert {e.kind for e in bodies} == {"ministry", "committee", "service"}
    assert az.entity("az-customs").kind == "committee"
    assert az.entity("az-migration-service").kind == "service"
    for body in bodies:
        assert set(body.name) == {"az", "ru", "en"}, body.id
        assert body.name["az"] in body.aliases["az"], body.id
        assert body.note, body.id
    assert "2019-10-23" in (az.entity("az-taxes").note or "")
    assert "Elm və Təhsil Nazirliyi" in az.entity("az-education").aliases["az"]


def test_az_aliases_never_hide_inside_another_bodys(az: Registry) -> None:
    owned = [(e.id, a.casefold()) for e in az.entities for names in e.aliases.values() for a in names]

    clashes = [(i, a, j, b) for i, a in owned for j, b in owned if i != j and a in b]

    assert clashes == []
