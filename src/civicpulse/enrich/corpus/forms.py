"""How the corpus writes an institution, a place and a head, in ru, kk and az, by hand rules.

These rules are deliberately independent of :mod:`civicpulse.enrich.aliases` (no pymorphy3, no
alias expansion): the corpus must test the matcher, not mirror it. They start from the registry's
*names* (``Атырауская область``, ``Атырау облысы``, ``Kənd Təsərrüfatı Nazirliyi``) and write the
institution the ways people do, including ways the matcher is not expected to catch (a word in
the middle, a typo), so recall is measured honestly.
"""

from __future__ import annotations

import random
from typing import Final

from civicpulse.registry.models import Entity

RU_HEAD: Final = {
    "nom": "акимат",
    "gen": "акимата",
    "dat": "акимату",
    "acc": "акимат",
    "ins": "акиматом",
    "loc": "акимате",
}
RU_APPARAT: Final = {"nom": "аппарат", "gen": "аппарата", "dat": "аппарату", "acc": "аппарат", "ins": "аппаратом",
                     "loc": "аппарате"}  # fmt: skip
_RU_ADJ_ENDINGS: Final = {  # masculine adjective endings by case, for «-ский» and «-ный/-ной»
    "ский": {"nom": "ский", "gen": "ского", "dat": "скому", "acc": "ский", "ins": "ским", "loc": "ском"},
    "ной": {"nom": "ной", "gen": "ного", "dat": "ному", "acc": "ной", "ins": "ным", "loc": "ном"},
    "ный": {"nom": "ный", "gen": "ного", "dat": "ному", "acc": "ный", "ins": "ным", "loc": "ном"},
}
_RU_CITY_GEN: Final = {"Астана": "Астаны", "Алматы": "Алматы", "Шымкент": "Шымкента", "Атырау": "Атырау"}
_RU_CITY_LOC: Final = {"Астана": "Астане", "Алматы": "Алматы", "Шымкент": "Шымкенте", "Атырау": "Атырау"}

KK_CASES: Final = {"nom": "", "gen": "нің", "dat": "не", "acc": "н", "loc": "нде", "abl": "нен", "ins": "мен"}
KK_CASES_LATIN: Final = {"nom": "", "gen": "nin", "dat": "ne", "acc": "n", "loc": "nde", "abl": "nen", "ins": "men"}
_KK_ASCII: Final = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_KK_LATIN: Final = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_AZ_ASCII: Final = str.maketrans("əƏıİşŞçÇğĞöÖüÜ", "eEiIsScCgGoOuU")
_AZ_FRONT: Final = set("eəiöü")
_AZ_BACK: Final = set("aıou")


def kk_ascii(text: str) -> str:
    """Kazakh as typed on a Russian keyboard (ә->а, і->и, қ->к...)."""
    return text.translate(_KK_ASCII)


def kk_latin(text: str) -> str:
    """Kazakh in plain Latin (qazaq style: қ->q, ж->zh)."""
    out = []
    for ch in text:
        low = ch.lower()
        latin = _KK_LATIN.get(low, ch)
        out.append(latin.capitalize() if ch != low and latin else latin)
    return "".join(out)


def az_ascii(text: str) -> str:
    """Azerbaijani typed without an Azerbaijani keyboard (ə->e, ı->i, ş->s...)."""
    return text.translate(_AZ_ASCII)


def az_upper(text: str) -> str:
    """Azerbaijani in capitals, with the dotted İ."""
    return text.replace("i", "İ").upper()


def _ru_gen_phrase(entity: Entity) -> list[str]:
    """Genitive phrases of the territory: «Атырауской области», «области Абай», «города Астаны»."""
    name = entity.name.get("ru", "")
    words = name.split()
    if words and words[-1] == "область" and words[0].endswith("ая"):
        adjective = " ".join(words[:-1])[:-2] + "ой"
        return [f"{adjective} области", f"{adjective} обл."]
    if words and words[0] == "область":
        return [f"области {' '.join(words[1:])}"]
    if words and words[-1] == "район":
        adjective = " ".join(words[:-1])[:-2] + "ого"
        return [f"{adjective} района", f"{adjective} р-на"]
    if words and words[0] == "город":
        city = words[1]
        gen = _RU_CITY_GEN.get(city, city)
        return [f"города {gen}", f"г. {gen}"] + ([gen] if city != "Атырау" else [])
    return []


def _ru_adjectival(entity: Entity, case: str) -> str | None:
    """«Атырауский областной акимат» in ``case``, for regions and districts named by an adjective."""
    words = entity.name.get("ru", "").split()
    if len(words) != 2 or words[-1] not in ("область", "район") or not words[0].endswith(("ская", "ский")):
        return None
    stem = words[0][:-4]
    level = "област" if words[-1] == "область" else "район"
    level_ending = "ной" if level == "област" else "ный"
    first = stem + _RU_ADJ_ENDINGS["ский"][case]
    second = level + _RU_ADJ_ENDINGS[level_ending][case]
    return f"{first} {second} {RU_HEAD[case]}"


def ru_institution(entity: Entity, case: str, rng: random.Random) -> tuple[str, bool]:
    """(text, expected to be caught) naming ``entity``'s akimat in ``case``."""
    phrases = _ru_gen_phrase(entity)
    roll = rng.random()
    adjectival = _ru_adjectival(entity, case)
    if adjectival and roll < 0.18:
        return adjectival, True
    if roll < 0.26:
        return f"{RU_APPARAT[case]} акима {phrases[0]}", True
    if roll < 0.29 and phrases[0].split()[0].endswith("ой"):
        # a word between the head and the name: people write it, the aliases do not cover it
        return f"{RU_HEAD[case]} нашей {phrases[0]}", False
    return f"{RU_HEAD[case]} {rng.choice(phrases)}", True


