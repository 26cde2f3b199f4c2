"""The ``mentions`` stage: which registry entities a text names, from their aliases.

All forms of all aliases (:mod:`civicpulse.enrich.aliases`) go into one Aho-Corasick automaton
over folded keys. A batch of texts is folded and joined into one string (:func:`fold_batch`) and
scanned once; every hit is then checked where it stands: a word boundary before it, and after it either a
boundary (whole-word forms) or letters that form an allowed suffix chain (Turkic stems).
Abbreviations must be in capitals in the text. A hit inside a longer hit is dropped («Təhsil
Nazirliyi» inside «Elm və Təhsil Nazirliyi»). A key that two entities share is ambiguous and links
to neither (``civicpulse registry aliases`` lists such keys).

Language does not steer the matching: people mix languages («спасибо Атырау облысы әкімдігі»),
and every alias is looked for in every text.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import ahocorasick
import pyarrow as pa

from civicpulse.enrich.aliases import SUFFIXES, AliasForm, aliases_fingerprint, registry_forms
from civicpulse.enrich.evaluate import Corpus, EvalRow, set_rows
from civicpulse.enrich.normalise import fold_batch
from civicpulse.enrich.stage import STANDARD, BatchFunction, Stage, StageContext

VERSION = "1"


@dataclass(frozen=True)
class _Target:
    entity: str
    length: int
    caps: bool
    whole_word: bool
    """A whole-word form exists for this key."""
    suffixes: tuple[re.Pattern[str], ...]
    """Suffix chains allowed after the key (Turkic stems)."""


@dataclass(frozen=True)
class Match:
    """One mention found in one text: the entity, the folded key and where it stands in the folded text."""

    entity: str
    key: str
    start: int
    end: int


@dataclass
class Matcher:
    """Finds registry entities in texts; build it once with :meth:`from_forms`."""

    automaton: ahocorasick.Automaton
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    size: int = 0

    @classmethod
    def from_forms(cls, forms: Sequence[AliasForm]) -> Matcher:
        by_key: dict[str, list[AliasForm]] = defaultdict(list)
        for form in forms:
            by_key[form.key].append(form)
        automaton = ahocorasick.Automaton()
        ambiguous: dict[str, list[str]] = {}
        for key, same in by_key.items():
            entities = sorted({f.entity for f in same})
            if len(entities) > 1:
                ambiguous[key] = entities
                continue
            suffixes = tuple(
                dict.fromkeys(
                    SUFFIXES[(f.lang, f.script)] for f in same if f.mode == "stem" and (f.lang, f.script) in SUFFIXES
                )
            )
            whole = any(f.mode == "word" for f in same) or not suffixes
            caps = all(f.caps for f in same)
            automaton.add_word(key, _Target(entities[0], len(key), caps, whole, suffixes))
        if len(automaton) > 0:
            automaton.make_automaton()
        return cls(automaton, ambiguous, len(automaton))

    def find(self, texts: Sequence[str | None]) -> list[list[Match]]:
        """The mentions in each text, in order of appearance, nested hits removed."""
        found: list[list[Match]] = [[] for _ in texts]
        if self.size == 0 or not texts:
            return found
        batch = fold_batch(texts)
        big = batch.key
        starts = batch.starts.tolist()
        n = len(big)
        for end, target in self.automaton.iter(big):
            start = end - target.length + 1
            if start > 0 and big[start - 1].isalnum():
                continue
            after = end + 1
            if after < n and big[after].isalnum():
                if not target.suffixes:
                    continue
                stop = after
                while stop < n and big[stop].isalnum():
                    stop += 1
                suffix = big[after:stop]
                if not any(p.fullmatch(suffix) for p in target.suffixes):
                    continue
            if target.caps:
                written = batch.cased(start, end + 1)
                if written != written.upper():
                    continue
            row = bisect.bisect_right(starts, start) - 1
            local = start - starts[row]
            found[row].append(Match(target.entity, big[start : end + 1], local, local + target.length))
        return [_outermost(matches) if len(matches) > 1 else matches for matches in found]

    def entities(self, texts: Sequence[str | None]) -> list[list[str]]:
        """Just the entity ids per text, each once, in order of first mention."""
        return [list(dict.fromkeys(m.entity for m in matches)) for matches in self.find(texts)]


def _outermost(matches: list[Match]) -> list[Match]:
    ordered = sorted(matches, key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Match] = []
    reach = -1
    for match in ordered:
        if match.end <= reach:
            continue  # inside a longer match that starts no later
        kept.append(match)
        reach = max(reach, match.end)
    return kept


def matcher_for(context: StageContext) -> Matcher:
    """The matcher over every alias of the registry in ``context``."""
    return Matcher.from_forms(registry_forms(context.registry))


def _prepare(context: StageContext) -> BatchFunction:
    matcher = matcher_for(context)
    list_type = STANDARD["entities"]

    def mentions(batch: pa.RecordBatch) -> pa.RecordBatch:
        found = matcher.find(batch.column("text").to_pylist())
        entities, keys = [], []
        for matches in found:
            first: dict[str, str] = {}
            for m in matches:
                first.setdefault(m.entity, m.key)
            entities.append(list(first))
            keys.append(list(first.values()))
        return pa.RecordBatch.from_arrays(
            [pa.array(entities, type=list_type), pa.array(keys, type=list_type)], names=["entities", "matches"]
        )

    return mentions


def _fingerprint(context: StageContext) -> str:
    return aliases_fingerprint(context.registry)


TARGET_F1 = 0.95


def _evaluate(corpus: Corpus) -> list[EvalRow]:
    items = [i for i in corpus.items if i.lang in ("ru", "kk", "az")]
    found = corpus.apply(STAGE, items).column("entities").to_pylist()
    targets = {"ru": TARGET_F1, "kk": TARGET_F1, "az": TARGET_F1}
    return set_rows(STAGE.name, items, found, lambda item: item.entities, targets)


STAGE = Stage(
    name="mentions",
    version=VERSION,
    requires=("text",),
    produces=pa.schema([pa.field("entities", STANDARD["entities"]), pa.field("matches", STANDARD["matches"])]),
    prepare=_prepare,
    fingerprint=_fingerprint,
    description="Registry entities named in the text (aliases with Russian inflections and Turkic suffixes).",
    evaluate=lambda corpus: _evaluate(corpus),
)
