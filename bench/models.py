"""Throughput of the sentiment and topics models against the alias automaton alone (the limit).

``main(quick)`` prints messages per second, and the ratio to the automaton, of: the mentions
automaton; the linear sentiment and topics heads on every message (``e5_scope = "none"``); the
e5 encoder alone; and both stages as they run by default (e5 on the messages that mention an
authority) at several shares of such messages. The e5 embeddings are cached per text, so the
topics stage reuses what the sentiment stage computed; the cache is cleared before each timing.
Run inside ``python -m bench``, or alone: ``python -m bench.models [--quick]``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence

from civicpulse.enrich import heads, mentions, train
from civicpulse.enrich.evaluate import bundled_registry
from civicpulse.enrich.heads import Models
from civicpulse.enrich.stage import StageContext


def _rate(run: Callable[[], object], count: int, repeat: int) -> float:
    """Best of ``repeat`` runs of ``run`` over ``count`` messages, in messages per second."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return count / best


def _both(models: Models, texts: Sequence[str], entities: Sequence[list[str]], scope: str) -> None:
    models.encoder.clear()
    heads.classify_sentiment(models, texts, entities, scope)
    heads.classify_topics(models, texts, entities, [False] * len(texts), scope)


def main(quick: bool = False) -> dict[str, float]:
    """Measure and print; returns the figures (messages per second) by path."""
    base = [i.text for i in train.load_corpus()]
    size = 8_000 if quick else 40_000
    # a number makes every text distinct, so no cache flatters the e5 figures
    texts = [f"{base[n % len(base)]} {n}" for n in range(size)]
    models = heads.load_models()
    matcher = mentions.matcher_for(StageContext(bundled_registry()))
    none: list[list[str]] = [[] for _ in texts]
    repeat = 2 if quick else 3
    rates = {
        "mentions automaton": _rate(lambda: matcher.find(texts), size, repeat),
        "sentiment linear": _rate(lambda: heads.classify_sentiment(models, texts, none, "none"), size, repeat),
        "topics linear": _rate(lambda: heads.classify_topics(models, texts, none, [False] * size, "none"), size, 1),
        "sentiment+topics linear (e5_scope none)": _rate(lambda: _both(models, texts, none, "none"), size, 1),
    }
    sample = texts[: 48 if quick else 200]
    models.encoder.embed(sample[:2])  # load the encoder outside the timing
    models.encoder.clear()
    rates["e5 encoder alone"] = _rate(lambda: models.encoder.embed(sample), len(sample), 1)
    count = 2_000 if quick else 8_000
    for share in (0.01, 0.05) if quick else (0.01, 0.05, 0.2):
        step = round(1 / share)
        marked = [["kz-atyrau"] if n % step == 0 else [] for n in range(count)]
        name = f"sentiment+topics default, {share:.0%} mention"
        rates[name] = _rate(lambda marked=marked: _both(models, texts[:count], marked, "mentions"), count, 1)
    limit = rates["mentions automaton"]
    print(f"{'path':48} {'msg/s':>10} {'vs automaton':>13}")
    for name, rate in rates.items():
        print(f"{name:48} {rate:10,.0f} {rate / limit:13.4f}")
    return rates


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
