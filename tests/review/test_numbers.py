"""Numbers as the press prints them in each language: compact counts, grouping, percentages, ordinals, noun forms."""

from __future__ import annotations

from datetime import date

import pytest

from civicpulse.i18n import Language
from civicpulse.review.numbers import Style, az_ordinal_suffix, shown


def plain(text: str) -> str:
    # CLDR puts no-break spaces where a reader sees a space
    return text.replace("\xa0", " ").replace("\u202f", " ")


def style(lang: str) -> Style:
    return Style(Language(lang))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", ["1 465", "4 000", "23 тыс.", "22,8 тыс.", "138 тыс.", "1 млн", "1,2 млн"]),
        ("az", ["1465", "4000", "23 min", "22,8 min", "138 min", "1 milyon", "1,2 milyon"]),
        ("kk", ["1 465", "4 000", "23 мың", "22,8 мың", "138 мың", "1 миллион", "1,2 миллион"]),
        ("en", ["1,465", "4,000", "23 thousand", "22.8 thousand", "138 thousand", "1 million", "1.2 million"]),
    ],
)
def test_counts_are_exact_under_ten_thousand_and_compact_above(lang: str, expected: list[str]) -> None:
    values = [1_465, 4_000, 23_000, 22_801, 138_400, 999_600, 1_234_567]
    assert [plain(style(lang).count(v)) for v in values] == expected


def test_shown_rounds_like_the_compact_form() -> None:
    assert [shown(v) for v in (9_999, 22_801, 99_960, 138_400, 999_600, 1_234_567, -22_801)] == [
        9_999,
        22_800,
        100_000,
        138_000,
        1_000_000,
        1_200_000,
        -22_800,
    ]


def test_azerbaijani_groups_with_a_space_and_leaves_four_digits_whole() -> None:
    az = style("az")
    assert plain(az.exact(48_800)) == "48 800" and az.exact(1_465) == "1465"
    assert plain(az.exact(12_345.67, digits=1)) == "12 345,7"
    assert plain(style("ru").exact(48_800)) == "48 800" and style("en").exact(48_800) == "48,800"


def test_percentages_keep_the_locale_spacing_and_a_true_minus() -> None:
    assert plain(style("ru").percent(25.3, signed=True)) == "+25 %"
    assert style("az").percent(-60, signed=True) == "\u221260%"
    assert style("en").percent(2.46, signed=True) == "+2.5%"
    assert style("kk").percent(2.46) == "2,5%"
    assert style("en").percent(0.04, signed=True) == "0%"


def test_ordinals() -> None:
    en = style("en")
    assert [en.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]
    az = style("az")
    assert [az.ordinal(n) for n in (1, 2, 3, 4, 6, 9, 10, 20, 30, 40, 60, 90, 100, 1000, 2011)] == [
        "1-ci",
        "2-ci",
        "3-cü",
        "4-cü",
        "6-cı",
        "9-cu",
        "10-cu",
        "20-ci",
        "30-cu",
        "40-cı",
        "60-cı",
        "90-cı",
        "100-cü",
        "1000-ci",
        "2011-ci",
    ]
    assert az_ordinal_suffix(1_000_000) == "cu"
    assert style("ru").ordinal(3) == "3" and style("kk").ordinal(3) == "3"  # their templates add the ending


def test_rates_and_averages() -> None:
    en = style("en")
    assert [en.rate(v) for v in (0.02, 0.06, 1.01, 7.94)] == ["0.02", "0.1", "1", "7.9"]
    assert [en.average(v) for v in (2.46, 9.96, 20.4, 3_456.7, 22_801.0)] == [
        "2.5",
        "10",
        "20",
        "3,457",
        "22.8 thousand",
    ]


def test_noun_forms_follow_the_number_shown() -> None:
    ru = Language("ru")
    s = Style(ru)

    def followers(n: int) -> str:
        return ru.ngettext("%(num)s follower", "%(num)s followers", s.form(shown(n))) % {"num": plain(s.count(n))}

    assert [followers(n) for n in (1, 2, 5, 21, 22_801, 1_234_567)] == [
        "1 подписчик",
        "2 подписчика",
        "5 подписчиков",
        "21 подписчик",
        "22,8 тыс. подписчиков",
        "1,2 млн подписчиков",
    ]
    # a fraction takes CLDR's "other" form: "2,5 лайка" in Russian, "2.5 likes" in English
    assert s.form(2.5) == 2 and s.form(3.0) == 3
    assert ru.ngettext("%(num)s like", "%(num)s likes", s.form(2.5)) % {"num": "2,5"} == "2,5 лайка"
    assert Language("en").ngettext("%(num)s like", "%(num)s likes", s.form(1.5)) % {"num": "1.5"} == "1.5 likes"


def test_lists_and_days() -> None:
    assert style("ru").items(["Instagram", "YouTube", "X"]) == "Instagram, YouTube и X"
    assert style("az").items(["Instagram", "YouTube"]) == "Instagram və YouTube"
    assert style("en").items([]) == ""
    assert plain(style("ru").day(date(2018, 4, 20))) == "20 апреля 2018 г."
    assert style("az").day(date(2018, 4, 20)) == "20 aprel 2018"
