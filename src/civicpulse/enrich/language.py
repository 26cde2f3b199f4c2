"""The ``language`` stage: ru, kk, az, en, tr, uz or ky, on short and mixed texts.

Two parts. A naive Bayes language model (py3langid's, restricted to the seven languages) scores
every text; its byte automaton is walked for a whole batch at once with numpy (one step per byte
position across all texts, instead of a Python loop per byte per text), which gives the same
scores as ``LanguageIdentifier.rank`` many times faster. Then letters that only some of these
languages have decide what the model may answer, because on short texts the model guesses:

- Cyrillic text: Kazakh-only letters (ә ғ қ ұ һ і) rule out Kyrgyz and Uzbek; Uzbek letters (ў ҳ)
  rule out Kazakh and Kyrgyz; Kyrgyz and Kazakh letters (ң ө ү) with no Kazakh-only letter rule out
  Kazakh; a Cyrillic text with none of them is Russian unless the model is very sure;
  Latin-script languages are ruled out. A text with Kazakh-only letters in a minority of its
  words is a Russian text quoting a Kazakh name, and the model decides between the two.
- Latin text: ə is Azerbaijani only; q and x rule out Turkish and English;
  Uzbek's oʻ/gʻ apostrophes and «sh/ch» words point to Uzbek; plain-Latin Kazakh (as typed in
  hashtags: «oblysy», «akimdigi», «qalasy») is recognised by a short list of frequent words,
  because the model has no Latin Kazakh.
- No letters at all: null.

``lang_score`` is the model's probability of the answer among the languages still allowed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
import pyarrow as pa
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from civicpulse.enrich.evaluate import Corpus, EvalRow, label_rows
from civicpulse.enrich.stage import STANDARD, BatchFunction, Stage, StageContext

VERSION = "1"
LANGS: Final = ("ru", "kk", "az", "en", "tr", "uz", "ky")
KK_ASCII_SURE = 0.75
"""Cyrillic text without any Kazakh letter is Kazakh only when the model gives it this share against Russian."""
KK_SHARE = 0.25
"""A text whose words with Kazakh-only letters are at least this share is Kazakh outright."""
MAX_BYTES = 600
"""Bytes of a text the model reads: enough to decide, and it bounds the walk over a batch."""

# the lookahead lets the regex engine skip to the few characters a match can start with
_URL = re.compile(r"(?=[hHwW@#0-9])(?:(?:https?://|www\.)[^\s\x00]+|[@#]\w*|\d+)", re.IGNORECASE)
_KK_ONLY = frozenset("әғқұһіӘҒҚҰҺІ")
_KY_KK = frozenset("ңөүҢӨҮ")
_UZ_CYR = frozenset("ўҳЎҲ")
_AZ_ONLY = frozenset("əƏ")
_TR_EXCLUDED = frozenset("qxQX")
_UZ_LAT = re.compile(r"[og][ʻ‘’`][a-z]|\b(?:va|uchun|bilan|emas|hokimligi|hokimiyati|yoʻl|shahar|viloyat)\b", re.I)
_AZ_LAT = re.compile(
    r"\b(?:yox|yoxdur|deyil|nece|necə|hormetli|hörmətli|camaat|nazirliyi\w*|ucun|üçün|olmur|edirik|gorunur|görünür|"
    r"salam|tesekkur|təşəkkür|berbad|bərbad|gozel|gözəl|gozeldir|payiz|payız|muraciet|müraciət|vaxt|cavab|xahis|"
    r"xahiş|hansi|hansı|niye|niyə|kimi|qeder|qədər|isə|ise|olub|edib|deyir|yaxsi|yaxşı)\b",
    re.I,
)
_TR_LAT = re.compile(
    r"\b(?:için|icin|değil|degil|yok|nasıl|nasil|merhaba|belediye|güzel|guzel|sonbahar|neden|hangi|kadar|"
    r"iyi|teşekkürler|çok|cok|bir|şey|sey|ama|şimdi|simdi|geliyor|ediyoruz)\b",
    re.I,
)
_KK_LAT = re.compile(
    r"\b(?:oblysy|oblysynyn|oblystyq|qalasy|qalasynyn|audany|akimdigi\w*|akimshiligi\w*|akimdik\w*|jane|zhane|"
    r"ushin|uchin|emes|rahmet|raqmet|qazaqstan|kazakstan|bolady|kerek|jok|zhok|joq|zhoq|bizdin|sizdin|"
    r"kashan|qashan|qalai|kalai|jol|zhol|su|jyly|zhyly|tury|turaly)\b",
    re.I,
)


@dataclass(frozen=True)
class _Model:
    classes: tuple[str, ...]
    ptc: np.ndarray
    pc: np.ndarray
    nextmove: np.ndarray
    rowbase: np.ndarray
    output: np.ndarray


@cache
def _model() -> _Model:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGS))
    return _Model(
        classes=tuple(ident.nb_classes),
        # one contiguous row per class: the batch gathers a class's weights for every hit feature
        ptc=np.ascontiguousarray(np.asarray(ident.nb_ptc, dtype=np.float32).T),
        pc=np.asarray(ident.nb_pc, dtype=np.float32),
        nextmove=np.frombuffer(
            ident.tk_nextmove, dtype=np.uint32 if ident.tk_nextmove.itemsize == 4 else np.uint16
        ).astype(np.int64),
        rowbase=np.asarray(ident.tk_row, dtype=np.int64) << 8,
        output=np.asarray(ident.tk_output, dtype=np.int64),
    )


def _encode(text: str) -> bytes:
    # as py3langid does: all-capitals text lowered, NFC
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf-8", errors="surrogatepass")[:MAX_BYTES]


def model_probabilities(texts: list[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """(classes, probabilities per text and class) from py3langid's model, for a whole batch at once.

    Equal to ``LanguageIdentifier(norm_probs=True).rank`` restricted to :data:`LANGS` on the
    first :data:`MAX_BYTES` bytes of each text (a text without features gets uniform probabilities).
    """
    model = _model()
    encoded = [_encode(t) for t in texts]
    n = len(encoded)
    k = len(model.classes)
    if n == 0:
        return model.classes, np.zeros((0, k), dtype=np.float32)
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=n)
    flat = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.int64)
    offsets = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1], out=offsets[1:])
    order = np.argsort(-lengths, kind="stable")
    sorted_lengths = lengths[order]
    sorted_offsets = offsets[order]
    state = np.zeros(n, dtype=np.int64)
    hit_rows: list[np.ndarray] = []
    hit_feats: list[np.ndarray] = []
    longest = int(sorted_lengths[0]) if n else 0
    # active[i]: how many texts (longest first) are longer than i
    active = np.searchsorted(-sorted_lengths, -np.arange(longest), side="left")
    for i in range(longest):
        m = int(active[i])
        st = model.nextmove[model.rowbase[state[:m]] + flat[sorted_offsets[:m] + i]]
        state[:m] = st
        feats = model.output[st]
        hit = feats >= 0
        if hit.any():
            hit_rows.append(order[:m][hit])
            hit_feats.append(feats[hit])
    scores = np.zeros((n, k), dtype=np.float64)
    if hit_rows:
        rows = np.concatenate(hit_rows)
        feats = np.concatenate(hit_feats)
        n_features = model.ptc.shape[1]
        # (text, feature) pairs as one sortable integer; int32 sorts twice as fast when it fits
        dtype = np.int32 if n * n_features < 2**31 else np.int64
        keys = (rows * n_features + feats).astype(dtype)
        keys.sort()
        first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        counts = np.diff(np.append(first, len(keys)))
        unique = keys[first].astype(np.int64)
        rows_u = unique // n_features
        feats_u = unique % n_features
        weight = np.log1p(counts.astype(np.float32))
        # rows_u is sorted: sum each text's contributions with one reduceat per class
        starts = np.flatnonzero(np.concatenate(([True], rows_u[1:] != rows_u[:-1])))
        texts_hit = rows_u[starts]
        for c in range(k):
            scores[texts_hit, c] = np.add.reduceat(model.ptc[c][feats_u] * weight, starts)
        has = np.zeros(n, dtype=bool)
        has[rows_u] = True
    else:
        has = np.zeros(n, dtype=bool)
    scores = (scores + model.pc) / np.sqrt(np.maximum(lengths, 1))[:, None]
    scores[~has] = 0.0
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    # a language with two columns (two scripts) gets the sum of both, as py3langid does
    labels = tuple(dict.fromkeys(model.classes))
    merged = np.zeros((n, len(labels)), dtype=np.float32)
    for column, label in enumerate(model.classes):
        merged[:, labels.index(label)] += scores[:, column]
    return labels, merged


_CYR, _LAT, _KK, _KYKK, _UZ, _AZ, _TRX = (1 << bit for bit in range(7))


@cache
def _letter_table() -> np.ndarray:
    """A bit set per code point of the Basic Multilingual Plane: script and the telling letters."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for code in range(0x10000):
        ch = chr(code)
        if not ch.isalpha():
            continue
        bits = 0
        if 0x0400 <= code <= 0x04FF:
            bits |= _CYR
        elif ch.isascii() or 0x00C0 <= code <= 0x024F:
            bits |= _LAT
        for letters, bit in ((_KK_ONLY, _KK), (_KY_KK, _KYKK), (_UZ_CYR, _UZ), (_AZ_ONLY, _AZ), (_TR_EXCLUDED, _TRX)):
            if ch in letters:
                bits |= bit
        table[code] = bits
    return table


