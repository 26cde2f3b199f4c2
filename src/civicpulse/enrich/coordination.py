"""Coordinated link sharing: accounts that repeatedly share the same links within seconds of each other.

What is shared
    A *share* is a post that carries an *object*: a link in its text (normalised by
    :func:`normalise_link`, so ``www.``, ``m.``, tracking tags, fragments and trailing slashes do not
    hide a match) or the post it reposts (``repost_of``). The sharing *actor* is the post's author,
    else the account it appeared on; registry accounts are left out (their owners are known, and an
    akimat posting its own press release on five platforms at once is not a hidden campaign).

How the reference tools fail, and what this module does instead
    CooRnet cuts each link's shares into fixed bins starting at its first share, estimates the bin
    width from the fastest links of the whole corpus (dominated by organic links when campaigns are
    few: 3,000 to 175,000 s on the reference weeks), and keeps edges at or above the 0.90 quantile
    of their weights (which is 1 when most edges are single co-shares, so every chance co-share
    stays). CooRTweet keeps only edges strictly *above* a weight quantile, so a campaign whose pairs
    all co-share the same number of links drops out entirely. Here:

    1. **Sliding window.** Two shares of one object by different actors *co-share* when they are at
       most ``interval`` seconds apart, wherever they fall (no bins, no first-share anchor).
    2. **Repetition in distinct links, against chance.** A pair is linked when it co-shares at least
       ``min_links`` *distinct* objects within the interval (cross-posting one link into twenty
       groups counts once: one coincidence never flags anyone) *and* that many would be improbable
       by chance. The chance model (:func:`test_pairs`) counts, around each share, how crowded that
       object was at that moment, and how much each account shares: repeated co-sharing inside
       viral crowds, or by accounts that share everything, is expected; repeated co-sharing of
       links few others shared around that moment is not. A pair is kept when its Poisson
       probability is below ``alpha`` divided by the number of pairs tested and of intervals tried
       (Bonferroni: ``alpha`` is the chance of one false edge in a run). An actor next to a network
       so found (co-sharing ``min_links`` objects with a member) joins it when its best pair passes
       ``alpha`` divided by the number of such neighbours, so a member that skipped some pushes is
       not lost.
    3. **Robust interval.** Unless ``interval_s`` is fixed, the test runs at every interval of
       :data:`GRID` from ``min_interval_s`` to ``max_interval_s`` (10 s to 5 min), and a pair is
       linked at the shortest interval at which it passes; the Bonferroni correction counts the
       intervals too, so trying them all costs no precision. Campaigns of different speeds are
       each found at their own interval, and organic sharing cannot stretch it: chance co-shares do
       not pass the test at any interval, however many organic links there are. (An interval
       chosen once for the whole corpus, as CooRnet does, either misses slow campaigns or drowns
       fast ones in chance co-shares.) Longer intervals than five minutes let organic bursts in.
    4. **Components** of the kept edges with at least ``min_accounts`` actors are the coordinated
       networks, named with their members and the links they pushed together.

:func:`detect` is pure (shares in, a :class:`Detection` out); :mod:`civicpulse.enrich.flagging`
runs it as the ``coordination`` window stage (every post of a network's members is flagged
``coordinated``, the reason naming partners and links), and ``civicpulse eval`` measures it
against the simulator's and :mod:`civicpulse.enrich.scenarios`' ground truth, beside CooRnet and
CooRTweet (:mod:`civicpulse.enrich.baselines`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

IntArray = np.ndarray
FloatArray = np.ndarray

_URL: Final = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»\[\]{}|\\^`]+", re.IGNORECASE)
_TRAILING: Final = ".,;:!?)]}»\"'…"
_TRACKING: Final = frozenset(
    {"fbclid", "gclid", "yclid", "igshid", "igsh", "si", "mc_cid", "mc_eid", "ref", "ref_src", "_openstat", "feature"}
)
_HOST_PREFIXES: Final = ("www.", "m.", "mobile.")
GRID: Final = (1, 2, 3, 5, 8, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 450, 600, 900, 1200, 1800)
"""Candidate intervals (seconds) the interval is chosen from."""


@dataclass(frozen=True)
class CoordinationParams:
    """Thresholds of :func:`detect`; every one is a documented, tunable setting."""

    interval_s: float | None = None
    """Fixed co-sharing interval in seconds; ``None`` estimates it from the data (see the module doc)."""
    default_interval_s: float = 60.0
    """Interval reported when no interval links anyone."""
    min_interval_s: float = 10.0
    max_interval_s: float = 300.0
    """Longest interval tried; also how far crowds are counted to smooth the chance model."""
    alpha: float = 0.01
    """Chance of one false edge in a run: a pair is kept when its Poisson probability is at most
    ``alpha`` divided by the number of pairs that co-shared anything and by the number of intervals
    tried (Bonferroni)."""
    min_links: int = 2
    """Distinct links (or reposted posts) a pair must co-share within the interval to be linked."""
    min_accounts: int = 2
    """Smallest network reported."""
    max_crowd: int = 1000
    """A share followed by more than this many shares of the same object within the search range
    says nothing about any pair (a viral crowd); its co-shares are skipped, which bounds the work."""


@dataclass(frozen=True)
class Shares:
    """Objects shared, one row per (post, object); codes index the name lists."""

    row: IntArray
    """Row of the input table the share comes from."""
    actor: IntArray
    obj: IntArray
    seconds: FloatArray
    actors: list[str]
    objects: list[str]

    def __len__(self) -> int:
        return len(self.row)


@dataclass
class Network:
    """One coordinated network: its members and what they pushed together."""

    members: list[str]
    links: list[str]
    """Objects co-shared by at least one kept pair, most co-shared first."""


@dataclass(frozen=True)
class CoShared:
    """A member's post that shared a link with partners of its network."""

    link: str
    partners: list[str]
    within_s: float
    """The interval within which they shared it (the longest of the pairs')."""


