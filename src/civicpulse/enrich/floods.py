"""Near-duplicate text floods and accounts that post in dozens of groups.

Near duplicates
    Texts are compared after removing links, punctuation, emoji and case, so a copy with another
    link, another emoji or other capitals is still a copy. Texts shorter than ``min_chars`` are left alone
    ("Спасибо!" written by a hundred people is not a flood). Identical folded texts are grouped
    first; the distinct ones get MinHash signatures over character ``shingle``-grams, and
    locality-sensitive hashing (``bands`` bands of ``num_perm / bands`` rows) proposes candidates
    that are kept when their signatures agree on at least ``threshold`` of the positions (an
    estimate of the Jaccard similarity of the shingle sets). A *flood* is at least ``min_copies``
    copies of one text within ``flood_window_s`` (an hour): copy-paste campaigns and bot bursts
    come at once, while people who happen to write alike ("Когда отремонтируют дорогу?") are spread
    over the week. Every copy in a flood except the first copy of the text is flagged ``duplicate``.

    The signatures are computed with numpy over all texts at once (a polynomial hash of the
    shingles mixed once, then ``num_perm`` odd-multiplier affine permutations of that hash), not
    with datasketch's per-text objects: the same estimator, many times faster (datasketch's
    ``MinHash.bulk`` signs about 4,000 texts a second on one core here; see ``bench/coordination.py``).

Spam
    An author who posts at least ``spam_copies`` copies of one text within ``spam_window_s`` (a
    day), or who shares links or reposts at least ``group_shares`` times in at least
    ``group_count`` different groups (accounts other than their own) in the window, is flagged
    ``spam`` on every post of the window.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civicpulse.enrich.coordination import actor_keys

IntArray = np.ndarray
_NOISE: Final = re.compile(r"(?:https?://|www\.)\S+|[\W_]+", re.IGNORECASE)
"""Links and runs of anything but letters and digits (punctuation, emoji, spaces)."""
MAX_CHARS: Final = 1000
"""Only the beginning of a long text is compared (floods are short, and the cost grows with length)."""


@dataclass(frozen=True)
class FloodParams:
    """Thresholds of :func:`detect_floods`; documented, tunable settings."""

    threshold: float = 0.8
    """Estimated Jaccard similarity of shingle sets from which two texts are copies."""
    num_perm: int = 64
    bands: int = 16
    shingle: int = 5
    """Characters per shingle."""
    min_chars: int = 40
    """Folded texts (links removed) shorter than this are never compared."""
    min_copies: int = 5
    """Copies of one text within ``flood_window_s`` that make a flood."""
    flood_window_s: float = 3600.0
    spam_copies: int = 5
    """Copies of one text by one author within ``spam_window_s`` that make the author a spammer."""
    spam_window_s: float = 86_400.0
    group_shares: int = 20
    group_count: int = 20
    """An author sharing links or reposts ``group_shares`` times in ``group_count`` groups is a spammer."""
    seed: int = 1


def comparable(text: str) -> str:
    """``text`` as compared for copies: links removed, lower case, words only, at most ``MAX_CHARS``."""
    return " ".join(_NOISE.sub(" ", text[: MAX_CHARS * 2]).lower().split())[:MAX_CHARS]


def signatures(texts: list[str], params: FloodParams) -> np.ndarray:
    """MinHash signatures (``len(texts)`` x ``num_perm``, uint32) of the texts' character shingles."""
    k = params.shingle
    n = len(texts)
    out = np.full((n, params.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    if n == 0:
        return out
    padded = [t if len(t) >= k else t.ljust(k, " ") for t in texts]
    lengths = np.fromiter((len(t) for t in padded), dtype=np.int64, count=n)
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    # polynomial hash of every k-gram (wrapping uint64 arithmetic), then only those inside one text
    grams = len(codes) - k + 1
    h = np.zeros(grams, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * np.uint64(1_000_003) + codes[j : j + grams]
    per_text = lengths - k + 1
    owner = np.repeat(np.arange(n), per_text)
    offset = np.arange(int(per_text.sum())) - np.repeat(np.cumsum(per_text) - per_text, per_text)
    h = h[starts[owner] + offset]
    first = np.concatenate([[0], np.cumsum(per_text)[:-1]])
    h32 = (_mix(h) >> np.uint64(32)).astype(np.uint32)
    rng = np.random.default_rng(params.seed)
    # one hash, num_perm cheap permutations of it: x -> a*x + b (mod 2^32, a odd) is a bijection
    mult = (rng.integers(0, 2**31, size=params.num_perm, dtype=np.int64) * 2 + 1).astype(np.uint32)
    add = rng.integers(0, 2**32, size=params.num_perm, dtype=np.int64).astype(np.uint32)
    buffer = np.empty_like(h32)
    with np.errstate(over="ignore"):
        for p in range(params.num_perm):
            np.multiply(h32, mult[p], out=buffer)
            np.add(buffer, add[p], out=buffer)
            out[:, p] = np.minimum.reduceat(buffer, first)
    return out


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a fixed bijection that scatters nearby inputs over all 64 bits."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        mixed: np.ndarray = x ^ (x >> np.uint64(31))
        return mixed


def copy_groups(texts: list[str | None], params: FloodParams) -> IntArray:
    """A group number per text (-1 for texts in no group): texts that are copies of each other share one."""
    n = len(texts)
    group = np.full(n, -1, dtype=np.int64)
    exact: dict[str, list[int]] = defaultdict(list)
    seen: dict[str, str] = {}  # raw text -> comparable form: copies are common, fold each text once
    for i, text in enumerate(texts):
        if not text or len(text) < params.min_chars:  # folding only shortens a text
            continue
        folded = seen.get(text)
        if folded is None:
            folded = seen[text] = comparable(text)
        if len(folded) >= params.min_chars:
            exact[folded].append(i)
    distinct = sorted(exact)  # sorted: the groups must not depend on the order posts were read in
    if not distinct:
        return group
    sig = signatures(distinct, params)
    rows = params.num_perm // params.bands
    firsts, seconds = [], []
    for band in range(params.bands):
        part = sig[:, band * rows : (band + 1) * rows]
        keys = _mix(part[:, 0].astype(np.uint64))
        for r in range(1, rows):
            keys = _mix(keys ^ part[:, r].astype(np.uint64))
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        same = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1
        if not len(same):
            continue
        # every text of a bucket is compared with the bucket's first text (a star, not all pairs)
        heads = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
        head_of = heads[np.searchsorted(heads, same, side="right") - 1]
        a, b = order[head_of], order[same]
        agree = (sig[a] == sig[b]).mean(axis=1) >= params.threshold
        firsts.append(a[agree])
        seconds.append(b[agree])
    m = len(distinct)
    if firsts:
        a, b = np.concatenate(firsts), np.concatenate(seconds)
        from scipy.sparse import coo_matrix  # here: scipy is slow to import and only this needs it
        from scipy.sparse.csgraph import connected_components

        links = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(m, m))
        roots = connected_components(links, directed=False)[1]
    else:
        roots = np.arange(m)
    for d, text in enumerate(distinct):
        group[exact[text]] = roots[d]
    sizes = np.bincount(group[group >= 0])
    group[(group >= 0) & (sizes[np.maximum(group, 0)] < 2)] = -1
    return group


@dataclass
class Floods:
    """Per input row: the flood flags (``duplicate``, ``spam``) and their reasons."""

    flags: list[list[str]]
    reasons: list[list[str]]
    floods: int
    spammers: dict[str, str]
    """Author key -> why it is a spammer."""


def detect_floods(posts: pa.Table, params: FloodParams | None = None) -> Floods:
    """Flood and spam flags for every row of ``posts`` (lake ``posts`` columns)."""
    params = params or FloodParams()
    n = posts.num_rows
    flags: list[list[str]] = [[] for _ in range(n)]
    reasons: list[list[str]] = [[] for _ in range(n)]
    group = copy_groups(posts.column("text").to_pylist(), params)
    authors = actor_keys(posts).to_pylist()
    keys = pc.binary_join_element_wise(posts.column("platform"), posts.column("id"), ":").to_pylist()
    seconds = pc.cast(posts.column("published_at"), pa.int64()).to_numpy(zero_copy_only=False) / 1e6
    members: dict[int, list[int]] = defaultdict(list)
    for i in np.flatnonzero(group >= 0).tolist():
        members[int(group[i])].append(i)
    floods = 0
    spammers: dict[str, str] = {}
    for rows in members.values():
        if len(rows) < min(params.min_copies, params.spam_copies):
            continue
        rows.sort(key=lambda r: (seconds[r], keys[r]))
        times = seconds[rows]
        flooded = _dense(times, params.flood_window_s, params.min_copies)
        if flooded.any():
            floods += 1
            copies = [r for r, yes in zip(rows, flooded.tolist(), strict=True) if yes]
            by = len({authors[r] for r in copies})
            hours = params.flood_window_s / 3600
            for r in copies:
                if r != rows[0]:
                    flags[r].append("duplicate")
                    reasons[r].append(
                        f"near-duplicate of {keys[rows[0]]}: {len(copies)} copies by {by} authors"
                        f" within {hours:g} h of each other"
                    )
        per_author: dict[str, list[int]] = defaultdict(list)
        for r in rows:
            per_author[authors[r]].append(r)
        for author, own in per_author.items():
            if author in spammers or len(own) < params.spam_copies:
                continue
            if _dense(seconds[own], params.spam_window_s, params.spam_copies).any():
                spammers[author] = (
                    f"posted {len(own)} copies of one text (first: {keys[own[0]]}),"
                    f" {params.spam_copies} within {params.spam_window_s / 3600:g} h"
                )
    spammers.update({a: why for a, why in _group_flooders(posts, authors, params).items() if a not in spammers})
    for r, author in enumerate(authors):
        if author in spammers:
            flags[r].append("spam")
            reasons[r].append(f"author {author} {spammers[author]}")
    return Floods(flags, reasons, floods, spammers)


def _dense(times: np.ndarray, window: float, k: int) -> np.ndarray:
    """For sorted ``times``, which belong to a run of at least ``k`` within ``window`` seconds."""
    n = len(times)
    inside = np.zeros(n, dtype=bool)
    if n < k:
        return inside
    reach = np.searchsorted(times, times + window, side="right")  # first index past each one's window
    marks = np.zeros(n + 1, dtype=np.int64)
    for start in np.flatnonzero(reach - np.arange(n) >= k).tolist():
        marks[start] += 1
        marks[reach[start]] -= 1
    inside[:] = np.cumsum(marks)[:n] > 0
    return inside


def _group_flooders(posts: pa.Table, authors: list[str], params: FloodParams) -> dict[str, str]:
    """Authors who shared links or reposts ``group_shares`` times in ``group_count`` groups."""
    shares = pc.or_(
        pc.match_substring_regex(posts.column("text"), r"(?i)https?://|www\.").fill_null(False),
        pc.is_valid(posts.column("repost_of")),
    )
    where = pc.binary_join_element_wise(posts.column("platform"), posts.column("account"), ":").to_pylist()
    count: dict[str, int] = defaultdict(int)
    groups: dict[str, set[str]] = defaultdict(set)
    for r in np.flatnonzero(shares.to_numpy(zero_copy_only=False)).tolist():
        if where[r] != authors[r]:
            count[authors[r]] += 1
            groups[authors[r]].add(where[r])
    return {
        a: f"shared links or reposts {count[a]} times in {len(groups[a])} groups"
        for a in count
        if count[a] >= params.group_shares and len(groups[a]) >= params.group_count
    }