def _candidates(cyrillic: int, latin: int, seen: int) -> tuple[str, ...] | None:
    if cyrillic == 0 and latin == 0:
        return None
    if cyrillic >= latin:
        if seen & _UZ:
            return ("uz", "ru")
        if seen & _KK:
            return ("kk", "ru")
        if seen & _KYKK:
            return ("ky", "kk", "ru")
        # no special letter: Russian, or Kazakh typed on a Russian keyboard; Kyrgyz and Uzbek
        # sentences almost always show their own letters
        return ("ru", "kk")
    if seen & _AZ:
        return ("az",)
    if seen & _TRX:
        return ("az", "uz", "kk", "en")
    return ("en", "tr", "az", "uz", "kk")


def _letters(texts: list[str]) -> tuple[list[tuple[str, ...] | None], list[float]]:
    """Per text: the languages its letters allow, and the share of its words with Kazakh-only letters.

    Letters are counted with numpy over the whole batch rather than character by character."""
    if not texts:
        return [], []
    big = "\x00".join(t.replace("\x00", " ") for t in texts) + "\x00"
    codes = np.frombuffer(big.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    kinds = _letter_table()[np.where(codes < 0x10000, codes, 0)]
    ends = np.flatnonzero(codes == 0)
    starts = np.concatenate(([0], ends[:-1] + 1))
    cyrillic = np.add.reduceat((kinds & _CYR).astype(np.int64), starts).tolist()
    latin = np.add.reduceat(((kinds & _LAT) >> 1).astype(np.int64), starts).tolist()
    seen = np.bitwise_or.reduceat(kinds, starts).tolist()
    candidates = [_candidates(c, la, s) for c, la, s in zip(cyrillic, latin, seen, strict=True)]
    # words: runs of letters; a word is Kazakh when one of its letters is Kazakh-only
    letter = kinds != 0
    begins = letter & ~np.concatenate(([False], letter[:-1]))
    word = np.cumsum(begins) - 1
    n_words = int(begins.sum())
    kazakh = np.zeros(n_words, dtype=bool)
    if n_words:
        np.logical_or.at(kazakh, word[letter & ((kinds & _KK) != 0)], True)
    text_of_word = np.searchsorted(starts, np.flatnonzero(begins), side="right") - 1
    words = np.bincount(text_of_word, minlength=len(texts))
    kazakh_words = np.bincount(text_of_word, weights=kazakh, minlength=len(texts))
    share = np.divide(kazakh_words, words, out=np.zeros(len(texts)), where=words > 0).tolist()
    return candidates, share


def allowed_batch(texts: list[str]) -> list[tuple[str, ...] | None]:
    """:func:`allowed` for a whole batch."""
    return _letters(texts)[0]


def allowed(text: str) -> tuple[str, ...] | None:
    """The languages the letters of ``text`` leave possible (None: no letters, no language)."""
    return allowed_batch([text])[0]


def _without_kazakh_words(text: str) -> str:
    return " ".join(w for w in text.split() if not _KK_ONLY.intersection(w))


def detect(texts: list[str | None]) -> list[tuple[str | None, float | None]]:
    """``(lang, score)`` per text; ``(None, None)`` for a text without letters."""
    # links, handles, hashtags and numbers say nothing of the language (one regex pass for the batch)
    cleaned = _URL.sub(" ", "\x00".join((t or "").replace("\x00", " ") for t in texts)).split("\x00")
    classes, probs = model_probabilities(cleaned)
    index = {c: i for i, c in enumerate(classes)}
    candidates, shares = _letters(cleaned)
    # Russian text quoting a Kazakh name, or Kazakh? Ask the model about the words without Kazakh letters
    mixed = [i for i, c in enumerate(candidates) if c == ("kk", "ru") and shares[i] < KK_SHARE]
    rest_probs = model_probabilities([_without_kazakh_words(cleaned[i]) for i in mixed])[1]
    rest = dict(zip(mixed, rest_probs, strict=True))
    out: list[tuple[str | None, float | None]] = []
    for row, text in enumerate(cleaned):
        allowed_here = candidates[row]
        if allowed_here is None:
            out.append((None, None))
            continue
        p = probs[row]
        if row in rest:
            q = rest[row]
            lang = "ru" if q[index["ru"]] > q[index["kk"]] else "kk"
            out.append((lang, round(float(q[index[lang]] / max(q[index["ru"]] + q[index["kk"]], 1e-9)), 4)))
            continue
        forced = _forced(text, allowed_here, p, index, shares[row])
        if forced is not None:
            out.append(forced)
            continue
        mass = sum(float(p[index[c]]) for c in allowed_here)
        best = max(allowed_here, key=lambda c: float(p[index[c]]))
        score = float(p[index[best]]) / mass if mass > 0 else 1.0 / len(allowed_here)
        out.append((best, round(score, 4)))
    return out


def _forced(
    text: str, candidates: tuple[str, ...], p: np.ndarray, index: dict[str, int], kazakh_share: float
) -> tuple[str, float] | None:
    """Decisions the letters make better than the model on short texts."""
    if candidates == ("kk", "ru"):
        return ("kk", round(max(kazakh_share, 0.5), 4))
    if candidates == ("ru", "kk"):
        # no special letter at all: Russian unless the model is rather sure it is Kazakh
        kk = float(p[index["kk"]]) / max(float(p[index["kk"]] + p[index["ru"]]), 1e-9)
        return ("kk", round(kk, 4)) if kk >= KK_ASCII_SURE else ("ru", round(1 - kk, 4))
    if "kk" in candidates and candidates[0] != "kk" and not any("\u0400" <= ch <= "\u04ff" for ch in text):
        hits = len(_KK_LAT.findall(text))
        if hits >= 2 or (hits == 1 and len(text.split()) <= 4):
            return ("kk", round(min(1.0, 0.5 + 0.1 * hits), 4))
        uz = len(_UZ_LAT.findall(text))
        if uz >= 1 and "uz" in candidates:
            return ("uz", round(min(1.0, 0.5 + 0.1 * uz), 4))
        az, tr = len(_AZ_LAT.findall(text)), len(_TR_LAT.findall(text))
        if az > tr and "az" in candidates:
            # Azerbaijani typed without ə: its own words tell it from Turkish and Uzbek
            return ("az", round(min(1.0, 0.5 + 0.1 * az), 4))
    return None


def _prepare(context: StageContext) -> BatchFunction:
    _model()

    def language(batch: pa.RecordBatch) -> pa.RecordBatch:
        results = detect(batch.column("text").to_pylist())
        langs = pa.array([lang for lang, _ in results], type=STANDARD["lang"])
        scores = pa.array([s if s is None or not math.isnan(s) else None for _, s in results], type=pa.float32())
        return pa.RecordBatch.from_arrays([langs, scores], names=["lang", "lang_score"])

    return language


def _evaluate(corpus: Corpus) -> list[EvalRow]:
    found = corpus.apply(STAGE).column("lang").to_pylist()
    return label_rows(STAGE.name, corpus.items, found, lambda item: item.lang)


STAGE = Stage(
    name="language",
    version=VERSION,
    requires=("text",),
    produces=pa.schema([pa.field("lang", STANDARD["lang"]), pa.field("lang_score", STANDARD["lang_score"])]),
    prepare=_prepare,
    description="Language of the text: " + ", ".join(LANGS) + " (py3langid restricted, with letter rules).",
    languages=LANGS,
    evaluate=lambda corpus: _evaluate(corpus),
)
