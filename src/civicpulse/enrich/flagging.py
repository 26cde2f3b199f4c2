"""The built-in window stages: ``coordination``, ``floods`` and ``bots``.

Each wraps a pure detector (:mod:`~civicpulse.enrich.coordination`, :mod:`~civicpulse.enrich.floods`,
:mod:`~civicpulse.enrich.bots`) as a :class:`~civicpulse.enrich.window.WindowStage`: it turns what
the detector found into flags and reasons on every post of the window. Registry accounts are never
flagged by these stages, with any of their flags (they are known, and their exclusion from "what
people say" is the registry's business, see ``excluded_source``). ``coordination`` leaves their
shares out and ``floods`` their posts, so they are no evidence against anyone either: an official
page posting its news on five pages within the hour is no flood, and a reader who copies it once is
no part of one.

========================  =============================  ===========================================
stage                     flags                          reason names
========================  =============================  ===========================================
``coordination``          ``coordinated``                the partners (up to five) and the links the
                                                         author pushed with them, or for a co-shared
                                                         post the link and who shared it within the
                                                         interval
``floods``                ``duplicate``, ``spam``        the first copy and how many copies by how
                                                         many authors; the spammer's copies or groups
``bots``                  ``bot_author``                 the score, its threshold and the signals
========================  =============================  ===========================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pyarrow as pa

from civicpulse.enrich.bots import BotParams, rhythm, score_authors
from civicpulse.enrich.coordination import CoordinationParams, Detection, actor_keys, detect, extract_shares
from civicpulse.enrich.floods import FloodParams, detect_floods
from civicpulse.enrich.window import Flagged, WindowInput, WindowStage
from civicpulse.registry.models import Registry

SHOWN = 5
"""Partners named in a reason before "and N more"."""


def registered(registry: Registry) -> frozenset[str]:
    """``platform:id`` of every registry account."""
    return frozenset(a.key for a in registry.accounts)


def _names(items: list[str], limit: int = SHOWN) -> str:
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


def _coordination(params: CoordinationParams) -> Callable[[WindowInput], Flagged]:
    def function(given: WindowInput) -> Flagged:
        shares = extract_shares(given.posts, registered(given.registry))
        found = detect(shares, params)
        return _coordination_flags(given, found)

    return function


def _coordination_flags(given: WindowInput, found: Detection) -> Flagged:
    actors = actor_keys(given.posts).to_pylist()
    members = found.coordinated
    flags: list[list[str]] = [[] for _ in actors]
    reasons: list[list[str]] = [[] for _ in actors]
    for row, actor in enumerate(actors):
        if actor not in members:
            continue
        partners = found.partners.get(actor, [])
        flags[row].append("coordinated")
        shared = found.coshared.get(row)
        if shared is not None:
            reasons[row].append(f"shared {shared.link} within {shared.within_s:g} s of {_names(shared.partners)}")
            continue
        pairs = [(min(actor, p), max(actor, p)) for p in partners]
        links = sorted({link for pair in pairs for link in found.pair_links.get(pair, [])})
        within = max((found.pair_interval.get(pair, 0.0) for pair in pairs), default=found.interval_s)
        reasons[row].append(
            f"author {actor} shares links within {within:g} s of {_names(partners)}"
            f" ({len(links)} links, e.g. {_names(links, 2)})"
        )
    how = "chosen from the data" if found.interval_estimated else "fixed or default"
    summary = (
        f"intervals up to {found.interval_s:g} s ({how}); {len(found.networks)} networks, {len(members)} accounts"
        f" ({found.candidate_pairs} pairs co-shared something)"
    )
    return Flagged(flags, reasons, summary)


def _floods(params: FloodParams) -> Callable[[WindowInput], Flagged]:
    def function(given: WindowInput) -> Flagged:
        # registry accounts' posts are neither flagged nor counted as copies: an akimat posting its
        # news on five pages within the hour is not a flood, and one reader who copies it is not either
        known = registered(given.registry)
        actors = actor_keys(given.posts).to_pylist()
        people = [row for row, actor in enumerate(actors) if actor not in known]
        found = detect_floods(given.posts.take(pa.array(people, type=pa.int64())), params)
        flags: list[list[str]] = [[] for _ in actors]
        reasons: list[list[str]] = [[] for _ in actors]
        for at, row in enumerate(people):
            flags[row], reasons[row] = found.flags[at], found.reasons[at]
        return Flagged(flags, reasons, f"{found.floods} floods, {len(found.spammers)} spammers")

    return function


def _bots(params: BotParams) -> Callable[[WindowInput], Flagged]:
    def function(given: WindowInput) -> Flagged:
        scores = score_authors(given.authors, rhythm(given.posts), params)
        known = registered(given.registry)
        actors = actor_keys(given.posts).to_pylist()
        flags: list[list[str]] = [[] for _ in actors]
        reasons: list[list[str]] = [[] for _ in actors]
        bots = set()
        for row, actor in enumerate(actors):
            if actor in known or scores.score.get(actor, 0.0) < params.threshold:
                continue
            bots.add(actor)
            flags[row].append("bot_author")
            reasons[row].append(f"author {actor}: {scores.reason(actor, params.threshold)}")
        return Flagged(flags, reasons, f"{len(bots)} bot authors of {len(set(actors))}")

    return function


def coordination_stage(params: CoordinationParams | None = None) -> WindowStage:
    """The ``coordination`` window stage with ``params`` (defaults when None)."""
    params = params or CoordinationParams()
    return WindowStage(
        name="coordination",
        version="1",
        flags=("coordinated",),
        function=_coordination(params),
        description="Coordinated link sharing: accounts repeatedly sharing the same links within seconds.",
        settings=repr(params),
    )


def floods_stage(params: FloodParams | None = None) -> WindowStage:
    """The ``floods`` window stage with ``params`` (defaults when None)."""
    params = params or FloodParams()
    return WindowStage(
        name="floods",
        version="1",
        flags=("duplicate", "spam"),
        function=_floods(params),
        description="Near-duplicate text floods (MinHash) and accounts posting in dozens of groups.",
        settings=repr(params),
    )


def bots_stage(params: BotParams | None = None) -> WindowStage:
    """The ``bots`` window stage with ``params`` (defaults when None)."""
    params = params or BotParams()
    return WindowStage(
        name="bots",
        version="1",
        flags=("bot_author",),
        function=_bots(params),
        description="Bot authors, scored from profile observations and posting rhythm.",
        settings=params.fingerprint(),
    )


STAGES: dict[str, WindowStage] = {s.name: s for s in (coordination_stage(), floods_stage(), bots_stage())}
"""The built-in window stages with their default settings (registered by the built-in plugin)."""


def configured(
    stages: Mapping[str, WindowStage],
    coordination: CoordinationParams | None = None,
    floods: FloodParams | None = None,
    bots: BotParams | None = None,
) -> dict[str, WindowStage]:
    """``stages`` (e.g. every installed one) with the built-in ones, as the built-in plugin registers
    them, rebuilt with these settings; every other stage as it is."""
    tuned = {"coordination": coordination_stage(coordination), "floods": floods_stage(floods), "bots": bots_stage(bots)}
    return {name: tuned[name] if stage is STAGES.get(name) else stage for name, stage in stages.items()}
