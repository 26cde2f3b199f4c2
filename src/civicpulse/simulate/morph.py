"""Case forms of akimat names for the templates, in Russian and Kazakh, by small explicit rules.

Citizens write «обратились в акимат Атырауской области», «спасибо акимату ...», «Атырау облысы
әкімдігіне рахмет». The registry's aliases are nominative phrases, so the simulator inflects them
itself: Russian phrases whose head noun is ``акимат``/``аппарат`` (first word, or last after
masculine adjectives), Kazakh phrases ending in a possessive noun (``әкімдігі``) with case suffixes
chosen by vowel harmony. A phrase the rules do not cover is used in the nominative only, so no
template ever shows a wrongly inflected name. Entities without usable aliases get phrases built
from their names; bare place names («в Атырауской области», «Атырау облысында») are built the same
way and are *not* mentions of the akimat.
"""

from __future__ import annotations

import re
from typing import Final

from civicpulse.registry.models import Entity

CASES: Final = ("nom", "gen", "dat", "acc", "ins", "loc", "abl")
"""Template slots. Russian has no ablative (templates use ``от`` + genitive); ``loc`` is the
Russian prepositional and the Kazakh locative."""

Forms = dict[str, str]

_HEADS: Final = ("акимат", "аппарат")
_RU_NOUN_ENDINGS: Final = {"nom": "", "gen": "а", "dat": "у", "acc": "", "ins": "ом", "loc": "е"}
_VELAR_SIBILANT: Final = set("гкхжшчщ")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_PAREN = re.compile(r"\s*\([^)]*\)")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_KK_FRONT: Final = set("әеіөүиэ")
_KK_BACK: Final = set("аоұыуя")


