"""``civicpulse eval``: every stage measured on the shipped labelled corpus, per language.

The corpus (``enrich/corpus/corpus.jsonl``, built by :mod:`civicpulse.enrich.corpus.build`)
holds realistic messages in ru, kk and az with their entities, tone and topics, split by template
into ``train`` and a held-out ``test``. ``languages.jsonl`` next to it adds short texts in en, tr,
uz and ky for the language stage.

A stage takes part by setting ``Stage.evaluate``: a function from a :class:`Corpus` to rows of
precision, recall and F1 (:class:`EvalRow`). The helpers here compute the usual ones: per label
(:func:`label_rows`, e.g. language), micro-averaged over sets (:func:`set_rows`, e.g. entities,
topics) and macro-averaged over classes (:func:`macro_rows`, e.g. sentiment). Stages run on the
corpus through :meth:`Corpus.apply`, the same batch function ``civicpulse enrich`` uses, with the
bundled ``kz`` and ``az`` registries and the settings in force (e.g. ``models_dir``) as context.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Any

import pyarrow as pa

from civicpulse.config import Settings
from civicpulse.enrich import pipeline
from civicpulse.enrich.stage import Stage, StageContext, check_output
from civicpulse.errors import ConfigError
from civicpulse.registry import loader
from civicpulse.registry.models import Registry

SPLITS = ("train", "test")
EVAL_BATCH = 4096


@dataclass(frozen=True)
class EvalRow:
    stage: str
    lang: str
    items: int
    precision: float
    recall: float
    f1: float
    target: float | None = None
    note: str = ""

    @property
    def meets_target(self) -> bool:
        return self.target is None or self.f1 >= self.target


@dataclass(frozen=True)
class CorpusItem:
    id: str
    lang: str
    text: str
    entities: tuple[str, ...]
    sentiment: str | None
    topics: tuple[str, ...]
    split: str
    extra: dict[str, Any]


def _read(name: str) -> list[CorpusItem]:
    ref = resources.files("civicpulse.enrich.corpus") / name
    items = []
    for number, line in enumerate(ref.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        try:
            items.append(
                CorpusItem(
                    id=data.pop("id"),
                    lang=data.pop("lang"),
                    text=data.pop("text"),
                    entities=tuple(data.pop("entities", ())),
                    sentiment=data.pop("sentiment", None),
                    topics=tuple(data.pop("topics", ())),
                    split=data.pop("split"),
                    extra=data,
                )
            )
        except KeyError as exc:
            raise ConfigError(f"corpus {name}:{number}: missing field {exc}") from exc
    return items


def load(split: str | None = None, *, languages: bool = False) -> list[CorpusItem]:
    """The labelled corpus (``split``: train, test or both); ``languages`` adds the language-only items."""
    items = _read("corpus.jsonl") + (_read("languages.jsonl") if languages else [])
    return [i for i in items if split is None or i.split == split]


class Corpus:
    """The items of one split and what a stage needs to run on them."""

    def __init__(self, items: Sequence[CorpusItem], registry: Registry, settings: Settings | None = None) -> None:
        self.items = list(items)
        self.registry = registry
        self.settings = Settings() if settings is None else settings

    @cached_property
    def context(self) -> StageContext:
        return StageContext(self.registry, self.settings)

    def apply(self, stage: Stage, items: Sequence[CorpusItem] | None = None, **columns: list[Any]) -> pa.Table:
        """Run ``stage``'s batch function over the texts of ``items`` (default: all), with extra input ``columns``."""
        chosen = self.items if items is None else list(items)
        function = stage.prepare(self.context)
        parts = []
        for start in range(0, len(chosen), EVAL_BATCH):
            part = chosen[start : start + EVAL_BATCH]
            arrays = {"text": pa.array([i.text for i in part], type=pa.string())}
            arrays |= {name: pa.array(values[start : start + EVAL_BATCH]) for name, values in columns.items()}
            batch = pa.RecordBatch.from_pydict(arrays)
            parts.append(check_output(stage, function(batch), batch.num_rows))
        return pa.Table.from_batches(parts, schema=stage.produces)