@dataclass
class Detection:
    """What :func:`detect` found."""

    interval_s: float
    """The longest interval any kept pair needed (``default_interval_s`` when none)."""
    interval_estimated: bool
    networks: list[Network]
    partners: dict[str, list[str]]
    """Coordinated actor -> the actors it is linked to (kept edges), strongest first."""
    pair_links: dict[tuple[str, str], list[str]]
    """Kept pair (sorted) -> the distinct objects it co-shared within its interval."""
    coshared: dict[int, CoShared] = field(default_factory=dict)
    """Input row -> the link and the partners who shared it within the interval, for members' posts."""
    candidate_pairs: int = 0
    """Pairs that co-shared anything within the longest interval tried."""
    pair_interval: dict[tuple[str, str], float] = field(default_factory=dict)
    """Kept pair (sorted) -> the shortest interval at which it passed the test."""

    @property
    def coordinated(self) -> set[str]:
        """Every actor in a reported network."""
        return {m for n in self.networks for m in n.members}


@lru_cache(maxsize=262_144)
def normalise_link(raw: str) -> str | None:
    """A link as a comparison key (``host/path?query``), or ``None`` when it is not a usable URL.

    Scheme, ``www.``/``m.`` host prefixes, default ports, fragments, ``utm_*`` and other tracking
    parameters and a trailing slash are dropped; remaining query parameters are sorted.
    """
    text = raw.strip().rstrip(_TRAILING)
    if text.lower().startswith("www."):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if "." not in host:
        return None
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    ]
    key = host + path
    if query:
        key += "?" + urlencode(sorted(query))
    return key


def links_in(text: str) -> list[str]:
    """The distinct normalised links of ``text``, in order of appearance."""
    found: dict[str, None] = {}
    for match in _URL.finditer(text):
        key = normalise_link(match.group(0))
        if key is not None:
            found[key] = None
    return list(found)


def actor_keys(posts: pa.Table) -> pa.Array:
    """``platform:author`` (else ``platform:account``) of every post: who acted."""
    who = pc.coalesce(posts.column("author"), posts.column("account"))
    return pc.binary_join_element_wise(posts.column("platform"), who, ":")