def clean(text: str) -> str:
    """``text`` on one line, without control characters (they would break the JSONL writer)."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _ru_adjective(word: str, case: str) -> str | None:
    """A masculine adjective (``Атырауский``, ``областной``, ``районный``) in ``case``."""
    if case in ("nom", "acc"):
        return word
    if word.endswith(("ий", "ый", "ой")):
        stem, end = word[:-2], word[-2:]
        soft = end == "ий" and stem[-1:] not in _VELAR_SIBILANT
        hard_i = end == "ий" or stem[-1:] in _VELAR_SIBILANT
        endings = {
            "gen": "его" if soft else "ого",
            "dat": "ему" if soft else "ому",
            "ins": "им" if hard_i else "ым",
            "loc": "ем" if soft else "ом",
        }
        return stem + endings[case] if case in endings else None
    return None


def ru_forms(phrase: str) -> Forms:
    """Russian case forms of an akimat phrase; only ``nom`` when the head cannot be inflected."""
    phrase = clean(phrase)
    words = phrase.split(" ")
    if words[0].lower() in _HEADS:
        return {case: " ".join([words[0] + end, *words[1:]]) for case, end in _RU_NOUN_ENDINGS.items()}
    if words[-1].lower() in _HEADS and len(words) > 1:
        out: Forms = {}
        for case, end in _RU_NOUN_ENDINGS.items():
            adjectives = [_ru_adjective(w, case) for w in words[:-1]]
            if any(a is None for a in adjectives):
                return {"nom": phrase}
            out[case] = " ".join([*(a for a in adjectives if a is not None), words[-1] + end])
        return out
    return {"nom": phrase}


def _harmony(word: str) -> str | None:
    for letter in reversed(word.lower()):
        if letter in _KK_FRONT:
            return "front"
        if letter in _KK_BACK:
            return "back"
    return None


def kk_forms(phrase: str) -> Forms:
    """Kazakh case forms of a phrase ending in a possessive noun (``... әкімдігі``), else ``nom`` only."""
    phrase = clean(phrase)
    if not _CYRILLIC.search(phrase):
        return {}  # Latin transliterations are for hashtags; the templates are Cyrillic
    last = phrase.rsplit(" ", 1)[-1].lower()
    harmony = _harmony(last)
    if last[-1:] not in ("і", "ы") or harmony is None:
        return {"nom": phrase}
    front = harmony == "front"
    suffixes = {
        "nom": "",
        "gen": "нің" if front else "ның",
        "dat": "не" if front else "на",
        "acc": "н",
        "ins": "мен",
        "loc": "нде" if front else "нда",
        "abl": "нен" if front else "нан",
    }
    return {case: phrase + suffix for case, suffix in suffixes.items()}


def _is_akimat_phrase(phrase: str, lang: str) -> bool:
    lowered = phrase.lower()
    if lang == "ru":
        return "акимат" in lowered or lowered.startswith("аппарат акима")
    return "әкімдіг" in lowered or "әкімшілі" in lowered


# -- names ---------------------------------------------------------------------------------------

_RU_NOUNS: Final = {
    "область": {"gen": "области", "loc": "области"},
    "район": {"gen": "района", "loc": "районе"},
    "округ": {"gen": "округа", "loc": "округе"},
    "город": {"gen": "города", "loc": "городе"},
}


def _ru_feminine(word: str, case: str) -> str | None:
    if word.endswith("ая"):
        return word[:-2] + ("ей" if word[-3:-2] in set("жшчщц") else "ой")
    return None


def _ru_proper(word: str, case: str) -> str:
    """A city name after «город»: Астана -> Астаны/Астане, Шымкент -> Шымкента/Шымкенте, Алматы stays."""
    last = word[-1:].lower()
    if last == "а":
        if case == "gen":
            return word[:-1] + ("и" if word[-2:-1].lower() in _VELAR_SIBILANT else "ы")
        return word[:-1] + "е"
    if last and last not in "аеёиоуыэюяйь":
        return word + ("а" if case == "gen" else "е")
    return word


def ru_name_case(name: str, case: str) -> str | None:
    """An entity's Russian name («Атырауская область», «Жылыойский район», «город Астана») in the
    genitive or prepositional; None when the name does not follow these patterns."""
    words = _PAREN.sub("", clean(name)).split(" ")
    lowered = [w.lower() for w in words]
    if lowered[0] in _RU_NOUNS and len(words) > 1:
        head = _RU_NOUNS[lowered[0]][case]
        if lowered[0] == "город":
            return " ".join([head, *(_ru_proper(w, case) for w in words[1:])])
        return " ".join([head, *words[1:]])  # «область Абай»: the name is an apposition
    if lowered[-1] in _RU_NOUNS and len(words) > 1:
        noun = lowered[-1]
        adjectives = [(_ru_feminine(w, case) if noun == "область" else _ru_adjective(w, case)) for w in words[:-1]]
        if any(a is None for a in adjectives):
            return None
        return " ".join([*(a for a in adjectives if a is not None), _RU_NOUNS[noun][case]])
    return None


def kk_place(name: str) -> str | None:
    """«Атырау облысы» -> «Атырау облысында»; None for names not ending in a possessive noun."""
    name = clean(name)
    harmony = _harmony(name.rsplit(" ", 1)[-1])
    if name[-1:] not in ("ы", "і") or harmony is None:
        return None
    return name + ("нде" if harmony == "front" else "нда")


def mention_variants(entity: Entity, lang: str) -> list[Forms]:
    """Ways to name ``entity``'s akimat in ``lang``, each with its case forms, the registry's aliases first."""
    variants: list[Forms] = []
    for alias in entity.aliases.get(lang, []):
        if not _is_akimat_phrase(alias, lang):
            continue
        forms = ru_forms(alias) if lang == "ru" else kk_forms(alias)
        if forms:
            variants.append(forms)
    if variants:
        return variants
    name = entity.name.get(lang)
    if not name:
        return []
    if lang == "ru":
        if name.lower().startswith("акимат"):
            return [ru_forms(name)]
        genitive = ru_name_case(name, "gen")
        return [ru_forms(f"акимат {genitive}")] if genitive else []
    if name.endswith(("облысы", "ауданы", "қаласы")):
        return [kk_forms(f"{name} әкімдігі")]
    return []


def place_phrases(entity: Entity, lang: str) -> list[str]:
    """Where something happened, naming the territory but not the akimat («в Атырауской области», «в Атырау»)."""
    name = entity.name.get(lang)
    if not name:
        return []
    if lang != "ru":
        place = kk_place(name)
        return [place] if place else []
    local = ru_name_case(name, "loc")
    out = [f"в {local}"] if local else []
    words = _PAREN.sub("", clean(name)).split(" ")
    if len(words) > 1 and words[0].lower() == "город":
        out.append("в " + " ".join(_ru_proper(w, "loc") for w in words[1:]))
    return out