def bundled_registry() -> Registry:
    """The bundled ``kz`` and ``az`` registries as one (the corpus names entities of both)."""
    kz, _ = loader.load("bundled:kz")
    az, _ = loader.load("bundled:az")
    return Registry(timezone=kz.timezone, sources={**kz.sources, **az.sources}, entities=[*kz.entities, *az.entities])


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def set_rows(
    stage: str,
    items: Sequence[CorpusItem],
    predicted: Sequence[Sequence[str]],
    gold: Callable[[CorpusItem], Sequence[str]],
    targets: dict[str, float] | None = None,
) -> list[EvalRow]:
    """Micro-averaged precision, recall and F1 of predicted sets against gold sets, per language and overall."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for item, guess in zip(items, predicted, strict=True):
        truth, found = set(gold(item)), set(guess)
        for lang in (item.lang, "all"):
            c = counts[lang]
            c[0] += len(truth & found)
            c[1] += len(found - truth)
            c[2] += len(truth - found)
            c[3] += 1
    rows = []
    for lang in sorted(counts, key=lambda k: (k == "all", k)):
        tp, fp, fn, n = counts[lang]
        p, r, f = _prf(tp, fp, fn)
        target = (targets or {}).get(lang)
        rows.append(EvalRow(stage, lang, n, p, r, f, target, f"tp {tp}, fp {fp}, fn {fn}"))
    return rows


def label_rows(
    stage: str, items: Sequence[CorpusItem], predicted: Sequence[str | None], gold: Callable[[CorpusItem], str]
) -> list[EvalRow]:
    """Per gold label: precision, recall and F1 of that label (one against the rest); ``all``: accuracy."""
    labels = sorted({gold(i) for i in items})
    rows = []
    for label in labels:
        tp = sum(1 for i, p in zip(items, predicted, strict=True) if gold(i) == label and p == label)
        fp = sum(1 for i, p in zip(items, predicted, strict=True) if gold(i) != label and p == label)
        fn = sum(1 for i, p in zip(items, predicted, strict=True) if gold(i) == label and p != label)
        n = sum(1 for i in items if gold(i) == label)
        rows.append(EvalRow(stage, label, n, *_prf(tp, fp, fn)))
    right = sum(1 for i, p in zip(items, predicted, strict=True) if gold(i) == p)
    accuracy = right / len(items) if items else 0.0
    rows.append(EvalRow(stage, "all", len(items), accuracy, accuracy, accuracy, note="accuracy"))
    return rows


def macro_rows(
    stage: str,
    items: Sequence[CorpusItem],
    predicted: Sequence[str | None],
    gold: Callable[[CorpusItem], str | None],
    targets: dict[str, float] | None = None,
) -> list[EvalRow]:
    """Per language: macro-averaged precision, recall and F1 over the gold classes (e.g. sentiment)."""
    by_lang: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_lang[item.lang].append(index)
    rows = []
    for lang in sorted(by_lang):
        idx = by_lang[lang]
        classes = sorted({g for i in idx if (g := gold(items[i])) is not None})
        scores = []
        for label in classes:
            tp = sum(1 for i in idx if gold(items[i]) == label and predicted[i] == label)
            fp = sum(1 for i in idx if gold(items[i]) != label and predicted[i] == label)
            fn = sum(1 for i in idx if gold(items[i]) == label and predicted[i] != label)
            scores.append(_prf(tp, fp, fn))
        k = len(scores) or 1
        p, r, f = (sum(s[j] for s in scores) / k for j in range(3))
        rows.append(EvalRow(stage, lang, len(idx), p, r, f, (targets or {}).get(lang), "macro over classes"))
    return rows


def run(
    selected: Sequence[str] | None = None, *, split: str = "test", settings: Settings | None = None
) -> list[EvalRow]:
    """Evaluate every installed stage that can be (or ``selected`` ones) on ``split``, with ``settings``
    (default: the defaults overridden by ``CIVICPULSE_*`` variables)."""
    if split not in SPLITS:
        raise ConfigError(f"unknown split {split!r} (train, test)")
    stages = pipeline.installed()
    names = list(selected) if selected else [n for n, s in stages.items() if s.evaluate is not None]
    unknown = [n for n in names if n not in stages]
    if unknown:
        raise ConfigError(f"unknown stage {unknown[0]!r} (known: {', '.join(sorted(stages))})")
    corpus = Corpus(load(split, languages=True), bundled_registry(), settings)
    rows: list[EvalRow] = []
    for name in names:
        evaluator = stages[name].evaluate
        if evaluator is None:
            rows.append(EvalRow(name, "-", 0, 0.0, 0.0, 0.0, note="this stage has no evaluation"))
            continue
        rows.extend(evaluator(corpus))
    return rows