def extract_shares(posts: pa.Table, exclude: frozenset[str] = frozenset()) -> Shares:
    """The shares of ``posts`` (lake ``posts`` columns: platform, author, account, text, published_at,
    repost_of); actors in ``exclude`` (``platform:id`` keys) are left out."""
    actor_col = actor_keys(posts)
    texts = posts.column("text")
    # only texts that may hold a link go through the Python regex
    maybe = pc.match_substring_regex(texts, r"(?i)https?://|www\.").fill_null(False)
    linked = np.flatnonzero(maybe.to_numpy(zero_copy_only=False))
    rows: list[int] = []
    objects: list[str] = []
    for i, text in zip(linked.tolist(), texts.take(pa.array(linked)).to_pylist(), strict=True):
        for link in links_in(text):
            rows.append(i)
            objects.append(link)
    reposted = posts.column("repost_of")
    if reposted.null_count < len(reposted):
        shared = np.flatnonzero(pc.is_valid(reposted).to_numpy(zero_copy_only=False))
        where = posts.column("platform").take(pa.array(shared)).to_pylist()
        what = reposted.take(pa.array(shared)).to_pylist()
        for i, platform, post in zip(shared.tolist(), where, what, strict=True):
            rows.append(i)
            objects.append(f"repost:{platform}:{post}")
    actor_of = actor_col.take(pa.array(rows, type=pa.int64())).to_pylist()
    keep = [k for k, name in enumerate(actor_of) if name not in exclude]
    actor_names, actor = _codes([actor_of[k] for k in keep])
    obj_names, obj = _codes([objects[k] for k in keep])
    row = np.asarray([rows[k] for k in keep], dtype=np.int64)
    seconds = pc.cast(posts.column("published_at"), pa.int64()).take(pa.array(row)).to_numpy(zero_copy_only=False)
    return Shares(row, actor, obj, seconds / 1e6, actor_names, obj_names)


def _codes(values: list[str]) -> tuple[list[str], IntArray]:
    """Distinct values in order of appearance, and the code of every value."""
    index: dict[str, int] = {}
    codes = [index.setdefault(v, len(index)) for v in values]
    return list(index), np.asarray(codes, dtype=np.int64)


@dataclass(frozen=True)
class CoShares:
    """Pairs of shares of one object by different actors within the search range (``i`` before ``j``)."""

    i: IntArray
    j: IntArray
    gap: FloatArray


def coshares(shares: Shares, within_s: float, max_crowd: int) -> CoShares:
    """Every pair of shares of the same object by different actors at most ``within_s`` apart (a sliding
    window: each share looks ahead ``within_s`` seconds), skipping shares followed by more than
    ``max_crowd`` shares of the object in that range."""
    n = len(shares)
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return CoShares(empty, empty, np.zeros(0))
    order = np.lexsort((shares.seconds, shares.obj))
    obj = shares.obj[order]
    sec = shares.seconds[order] - shares.seconds.min()
    # one sortable key per share: object first, then time (milliseconds; objects never overlap)
    span = int(np.ceil(sec.max() * 1000)) + int(within_s * 1000) + 2
    key = obj * span + np.round(sec * 1000).astype(np.int64)
    hi = np.searchsorted(key, key + round(within_s * 1000), side="right")
    ahead = hi - np.arange(n) - 1
    ahead[ahead > max_crowd] = 0
    actor = shares.actor[order]
    parts_i, parts_j = [], []
    start = 0
    # in chunks of about four million pairs, so memory stays bounded on crowded data
    cumulative = np.cumsum(ahead)
    while start < n:
        base = cumulative[start - 1] if start else 0
        stop = int(np.searchsorted(cumulative, base + 4_000_000, side="right"))
        stop = max(stop, start + 1)
        counts = ahead[start:stop]
        first = np.repeat(np.arange(start, stop), counts)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        second = first + 1 + offsets
        differ = actor[first] != actor[second]
        parts_i.append(order[first[differ]])
        parts_j.append(order[second[differ]])
        start = stop
    i = np.concatenate(parts_i)
    j = np.concatenate(parts_j)
    return CoShares(i, j, np.abs(shares.seconds[j] - shares.seconds[i]))


