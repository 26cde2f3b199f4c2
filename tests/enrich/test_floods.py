"""Near-duplicate floods (MinHash over shingles) and spam: copies, groups, thresholds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from civicpulse.enrich.flagging import floods_stage
from civicpulse.enrich.floods import FloodParams, comparable, copy_groups, detect_floods, signatures
from civicpulse.enrich.window import WindowInput
from civicpulse.registry.loader import RegistryText, parse
from tests.enrich.test_coordination import START, _posts

TEXT = "Акимат опять молчит о ремонте дорог в нашем районе, читайте и распространяйте всем знакомым"


def _shingles(text: str, k: int = 5) -> set[str]:
    return {text[i : i + k] for i in range(len(text) - k + 1)}


def test_signatures_estimate_the_jaccard_similarity() -> None:
    rng = np.random.default_rng(0)
    words = TEXT.lower().split()
    errors = []
    for trial in range(300):
        other = list(words)
        for _ in range(int(rng.integers(0, 8))):
            other[int(rng.integers(len(other)))] = str(rng.integers(1000))
        a, b = " ".join(words), " ".join(other)
        exact = len(_shingles(a) & _shingles(b)) / len(_shingles(a) | _shingles(b))
        sig = signatures([a, b], FloodParams(seed=trial))  # fresh hash functions each time: independent errors
        errors.append(float((sig[0] == sig[1]).mean()) - exact)
    assert abs(float(np.mean(errors))) < 0.02  # unbiased
    assert float(np.std(errors)) < 0.08  # about sqrt(J(1-J)/64)


def test_copies_are_found_whatever_the_link_case_and_emoji() -> None:
    texts = [
        TEXT + " https://a.kz/1",
        TEXT.upper() + " 🔥🔥 https://b.kz/2?utm_source=x",
        TEXT.replace("дорог", "дороги") + "!!!",
        "Совсем другой текст о погоде в Атырау: завтра дождь, послезавтра солнце и ветер",
        "Спасибо!",
        "Спасибо!",
        None,
    ]
    groups = copy_groups(texts, FloodParams())
    assert groups[0] == groups[1] == groups[2] >= 0
    assert groups[3] == -1  # alone
    assert groups[4] == groups[5] == -1  # too short to compare
    assert groups[6] == -1
    assert comparable("Привет, МИР! https://x.kz/1 🙂") == "привет мир"


def test_floods_flag_every_copy_after_the_first_and_the_authors_who_repeat() -> None:
    rows = [(f"u{i}", f"g{i}", 100.0 * i, f"{TEXT} https://x.kz/{i}") for i in range(6)]
    rows += [
        ("loud", f"g{i}", 1000.0 + i, f"Позор акиму! Все на площадь в субботу, зовите соседей и друзей {i % 2}")
        for i in range(5)
    ]
    rows += [("calm", "g1", 5.0, "Обычный пост о нашем дворе и детской площадке, ничего особенного")]
    found = detect_floods(_posts(rows), FloodParams())
    assert found.flags[0] == []  # the first copy is the original
    assert all(found.flags[i] == ["duplicate"] for i in range(1, 6))
    assert found.reasons[1] == ["near-duplicate of vk:p0: 6 copies by 6 authors within 1 h of each other"]
    assert found.flags[6] == ["spam"] and found.flags[7] == ["duplicate", "spam"]
    assert found.spammers == {"vk:loud": "posted 5 copies of one text (first: vk:p6), 5 within 24 h"}
    assert found.flags[-1] == [] and found.floods == 2


def test_people_who_write_alike_over_a_week_are_no_flood() -> None:
    question = "Когда наконец отремонтируют дорогу на нашей улице? Уже третий год одни обещания"
    spread = [(f"u{i}", f"g{i}", 86_400.0 * i, question) for i in range(7)]  # one a day
    burst = [(f"b{i}", "g", 600_000.0 + 60 * i, question + " !") for i in range(5)]  # five within minutes
    found = detect_floods(_posts(spread), FloodParams())
    assert found.floods == 0 and not any(found.flags)
    found = detect_floods(_posts(spread + burst), FloodParams())
    assert found.floods == 1
    assert [bool(f) for f in found.flags] == [False] * 7 + [True] * 5
    assert found.reasons[7][0].startswith("near-duplicate of vk:p0: 5 copies by 5 authors")


def test_posting_links_in_dozens_of_groups_is_spam() -> None:
    rows = [("roamer", f"g{i}", 60.0 * i, f"смотрите https://shop.kz/item{i}") for i in range(20)]
    rows += [("local", "g1", 60.0 * i, f"новость https://news.kz/{i}") for i in range(30)]
    found = detect_floods(_posts(rows), FloodParams())
    assert found.spammers == {"vk:roamer": "shared links or reposts 20 times in 20 groups"}
    assert detect_floods(_posts(rows), FloodParams(group_count=21)).spammers == {}


def test_the_floods_stage_never_flags_a_registry_account_nor_counts_its_posts_as_copies() -> None:
    registry = parse(
        RegistryText(
            "timezone: UTC\nentities: [{id: kz, kind: country}]\n"
            "accounts: [{platform: vk, id: akimat, entity: kz, role: official}, {platform: vk, id: news, entity: kz,"
            " role: media}]\n",
            "r.yaml",
        )
    )
    end = START + dt.timedelta(days=7)
    no_authors = pa.table({})  # floods read only posts
    # the akimat posts its news on five pages within the hour, and writes it five times a day (spam by itself)
    own = [("akimat", f"g{i}", 60.0 * i, f"{TEXT} https://gov.kz/{i}") for i in range(5)]
    # a plain media account (not excluded) reposts it, and three readers copy it within the hour
    copies = [("news", "news", 400.0, TEXT)] + [(f"u{i}", f"g{i}", 500.0 + i, TEXT) for i in range(3)]
    result = floods_stage().function(WindowInput(_posts(own + copies), no_authors, registry, START, end))
    assert result.flags == [[]] * 9  # four copies by people: no flood; the registry's posts: never flagged
    assert result.summary == "0 floods, 0 spammers"
    # two more readers make it a flood of five copies; the first reader's copy is the first one
    more = copies + [(f"u{i}", f"g{i}", 600.0 + i, TEXT) for i in range(3, 5)]
    result = floods_stage().function(WindowInput(_posts(own + more), no_authors, registry, START, end))
    assert result.flags == [[]] * 7 + [["duplicate"]] * 4
    assert result.reasons[7] == ["near-duplicate of vk:p6: 5 copies by 5 authors within 1 h of each other"]
