"""Every written form of every registry alias, generated from the aliases themselves.

The registry holds aliases as people name an institution, in the nominative (``акимат Атырауской
области``, ``Атырау облысы әкімдігі``, ``Kənd Təsərrüfatı Nazirliyi``). From each one this module
derives the forms a text may contain, as folded keys (:mod:`civicpulse.enrich.normalise`):

- **Russian**: the head noun (the first noun in the nominative, with the adjectives before it that
  agree with it) in every case and number, generated with pymorphy3, the words after it kept as
  they are (they are already genitive: «акимату Атырауской области», «в Атырауском областном
  акимате»); then the usual abbreviations of the dependent words («обл.», «р-на», «г.»).
  Matched as whole words.
- **Kazakh and Azerbaijani** (Turkic languages add suffixes to the last word): the alias is a
  *stem*; a match must start at a word boundary and may continue with letters only when they form
  a known chain of case, plural, copula and particle suffixes (:data:`SUFFIXES`), so «Атырау облысы
  әкімдігіне», «...әкімдігінің», «Nazirliyinə», «Nazirliyindən» match and a longer unrelated word
  does not. Kazakh Cyrillic aliases also get plain-Latin transliterations in three common
  conventions (``zh``/``j`` for ж, ``y``/``i`` for ы, ``ng``/``n`` for ң...).
- **English** and anything else: the alias as written, whole words.
- Every form also without its spaces, as lower-case hashtags run the words together.
- An alias written entirely in capitals (``KTN``, ``FHN``) is an abbreviation: it counts only when
  the text has it in capitals too.

A bare place name is never generated: the aliases always name the institution, so «в Атырау» or
«Атырау облысында» mention no akimat. ``civicpulse registry aliases ENTITY`` prints these forms.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from typing import Final, Literal

import pymorphy3

from civicpulse.enrich.normalise import fold_key
from civicpulse.registry.models import Entity, Registry

Mode = Literal["word", "stem"]
TURKIC: Final = ("kk", "az", "ky", "uz", "tr")

RU_CASES: Final = ("nomn", "gent", "datv", "accs", "ablt", "loct")
RU_NUMBERS: Final = ("sing", "plur")

# Abbreviations of the dependent words of Russian aliases, as folded keys (dots are spaces by then)
RU_ABBREVIATIONS: Final = {
    "области": ("обл",),
    "область": ("обл",),
    "района": ("р на", "р н"),
    "район": ("р н",),
    "города": ("г",),
    "город": ("г",),
    "республики": ("респ",),
}

# Suffix chains allowed after a Turkic stem, on folded text (ә->а, і->и, ң->н, ə->e, ı->i, q->k...)
_KK_CYR = (
    r"(?:н|нин|нын|ниң|не|на|ге|га|ке|ка|нде|нда|де|да|те|та|нен|нан|ден|дан|тен|тан|мен|менен|бен|пен"
    r"|ндеги|ндагы|деги|дагы|ндей|ндай)?"
    r"(?:лер|лар|дер|дар|тер|тар)?(?:ге|га|де|да|ден|дан|ди|ды|дин|дын|ин|ын)?"
    r"(?:ма|ме|ба|бе|па|пе|гой|кой|ши|шы|ау|ак)?"
)
_KK_LAT = (
    r"(?:n|nin|nyn|ning|nyng|ne|na|ge|ga|ke|ka|nde|nda|de|da|te|ta|nen|nan|den|dan|ten|tan|men|menen|ben|pen"
    r"|ndegi|ndagy|degi|dagy|ndei|ndai|ndey|nday)?"
    r"(?:ler|lar|der|dar|ter|tar)?(?:ge|ga|de|da|den|dan|di|dy|din|dyn|in|yn)?"
    r"(?:ma|me|ba|be|pa|pe|goi|goy|koi|koy|shi|shy)?"
)
_AZ = (
    r"(?:n(?:in|un|e|a|i|u|de|da|den|dan)(?:ki)?|y?le|y?la|ile|ye|ya|de|da|den|dan|ni|nu)?"
    r"(?:dir|dur|dis|mi|mu)?"
)
SUFFIXES: Final[dict[tuple[str, str], re.Pattern[str]]] = {
    ("kk", "cyrl"): re.compile(_KK_CYR),
    ("kk", "latn"): re.compile(_KK_LAT),
    ("ky", "cyrl"): re.compile(_KK_CYR),
    ("az", "latn"): re.compile(_AZ),
    ("tr", "latn"): re.compile(_AZ),
    ("uz", "latn"): re.compile(_KK_LAT),
}

# Kazakh Cyrillic -> plain Latin, three conventions seen in hashtags, handles and ASCII typing; the
# output is folded (q is k already). Letters absent here are the same in every convention.
_KK_LATIN_BASE: Final = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "и": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ь": "", "ю": "yu", "я": "ya", " ": " ",
}  # fmt: skip
_KK_CONVENTIONS: Final = (
    {"ж": "zh", "ы": "y", "й": "i", "х": "h"},
    {"ж": "j", "ы": "y", "й": "i", "х": "h"},
    {"ж": "zh", "ы": "i", "й": "y", "х": "kh"},
)


@dataclass(frozen=True)
class AliasForm:
    """One searchable form of one alias of one entity."""

    entity: str
    lang: str
    alias: str
    """The registry alias it comes from, as written."""
    key: str
    """The folded form searched for."""
    mode: Mode
    how: str
    """How it was made: ``alias``, ``gent plur`` (Russian case and number), ``abbr``, ``latin``."""
    script: str
    caps: bool = False
    """An abbreviation: counts only in capitals."""


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def _script(text: str) -> str:
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in text if (ch.isascii() and ch.isalpha()) or "\u00c0" <= ch <= "\u024f")
    return "cyrl" if cyrillic >= latin else "latn"


def _is_abbreviation(alias: str) -> bool:
    letters = [ch for ch in alias if ch.isalpha()]
    return len(alias.split()) == 1 and bool(letters) and all(ch.isupper() for ch in letters)


def _nominative(word: str, last: bool) -> pymorphy3.analyzer.Parse | None:
    """The parse of ``word`` as a nominative noun or adjective, if it has one (abbreviations have none).

    Before the last word an adjective reading wins: pymorphy3 reads unknown place adjectives
    («Кзылкогинский») as surnames first, but in an alias they agree with the noun that follows.
    """
    if _is_abbreviation(word) or not any(ch.isalpha() for ch in word):
        return None
    parses = [p for p in _morph().parse(word) if "nomn" in p.tag and p.tag.POS in ("NOUN", "ADJF", "PRTF")]
    if not last:
        adjectives = [p for p in parses if p.tag.POS in ("ADJF", "PRTF")]
        if adjectives:
            return adjectives[0]
    return parses[0] if parses else None


def ru_inflections(phrase: str) -> list[tuple[str, str]]:
    """``(form, how)`` for every case and number of a Russian nominative phrase; just the phrase when
    its head cannot be found (an abbreviation, a phrase starting with a preposition)."""
    words = phrase.split()
    adjectives: list[tuple[int, pymorphy3.analyzer.Parse]] = []
    head: tuple[int, pymorphy3.analyzer.Parse] | None = None
    for i, word in enumerate(words):
        parse = _nominative(word, last=i == len(words) - 1)
        if parse is None:
            break
        if parse.tag.POS == "NOUN":
            head = (i, parse)
            break
        adjectives.append((i, parse))
    out = [(phrase, "alias")]
    if head is None:
        return out
    index, noun = head
    for number, case in itertools.product(RU_NUMBERS, RU_CASES):
        inflected = noun.inflect({case, number})
        if inflected is None:
            continue
        grammemes = {case, number}
        if number == "sing" and noun.tag.gender:
            grammemes.add(noun.tag.gender)
        if case == "accs" and noun.tag.animacy:
            grammemes.add(noun.tag.animacy)
        new = list(words)
        new[index] = inflected.word
        agreed = True
        for position, adjective in adjectives:
            form = adjective.inflect(grammemes)
            if form is None:
                agreed = False
                break
            new[position] = form.word
        if agreed:
            out.append((" ".join(new), f"{case} {number}"))
    return out


def ru_abbreviated(key: str) -> list[str]:
    """Folded ``key`` with its dependent words abbreviated in every combination (not including ``key``)."""
    words = key.split(" ")
    options = [(w, *RU_ABBREVIATIONS.get(w, ())) for w in words]
    variants = {" ".join(choice) for choice in itertools.product(*options)}
    variants.discard(key)
    return sorted(variants)


def kk_latin(alias: str) -> list[str]:
    """Plain-Latin transliterations of a Kazakh Cyrillic alias, folded, one per convention."""
    cyrillic = fold_key(alias)  # Kazakh letters are Russian ones by now (ә->а, қ->к...)
    out = []
    for convention in _KK_CONVENTIONS:
        table = _KK_LATIN_BASE | convention
        out.append("".join(table.get(ch, ch) for ch in cyrillic))
    return sorted(set(out))


def entity_forms(entity: Entity) -> list[AliasForm]:
    """Every form of every alias of ``entity``, without duplicates (first derivation kept)."""
    forms: dict[tuple[str, str], AliasForm] = {}

    def add(lang: str, alias: str, key: str, mode: Mode, how: str, script: str, caps: bool = False) -> None:
        if key and (key, mode) not in forms:
            forms[(key, mode)] = AliasForm(entity.id, lang, alias, key, mode, how, script, caps)
        # the same words run together, as in a lower-case hashtag (#акимататыраускойобласти)
        squashed = key.replace(" ", "")
        if not caps and squashed != key and (squashed, mode) not in forms:
            forms[(squashed, mode)] = AliasForm(entity.id, lang, alias, squashed, mode, f"{how} hashtag", script)

    for lang, aliases in sorted(entity.aliases.items()):
        for alias in aliases:
            script = _script(alias)
            if _is_abbreviation(alias):
                add(lang, alias, fold_key(alias), "word", "abbr", script, caps=True)
                continue
            if lang == "ru":
                for phrase, how in ru_inflections(alias):
                    key = fold_key(phrase)
                    add(lang, alias, key, "word", how, script)
                    for short in ru_abbreviated(key):
                        add(lang, alias, short, "word", f"{how} abbr", script)
            elif lang in TURKIC:
                add(lang, alias, fold_key(alias), "stem", "alias", script)
                if lang == "kk" and script == "cyrl":
                    for latin in kk_latin(alias):
                        add(lang, alias, latin, "stem", "latin", "latn")
            else:
                add(lang, alias, fold_key(alias), "word", "alias", script)
    return list(forms.values())


def registry_forms(registry: Registry, entities: Iterable[str] | None = None) -> list[AliasForm]:
    """The forms of every entity of ``registry`` (or of ``entities`` only)."""
    wanted = set(entities) if entities is not None else None
    out: list[AliasForm] = []
    for entity in registry.entities:
        if wanted is None or entity.id in wanted:
            out.extend(entity_forms(entity))
    return out


def aliases_fingerprint(registry: Registry) -> str:
    """A hash of everything that shapes the forms: the aliases and the morphology dictionary's version."""
    lines = [f"pymorphy3-dicts-ru {version('pymorphy3-dicts-ru')}"]
    for entity in sorted(registry.entities, key=lambda e: e.id):
        for lang, aliases in sorted(entity.aliases.items()):
            lines.extend(f"{entity.id}\t{lang}\t{alias}" for alias in aliases)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