@dataclass(frozen=True)
class PairTest:
    """Actor pairs that co-shared at least one object within an interval, with their evidence."""

    a: IntArray
    b: IntArray
    """Actor codes, ``a < b``."""
    links: IntArray
    """Distinct objects the pair co-shared within the interval."""
    expected: FloatArray
    """Distinct co-shared objects expected by chance (see :func:`test_pairs`)."""
    p: FloatArray
    """Poisson probability of at least ``links`` co-shared objects when ``expected`` are expected."""


@dataclass(frozen=True)
class Background:
    """What chance co-sharing is measured against: the (actor, object) *units* and their crowds."""

    units: IntArray
    """Sorted unit keys ``actor * n_objects + object``."""
    unit_actor: IntArray
    per_actor: FloatArray
    """Distinct objects each actor shared."""
    wide: FloatArray
    """Per unit, other actors who shared the object within ``width`` seconds of one of its shares."""
    width: float
    span: float
    """Seconds from the first share to the last."""


def background(shares: Shares, co: CoShares, width: float) -> Background:
    """The units of ``shares`` and their crowds within ``width`` seconds (``co`` must reach that far)."""
    n_obj = max(len(shares.objects), 1)
    units = _distinct(shares.actor * n_obj + shares.obj)
    unit_actor = units // n_obj
    per_actor = np.bincount(unit_actor, minlength=len(shares.actors)).astype(np.float64)
    wide = _crowds(shares, co, width, units)
    span = float(shares.seconds.max() - shares.seconds.min()) if len(shares) else 0.0
    return Background(units, unit_actor, per_actor, wide, width, max(span, 1.0))


def _triples(shares: Shares, co: CoShares, interval: float) -> IntArray:
    """Distinct (actor, object, partner) keys of the co-shares within ``interval``, both directions."""
    close = co.gap <= interval
    x, y = shares.actor[co.i[close]], shares.actor[co.j[close]]
    obj = shares.obj[co.i[close]]
    n_obj, n_actors = max(len(shares.objects), 1), max(len(shares.actors), 1)
    return _distinct(np.concatenate([(x * n_obj + obj) * n_actors + y, (y * n_obj + obj) * n_actors + x]))


