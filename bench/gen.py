"""Fast, vectorised generators of benchmark data: canonical JSONL files and a simulated lake.

Both are built a chunk at a time with numpy and Arrow compute (no Python loop per record), so
that generating a million records takes a second or two, not the minutes the importer itself
would take. The data is plausible, not realistic: what matters is its size and shape (mixed
record kinds, optional fields, comments and re-observed posts).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civicpulse.periods import Period, parse_week
from civicpulse.records.schema import POSTS, SNAPSHOTS
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.store.home import Home

PLATFORMS = ["instagram", "telegram", "facebook", "vk"]
MEDIA = ["text", "photo", "video", "link"]
TEXTS = [
    "Аким области провёл приём граждан по вопросам ЖКХ и благоустройства дворов.",
    "Облыс әкімі азаматтарды қабылдады: тұрғын үй және абаттандыру мәселелері.",
    'В районе открыли новую школу на 600 мест. "Спасибо строителям!"',
    "Ремонт дороги Алматы — Капшагай завершён раньше срока.",
    "Жол жөндеу жұмыстары мерзімінен бұрын аяқталды.",
    "Отопительный сезон начнётся 15 октября, графики — по ссылке.",
    "Vilayət rəhbəri sakinləri qəbul etdi.",
    "Короче, опять свет отключили 🙄 #жкх",
    "",
    "Итоги недели: 12 поручений, 4 выезда, 230 обращений.",
]
EPOCH_2024 = int(dt.datetime(2024, 1, 1, tzinfo=dt.UTC).timestamp())


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _num(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


_TWO_DIGITS = pa.array([f"{i:02d}" for i in range(60)])


def _iso(seconds: np.ndarray) -> pa.Array:
    """``YYYY-MM-DDTHH:MM:SSZ`` of Unix seconds, from small tables of days and digits (strftime is 50x slower)."""
    days, rest = np.divmod(seconds.astype("int64"), 86_400)
    first = int(days.min())
    names = [
        (dt.date(1970, 1, 1) + dt.timedelta(days=first + i)).isoformat() for i in range(int(days.max()) - first + 1)
    ]
    digits = _TWO_DIGITS
    return _join(
        pa.array(names).take(pa.array(days - first)), "T", digits.take(pa.array(rest // 3_600)), ":",
        digits.take(pa.array(rest // 60 % 60)), ":", digits.take(pa.array(rest % 60)), "Z",
    )  # fmt: skip


def _canonical_chunk(rng: np.random.Generator, first: int, n: int, snapshot_every: int) -> pa.Array:
    """``n`` canonical lines (with their newlines), one snapshot every ``snapshot_every`` lines."""
    index = np.arange(first, first + n)
    is_snap = index % snapshot_every == 0
    n_snap = int(is_snap.sum())
    n_post = n - n_snap
    platform = pa.array(PLATFORMS).take(pa.array(rng.integers(0, len(PLATFORMS), n_post)))
    account = _join("acc", _num(rng.integers(0, 2_000, n_post)))
    published = EPOCH_2024 + rng.integers(0, 90 * 86_400, n_post)
    observed = published + rng.integers(60, 3 * 86_400, n_post)
    texts = pa.array([json.dumps(t, ensure_ascii=False) for t in TEXTS])
    text = texts.take(pa.array(rng.integers(0, len(TEXTS), n_post)))
    comment = rng.random(n_post) < 0.25
    parent = _join(',"kind":"comment","reply_to":"p', _num(rng.integers(0, max(first, 1), n_post)), '","author":"u')
    comment_part = pc.if_else(pa.array(comment), _join(parent, _num(rng.integers(0, 50_000, n_post)), '"'), "")
    views = rng.integers(0, 100_000, n_post)
    views_part = pc.if_else(pa.array(rng.random(n_post) < 0.3), "", _join(',"views":', _num(views)))
    media = pa.array(MEDIA).take(pa.array(rng.integers(0, len(MEDIA), n_post)))
    posts = _join(
        '{"record":"post","platform":"', platform, '","id":"p', _num(index[~is_snap]), '","account":"', account,
        '","published_at":"', _iso(published), '","text":', text,
        ',"likes":', _num(rng.integers(0, 5_000, n_post)), ',"comments":', _num(rng.integers(0, 300, n_post)),
        ',"reposts":', _num(rng.integers(0, 200, n_post)), views_part, comment_part,
        ',"media":"', media, '","observed_at":"', _iso(observed), '"}\n',
    )  # fmt: skip
    snaps = _join(
        '{"record":"snapshot","platform":"', pa.array(PLATFORMS).take(pa.array(rng.integers(0, 4, n_snap))),
        '","account":"acc', _num(rng.integers(0, 2_000, n_snap)),
        '","observed_at":"', _iso(EPOCH_2024 + rng.integers(0, 90 * 86_400, n_snap)),
        '","followers":', _num(rng.integers(0, 1_000_000, n_snap)), "}\n",
    )  # fmt: skip
    order = np.empty(n, dtype="int64")
    order[~is_snap] = np.arange(n_post)
    order[is_snap] = n_post + np.arange(n_snap)
    return pa.concat_arrays([posts, snaps]).take(pa.array(order))


def write_canonical_jsonl(
    path: Path, *, records: int | None = None, size: int | None = None, seed: int = 1, chunk: int = 100_000
) -> int:
    """Write canonical post and snapshot lines until ``records`` lines or ``size`` bytes; returns the lines."""
    rng = np.random.default_rng(seed)
    written = 0
    if size is not None:  # lines are about 330 bytes: stop near the size asked, not a whole chunk past it
        chunk = max(1_000, min(chunk, size // 330 // 10))
    with open(path, "wb") as fh:
        while (records is None or written < records) and (size is None or fh.tell() < size):
            n = chunk if records is None else min(chunk, records - written)
            lines = _canonical_chunk(rng, written, n, snapshot_every=50)
            # a string array without nulls keeps its values back to back: the lines, ready to write
            offsets = np.frombuffer(lines.buffers()[1], dtype="int32", count=len(lines) + 1, offset=lines.offset * 4)
            fh.write(memoryview(lines.buffers()[2])[offsets[0] : offsets[-1]])
            written += n
    return written


# -- a simulated lake for the rating benchmark --------------------------------------------------

REGIONS = 20
TZ = "Asia/Almaty"
RATED_WEEK = "2024-W10"
WEEKS_BEFORE, WEEKS_AFTER = 7, 2
OTHER_ACCOUNTS = 50_000
OFFICIAL = [("instagram", "ig"), ("telegram", "tg"), ("facebook", "fb")]
UNRATED = ("facebook", "r05_fb")
"""An official page that never got a snapshot: the rating lists it as unrated."""


@dataclass(frozen=True)
class SimulatedLake:
    home: Home
    period: Period
    posts: int
    snapshots: int


def registry_text() -> str:
    """20 regions (one without a population), three official pages each, and some media pages."""
    lines = ["timezone: Asia/Almaty", "entities:", "  - {id: kz, kind: country}"]
    for r in range(1, REGIONS + 1):
        population = "" if r == REGIONS else f", population: {400_000 + 97_000 * r}"
        lines.append(f"  - {{id: r{r:02d}, kind: region, parent: kz{population}}}")
    lines.append("accounts:")
    for r in range(1, REGIONS + 1):
        for platform, short in OFFICIAL:
            lines.append(f"  - {{platform: {platform}, id: r{r:02d}_{short}, entity: r{r:02d}, role: official}}")
        lines.append(f"  - {{platform: telegram, id: u{r}, entity: r{r:02d}, role: media}}")
    return "\n".join(lines) + "\n"


def _official_accounts() -> list[tuple[str, str]]:
    return [(p, f"r{r:02d}_{s}") for r in range(1, REGIONS + 1) for p, s in OFFICIAL]


def _posts_chunk(rng: np.random.Generator, first_id: int, rows: int, span: tuple[int, int], batch: int) -> pa.Table:
    """``rows`` rows of the posts table: ~13% re-observations, the rest new posts with ids from ``first_id``."""
    n = int(rows / 1.15)
    official = _official_accounts()
    kind_of = rng.random(n)
    own, comment = kind_of < 0.08, (kind_of >= 0.08) & (kind_of < 0.35)
    which = rng.integers(0, len(official), n)
    official_platform = np.array([p for p, _ in official])[which]
    platform = np.where(own | comment, official_platform, np.array(PLATFORMS)[rng.integers(0, 4, n)])
    other = _join("u", _num(rng.integers(0, OTHER_ACCOUNTS, n)))
    account = pc.if_else(pa.array(own | comment), pa.array([a for _, a in official]).take(pa.array(which)), other)
    author = pc.if_else(
        pa.array(comment), _join("u", _num(rng.integers(0, OTHER_ACCOUNTS, n))), pa.nulls(n, pa.string())
    )
    ids = _join("p", _num(np.arange(first_id, first_id + n)))
    reply_to = pc.if_else(
        pa.array(comment), _join("p", _num(rng.integers(0, first_id + n, n))), pa.nulls(n, pa.string())
    )
    published = rng.integers(span[0], span[1], n) * 1_000_000
    views = pa.array(rng.integers(0, 200_000, n), mask=rng.random(n) < 0.3)
    columns = {
        "platform": pa.array(platform),
        "id": ids,
        "account": account,
        "author": author,
        "published_at": pa.array(published).view(POSTS.field("published_at").type),
        "text": pa.array(TEXTS).take(pa.array(rng.integers(0, len(TEXTS), n))),
        "kind": pc.if_else(pa.array(comment), "comment", "post"),
        "likes": pa.array(rng.integers(0, 3_000, n)),
        "comments": pa.array(rng.integers(0, 200, n)),
        "reposts": pa.array(rng.integers(0, 100, n)),
        "views": views,
        "url": pa.nulls(n, pa.string()),
        "reply_to": reply_to,
        "repost_of": pa.nulls(n, pa.string()),
        "media": pa.array(MEDIA).take(pa.array(rng.integers(0, len(MEDIA), n))),
        "observed_at": pa.array(published + rng.integers(60, 86_400, n) * 1_000_000).view(
            POSTS.field("observed_at").type
        ),
    }
    fresh = pa.table(columns)
    # later observations of some posts: more likes, observed up to two days later
    again = fresh.take(pa.array(rng.integers(0, n, rows - n)))
    delay = pa.array(rng.integers(3_600, 2 * 86_400, len(again)) * 1_000_000)
    later = pc.add(again["observed_at"].combine_chunks().view(pa.int64()), delay)
    again = again.set_column(
        again.schema.get_field_index("observed_at"), "observed_at", later.view(POSTS.field("observed_at").type)
    )
    again = again.set_column(again.schema.get_field_index("likes"), "likes", pc.add(again["likes"], 500))
    table = pa.concat_tables([fresh, again])
    table = table.append_column("_batch", pa.array(np.full(len(table), batch, dtype="int64")))
    return table.append_column("_seq", pa.array(np.arange(len(table), dtype="int64")))  # renumbered by the caller


def _snapshots(rng: np.random.Generator, span: tuple[int, int], batch: int) -> pa.Table:
    """A snapshot a day of every official page (but one) and of some other accounts."""
    pages = [page for page in _official_accounts() if page != UNRATED]
    pages += [(PLATFORMS[i % 4], f"u{i}") for i in range(2_000)]
    days = np.arange(span[0] // 86_400, span[1] // 86_400 + 1)
    platform = np.repeat([p for p, _ in pages], len(days))
    account = np.repeat([a for _, a in pages], len(days))
    day = np.tile(days, len(pages))
    base = np.repeat(rng.integers(1_000, 500_000, len(pages)), len(days))
    growth = np.repeat(rng.integers(0, 200, len(pages)), len(days))
    observed = (day * 86_400 + 3 * 3_600) * 1_000_000
    n = len(platform)
    return pa.table(
        {
            "platform": pa.array(platform),
            "account": pa.array(account),
            "observed_at": pa.array(observed).view(SNAPSHOTS.field("observed_at").type),
            "followers": pa.array(base + growth * (day - days[0])),
            "posts_total": pa.nulls(n, pa.int64()),
            "_batch": pa.array(np.full(n, batch, dtype="int64")),
            "_seq": pa.array(np.arange(n, dtype="int64")),
        }
    )


def _chunks(total: int, size: int) -> Iterator[int]:
    done = 0
    while done < total:
        yield min(size, total - done)
        done += size


def build_lake(home: Home, posts: int, *, seed: int = 10, chunk: int = 1_000_000) -> SimulatedLake:
    """Write a lake of ``posts`` post rows (weeks around 2024-W10) and daily snapshots, as one batch."""
    text = RegistryText(registry_text(), "bench-registry.yaml")
    parse(text)
    home.path.mkdir(parents=True, exist_ok=True)
    home.save_registry(text)
    period = parse_week(RATED_WEEK, TZ)
    span = (
        int((period.start - dt.timedelta(weeks=WEEKS_BEFORE)).timestamp()),
        int((period.end + dt.timedelta(weeks=WEEKS_AFTER)).timestamp()),
    )
    rng = np.random.default_rng(seed)
    with home.lake.begin("simulate", "bench", simulated=True) as batch:
        snaps = _snapshots(rng, span, batch.id)
        snaps = snaps.set_column(6, "_seq", pa.array(np.arange(len(snaps)) + batch.next_seq(len(snaps))))
        batch.write("snapshots", pa.Table.from_arrays(snaps.columns, schema=SNAPSHOTS))
        next_id = 0
        for rows in _chunks(posts, chunk):
            table = _posts_chunk(rng, next_id, rows, span, batch.id)
            next_id += int(rows / 1.15)
            seq = np.arange(len(table)) + batch.next_seq(len(table))
            table = table.set_column(17, "_seq", pa.array(seq))
            batch.write("posts", pa.Table.from_arrays(table.columns, schema=POSTS))
        batch.commit()
    return SimulatedLake(home, period, posts, len(snaps))
