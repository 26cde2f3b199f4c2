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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np

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
_COMBINING = re.compile("[\u0300-\u0306\u0308-\u036f]")
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


# -- whole batches at once ------------------------------------------------------------------------
#
# Folding text by text costs a str.translate per text, which looks up every character in a dict.
# For a batch, the texts are joined and their code points folded with two lookup tables in numpy
# (one gather per table), which is an order of magnitude faster and gives the same keys.

_SEP = 0
"""Code point separating the texts of a batch (NUL inside a text becomes a space first)."""
_DROP = 0xFFFF
_BMP = 0x10000


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """(cased, key) code point for every code point of the Basic Multilingual Plane."""
    cased = np.empty(_BMP, dtype=np.uint32)
    keys = np.empty(_BMP, dtype=np.uint32)
    space = ord(_SPACE)
    for code in range(_BMP):
        ch = chr(code)
        mapped = _CASED.get(code, ch)
        if mapped is None:
            cased[code] = keys[code] = _DROP
            continue
        if not mapped.isalnum():
            mapped = _SPACE
        cased[code] = ord(mapped)
        folded = key(mapped) if mapped != _SPACE else _SPACE
        keys[code] = ord(folded) if len(folded) == 1 else space
    cased[_SEP] = keys[_SEP] = _SEP
    return cased, keys


@dataclass(frozen=True)
class FoldedBatch:
    """The folded keys of a batch of texts, joined by NUL, with where each text starts."""

    key: str
    starts: np.ndarray
    """Offset of each text's first character in ``key``."""
    cased_codes: np.ndarray
    """The cased text as code points, position for position with ``key`` (for capitals checks)."""

    def cased(self, start: int, end: int) -> str:
        """The cased text of ``key[start:end]``."""
        return self.cased_codes[start:end].astype(np.uint32).tobytes().decode("utf-32-le")


def fold_batch(texts: Sequence[str | None]) -> FoldedBatch:
    """:func:`fold` for a whole batch: the same keys (bar one trailing space a text may keep), much faster."""
    parts = [t or "" for t in texts]
    big = "\x00".join(parts)
    if "\x00" in big and big.count("\x00") != len(parts) - 1:
        big = "\x00".join(p.replace("\x00", " ") for p in parts)
    if "#" in big:
        big = split_hashtags(big)
    codes = np.frombuffer(big.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    # decomposed letters (a letter + a combining mark; the dot of «i̇» is dropped anyway) are rare:
    # compose only the texts that have some
    if ((codes >= 0x0300) & (codes <= 0x036F) & (codes != 0x0307)).any():
        parts = [unicodedata.normalize("NFC", p) if _COMBINING.search(p) else p for p in big.split("\x00")]
        codes = np.frombuffer("\x00".join(parts).encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    codes = np.where(codes < _BMP, codes, ord(_SPACE))  # emoji and other astral symbols: boundaries
    cased_table, key_table = _tables()
    cased = cased_table[codes]
    keys = key_table[codes]
    space = ord(_SPACE)
    is_space = keys == space
    previous = np.empty_like(keys)
    if len(keys):
        previous[0] = _SEP
        previous[1:] = keys[:-1]
    # drop combining dots, and spaces after a space or at a text's start: one space between words
    # (a dot between two spaces leaves both: harmless, a space is a boundary either way)
    keep = (cased != _DROP) & ~(is_space & ((previous == space) | (previous == _SEP)))
    if not keep.all():
        cased, keys = cased[keep], keys[keep]
    starts = np.concatenate(([0], np.flatnonzero(keys == _SEP) + 1))
    return FoldedBatch(keys.astype(np.uint32).tobytes().decode("utf-32-le"), starts, cased)
