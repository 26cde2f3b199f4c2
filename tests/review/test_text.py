"""The paragraphs in each language: the seed's phrasings, plural forms, number formats, and no invented number."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from civicpulse.i18n import Language
from civicpulse.review.build import Review
from civicpulse.review.entities import EntityFacts, Move
from civicpulse.review.facts import MediaFacts
from civicpulse.review.text import Writer
from tests.review.conftest import World
from tests.review.factories import body, dormant, page, ranked, writer, written

LANGS = ("ru", "az", "kk", "en")


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def paragraph(lang: str, entity: EntityFacts) -> str:
    return plain(written(lang, entity))


DOUBLED = body(page(11_500, 23_000))
TRIPLED = body(page(9_000, 27_000))
GREW = body(page(80_000, 100_000))
FELL = body(page(10_000, 4_000))
NEW = body(page(None, 4_200, new=True, opened=True, active_from=date(2018, 4, 21), first_day=date(2018, 4, 21)))


@pytest.mark.parametrize(
    ("lang", "doubled", "tripled", "grew", "fell", "new"),
    [
        (
            "ru",
            "Число подписчиков страницы в Facebook выросло вдвое, до 23 тыс.",
            "Число подписчиков страницы в Facebook выросло втрое, до 27 тыс.",
            "Число подписчиков страницы в Facebook выросло на 20 тыс. (+25 %), до 100 тыс.",
            "Число подписчиков страницы в Facebook сократилось с 10 тыс. до 4 000 (−60 %).",
            "Страница в Facebook открылась 21 апреля 2018 г., у неё 4 200 подписчиков.",
        ),
        (
            "az",
            "Facebook səhifəsində izləyicilərin sayı ikiqat artaraq 23 min olub.",
            "Facebook səhifəsində izləyicilərin sayı üç qat artaraq 27 min olub.",
            "Facebook səhifəsində izləyicilərin sayı 20 min (+25%) artaraq 100 min olub.",
            "Dövrün əvvəlində 10 min izləyicisi olan Facebook səhifəsini dövrün sonunda 4000 nəfər izləyirdi (−60%).",
            "Facebook səhifəsi 21 aprel 2018 tarixində açılıb və onun 4200 izləyicisi var.",
        ),
        (
            "kk",
            "Facebook парақшасының жазылушылары екі есе өсіп, 23 мың болды.",
            "Facebook парақшасының жазылушылары үш есе өсіп, 27 мың болды.",
            "Facebook парақшасының жазылушылар саны 100 мың болды, өсім — 20 мың (+25%).",
            "Facebook парақшасының жазылушылар саны кезең басында 10 мың еді, соңында 4 000 болды (−60%).",
            "Facebook парақшасы 2018 ж. 21 сәуір ашылды, оның 4 200 жазылушысы бар.",
        ),
        (
            "en",
            "Followers of its Facebook page doubled to 23 thousand.",
            "Followers of its Facebook page tripled to 27 thousand.",
            "Followers of its Facebook page grew by 20 thousand (+25%) to 100 thousand.",
            "Followers of its Facebook page fell from 10 thousand to 4,000 (−60%).",
            "Its Facebook page opened on April 21, 2018 and has 4,200 followers.",
        ),
    ],
)
def test_growth_is_worded_as_the_press_words_it(
    lang: str, doubled: str, tripled: str, grew: str, fell: str, new: str
) -> None:
    # each paragraph opens with the main page's growth
    for entity, sentence in zip((DOUBLED, TRIPLED, GREW, FELL, NEW), (doubled, tripled, grew, fell, new), strict=True):
        assert paragraph(lang, entity).startswith(sentence + " "), (paragraph(lang, entity), sentence)


def test_n_fold_growth_agrees_with_its_number() -> None:
    assert "выросло в 4,2 раза, до 4 200" in paragraph("ru", body(page(1_000, 4_200)))
    assert "выросло в 5 раз, до 5 000" in paragraph("ru", body(page(1_000, 5_000)))
    assert "grew 4.2-fold to 4,200" in paragraph("en", body(page(1_000, 4_200)))
    assert "4,2 dəfə artaraq 4200 olub" in paragraph("az", body(page(1_000, 4_200)))
    assert "stayed at 1,465" in paragraph("en", body(page(1_465, 1_465)))
    assert paragraph("en", body(page(0, 300))).startswith("Followers of its Facebook page grew by 300 to 300. ")
    assert paragraph("ru", body(page(0, 300))).startswith(
        "Число подписчиков страницы в Facebook выросло на 300, до 300. "
    )


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("ru", ["— 1 публикация,", "— 3 публикации,", "— 5 публикаций,", "— 21 публикация,"]),
        ("az", ["1 paylaşım olub", "3 paylaşım olub", "5 paylaşım olub", "21 paylaşım olub"]),
        ("kk", ["1 жазба жарияланды", "3 жазба жарияланды", "5 жазба жарияланды", "21 жазба жарияланды"]),
        ("en", ["published 1 post,", "published 3 posts,", "published 5 posts,", "published 21 posts,"]),
    ],
)
def test_plural_forms_of_posts(lang: str, forms: list[str]) -> None:
    texts = [
        plain(writer(lang).activity(page(posts=n, posts_per_week=n / 52, weeks_with_posts=n, regularity=n / 53)))
        for n in (1, 3, 5, 21)
    ]
    for text, form in zip(texts, forms, strict=True):
        assert form in text


def test_russian_days_likes_and_live_streams_agree_with_their_numbers() -> None:
    ru = writer("ru")
    assert [plain(ru.days(n)) for n in (1, 2, 5, 21, 300)] == ["1 день", "2 дня", "5 дней", "21 день", "300 дней"]
    assert plain(ru.likes(2.5)) == "2,5 лайка" and plain(ru.likes(20.4)) == "20 лайков" and ru.likes(1) == "1 лайк"
    assert plain(ru.comments(1.0)) == "1 комментарий" and plain(ru.reposts(21.0)) == "21 репост"
    en = writer("en")
    assert en.live(page(live_streams=1)) == "It went live 1 time."
    assert en.live(page(live_streams=12)) == "It went live 12 times."
    assert en.live(page()) == ""


@pytest.mark.parametrize(
    ("lang", "same_year", "last_date"),
    [
        ("ru", "относятся к 2011 году.", "последняя публикация датирована 3 марта 2016 г."),
        ("az", "ilk və son paylaşım 2011-ci ildə edilib.", "sonuncu paylaşım 3 mart 2016 tarixinə aiddir."),
        ("kk", "алғашқы және соңғы жазбасы да 2011 жылы жарияланған.", "соңғы жазба — 2016 ж. 3 наурыз."),
        ("en", "its first and last posts both date from 2011.", "the last post is from March 3, 2016."),
    ],
)
def test_dormant_pages(lang: str, same_year: str, last_date: str) -> None:
    silent_2011 = dormant(datetime(2011, 9, 1, tzinfo=UTC), datetime(2011, 2, 1, tzinfo=UTC))
    assert plain(written(lang, body(silent_2011))).endswith(same_year)
    silent_2016 = dormant(datetime(2016, 3, 3, 6, tzinfo=UTC), datetime(2012, 1, 1, tzinfo=UTC))
    assert plain(written(lang, body(silent_2016))).endswith(last_date)
    recent = plain(written(lang, body(dormant(datetime(2018, 5, 2, 6, tzinfo=UTC)))))
    assert "2018" in recent and recent != plain(written(lang, body(silent_2016)))
    assert written(lang, body(dormant(None))) != recent


def test_videos_are_contrasted_with_text_posts_when_they_get_far_more_likes() -> None:
    media = (MediaFacts("text", 53, 0.8983, 20.0, 23.0), MediaFacts("video", 6, 0.1017, 3_000.0, 3_100.0))
    mixed = page(posts=59, media=media)
    assert writer("en").engagement(mixed) == "Likes per post on average: 3,000 for videos, 20 for text posts."
    assert plain(writer("ru").engagement(mixed)) == (
        "Лайков на публикацию в среднем: у видео — 3 000, у текстовых публикаций — 20."
    )
    assert writer("en").engagement(page()) == "Per post on average: 20 likes, 2 comments and 1 repost."
    assert writer("en").engagement(dormant(None)) == ""


def test_a_moved_body_names_its_old_page_and_the_day() -> None:
    old = page(
        17_000,
        17_500,
        participant="facebook:old",
        closed=True,
        last_day=date(2018, 4, 20),
        name="Mədəniyyət və Turizm Nazirliyi",
    )
    new = page(
        None,
        4_200,
        participant="facebook:new",
        new=True,
        opened=True,
        first_day=date(2018, 4, 21),
        active_from=date(2018, 4, 21),
    )
    moved = body(new, old, moves=(Move("facebook:old", "facebook:new", date(2018, 4, 20)),))
    en = written("en", moved)
    assert (
        "On April 20, 2018 it moved to a new Facebook page; the old one, «Mədəniyyət və Turizm Nazirliyi», "
        "had 17.5 thousand followers by then." in en
    )
    assert "closed on" not in en
    ru = plain(written("ru", moved))
    assert "20 апреля 2018 г. ведомство перешло на новую страницу в Facebook" in ru
    assert "к тому времени — 17,5 тыс. подписчиков." in ru


def test_several_pages_their_total_place_and_the_other_platforms() -> None:
    main = page(11_400, 22_800, participant="facebook:agri")
    aqro = page(13_500, 14_000, participant="facebook:aqro", name="Aqro Azərbaycan", **_silent())
    youtube = page(900, 950, participant="youtube:agri", platform="youtube")
    agri = ranked(body(main, aqro, youtube), 3, 19)
    en = written("en", agri)
    assert "Its 3 pages have 37.8 thousand followers in total (+46%)." in en
    assert "By growth of its total audience it ranks 3rd of 19." in en
    assert (
        "Its other official pages, with their followers: Facebook «Aqro Azərbaycan» (14 thousand) and YouTube (950)."
        in en
    )
    assert "It also posted on YouTube." in en
    assert "Nothing was posted on Facebook «Aqro Azərbaycan» in the period." in en
    assert "19 qurum arasında 3-cü yerdədir." in written("az", agri)
    assert "3-е место из 19." in written("ru", agri)
    assert "19 мекеменің ішінде 3-орында." in written("kk", agri)


def _silent() -> dict[str, object]:
    return {"posts": 0, "dormant": True, "likes_per_post": None, "last_post_at": None, "media": ()}


# -- every number in a paragraph comes from the facts --------------------------------------------------------------

NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")


def renderings(w: Writer, entity: EntityFacts) -> set[str]:
    """Every way the writer may print a fact of ``entity`` (or of its pages)."""
    s = w.style
    ints: list[int] = [len(entity.pages)]
    floats: list[float] = []
    days: list[date] = [m.on for m in entity.moves]
    for v in (entity.followers_from, entity.followers_to, entity.change, entity.growth_rank, entity.ranked):
        if v is not None:
            ints.append(v)
    if entity.change_pct is not None:
        floats.append(entity.change_pct)
    for p in entity.pages:
        for v in (
            p.followers_from,
            p.followers_to,
            p.change,
            p.posts,
            p.weeks,
            p.weeks_with_posts,
            p.longest_silence_days,
            p.live_streams,
        ):
            if v is not None:
                ints.append(v)
        for f in (
            p.change_pct,
            p.followers_ratio,
            p.posts_per_week,
            p.likes_per_post,
            p.comments_per_post,
            p.reposts_per_post,
            (p.regularity or 0) * 100,
        ):
            if f is not None:
                floats.append(f)
        for m in p.media:
            floats += [m.likes_per_post, m.share * 100]
        days += [d for d in (p.first_day, p.last_day, p.active_from, p.active_to) if d]
        days += [w.local_day(t) for t in (p.first_post_at, p.last_post_at) if t]
    out: set[str] = set()
    for n in ints:
        out |= {s.count(n), s.exact(n), s.ordinal(n), str(n)}
    for f in floats:
        out |= {s.percent(f), s.percent(f, signed=True), s.decimal(f), s.rate(f), s.average(f)}
    for d in days:
        out |= {s.day(d), w.year(d.year)}
    return out


def numbers_not_from_facts(text: str, allowed: set[str], names: list[str]) -> list[str]:
    for name in names:
        text = text.replace(name, " ")
    known = {token for r in allowed for token in NUMBER.findall(r)}
    return [token for token in NUMBER.findall(text) if token not in known]


@pytest.mark.parametrize("lang", LANGS)
def test_every_number_in_every_paragraph_comes_from_the_facts(world: World, lang: str) -> None:
    review = world.review(lang)
    w = Writer(review_language(review), review.tz)
    checked = 0
    for entity in review.entities:
        names = [entity.name, *(p.name for p in entity.pages if p.name)]
        assert numbers_not_from_facts(entity.text, renderings(w, entity), names) == [], entity.text
        checked += len(NUMBER.findall(entity.text))
    assert checked > 50  # the paragraphs do carry numbers


@pytest.mark.parametrize("lang", LANGS)
def test_the_lead_states_only_the_totals_and_counts(world: World, lang: str) -> None:
    review = world.review(lang)
    s = Writer(review_language(review), review.tz).style
    totals = review.totals
    assert totals is not None and totals.change_pct is not None
    allowed = {
        s.day(review.first_day),
        s.day(review.last_day),
        s.exact(len(review.entities)),
        s.count(totals.followers_to),
        s.count(totals.followers_from),
        s.percent(totals.change_pct, signed=True),
        s.exact(review.opened_pages),
        s.exact(review.dormant_pages),
        s.exact(totals.bodies),
    }
    allowed |= {s.percent(e.change_pct, signed=True) for e in review.entities if e.change_pct is not None}
    lead = " ".join(review.lead)
    assert numbers_not_from_facts(lead, allowed, [e.name for e in review.entities]) == []
    assert plain(s.percent(totals.change_pct, signed=True)) in plain(lead)


def review_language(review: Review) -> Language:
    return Language(review.lang)


def test_paragraphs_are_deterministic_and_differ_by_language(world: World) -> None:
    texts = {lang: [e.text for e in world.review(lang).entities] for lang in LANGS}
    assert texts["en"] == [e.text for e in world.review("en").entities]
    for a in LANGS:
        for b in LANGS:
            if a < b:
                assert texts[a][0] != texts[b][0]
