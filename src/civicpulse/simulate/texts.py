"""Vectorised assembly of texts from the templates: millions of texts without a Python loop per text.

Every piece of text (template prefixes and suffixes, openers, closers, the case forms of every
entity's names, places) is stored once in one Arrow string array; a text is five indices into it,
joined by Arrow. Choosing a template, a name variant and a case form are array lookups over
flattened ``(start, length)`` tables, so a million texts cost a few array operations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civicpulse.registry.models import Entity
from civicpulse.simulate import templates
from civicpulse.simulate.morph import CASES, clean, mention_variants, place_phrases

LANGS: Final = ("ru", "kk")
MENTION, PLACE, PLAIN, MENTION_NOM = 0, 1, 2, 3
"""Categories of text: names an akimat, names only the territory, names nobody; the last is the
fallback for an entity whose names have no inflected forms."""
_N_CATS = 4
_SLOT = re.compile(r"\{(" + "|".join((*CASES, "place")) + r")\}")
_PLACE_SLOT = 2 * len(CASES)
_NO_SLOT = -1

IntArray = np.ndarray


@dataclass(frozen=True)
class Texts:
    """Texts assembled for a batch of rows, with what each one names."""

    text: pa.Array
    template: IntArray
    mention: IntArray
    """Entity index named as an akimat, or -1."""
    place: IntArray
    """Entity index named only as a territory, or -1."""

    def tone(self, bank: TextBank) -> IntArray:
        return np.asarray(bank.tpl_tone[self.template])

    def topic(self, bank: TextBank) -> IntArray:
        return np.asarray(bank.tpl_topic[self.template])

    def lang(self, bank: TextBank) -> IntArray:
        return np.asarray(bank.tpl_lang[self.template])


class _Table:
    """Lists of integers under integer keys, flattened for vectorised random picks."""

    def __init__(self, n_keys: int, lists: Mapping[int, Sequence[int]]) -> None:
        self.start = np.zeros(n_keys, dtype=np.int64)
        self.length = np.zeros(n_keys, dtype=np.int64)
        items: list[int] = []
        for key in range(n_keys):
            values = lists.get(key, ())
            self.start[key] = len(items)
            self.length[key] = len(values)
            items.extend(values)
        self.items = np.asarray(items or [0], dtype=np.int64)

    def pick(self, keys: IntArray, uniform: IntArray) -> IntArray:
        """One item per key, uniformly among the key's items (keys with no items give 0)."""
        length = self.length[keys]
        offset = np.minimum((uniform * length).astype(np.int64), np.maximum(length - 1, 0))
        return self.items[np.where(length > 0, self.start[keys] + offset, 0)]