def _crowds(shares: Shares, co: CoShares, interval: float, units: IntArray) -> FloatArray:
    """Per unit, the other actors sharing its object within ``interval`` of one of its shares."""
    keys, counts = _counted(_triples(shares, co, interval) // max(len(shares.actors), 1))
    crowd = np.zeros(len(units))
    crowd[np.searchsorted(units, keys)] = counts
    return crowd


def test_pairs(shares: Shares, co: CoShares, interval: float, bg: Background) -> PairTest:
    """The evidence of every pair co-sharing within ``interval`` seconds.

    Units are (actor, object): what one actor shared, however many times. The *crowd* of a unit is
    the number of other actors who shared the object within the interval of one of its shares. If
    ``b`` shared independently of ``a``, each of ``b``'s ``n_b`` units would land in the crowd of one
    of ``a``'s units with probability (that crowd) / (all units), so the number of objects they
    co-share is about Poisson with mean ``n_b * crowds_a / units``, the crowds summed over ``a``'s
    units without ``b`` itself (the pair's own co-shares are the evidence, not the background). The
    larger of the two directions is used. A crowd counted within a few seconds is a noisy estimate of
    how busy the moment was, mostly zero for light sharers; each unit's crowd is therefore at least
    its crowd within ``bg.width`` scaled down to the interval. Finally the mean is at least what
    shares spread evenly over the whole span would give. A co-share in a viral crowd, or by a
    hyperactive account, is weak evidence; repeated co-sharing of links few others shared around
    that moment is strong.
    """
    n_actors = max(len(shares.actors), 1)
    n_obj = max(len(shares.objects), 1)
    triples = _triples(shares, co, interval)
    unit_keys, counts = _counted(triples // n_actors)
    narrow = np.zeros(len(bg.units))
    narrow[np.searchsorted(bg.units, unit_keys)] = counts
    scale = min(1.0, interval / bg.width)
    crowd = np.bincount(bg.unit_actor, weights=np.maximum(narrow, bg.wide * scale), minlength=n_actors)
    smooth = np.bincount(bg.unit_actor, weights=bg.wide * scale, minlength=n_actors)
    first, partner = triples // (n_obj * n_actors), triples % n_actors
    one_way = first < partner
    pair_keys, links = _counted(first[one_way] * n_actors + partner[one_way])
    a, b = pair_keys // n_actors, pair_keys % n_actors
    total = float(max(len(bg.units), 1))
    crowd_a = np.maximum(crowd[a] - links, smooth[a])
    crowd_b = np.maximum(crowd[b] - links, smooth[b])
    expected = np.maximum(bg.per_actor[b] * crowd_a, bg.per_actor[a] * crowd_b) / total
    even = bg.per_actor[a] * bg.per_actor[b] / total * min(1.0, 2 * interval / bg.span)
    expected = np.maximum(expected, even)
    from scipy.special import gammainc  # here: scipy.special costs every command a third of a second to import

    return PairTest(a, b, links, expected, gammainc(links, expected))


def _distinct(values: IntArray) -> IntArray:
    """Sorted distinct values (by sorting: faster than ``np.unique``'s hashing on wide int64 keys)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def _counted(values: IntArray) -> tuple[IntArray, IntArray]:
    """Sorted distinct values and how often each occurs."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def detect(shares: Shares, params: CoordinationParams | None = None) -> Detection:
    """Coordinated networks among ``shares`` (see the module docstring for the method)."""
    params = params or CoordinationParams()
    width = max(params.max_interval_s, params.interval_s or 0.0)
    co = coshares(shares, width, params.max_crowd)
    if params.interval_s is not None:
        choices = [float(params.interval_s)]
    else:
        choices = [float(t) for t in GRID if params.min_interval_s <= t <= params.max_interval_s]
    bg = background(shares, co, width)
    n = max(len(shares.actors), 1)
    linked: dict[int, float] = {}
    """Pair code ``a * n + b`` -> the shortest interval at which the pair passed."""
    tests: list[tuple[float, PairTest]] = []
    tested = 0
    for interval in choices:
        test = test_pairs(shares, co, interval, bg)
        tests.append((interval, test))
        tested = max(tested, len(test.a))
        # Bonferroni over the pairs tested and the intervals tried: alpha bounds false edges in the run
        level = params.alpha / (max(len(test.a), 1) * len(choices))
        for code in (test.a * n + test.b)[(test.links >= params.min_links) & (test.p <= level)].tolist():
            linked.setdefault(code, interval)
    linked.update({code: at for code, at in _attach(tests, linked, n, params).items() if code not in linked})
    estimated = params.interval_s is None and bool(linked)
    return _describe(shares, co, linked, estimated, tested, params)


def _attach(
    tests: list[tuple[float, PairTest]], linked: dict[int, float], n: int, params: CoordinationParams
) -> dict[int, float]:
    """Pairs that tie an outside actor to a network found at the strict level, with their interval.

    The strict level is corrected for every pair that co-shared anything; an actor next to a network
    is one of few candidates, so its best pair with the network (its p-value multiplied by the
    number of its pairs with members over all intervals) is held to ``alpha`` divided by the number
    of candidate actors. A member that took part in fewer pushes than the others joins this way.
    """
    members = np.asarray(sorted({c // n for c in linked} | {c % n for c in linked}), dtype=np.int64)
    if not len(members):
        return {}
    best: dict[int, tuple[float, int, float]] = {}
    tries: dict[int, int] = defaultdict(int)
    for interval, test in tests:
        inner_a, inner_b = np.isin(test.a, members), np.isin(test.b, members)
        near = np.flatnonzero((inner_a ^ inner_b) & (test.links >= params.min_links))
        outside = np.where(inner_a[near], test.b[near], test.a[near])
        codes = test.a[near] * n + test.b[near]
        for actor, code, p in zip(outside.tolist(), codes.tolist(), test.p[near].tolist(), strict=True):
            tries[actor] += 1
            if actor not in best or p < best[actor][0]:
                best[actor] = (p, code, interval)
    level = params.alpha / max(len(best), 1)
    return {code: interval for actor, (p, code, interval) in best.items() if p * tries[actor] <= level}


def _describe(
    shares: Shares,
    co: CoShares,
    linked: dict[int, float],
    estimated: bool,
    tested: int,
    params: CoordinationParams,
) -> Detection:
    """Networks, partners, pair links and co-shared posts of the linked pairs."""
    n = max(len(shares.actors), 1)
    names = shares.actors
    pair_objs: dict[int, set[int]] = defaultdict(set)
    mates: dict[int, dict[int, float]] = defaultdict(dict)
    if linked:
        x, y = shares.actor[co.i], shares.actor[co.j]
        codes = np.minimum(x, y) * n + np.maximum(x, y)
        near = np.flatnonzero(np.isin(codes, np.asarray(list(linked), dtype=np.int64)))
        for k in near.tolist():
            code = int(codes[k])
            interval = linked[code]
            if co.gap[k] <= interval:
                i, j = int(co.i[k]), int(co.j[k])
                pair_objs[code].add(int(shares.obj[i]))
                mates[i][int(shares.actor[j])] = interval
                mates[j][int(shares.actor[i])] = interval
    pair_links: dict[tuple[str, str], list[str]] = {}
    pair_interval: dict[tuple[str, str], float] = {}
    for code, objs in pair_objs.items():
        first, second = sorted((names[code // n], names[code % n]))
        pair_links[(first, second)] = sorted(shares.objects[o] for o in objs)
        pair_interval[(first, second)] = linked[code]
    networks = []
    for nodes in _components(sorted((c // n, c % n) for c in pair_objs), params.min_accounts):
        inside = {names[node] for node in nodes}
        pushed: dict[str, int] = defaultdict(int)
        for (name, _), links in pair_links.items():
            if name in inside:
                for link in links:
                    pushed[link] += 1
        networks.append(Network(sorted(inside), sorted(pushed, key=lambda o: (-pushed[o], o))))
    networks.sort(key=lambda net: (-len(net.members), net.members))
    members = {m for net in networks for m in net.members}
    strength: dict[str, dict[str, int]] = defaultdict(dict)
    for (name_a, name_b), links in pair_links.items():
        if name_a in members:
            strength[name_a][name_b] = strength[name_b][name_a] = len(links)
    partners = {m: sorted(p, key=lambda q: (-p[q], q)) for m, p in strength.items()}
    coshared: dict[int, CoShared] = {}
    for share, who in sorted(mates.items()):
        if names[shares.actor[share]] not in members:
            continue
        row = int(shares.row[share])
        link = shares.objects[shares.obj[share]]
        partners_here = {names[w]: at for w, at in who.items()}
        if row in coshared:  # a post sharing several links: keep the first, add partners
            before = coshared[row]
            link = before.link
            partners_here |= dict.fromkeys(before.partners, before.within_s)
        coshared[row] = CoShared(link, sorted(partners_here), max(partners_here.values()))
    intervals = list(pair_interval.values())
    interval = max(intervals) if intervals else params.interval_s or params.default_interval_s
    return Detection(interval, estimated, networks, partners, pair_links, coshared, tested, pair_interval)


def _components(edges: list[tuple[int, int]], min_accounts: int) -> list[list[int]]:
    """Connected components of ``edges`` with at least ``min_accounts`` nodes."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for node in list(parent):
        groups[find(node)].append(node)
    return [nodes for nodes in groups.values() if len(nodes) >= min_accounts]
