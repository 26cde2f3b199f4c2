"""Throughput of the sentiment and topics models against the alias automaton alone (the limit).

``main(quick)`` prints messages per second of each path on the corpus messages (repeated):
the mentions automaton, the linear sentiment and topics heads, the e5 path, and the default
sentiment stage (e5 on messages that mention an authority) at several shares of such messages,
with each figure's ratio to the automaton. Run inside ``python -m bench``, or alone:
``python -m bench.models [--quick]``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence

from civicpulse.enrich import heads, mentions, train
from civicpulse.enrich.evaluate import bundled_registry
from civicpulse.enrich.stage import StageContext


def _rate(run: Callable[[Sequence[str]], object], texts: Sequence[str], repeat: int) -> float:
    """Best of ``repeat`` runs, in messages per second."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main(quick: bool = False) -> dict[str, float]:
    """Measure and print; returns the figures (messages per second) by path."""
    items = train.load_corpus()
    base = [i.text for i in items]
    texts = (base * (4 if quick else 20))[: 8_000 if quick else 40_000]
    sample = base[: 32 if quick else 160]
    models = heads.load_models()
    matcher = mentions.matcher_for(StageContext(bundled_registry()))
    none: list[list[str]] = [[] for _ in texts]
    personal = [False] * len(texts)
    repeat = 2 if quick else 3
    rates = {
        "mentions automaton": _rate(matcher.find, texts, repeat),
        "sentiment linear": _rate(lambda t: heads.classify_sentiment(models, t, none, "none"), texts, repeat),
        "topics linear": _rate(lambda t: heads.classify_topics(models, t, none, personal, "none"), texts, repeat),
    }
    models.encoder.embed(sample[:2])  # load the encoder outside the timing
    rates["e5 encoder"] = _rate(models.encoder.embed, sample, 1)
    per_linear = 1 / rates["sentiment linear"] + 1 / rates["topics linear"]
    for share in (0.01, 0.05, 0.2):
        # the default stages: linear on all, e5 (one embedding, shared by both heads' rows) on the share in scope
        rates[f"sentiment+topics, e5 on {share:.0%} (mentions)"] = 1 / (per_linear + 2 * share / rates["e5 encoder"])
    limit = rates["mentions automaton"]
    print(f"{'path':44} {'msg/s':>12} {'vs automaton':>13}")
    for name, rate in rates.items():
        print(f"{name:44} {rate:12,.0f} {rate / limit:13.4f}")
    return rates


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