class TextBank:
    """The compiled templates and name forms for one registry's entities."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entity_ids = [e.id for e in entities]
        parts: dict[str, int] = {"": 0}

        def part(text: str) -> int:
            return parts.setdefault(text, len(parts))

        rows = templates.all_templates()
        kinds = {k: i for i, k in enumerate(templates.KINDS)}
        self.kinds = kinds
        n = len(rows)
        self.tpl_kind = np.zeros(n, dtype=np.int64)
        self.tpl_lang = np.zeros(n, dtype=np.int64)
        self.tpl_tone = np.zeros(n, dtype=np.int64)
        self.tpl_topic = np.zeros(n, dtype=np.int64)
        self.tpl_slot = np.full(n, _NO_SLOT, dtype=np.int64)
        self.tpl_prefix = np.zeros(n, dtype=np.int64)
        self.tpl_suffix = np.zeros(n, dtype=np.int64)
        pools: dict[int, list[int]] = {}
        for i, (kind, lang, tone, topic, text) in enumerate(rows):
            slots = _SLOT.findall(text)
            if len(slots) > 1:
                raise ValueError(f"template has more than one slot: {text!r}")
            self.tpl_kind[i] = kinds[kind]
            self.tpl_lang[i] = LANGS.index(lang)
            self.tpl_tone[i] = templates.TONES.index(tone)
            self.tpl_topic[i] = templates.TOPICS.index(topic)
            if slots:
                before, after = text.split("{" + slots[0] + "}")
                slot = _PLACE_SLOT if slots[0] == "place" else CASES.index(slots[0])
                if slot != _PLACE_SLOT and not before:
                    slot += len(CASES)  # the name opens the sentence: capitalised forms
                self.tpl_slot[i] = slot
                self.tpl_prefix[i], self.tpl_suffix[i] = part(before), part(after)
                cats = [PLACE] if slot == _PLACE_SLOT else [MENTION]
                if slots[0] == "nom":
                    cats.append(MENTION_NOM)
            else:
                self.tpl_prefix[i] = part(text)
                cats = [PLAIN]
            for cat in cats:
                key = int(self._pool_key(kinds[kind], self.tpl_lang[i], self.tpl_tone[i], cat))
                pools.setdefault(key, []).append(i)
        self._fill_empty_tones(pools)
        self.pools = _Table(len(kinds) * len(LANGS) * len(templates.TONES) * _N_CATS, pools)

        # the case forms of every entity's names: key (entity, lang, slot), with the first variant twice
        forms: dict[int, list[int]] = {}
        places: dict[int, list[int]] = {}
        for e, entity in enumerate(entities):
            for lang_index, lang in enumerate(LANGS):
                for rank, variant in enumerate(mention_variants(entity, lang)):
                    for case_index, case in enumerate(CASES):
                        if case not in variant:
                            continue
                        text = variant[case]
                        for slot, shown in ((case_index, text), (case_index + len(CASES), _capital(text))):
                            ids = forms.setdefault(int(self._form_key(e, lang_index, slot)), [])
                            ids.extend([part(shown)] * (2 if rank == 0 else 1))
                places[e * len(LANGS) + lang_index] = [part(p) for p in place_phrases(entity, lang)]
        self.forms = _Table(len(entities) * len(LANGS) * 2 * len(CASES), forms)
        self.places = _Table(len(entities) * len(LANGS), places)

        openers = {
            LANGS.index(lang) * 3 + templates.TONES.index(tone): [part(t) for t in values]
            for (lang, tone), values in templates.OPENERS.items()
        }
        closers = {
            LANGS.index(lang) * 3 + templates.TONES.index(tone): [part(t) for t in values]
            for (lang, tone), values in templates.CLOSERS.items()
        }
        self.openers = _Table(len(LANGS) * 3, openers)
        self.closers = _Table(len(LANGS) * 3, closers)
        self.parts = pa.array([clean_keep_newlines(p) for p in parts], type=pa.string())

    @staticmethod
    def _pool_key(kind: int | IntArray, lang: int | IntArray, tone: int | IntArray, cat: int | IntArray) -> IntArray:
        return np.asarray(((kind * len(LANGS) + lang) * len(templates.TONES) + tone) * _N_CATS + cat)

    @staticmethod
    def _form_key(entity: int | IntArray, lang: int | IntArray, slot: int | IntArray) -> IntArray:
        return np.asarray((entity * len(LANGS) + lang) * 2 * len(CASES) + slot)

    def _fill_empty_tones(self, pools: dict[int, list[int]]) -> None:
        """A (kind, lang, category) missing a tone borrows the other tones' templates; a kind without
        plain texts borrows the citizens'."""
        for kind in range(len(self.kinds)):
            for lang in range(len(LANGS)):
                for cat in range(_N_CATS):
                    keys = [int(self._pool_key(kind, lang, tone, cat)) for tone in range(len(templates.TONES))]
                    union = sorted({t for k in keys for t in pools.get(k, [])})
                    for key in keys:
                        if union and not pools.get(key):
                            pools[key] = union
        citizen = self.kinds["citizen"]
        for kind in range(len(self.kinds)):
            for lang in range(len(LANGS)):
                for tone in range(len(templates.TONES)):
                    key = int(self._pool_key(kind, lang, tone, PLAIN))
                    if not pools.get(key):  # a kind that always names someone still needs a way out
                        pools[key] = pools[int(self._pool_key(citizen, lang, tone, PLAIN))]

    def has_mention(self, entity: IntArray, lang: IntArray) -> IntArray:
        return np.asarray(self.forms.length[self._form_key(entity, lang, 0)] > 0)

    def assemble(
        self,
        kind: str | IntArray,
        lang: IntArray,
        tone: IntArray,
        category: IntArray,
        entity: IntArray,
        rng: np.random.Generator,
        *,
        decorate: bool | IntArray = True,
    ) -> Texts:
        """Texts of ``kind`` (a name, or kind indices per row) for rows asking for a language, a tone, a
        category and an entity.

        A row asks; the bank answers as closely as it can: an entity without names in that language
        gets a text that names nobody, a template with a case the entity's names lack is swapped for
        one with the nominative. ``decorate`` (for all rows or per row) adds tone-matched openers and
        closers.
        """
        n = len(lang)
        kind_index = np.full(n, self.kinds[kind], dtype=np.int64) if isinstance(kind, str) else kind
        cat = category.astype(np.int64).copy()
        ent = np.where(entity < 0, 0, entity).astype(np.int64)
        has_entity = entity >= 0
        cat[(cat == MENTION) & ~(has_entity & self.has_mention(ent, lang))] = PLAIN
        cat[(cat == PLACE) & ~(has_entity & (self.places.length[ent * len(LANGS) + lang] > 0))] = PLAIN
        key = self._pool_key(kind_index, lang, tone, cat)
        missing = self.pools.length[key] == 0
        cat[missing] = PLAIN
        key = self._pool_key(kind_index, lang, tone, cat)
        tpl = self.pools.pick(key, rng.random(n))
        slot = self.tpl_slot[tpl]
        mention = cat == MENTION
        form_key = self._form_key(ent, lang, np.where(slot >= 0, slot, 0) % _PLACE_SLOT)
        lacking = mention & (self.forms.length[form_key] == 0)
        if lacking.any():
            redo_key = self._pool_key(kind_index[lacking], lang[lacking], tone[lacking], MENTION_NOM)
            redo = self.pools.pick(redo_key, rng.random(int(lacking.sum())))
            tpl[lacking] = np.where(self.pools.length[redo_key] > 0, redo, tpl[lacking])
            slot = self.tpl_slot[tpl]
            form_key = self._form_key(ent, lang, np.where(slot >= 0, slot, 0) % _PLACE_SLOT)
            still = mention & (self.forms.length[form_key] == 0)
            if still.any():  # no nominative template for this kind: name nobody
                plain_key = self._pool_key(kind_index[still], lang[still], tone[still], PLAIN)
                tpl[still] = self.pools.pick(plain_key, rng.random(int(still.sum())))
                mention &= ~still
                slot = self.tpl_slot[tpl]
        place = cat == PLACE
        phrase = np.zeros(n, dtype=np.int64)
        phrase[mention] = self.forms.pick(form_key[mention], rng.random(int(mention.sum())))
        place_keys = ent[place] * len(LANGS) + lang[place]
        phrase[place] = self.places.pick(place_keys, rng.random(int(place.sum())))
        real_tone = self.tpl_tone[tpl]
        columns = [self.tpl_prefix[tpl], phrase, self.tpl_suffix[tpl]]
        if np.any(decorate):
            mood = lang * 3 + real_tone
            keep = np.broadcast_to(np.asarray(decorate, dtype=bool), (n,))
            opener = np.where(keep, self.openers.pick(mood, rng.random(n)), 0)
            closer = np.where(keep, self.closers.pick(mood, rng.random(n)), 0)
            columns = [opener, *columns, closer]
        text = join([pc.take(self.parts, pa.array(c)) for c in columns])
        return Texts(
            text=text,
            template=tpl,
            mention=np.where(mention, ent, -1),
            place=np.where(place, ent, -1),
        )


def join(columns: Sequence[pa.Array]) -> pa.Array:
    """Element-wise concatenation of string arrays."""
    if len(columns) == 1:
        return columns[0]
    return pc.binary_join_element_wise(*columns, "")


def clean_keep_newlines(text: str) -> str:
    """Template pieces keep their spaces at the edges; only control characters go."""
    return text if not re.search(r"[\x00-\x1f\x7f]", text) else clean(text)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
