"""The two reference tools, re-implemented from their published code, for an honest comparison.

Both take the same :class:`~civicpulse.enrich.coordination.Shares` as our detector and return the
set of actors they flag. They follow the R sources step by step, including the choices the issue
blames for their failures; nothing is tuned here.

CooRnet (Giglietto et al. 2020; ``estimate_coord_interval`` and ``get_coord_shares``)
    *Interval*: keep links shared more than once; rank each link's shares in time; take the links
    whose second share came within the ``q`` quantile of all second-share delays; for each, the
    delay from its first share to the first share past ``p`` of its shares; the interval is the
    ``p`` quantile of those delays (1 s when it is 0). *Co-shares*: each link's shares are cut into
    fixed bins of the interval starting at its first share; every share in a bin holding more than
    one share is coordinated. *Network*: accounts linked to the links they shared in a coordinated
    way (one edge per account and link), projected onto accounts with weight = links in common;
    edges with a weight at or above the ``percentile_edge_weight`` quantile are kept, and their
    accounts are flagged.

CooRTweet (Righetti & Giglietto; ``detect_groups`` and ``generate_coordinated_network``)
    Accounts with fewer than ``min_participation`` shares are dropped; every pair of shares of one
    object by different accounts at most ``time_window`` seconds apart is a co-share; accounts whose
    co-shared contents number fewer than ``min_participation`` drop again (a pair stays when either
    account remains). Edge weight = co-shares of the pair; edges with a weight *strictly above* the
    ``edge_weight`` quantile are kept (``subgraph = 1``), and their accounts are flagged.

Quantiles are R's default (type 7), which is numpy's default ``linear`` method.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from civicpulse.enrich.coordination import Shares, coshares


@dataclass(frozen=True)
class BaselineResult:
    """Actors a reference tool flags, and the interval it used."""

    flagged: set[str]
    interval_s: float


def coornet_interval(shares: Shares, q: float = 0.1, p: float = 0.5) -> float:
    """CooRnet's ``estimate_coord_interval`` (seconds)."""
    order = np.lexsort((shares.seconds, shares.obj))
    obj, sec = shares.obj[order], shares.seconds[order]
    counts = np.bincount(obj, minlength=len(shares.objects))
    starts = np.searchsorted(obj, np.arange(len(shares.objects)))
    multi = np.flatnonzero(counts > 1)
    if not len(multi):
        return 1.0
    second = sec[starts[multi] + 1] - sec[starts[multi]]
    fastest = multi[second <= np.quantile(second, q)]
    reach = []
    for link in fastest.tolist():
        n = int(counts[link])
        times = sec[starts[link] : starts[link] + n] - sec[starts[link]]
        ranks = np.arange(1, n + 1)
        reach.append(float(times[ranks / n > p].min()))
    interval = float(np.quantile(reach, p)) if reach else 1.0
    return interval if interval > 0 else 1.0


def coornet(shares: Shares, interval_s: float | None = None, percentile_edge_weight: float = 0.9) -> BaselineResult:
    """Actors CooRnet's ``get_coord_shares`` flags (interval estimated when not given)."""
    interval = coornet_interval(shares) if interval_s is None else float(interval_s)
    order = np.lexsort((shares.seconds, shares.obj))
    obj, sec, actor = shares.obj[order], shares.seconds[order], shares.actor[order]
    starts = np.searchsorted(obj, np.arange(len(shares.objects)))
    first = sec[starts[obj]]
    # R's cut(date, breaks = "N secs") starts at the first share truncated to the second
    bins = np.floor((sec - np.floor(first)) / interval).astype(np.int64)
    key = obj * (int(bins.max()) + 1 if len(bins) else 1) + bins
    per_bin: dict[int, int] = defaultdict(int)
    for k in key.tolist():
        per_bin[k] += 1
    distinct_sharers: dict[int, set[int]] = defaultdict(set)
    for o, a in zip(obj.tolist(), actor.tolist(), strict=True):
        distinct_sharers[o].add(a)
    coordinated = {
        (int(a), int(o))
        for k, o, a in zip(key.tolist(), obj.tolist(), actor.tolist(), strict=True)
        if per_bin[k] > 1 and len(distinct_sharers[o]) > 1
    }
    by_link: dict[int, list[int]] = defaultdict(list)
    for a, o in coordinated:
        by_link[o].append(a)
    weight: dict[tuple[int, int], int] = defaultdict(int)
    for accounts in by_link.values():
        accounts.sort()
        for x in range(len(accounts)):
            for y in range(x + 1, len(accounts)):
                weight[(accounts[x], accounts[y])] += 1
    if not weight:
        return BaselineResult(set(), interval)
    threshold = float(np.quantile(np.asarray(list(weight.values()), dtype=np.float64), percentile_edge_weight))
    flagged = {shares.actors[n] for edge, w in weight.items() if w >= threshold for n in edge}
    return BaselineResult(flagged, interval)


def coortweet(
    shares: Shares, time_window: float = 10.0, min_participation: int = 2, edge_weight: float = 0.5
) -> BaselineResult:
    """Actors CooRTweet's ``detect_groups`` + ``generate_coordinated_network(subgraph = 1)`` flag."""
    activity = np.bincount(shares.actor, minlength=len(shares.actors))
    active = activity[shares.actor] >= min_participation
    kept = np.flatnonzero(active)
    sub = Shares(
        row=shares.row[kept],
        actor=shares.actor[kept],
        obj=shares.obj[kept],
        seconds=shares.seconds[kept],
        actors=shares.actors,
        objects=shares.objects,
    )
    co = coshares(sub, time_window, max_crowd=len(sub) + 1)
    contents = np.union1d(co.i, co.j)
    involved = np.bincount(sub.actor[contents], minlength=len(shares.actors)) >= min_participation
    x, y = sub.actor[co.i], sub.actor[co.j]
    stay = involved[x] | involved[y]
    a, b = np.minimum(x[stay], y[stay]), np.maximum(x[stay], y[stay])
    if not len(a):
        return BaselineResult(set(), time_window)
    pairs, weights = np.unique(a * len(shares.actors) + b, return_counts=True)
    threshold = float(np.quantile(weights.astype(np.float64), edge_weight))
    strong = pairs[weights > threshold]
    flagged = {
        shares.actors[int(n)] for n in np.concatenate([strong // len(shares.actors), strong % len(shares.actors)])
    }
    return BaselineResult(flagged, time_window)
