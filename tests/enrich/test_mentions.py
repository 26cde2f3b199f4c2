"""The alias forms and the matcher: Russian cases, Turkic suffixes, spellings, boundaries, places."""

from __future__ import annotations

import pytest

from civicpulse.enrich.aliases import kk_latin, registry_forms, ru_abbreviated, ru_inflections
from civicpulse.enrich.mentions import Matcher
from civicpulse.enrich.normalise import fold
from civicpulse.registry import loader


@pytest.fixture(scope="module")
def kz() -> Matcher:
    registry, _ = loader.load("bundled:kz")
    return Matcher.from_forms(registry_forms(registry))


@pytest.fixture(scope="module")
def az() -> Matcher:
    registry, _ = loader.load("bundled:az")
    return Matcher.from_forms(registry_forms(registry))


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо акимату Атырауской области за дорогу",
        "в акимате Атырауской обл. молчат",
        "Обратился в акимат Атырауской области",
        "Ответ акимата Атырауской области — отписка",
        "Атырау облысы әкімдігіне рахмет!",
        "Атырау облысының әкімдігінде кездесу болды",
        "Атырау облысы әкімдігінен жауап жоқ",
        "Атырау облысы экимдигине жаздым",
        "Atyrau oblysy akimdiginin jumysy",
        "Atyraý oblysy ákimdigine rahmet",
        "#АтырауОблысыӘкімдігі",
        "#акимататыраускойобласти где ответ?",
        "В Атырауском областном акимате прошла встреча",
        "АКИМАТ АТЫРАУСКОЙ ОБЛАСТИ, ОТВЕТЬТЕ",
    ],
)
def test_atyrau_region_akimat_in_every_form(kz: Matcher, text: str) -> None:
    assert kz.entities([text]) == [["kz-atyrau"]]


@pytest.mark.parametrize(
    "text",
    [
        "в Атырау опять нет воды",
        "Атырау облысында жаңбыр",
        "Аким Атырауской области провёл совещание",
        "Атырау облысының әкімі келді",
        "Атырау облысы әкімдігіжоқ",  # letters after the stem that are no Kazakh suffix
        "акиматАтырауской области",  # no word boundary
        "",
    ],
)
def test_places_heads_and_broken_words_are_not_mentions(kz: Matcher, text: str) -> None:
    assert kz.entities([text]) == [[]]


def test_city_and_region_are_told_apart(kz: Matcher) -> None:
    texts = ["акимат города Атырау", "акимат Алматинской области", "акимат Алматы", "Алматы облысы әкімдігі"]
    assert kz.entities(texts) == [["kz-atyrau-city"], ["kz-almaty-region"], ["kz-almaty-city"], ["kz-almaty-region"]]


def test_kazakh_administration_and_districts(kz: Matcher) -> None:
    assert kz.entities(["Қызылорда облысы әкімшілігі не істеп жатыр?"]) == [["kz-kyzylorda"]]
    assert kz.entities(["Спасибо Жылыойскому районному акимату"]) == [["kz-atyrau-zhylyoi"]]
    assert kz.entities(["акимат Индерского р-на молчит"]) == [["kz-atyrau-inder"]]


def test_several_entities_in_order_of_first_mention(kz: Matcher) -> None:
    text = (
        "Акимат Мангистауской области и Атырау облысы әкімдігі подписали меморандум; акимат Мангистауской области рад"
    )
    assert kz.entities([text]) == [["kz-mangystau", "kz-atyrau"]]


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Kənd Təsərrüfatı Nazirliyinə müraciət etdim", "az-agriculture"),
        ("Kend Teserrufati Nazirliyinden cavab yoxdur", "az-agriculture"),
        ("KƏND TƏSƏRRÜFATI NAZİRLİYİNİN açıqlaması", "az-agriculture"),
        ("KTN-in açıqlaması", "az-agriculture"),
        ("Elm və Təhsil Nazirliyində iclas", "az-education"),
        ("FHN əməkdaşları gəldi", "az-emergency-situations"),
        ("Минсельхоза Азербайджана нет", "az-agriculture"),
    ],
)
def test_azerbaijani_suffixes_spellings_and_abbreviations(az: Matcher, text: str, entity: str) -> None:
    assert az.entities([text]) == [[entity]]


def test_abbreviations_count_only_in_capitals(az: Matcher) -> None:
    assert az.entities(["ktn haqqında", "Ktn"]) == [[], []]


def test_nested_mention_keeps_the_longest(az: Matcher) -> None:
    matches = az.find(["Elm və Təhsil Nazirliyi"])[0]
    assert [(m.entity, m.key) for m in matches] == [("az-education", "elm ve tehsil nazirliyi")]


def test_dotted_and_dotless_i_fold_to_one_key() -> None:
    keys = {fold(t)[1] for t in ("İcra", "Icra", "ıcra", "icra", "ICRA")}
    assert keys == {"icra"}
    cased, key = fold("  İcra Hakimiyyəti,\tçox  yaxşı!! ")
    assert len(cased) == len(key) and key == "icra hakimiyyeti cox yaxsi"


def test_russian_inflections_cover_cases_and_numbers() -> None:
    forms = {how: phrase for phrase, how in ru_inflections("Атырауский областной акимат")}
    assert forms["datv sing"] == "атыраускому областному акимату"
    assert forms["loct sing"] == "атырауском областном акимате"
    assert forms["ablt plur"] == "атыраускими областными акиматами"
    # an adjective pymorphy3 reads as a surname first still agrees with its noun
    assert ("кзылкогинского районного акимата", "gent sing") in ru_inflections("Кзылкогинский районный акимат")
    assert ru_inflections("ГМС Азербайджана") == [("ГМС Азербайджана", "alias")]


def test_abbreviations_and_transliterations() -> None:
    assert ru_abbreviated("акимат атырауской области") == ["акимат атырауской обл"]
    assert "atyrau oblysy akimdigi" in kk_latin("Атырау облысы әкімдігі")
    assert "zhylyoi audany akimdigi" in kk_latin("Жылыой ауданы әкімдігі")


def test_a_key_two_entities_share_links_to_neither() -> None:
    registry, _ = loader.load("bundled:kz")
    forms = registry_forms(registry, ["kz-atyrau-city"])
    twin = [f.__class__(**{**f.__dict__, "entity": "kz-twin"}) for f in forms]
    matcher = Matcher.from_forms([*forms, *twin])
    assert matcher.entities(["акимат города Атырау"]) == [[]]
    assert "акимат города атырау" in matcher.ambiguous
