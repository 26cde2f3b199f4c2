"""docs/review.md quotes the code's own output: every sample paragraph and lead is what the review writes today."""

from __future__ import annotations

import re
from pathlib import Path

from tests.review.conftest import World

DOC = Path(__file__).resolve().parents[2] / "docs" / "review.md"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " ")).strip()


def test_every_sample_in_the_docs_is_real_output(world: World) -> None:
    written: dict[str, set[str]] = {}
    for lang in ("ru", "az", "kk", "en"):
        review = world.review(lang, entities="m-agri,m-culture,m-justice")
        written[lang] = {norm(e.text) for e in review.entities} | {norm(" ".join(review.lead))}
    quotes = re.findall(r"((?:^> .*\n)+)", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(quotes) >= 6
    for quote in quotes:
        match = re.match(r"\*\*(\w\w)\*\* (.*)", norm(re.sub(r"^> ", "", quote, flags=re.MULTILINE)))
        assert match is not None, quote
        assert match[2] in written[match[1]], match[2]
    assert "civicpulse review --from" in DOC.read_text(encoding="utf-8")
