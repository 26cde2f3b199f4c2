"""The translation catalogues: complete for Russian and English, consistent, loaded without a compile step."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from civicpulse.errors import ConfigError
from civicpulse.i18n import LANGUAGES, Language, catalogue_path, gettext, ngettext, terms, translations
from civicpulse.i18n.extract import catalogue, messages, missing, update
from civicpulse.metrics.catalogue import CATALOGUE
from civicpulse.metrics.pages import NO_SNAPSHOT
from civicpulse.rating.compute import FLAGS_NOT_DETECTED, NOTES, STAGES_NOT_RUN

HEADINGS = ("Weekly report", "Place", "Participant", "Points", "Entities", "Top posts of the period", "SIMULATED DATA")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def used() -> dict[str, list[str]]:
    return messages()


def test_extraction_finds_messages_in_templates_and_code(used: dict[str, list[str]]) -> None:
    places = [p for ps in used.values() for p in ps]
    assert any(".html.j2:" in p for p in places)
    assert any(p.startswith("report/") and ".py:" in p for p in places)
    assert "Top posts of the period" in used  # from a template
    assert "up %(num)d places" in used  # the plural of an ngettext call


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_message_used_is_translated(lang: str, used: dict[str, list[str]]) -> None:
    assert missing(lang) == {}


def test_headings_differ_between_russian_and_english() -> None:
    for msgid in HEADINGS:
        assert gettext(msgid, "ru") != gettext(msgid, "en"), msgid
        assert gettext(msgid, "en") == msgid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_no_fuzzy_entries_and_keeps_placeholders(lang: str) -> None:
    for entry in catalogue(lang):
        if not entry.id:
            continue
        assert not entry.fuzzy, entry.id
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(_PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if string:
                assert set(_PLACEHOLDER.findall(string)) == wanted, (lang, entry.id, string)


def test_partial_languages_fall_back_to_english() -> None:
    for lang in ("kk", "az"):
        entries = [e for e in catalogue(lang) if e.id and isinstance(e.id, str)]
        untranslated = [e.id for e in entries if not e.string]
        translated = [e.id for e in entries if e.string]
        assert untranslated and translated
        assert gettext(untranslated[0], lang) == gettext(untranslated[0], "en")
        assert gettext("Weekly report", lang) not in (gettext("Weekly report", "en"), gettext("Weekly report", "ru"))


def test_catalogues_are_cached_and_unknown_languages_refused() -> None:
    assert translations("ru") is translations("ru")
    with pytest.raises(ConfigError, match="unknown language 'xx'"):
        translations("xx")
    with pytest.raises(ConfigError):
        Language("de")


def test_russian_plurals_take_three_forms() -> None:
    forms = [ngettext("up %(num)d place", "up %(num)d places", n, "ru") % {"num": n} for n in (1, 3, 5, 21)]
    assert forms == ["поднялся на 1 место", "поднялся на 3 места", "поднялся на 5 мест", "поднялся на 21 место"]
    assert ngettext("up %(num)d place", "up %(num)d places", 3, "en") == "up %(num)d places"


def _plain(text: str) -> str:
    # CLDR puts no-break and narrow no-break spaces where a reader sees a space
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_numbers_dates_and_durations_follow_the_locale() -> None:
    ru, en = Language("ru"), Language("en")
    assert ru.number(20000) == "20\xa0000" and en.number(20000) == "20,000"
    assert _plain(ru.compact(23000)) == "23 тыс." and en.compact(23000) == "23K"
    assert _plain(ru.compact(1_234_567)) == "1,2 млн" and en.compact(1_234_567) == "1.2M"
    assert _plain(ru.duration(dt.timedelta(minutes=23))) == "23 мин"
    assert _plain(en.duration(dt.timedelta(minutes=23))) == "23 min"
    assert ru.ratio(0.0000678670078) == "0,00006787" and en.ratio(0.016) == "0.016"
    assert ru.number(None) == "–"
    assert ru.number(2.5) == "2,5"
    assert _plain(ru.day(dt.date(2024, 3, 4))) == "4 марта 2024 г." and en.day(dt.date(2024, 3, 4)) == "March 4, 2024"
    instant = dt.datetime(2024, 3, 5, 4, 0, tzinfo=dt.UTC)  # 09:00 in Almaty (UTC+5 since March 2024)
    assert "09:00" in ru.moment(instant, "Asia/Almaty")


def test_every_metric_and_reason_of_the_rating_code_has_a_translation() -> None:
    for name in [*CATALOGUE, terms.EXPERT]:
        assert name in terms.METRIC_TITLES and name in terms.METRIC_HELP, name
        assert terms.metric_title(name, "ru") != terms.metric_title(name, "en") or name.startswith("er")
    reasons = {m.null_reason for m in CATALOGUE.values() if m.null_reason} | {NO_SNAPSHOT}
    assert reasons <= set(terms.REASONS)


def test_reasons_and_notes_are_translated_keeping_their_details() -> None:
    text = f"{NO_SNAPSHOT} (2024-03-11 00:00 Asia/Almaty)"
    assert terms.reason(text, "ru") == "нет замера подписчиков до конца периода (2024-03-11 00:00 Asia/Almaty)"
    assert terms.reason(text, "en") == text
    assert terms.reason("no official account in the registry", "ru") == "в реестре нет аккаунта с ролью «официальный»"
    assert terms.reason("something new", "ru") == "something new"
    assert terms.note("er: no followers", "ru", {"er": "ER"}) == "ER: нет подписчиков"


def test_rating_notes_are_translated_keeping_the_period_stages_and_command() -> None:
    assert terms.RATING_NOTES == NOTES  # every note the rating code writes has its msgid
    command = "civicpulse flags detect --week 2026-W46"
    text = FLAGS_NOT_DETECTED % {"period": "2026-W46", "command": command}
    assert terms.rating_note(text, "en") == text
    assert terms.rating_note(text, "ru") == (
        "пометки не расставлены за 2026-W46: боты, спам и скоординированные аккаунты учтены в подсчёте"
        f" (запустите {command})"
    )
    partial = STAGES_NOT_RUN % {"stages": "bots, floods", "period": "2026-11", "command": command + " --stage bots"}
    translated = terms.rating_note(partial, "kk")
    assert "bots, floods" in translated and "2026-11" in translated and f"({command} --stage bots " in translated
    assert terms.rating_note("something else", "ru") == "something else"


def test_update_adds_new_messages_keeps_translations_and_drops_unused(tmp_path: Path) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "module.py").write_text(
        "from civicpulse.i18n import gettext, ngettext\n"
        'gettext("Weekly report", "ru")\n'
        'gettext("A brand new message", "ru")\n'
        'ngettext("%(num)d new thing", "%(num)d new things", 2, "ru")\n',
        encoding="utf-8",
    )
    for lang in ("ru", "en"):
        po = tmp_path / f"{lang}.po"
        po.write_bytes((Path(str(resources.files("civicpulse.i18n"))) / catalogue_path(lang)).read_bytes())
        update(lang, po, root=code)
        with po.open("rb") as handle:
            cat = read_po(handle, locale=lang)
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id}
        assert ids == {"Weekly report", "A brand new message", "%(num)d new thing"}
        assert cat["Weekly report"].string == gettext("Weekly report", lang)
        fresh = cat["A brand new message"].string
        assert fresh == ("" if lang == "ru" else "A brand new message")
