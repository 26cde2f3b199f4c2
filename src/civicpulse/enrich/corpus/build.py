"""Build the labelled corpus: ``python -m civicpulse.enrich.corpus.build`` rewrites ``corpus.jsonl``.

One JSON object per line, shared by every stage that learns or is measured on it::

    {"id": "ru-roads-1-003", "lang": "ru", "text": "...", "entities": ["kz-atyrau"],
     "sentiment": "negative", "topics": ["roads"], "split": "train", "template": "ru-roads-1"}

``entities`` are the registry ids of the institutions the text names (bundled ``kz`` registry for
ru and kk, ``az`` for az); a place or a head named alone is not an entity. The split is by
*template*: every realisation of a test template is in ``test`` and no train item shares its
wording, so a model trained on ``train`` is measured on sentences it has not seen. The build is
deterministic (fixed seed), so the shipped file can be checked against it.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final

from civicpulse.enrich.corpus import forms, templates_az, templates_kk, templates_ru
from civicpulse.enrich.corpus.templates_ru import Template
from civicpulse.registry import loader
from civicpulse.registry.models import Entity

SEED: Final = 20240310
PER_TEMPLATE: Final = 11
TEST_EVERY: Final = 4
"""Every fourth template of each language (by its position) is held out for testing."""

_SLOT = re.compile(r"\{(E2?|P|A)(?::(\w+))?\}|\{(street|n)\}")
_STREETS: Final = {
    "ru": [
        "улице Абая",
        "проспекте Азаттык",
        "улице Сатпаева",
        "улице Гагарина",
        "улице Махамбета",
        "проспекте Ауэзова",
    ],
    "kk": ["Абай", "Сәтбаев", "Азаттық", "Махамбет", "Құрманғазы", "Бейбарыс"],
    "az": ["Nizami", "Füzuli", "Azadlıq", "Səməd Vurğun", "Nəsimi", "Xətai"],
}
_OPENERS: Final = {
    "ru": ["", "", "", "Люди, ", "Вопрос: ", "Жесть. ", "Ну что ж. ", "Добрый день. "],
    "kk": ["", "", "", "Халайық, ", "Сұрақ: ", "Сәлеметсіздер ме. ", "Ойбай, "],
    "az": ["", "", "", "Salam. ", "Sual: ", "Ay camaat, ", "Hörmətli rəhbərlik, "],
}
_CLOSERS: Final = ["", "", "", "!!!", " 😡", " 👍", " 🙏", "...", " 🤦‍♂️", " ?!"]
_HASHTAGS: Final = {"ru": " #жалоба", "kk": " #шағым", "az": " #şikayət"}


def _entities(registry_name: str, kinds: Sequence[str]) -> list[Entity]:
    registry, _ = loader.load(f"bundled:{registry_name}")
    return [e for e in registry.entities if e.kind in kinds and e.aliases]


def _realise(
    template: Template,
    lang: str,
    pool: list[Entity],
    institution: Callable[[Entity, str, random.Random], tuple[str, bool]],
    place: Callable[[Entity, str, random.Random], str],
    head: Callable[[Entity, random.Random], str],
    tag: Callable[[Entity], str],
    rng: random.Random,
) -> tuple[str, list[str], bool]:
    """(text, gold entities, all mentions expected to be caught)."""
    _, _, _, pattern = template
    first, second = rng.sample(pool, 2)
    gold: list[str] = []
    catchable = True

    def fill(match: re.Match[str]) -> str:
        nonlocal catchable
        slot, case, plain = match.group(1), match.group(2) or "nom", match.group(3)
        if plain == "street":
            return rng.choice(_STREETS[lang])
        if plain == "n":
            return str(rng.randint(1, 60))
        entity = second if slot == "E2" else first
        if slot in ("E", "E2"):
            gold.append(entity.id)
            if case == "tag":
                return tag(entity)
            text, caught = institution(entity, case, rng)
            catchable = catchable and caught
            return text
        if slot == "P":
            return place(entity, case, rng)
        return head(entity, rng)

    text = _SLOT.sub(fill, pattern)
    text = text[0].upper() + text[1:] if text else text
    return text, list(dict.fromkeys(gold)), catchable


def _noise(text: str, lang: str, rng: random.Random) -> str:
    text = rng.choice(_OPENERS[lang]) + (text[0].lower() + text[1:] if rng.random() < 0.3 else text)
    text += rng.choice(_CLOSERS) + (_HASHTAGS[lang] if rng.random() < 0.08 else "")
    roll = rng.random()
    if roll < 0.12:
        text = text.lower()
    elif roll < 0.15:
        text = text.upper() if lang != "az" else forms.az_upper(text)
    if lang == "az" and rng.random() < 0.12:
        text = forms.az_ascii(text)
    if lang == "kk" and rng.random() < 0.08:
        text = forms.kk_ascii(text)
    return text


def _kk_tag(entity: Entity) -> str:
    name = entity.name.get("kk", "").split(" (")[0]
    return "".join(w[:1].upper() + w[1:] for w in f"{name} әкімдігі".split())


def _ru_tag(entity: Entity) -> str:
    # Russian posts use the akimats' official Kazakh hashtags, or the Russian name in the genitive
    if sum(map(ord, entity.id)) % 2:
        return _kk_tag(entity)
    text, _ = forms.ru_institution(entity, "nom", random.Random(entity.id))
    return "".join(w[:1].upper() + w[1:] for w in text.replace(".", " ").replace("-", " ").split())


def _az_tag(entity: Entity) -> str:
    return "".join(w[:1].upper() + w[1:] for w in entity.name.get("az", "").split())


def build() -> list[dict[str, Any]]:
    """Every corpus item, in a stable order."""
    rng = random.Random(SEED)
    kz = _entities("kz", ("region", "district"))
    az = _entities("az", ("ministry", "committee", "service", "agency"))
    setups: list[tuple[str, list[Template], list[Entity], Any, Any, Any, Any]] = [
        ("ru", templates_ru.TEMPLATES, kz, forms.ru_institution, forms.ru_place, forms.ru_head, _ru_tag),
        ("kk", templates_kk.TEMPLATES, kz, forms.kk_institution, forms.kk_place, forms.kk_head, _kk_tag),
        (
            "az",
            templates_az.TEMPLATES,
            az,
            forms.az_institution,
            lambda e, c, r: forms.az_place(r),
            forms.az_head,
            _az_tag,
        ),
    ]
    items: list[dict[str, Any]] = []
    for lang, templates, pool, institution, place, head, tag in setups:
        for position, template in enumerate(templates):
            split = "test" if position % TEST_EVERY == TEST_EVERY - 1 else "train"
            seen: set[str] = set()
            for k in range(PER_TEMPLATE):
                text, gold, catchable = _realise(template, lang, pool, institution, place, head, tag, rng)
                text = _noise(text, lang, rng)
                if text in seen:
                    continue
                seen.add(text)
                items.append(
                    {
                        "id": f"{template[0]}-{k:03d}",
                        "lang": lang,
                        "text": text,
                        "entities": gold,
                        "sentiment": template[1],
                        "topics": list(template[2]),
                        "split": split,
                        "template": template[0],
                        "hard": not catchable,
                    }
                )
    return items


def corpus_path() -> Path:
    return Path(str(resources.files("civicpulse.enrich.corpus") / "corpus.jsonl"))


def main(argv: Sequence[str] | None = None) -> int:
    """Write the corpus (to ``argv[0]`` or the shipped path); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else corpus_path()
    items = build()
    with target.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(items)} items written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
