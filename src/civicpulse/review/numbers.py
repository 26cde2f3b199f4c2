"""Numbers, dates and counted nouns as a newspaper prints them, per language.

Babel gives the locale's rules (plural forms, decimal comma, CLDR compact forms); this module
picks among them the ones a review's running text uses, and adapts where press style differs:

- counts under 10 000 are exact (``1465``, ``4 000``); larger ones are rounded to three significant
  digits in the compact form: Russian takes CLDR's *short* form (``22,8 тыс.``, ``1,2 млн``; the
  long one would say ``1 тысячи``), Azerbaijani, Kazakh and English take the *long* one (``23 min``,
  ``23 мың``, ``23 thousand``: the short ones are ``23K`` and, in Kazakh, ``100 м.``, which reads as
  metres);
- Azerbaijani papers group digits with a space and leave four-digit numbers whole (``48 800``,
  ``1465``), where CLDR has a dot (``48.800``);
- ordinals: English and Azerbaijani take a suffix (``3rd``, ``3-cü``); the Russian and Kazakh
  templates write the number with their own ending (``3-е место``, ``3-орында``).

A count is rounded *before* its noun is chosen, so ``22 801`` shown as ``22,8 тыс.`` takes the
form that ``22 800`` takes (``подписчиков``), and a fraction takes CLDR's ``other`` form, which in
all four languages is the one gettext gives for 2 (``2,5 лайка``, ``2.5 likes``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from civicpulse.i18n import Language

EXACT_BELOW: Final = 10_000
MINUS: Final = "\u2212"
NBSP: Final = "\u00a0"
# a fraction takes CLDR's "other" form; gettext's plural formula gives that form for 2 in ru, az, kk and en
_FRACTION_FORM: Final = 2
_COMPACT_TYPE: Final[dict[str, Literal["short", "long"]]] = {"ru": "short", "az": "long", "kk": "long", "en": "long"}
# Azerbaijani ordinal endings follow the vowel of the numeral's last word (birinci, üçüncü, altıncı, doqquzuncu)
_AZ_UNITS: Final = {1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cu"}
_AZ_TENS: Final = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cı"}


def shown(value: int) -> int:
    """``value`` rounded as :meth:`Style.count` shows it: exact under 10 000, else in thousands or millions
    with one decimal below 100 of them and none above (``22 800``, ``138 000``, ``1 200 000``)."""
    if abs(value) < EXACT_BELOW:
        return value
    unit = 1_000 if abs(value) < 999_950 else 1_000_000
    amount = value / unit
    return int(round(amount, 1 if abs(amount) < 100 else 0) * unit)


def az_ordinal_suffix(n: int) -> str:
    """The Azerbaijani ordinal ending of ``n`` written in digits (``1-ci``, ``3-cü``, ``40-cı``, ``100-cü``)."""
    n = abs(n)
    if n == 0:
        return "cı"  # sıfırıncı
    if n % 10:
        return _AZ_UNITS[n % 10]
    if n % 100:
        return _AZ_TENS[(n // 10) % 10]
    if n % 1000:
        return "cü"  # yüz
    if n % 1_000_000:
        return "ci"  # min
    return "cu"  # milyon


def en_ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


@dataclass(frozen=True)
class Style:
    """How the running text of one language writes numbers, dates, lists and counted nouns."""

    lang: Language

    @property
    def code(self) -> str:
        return self.lang.code

    def exact(self, value: int | float, digits: int = 0) -> str:
        """``value`` with up to ``digits`` decimals and the press's digit grouping."""
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        if self.code == "az":
            if abs(value) < EXACT_BELOW:
                pattern = pattern.replace("#,##", "")
            return str(format_decimal(value, format=pattern, locale="az")).replace(".", NBSP)
        return str(format_decimal(value, format=pattern, locale=self.code))

    def count(self, value: int) -> str:
        """A follower count for running text: ``1465``, ``22,8 тыс.``, ``138 min``, ``1.2 million``."""
        rounded = shown(value)
        if abs(rounded) < EXACT_BELOW:
            return self.exact(rounded)
        text = format_compact_decimal(
            rounded, format_type=_COMPACT_TYPE[self.code], fraction_digits=1, locale=self.code
        )
        return str(text)

    def decimal(self, value: float) -> str:
        """One decimal at most (``7,9``, ``12``)."""
        return self.exact(round(value, 1), digits=1)

    def rate(self, value: float) -> str:
        """A rate such as posts a week: one decimal, two when one would show a non-zero rate as ``0``."""
        if 0 < abs(value) < 0.05:
            return self.exact(round(value, 2), digits=2)
        return self.decimal(value)

    def average(self, value: float) -> str:
        """An average per post: a count from 10 up (``20``, ``3 тыс.``), one decimal below (``2,5``)."""
        if abs(value) >= 10:
            return self.count(round(value))
        return self.decimal(value)

    def average_shown(self, value: float) -> int | float:
        """The value :meth:`average` shows, for choosing the noun's form."""
        if abs(value) >= 10:
            return shown(round(value))
        return round(value, 1)

    def percent(self, value: float, *, signed: bool = False) -> str:
        """A percentage (``25 %``, ``+2,5%``, ``−60%``): one decimal under 10, whole above."""
        magnitude = abs(value)
        pattern = str(Locale.parse(self.code).percent_formats[None].pattern)  # keeps the locale's spacing
        if magnitude < 10:
            pattern = pattern.replace("0%", "0.#%").replace("0\u00a0%", "0.#\u00a0%")
        text = str(format_percent(round(magnitude, 1) / 100, format=pattern, locale=self.code))
        if self.code == "az":
            text = text.replace(".", NBSP)
        if not signed or round(magnitude, 1) == 0:
            return text
        return ("+" if value > 0 else MINUS) + text

    def ordinal(self, n: int) -> str:
        """``n`` as an ordinal where the language writes the ending on the digits (en, az); else the digits."""
        if self.code == "en":
            return f"{n}{en_ordinal_suffix(n)}"
        if self.code == "az":
            return f"{n}-{az_ordinal_suffix(n)}"
        return str(n)

    def day(self, value: dt.date) -> str:
        """A calendar day (``20 апреля 2018 г.``, ``20 aprel 2018``, ``April 20, 2018``)."""
        return str(format_date(value, format="long", locale=self.code))

    def short_day(self, value: dt.date) -> str:
        """A calendar day, short (``20 апр. 2018 г.``, ``Apr 20, 2018``)."""
        return str(format_date(value, format="medium", locale=self.code))

    def items(self, items: list[str]) -> str:
        """A list joined the language's way (``A, B и C``, ``A, B, and C``)."""
        return str(format_list(items, locale=self.code)) if items else ""

    def form(self, value: int | float) -> int:
        """The ``n`` to hand to ``ngettext`` for a number shown as ``value`` (see :func:`shown`).

        The noun agrees with what the reader sees; a fraction takes CLDR's ``other`` form.
        """
        if isinstance(value, float) and not value.is_integer():
            return _FRACTION_FORM
        return abs(int(value))
