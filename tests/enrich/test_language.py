"""The language stage: the batched model equals py3langid's, and the letter rules on short texts."""

from __future__ import annotations

import py3langid.langid as reference
import pytest

from civicpulse.enrich.language import LANGS, allowed, detect, model_probabilities

TEXTS = [
    "Спасибо акимату за дороги",
    "Атырау облысы әкімдігіне рахмет",
    "Kənd Təsərrüfatı Nazirliyi yaxşı işləyir",
    "The akimat fixed the road finally",
    "Yollar çok kötü, belediye ne yapıyor",
    "x",
    "",
]


def test_batched_model_gives_py3langid_probabilities() -> None:
    ident = reference.LanguageIdentifier.from_model_file(reference.MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGS))
    classes, probs = model_probabilities(TEXTS)
    for text, row in zip(TEXTS, probs, strict=True):
        expected = dict(ident.rank(text))
        for column, lang in enumerate(classes):
            assert row[column] == pytest.approx(expected[lang], abs=1e-3), (text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Спасибо акимату за дороги", "ru"),
        ("Когда уже сделают?", "ru"),
        ("Атырау облысы әкімдігіне рахмет", "kk"),
        ("Жол өте нашар, қашан жөндейсіздер", "kk"),
        ("Атырау облысы акимдигине жаздым, жауап жок", "kk"),  # typed without Kazakh letters
        ("Atyrau oblysy akimdigi zhol zhondeu kerek", "kk"),  # plain Latin Kazakh
        ("Спасибо! Атырау облысы әкімдігі молодцы, дорогу сделали", "ru"),  # Russian quoting a Kazakh name
        ("Kənd Təsərrüfatı Nazirliyi yaxşı işləyir", "az"),
        ("Gencede payiz nece gozeldir! Park nagil kimidir", "az"),  # Azerbaijani without ə
        ("Yollar çok kötü, belediye ne yapıyor", "tr"),
        ("The akimat fixed the road finally", "en"),
        ("Тошкент шаҳар ҳокимлиги йўлларни таъмирлади", "uz"),
        ("Suv yoʻq, hokimlik javob bermayapti", "uz"),
        ("Бишкек шаарынын мэриясы жолдорду оңдоду", "ky"),
    ],
)
def test_short_and_mixed_texts(text: str, lang: str) -> None:
    assert detect([text])[0][0] == lang


def test_no_letters_no_language() -> None:
    assert detect(["👍👍 123 https://t.me/x", None, ""]) == [(None, None)] * 3
    assert allowed("!!!") is None


def test_letters_narrow_the_candidates() -> None:
    assert allowed("әкімдік") == ("kk", "ru")
    assert allowed("өтө жакшы") == ("ky", "kk", "ru")
    assert allowed("ҳокимлик") == ("uz", "ru")
    assert allowed("Nazirliyinə") == ("az",)
