"""Translations and locale-aware formatting for everything civicpulse shows to people.

Messages are English msgids in gettext catalogues, one ``.po`` file per language under
``i18n/locale/<lang>/LC_MESSAGES/civicpulse.po``. The ``.po`` files are compiled in memory with
Babel the first time a language is asked for, so there is no compile step and no ``.mo`` file to
forget; every language falls back to English for a message it does not translate yet.

Code marks messages with ``gettext("...")``, ``ngettext("...", "...", n)`` or, for messages
looked up later, ``N_("...")``; templates use ``_("...")`` through Jinja2's i18n extension. The
test suite extracts every marked message (:mod:`civicpulse.i18n.extract`) and checks that the
Russian and English catalogues translate it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal
from babel.support import Translations

from civicpulse.errors import ConfigError
from civicpulse.periods import zone

DOMAIN: Final = "civicpulse"
LANGUAGES: Final = ("ru", "en", "kk", "az")
FALLBACK: Final = "en"


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def check_lang(lang: str) -> str:
    """``lang`` if civicpulse speaks it, else a :class:`ConfigError` naming the known ones."""
    if lang not in LANGUAGES:
        raise ConfigError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    return lang


def catalogue_path(lang: str) -> str:
    """Where the ``.po`` file of ``lang`` lives inside the package (for messages and tests)."""
    return f"locale/{lang}/LC_MESSAGES/{DOMAIN}.po"


@cache
def translations(lang: str) -> Translations:
    """The compiled catalogue of ``lang`` (cached), falling back to English for missing messages.

    The result suits ``jinja2.Environment.install_gettext_translations(..., newstyle=True)``.
    """
    check_lang(lang)
    source = resources.files("civicpulse.i18n").joinpath(catalogue_path(lang))
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    result = Translations(compiled, domain=DOMAIN)
    if lang != FALLBACK:
        result.add_fallback(translations(FALLBACK))
    return result


def gettext(message: str, lang: str) -> str:
    """``message`` in ``lang`` (English when the catalogue lacks it)."""
    return str(translations(lang).gettext(message))


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    """The form of ``singular``/``plural`` that ``n`` takes in ``lang`` (Russian has three)."""
    return str(translations(lang).ngettext(singular, plural, n))


@dataclass(frozen=True)
class Language:
    """One language's messages and number/date formats, handed to code and templates alike."""

    code: str

    def __post_init__(self) -> None:
        check_lang(self.code)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    def gettext(self, message: str) -> str:
        return gettext(message, self.code)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n, self.code)

    def number(self, value: float | int | None, *, digits: int = 2) -> str:
        """A count or amount with the locale's grouping (``20 000``, ``20,000``); ``–`` for None."""
        if value is None:
            return "–"
        if float(value).is_integer():
            return str(format_decimal(int(value), locale=self.code))
        return str(format_decimal(value, format="#,##0." + "#" * digits, locale=self.code))

    def ratio(self, value: float | int | None) -> str:
        """A plain ratio with up to four significant digits (``0,01623``, ``0.00006787``)."""
        if value is None:
            return "–"
        return str(format_decimal(value, format="@###", locale=self.code))

    def compact(self, value: float | int | None) -> str:
        """A short count for running text: ``23 тыс.``, ``23K``, ``1,2 млн``."""
        if value is None:
            return "–"
        return str(format_compact_decimal(value, format_type="short", fraction_digits=1, locale=self.code))

    def day(self, value: dt.date, format: str = "long") -> str:
        """A calendar day (``4 марта 2024 г.``, ``March 4, 2024``)."""
        return str(format_date(value, format=format, locale=self.code))

    def days(self, first: dt.date, last: dt.date) -> str:
        """An inclusive run of days (``4–10 мар. 2024 г.``, ``Mar 4 – 10, 2024``)."""
        if first == last:
            return self.day(first, "medium")
        return str(format_interval(first, last, skeleton="yMMMd", locale=self.code))

    def moment(self, instant: dt.datetime, tz: str, format: str = "short") -> str:
        """An instant shown in the local time of ``tz`` (``04.03.2024, 09:05``)."""
        return str(format_datetime(instant.astimezone(zone(tz)), format=format, locale=self.code))

    def duration(self, delta: dt.timedelta) -> str:
        """A rounded duration (``23 мин``, ``23 min``, ``2 ч``)."""
        return str(format_timedelta(delta, format="short", locale=self.code))
