"""Text folding shared by the alias forms and the texts they are searched in.

People write the same name many ways: «Әкімдігі», «Экимдиги», «akimdigi», «ákimdigi»;
«Kənd Təsərrüfatı», «Kend Teserrufati»; «İcra», «Icra», «ICRA», «ıcra»; «г.Астаны», «г. Астаны».
Folding maps all of them to one key, character for character, so the alias automaton needs one
form where the writer had a dozen:

- dotted and dotless I first (İ/I/ı/i -> i), before lowering (Python lowers «İ» to two characters);
- lower case;
- Kazakh, Kyrgyz and Uzbek Cyrillic letters to the Russian letters typed in their place
  (ә->а, і->и, қ->к, ғ->г, ң->н, ө->о, ұ/ү/ў->у, һ/ҳ->х); «э» -> «а» as well, because «Экимдиги» is
  how «Әкімдігі» is typed on a Russian keyboard; ё -> е;
- Latin letters with diacritics to plain ones (ə->e, ä/á->a, ö/ó->o, ü/ú/ū/ý->u, ş->s, ç->c,
  ğ/ǵ->g, ñ/ń->n), and q->k, so that «Qazaqstan», «Kazakstan» and «Қазақстан» typed in Latin meet;
- every character that is neither a letter nor a digit becomes a space, runs of spaces become one.

:func:`fold` keeps two strings of equal length: the *cased* text (only punctuation and spaces
normalised) and the *folded* key; a position in one is the same position in the other, so a match
found in the key can be checked against the writer's capitals (abbreviations such as «KTN» count
only in capitals).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_SPACE = " "

# Every ASCII character that is not a letter or digit, the controls, and common Unicode
# punctuation become spaces. Characters outside this table (emoji, symbols) stay as they are:
# they are not letters, so the word-boundary check treats them as boundaries anyway.
_PUNCT: Final = (
    "".join(chr(c) for c in range(0x30))
    + ":;<=>?@[\\]^_`{|}~\x7f"
    + "\u00a0\u00ab\u00bb\u00b7\u00b4\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201b"
    + "\u201c\u201d\u201e\u2026\u2022\u2116\u02bb\u02bc\u02b9\u2032\u2033\u00a6\u00a7\u2028\u2029\u3000\ufeff"
)
# «i̇» (i + combining dot above) is how some systems lower «İ»: drop the dot
_CASED: Final = {ord(c): _SPACE for c in _PUNCT} | {ord("İ"): "I", ord("ı"): "i", 0x0307: None}

_FOLD_PAIRS: Final = {
    # Cyrillic letters of Kazakh, Kyrgyz, Uzbek typed with a Russian keyboard
    "ә": "а", "э": "а", "і": "и", "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "ў": "у",
    "һ": "х", "ҳ": "х", "ё": "е", "ї": "и", "є": "е",
    # Latin: Azerbaijani, Turkish, Kazakh Latin (2018 and 2021 alphabets), Uzbek
    "ə": "e", "ä": "a", "á": "a", "à": "a", "â": "a", "ö": "o", "ó": "o", "ô": "o", "ü": "u", "ú": "u",
    "ū": "u", "ù": "u", "û": "u", "ý": "u", "ş": "s", "ș": "s", "ç": "c", "ğ": "g", "ǵ": "g", "ñ": "n",
    "ń": "n", "q": "k", "í": "i", "ì": "i", "î": "i", "é": "e", "è": "e", "ê": "e", "ë": "e", "ž": "z",
    "š": "s", "č": "c",
}  # fmt: skip
_FOLD: Final = {ord(k): v for k, v in _FOLD_PAIRS.items()}

_HASHTAG = re.compile(r"#\w+")
_CAMEL = re.compile(r"(?<=[^\W\d_])(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІƏÇĞİÖŞÜ])")


def _split_camel(match: re.Match[str]) -> str:
    return _CAMEL.sub(" ", match.group(0).replace("_", " "))


def split_hashtags(text: str) -> str:
    """``#АтырауОблысыӘкімдігі`` -> ``#Атырау Облысы Әкімдігі`` (only inside hashtags)."""
    return _HASHTAG.sub(_split_camel, text) if "#" in text else text


def cased(text: str) -> str:
    """``text`` with punctuation as single spaces and dotted/dotless I settled, case kept."""
    text = split_hashtags(unicodedata.normalize("NFC", text)) if not text.isascii() else split_hashtags(text)
    return _SPACE.join(text.translate(_CASED).split())


def key(cased_text: str) -> str:
    """The folded key of a :func:`cased` text (same length, position for position)."""
    return cased_text.lower().translate(_FOLD)


def fold(text: str) -> tuple[str, str]:
    """(cased, key) of ``text``: equal lengths, one space between words, no leading or trailing space."""
    c = cased(text)
    return c, key(c)


def fold_key(text: str) -> str:
    """Just the folded key of ``text``."""
    return key(cased(text))