def ru_place(entity: Entity, case: str, rng: random.Random) -> str:
    """The territory alone («Атырауской области», «Астане»): never a mention of the akimat."""
    words = entity.name.get("ru", "").split()
    if words and words[0] == "город":
        city = words[1]
        return _RU_CITY_LOC.get(city, city) if case == "loc" else _RU_CITY_GEN.get(city, city)
    phrases = _ru_gen_phrase(entity)
    if case == "acc" and words and words[-1] == "область" and words[0].endswith("ая"):
        return f"{words[0][:-2]}ую область"
    return phrases[0] if phrases else entity.display_name("ru")


def ru_head(entity: Entity, rng: random.Random) -> str:
    """The akim by position («Аким Атырауской области»): a person, not the institution."""
    phrases = _ru_gen_phrase(entity)
    return f"Аким {phrases[0]}" if phrases else "Аким"


def _kk_name(entity: Entity) -> str:
    return entity.name.get("kk", "").split(" (")[0]


def _kk_genitive(name: str) -> str:
    # «облысы» -> «облысының», «қаласы» -> «қаласының», «ауданы» -> «ауданының» (back vowels)
    return name + "ның"


def kk_institution(entity: Entity, case: str, rng: random.Random) -> tuple[str, bool]:
    """(text, expected to be caught) naming ``entity``'s akimat in Kazakh, with the case suffix."""
    name = _kk_name(entity)
    roll = rng.random()
    base = name.split()[0]
    if roll < 0.12:
        stem = f"{_kk_genitive(name)} әкімдігі"
    elif roll < 0.22:
        stem = f"{name} әкімшілігі"
    elif roll < 0.27 and name.endswith("облысы"):
        stem = f"{name[: -len('облысы')]}облыстық әкімдігі"
    elif roll < 0.32 and name.endswith("қаласы") and entity.kind == "region":
        stem = f"{base} әкімдігі"
    else:
        stem = f"{name} әкімдігі"
    roll = rng.random()
    if roll < 0.10:
        return kk_latin(stem) + KK_CASES_LATIN[case], True
    if roll < 0.22:
        return kk_ascii(stem + KK_CASES[case]), True
    if roll < 0.24:
        # a typo in the suffix boundary («әкімдігне»): realistic, not expected to be caught
        return stem[:-1] + KK_CASES[case] + ("е" if case == "nom" else ""), False
    return stem + KK_CASES[case], True


def kk_place(entity: Entity, case: str, rng: random.Random) -> str:
    name = _kk_name(entity)
    suffix = {"loc": "нда", "dat": "на"}.get(case, "")
    if entity.kind == "region" and name.endswith("қаласы") and rng.random() < 0.5:
        city = name.split()[0]
        last = city[-1]
        if case == "loc":
            return city + ("те" if last in "тк" else "да" if last in "аоыұу" else "де")
        if case == "dat":
            return city + ("ке" if last in "тк" else "ға" if last in "аоыұу" else "ге")
        return city
    return name + suffix


def kk_head(entity: Entity, rng: random.Random) -> str:
    return f"{_kk_genitive(_kk_name(entity))} әкімі"


def _az_vowel(word: str) -> str:
    for ch in reversed(word.lower()):
        if ch in _AZ_FRONT or ch in _AZ_BACK:
            return ch
    return "e"


def az_suffix(word: str, case: str) -> str:
    """The case ending after a vowel-final possessive noun (``Nazirliyi`` -> ``Nazirliyinə``)."""
    vowel = _az_vowel(word)
    front = vowel in _AZ_FRONT
    rounded = vowel in "öüou"
    gen = ("nün" if front else "nun") if rounded else ("nin" if front else "nın")
    table = {
        "nom": "", "gen": gen, "dat": "nə" if front else "na", "acc": "ni" if front else "nı",
        "loc": "ndə" if front else "nda", "abl": "ndən" if front else "ndan", "ins": " ilə",
    }  # fmt: skip
    return table[case]


_AZ_ABBR_SUFFIX: Final = {"nom": "", "gen": "-in", "dat": "-ə", "acc": "-i", "loc": "-də", "abl": "-dən", "ins": " ilə"}


def az_institution(entity: Entity, case: str, rng: random.Random) -> tuple[str, bool]:
    """(text, expected to be caught) naming an Azerbaijani body in ``case``."""
    names = [entity.name.get("az", "")]
    aliases = entity.aliases.get("az", [])
    # other names of the body (a renaming), not the ASCII spellings or abbreviations the registry also lists
    renamed = [a for a in aliases if a not in names and a != az_ascii(a) and a[-1] in "iıuü"]
    abbreviations = [a for a in aliases if a.isupper() and len(a.split()) == 1]
    roll = rng.random()
    if abbreviations and roll < 0.12:
        return rng.choice(abbreviations) + _AZ_ABBR_SUFFIX[case], True
    name = rng.choice(renamed) if renamed and roll < 0.22 else names[0]
    text = name + az_suffix(name.split()[-1], case)
    roll = rng.random()
    if roll < 0.14:
        return az_ascii(text), True
    if roll < 0.18:
        return az_upper(text), True
    return text, True


AZ_CITIES: Final = ("Bakıda", "Gəncədə", "Sumqayıtda", "Şəkidə", "Lənkəranda", "Mingəçevirdə", "Şirvanda")


def az_place(rng: random.Random) -> str:
    return rng.choice(AZ_CITIES)


def az_head(entity: Entity, rng: random.Random) -> str:
    name = entity.name.get("az", "")
    if name.endswith("Nazirliyi"):
        return name[: -len("Nazirliyi")] + "naziri"
    return "Rəhbər"
