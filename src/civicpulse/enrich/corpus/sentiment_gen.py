"""Writes the labelled sentiment and topics corpus: ``sentiment_{ru,kk,az}.jsonl`` beside this file.

Each line is ``{"id", "lang", "text", "entities", "sentiment", "topics", "split"}``. Messages are
composed from the phrase banks (``sentiment_bank_<lang>.py``): a complaint, thanks or question
about one of the citizen complaint topics, optionally opened and closed the way people write in
regional groups («Позор!», «{org}, қашанға дейін?», «Cavab gözləyirik.»), sometimes about two
topics, sometimes a general remark about an authority (topic ``other``), and posts of a head's
personal account (``official_work``, possibly with the topic of the work, or ``personal_life``).
Noise follows real writing: no capital letter, no final stop, emoji, hashtags, «!!!», capitals of
anger, Kazakh typed on a Russian keyboard, Azerbaijani typed in ASCII.

The held-out split is held out by *phrasing*, not only by message: every bank list is cut in two
by a hash of each item, a quarter for the test split, the rest for training, and a message takes
all its parts (clause, opener, closer, personal post) from its own split's side. A test message
therefore never repeats a clause, opener or closer the models were trained on; it only shares
the slot values (street names, districts, numbers) and the vocabulary of the language.

Run ``python -m civicpulse.enrich.corpus.sentiment_gen`` to rewrite the files; the output is a
pure function of the banks (a fixed seed per language and split), and a test checks that the
shipped files are what this writes.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Final, TypeVar

from civicpulse.enrich.corpus import sentiment_bank_az, sentiment_bank_kk, sentiment_bank_ru

HERE: Final = Path(__file__).resolve().parent
BANKS: Final[dict[str, ModuleType]] = {"ru": sentiment_bank_ru, "kk": sentiment_bank_kk, "az": sentiment_bank_az}
SIZES: Final = {"train": 480, "test": 170}
TEST_SHARE: Final = 0.25
SENTIMENT_WEIGHTS: Final = {"negative": 0.5, "neutral": 0.28, "positive": 0.22}
EMOJI: Final = {
    "negative": ["😡", "🤬", "👎", "😤", "😠"],
    "positive": ["👍", "🙏", "❤️", "👏", "😊"],
    "neutral": ["📢", "❓", "ℹ️"],
}
_KK_KEYBOARD: Final = str.maketrans("әіқғңөұүһӘІҚҒҢӨҰҮҺ", "аикгноуухАИКГНОУУХ")
_AZ_ASCII: Final = str.maketrans("əıışçğöüƏİŞÇĞÖÜ", "eiiscgouEISCGOU")

T = TypeVar("T")


def path(lang: str) -> Path:
    """The shipped corpus file of ``lang``."""
    return HERE / f"sentiment_{lang}.jsonl"


def _digest(item: object) -> str:
    text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def split_pool(items: Sequence[T], split: str) -> list[T]:
    """The side of ``items`` that messages of ``split`` may use (a quarter, by hash, for the test split)."""
    ranked = sorted(items, key=_digest)
    cut = max(1, math.ceil(len(ranked) * TEST_SHARE)) if len(ranked) > 1 else 0
    chosen = ranked[:cut] if split == "test" else ranked[cut:]
    return chosen or list(ranked)


class _Composer:
    """Draws the messages of one language and split."""

    def __init__(self, lang: str, split: str) -> None:
        self.lang = lang
        self.split = split
        self.bank = BANKS[lang]
        self.rng = random.Random(f"civicpulse-sentiment-{lang}-{split}")

    def pool(self, items: Sequence[T]) -> list[T]:
        return split_pool(items, self.split)

    def fill(self, template: str, org: str | None) -> str:
        values: dict[str, str] = {name: self.rng.choice(options) for name, options in self.bank.SLOTS.items()}
        if org is not None:
            stem = self.bank.ORGS[org]
            values |= {case: form.format(stem=stem) for case, form in self.bank.CASES.items()}
        return str(template.format(**values))

    def org_for(self, topic: str | None) -> str:
        by_topic: dict[str, list[str]] = getattr(self.bank, "TOPIC_ORGS", {})
        if topic is not None and topic in by_topic:
            return self.rng.choice(by_topic[topic])
        return str(self.rng.choice(sorted(self.bank.ORGS)))

    def ending(self, clause: str, sentiment: str) -> str:
        if clause.endswith(("?", "!", ".", "…")):
            return clause
        marks = {"negative": [".", "!", "", "!!!"], "positive": [".", "!", "", "!!"], "neutral": [".", ""]}
        return clause + self.rng.choice(marks[sentiment])

    def complaint(self) -> tuple[str, str, list[str], str | None]:
        rng = self.rng
        topic = rng.choice(sorted(self.bank.TOPICS))
        sentiment = rng.choices(list(SENTIMENT_WEIGHTS), weights=list(SENTIMENT_WEIGHTS.values()))[0]
        topics = [topic]
        parts = [self.ending(rng.choice(self.pool(self.bank.TOPICS[topic][sentiment])), sentiment)]
        if rng.random() < 0.15:
            other = rng.choice([t for t in sorted(self.bank.TOPICS) if t != topic])
            topics.append(other)
            second = rng.choice(self.pool(self.bank.TOPICS[other][sentiment]))
            parts.append(rng.choice(self.bank.CONNECTORS) + self.ending(second, sentiment))
        if rng.random() < 0.45:
            parts.insert(0, rng.choice(self.pool(self.bank.OPENERS[sentiment])))
        if rng.random() < 0.45:
            parts.append(rng.choice(self.pool(self.bank.CLOSERS[sentiment])))
        text = " ".join(_capital(p) for p in parts)
        wants_org = rng.random() < 0.7
        if "{org" not in text and wants_org:
            text = "{org}, " + text[0].lower() + text[1:]
        org = self.org_for(topic) if "{org" in text else None
        return text, sentiment, topics, org

    def general(self) -> tuple[str, str, list[str], str | None]:
        sentiment = self.rng.choices(list(SENTIMENT_WEIGHTS), weights=list(SENTIMENT_WEIGHTS.values()))[0]
        parts = [self.ending(self.rng.choice(self.pool(self.bank.GENERAL[sentiment])), sentiment)]
        if self.rng.random() < 0.4:
            parts.append(self.rng.choice(self.pool(self.bank.CLOSERS[sentiment])))
        return " ".join(_capital(p) for p in parts), sentiment, ["other"], self.org_for(None)

    def personal(self) -> tuple[str, str, list[str], str | None]:
        if self.rng.random() < 0.5:
            text, sentiment, topic = self.rng.choice(self.pool(self.bank.WORK))
            return text, sentiment, ["official_work", *([topic] if topic else [])], None
        text, sentiment = self.rng.choice(self.pool(self.bank.LIFE))
        return text, sentiment, ["personal_life"], None

    def noisy(self, text: str, sentiment: str) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            text = _lower(text, self.lang)
        elif sentiment == "negative" and rng.random() < 0.04:
            text = _upper(text, self.lang)
        if rng.random() < 0.3:
            text = text.rstrip(".")
        if rng.random() < 0.3:
            text += " " + rng.choice(EMOJI[sentiment]) * rng.choice([1, 1, 2, 3])
        if rng.random() < 0.12:
            text += " " + rng.choice(self.bank.HASHTAGS)
        if self.lang == "kk" and rng.random() < 0.2:
            text = text.translate(_KK_KEYBOARD)
        if self.lang == "az" and rng.random() < 0.25:
            text = text.translate(_AZ_ASCII)
        return text

    def messages(self, count: int) -> list[dict[str, Any]]:
        kinds: list[Callable[[], tuple[str, str, list[str], str | None]]] = [
            self.complaint,
            self.general,
            self.personal,
        ]
        seen: set[str] = set()
        out: list[dict[str, Any]] = []
        for _ in range(count * 50):
            if len(out) == count:
                break
            make = self.rng.choices(kinds, weights=[0.68, 0.14, 0.18])[0]
            template, sentiment, topics, org = make()
            text = self.noisy(self.fill(template, org), sentiment)
            if text in seen:
                continue
            seen.add(text)
            entities = [org] if org is not None and not org.startswith("local:") else []
            out.append(
                {
                    "id": f"{self.lang}-{self.split}-{len(out) + 1:04d}",
                    "lang": self.lang,
                    "text": text,
                    "entities": entities,
                    "sentiment": sentiment,
                    "topics": sorted(topics),
                    "split": self.split,
                }
            )
        return out


def _lower(text: str, lang: str) -> str:
    # Python lowers «İ» to «i» + a combining dot; Azerbaijani and Kazakh Latin write «i» and «ı»
    return text.replace("İ", "i").replace("I", "ı").lower() if lang == "az" else text.lower()


def _upper(text: str, lang: str) -> str:
    return text.replace("i", "İ").upper() if lang == "az" else text.upper()


def _capital(part: str) -> str:
    return part[:1].upper() + part[1:] if part and not part.startswith("{") else part


def generate(lang: str) -> list[dict[str, Any]]:
    """Every message of ``lang``, training split first; a pure function of the bank."""
    return [row for split, size in SIZES.items() for row in _Composer(lang, split).messages(size)]


def render(rows: Sequence[dict[str, Any]]) -> str:
    """The JSONL text of ``rows`` (one object a line, keys in a fixed order)."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main(argv: Sequence[str] = ()) -> int:
    """Rewrite the corpus files (all languages, or those named in ``argv``)."""
    for lang in argv or sorted(BANKS):
        path(lang).write_text(render(generate(lang)), encoding="utf-8")
        print(f"wrote {path(lang)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
