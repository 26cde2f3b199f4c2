"""A bot score for authors, from their profile observations and their posting rhythm.

Each *signal* below is a yes/no observation with a weight; an author's score is the chance that at
least one fired signal "means bot" when each does so independently with its weight (a noisy OR:
``1 - prod(1 - weight)`` over the fired signals), so one strong signal (a banned account) is
enough, and weak ones (no avatar) only add up. Unknown fields fire nothing. An author whose score
reaches ``threshold`` is a bot, and every post of the author in the window is flagged
``bot_author`` with the score and the signals that fired.

========================  =======  =============================================================
signal                    weight   fires when
========================  =======  =============================================================
``deactivated``           0.90     the platform reports the account deleted, banned or frozen
``young``                 0.35     the account is younger than ``young_days`` (30) when observed
``newish``                0.15     younger than ``newish_days`` (180), not young
``no_avatar``             0.25     the profile has no picture
``few_followers``         0.20     fewer than ``few_followers`` (10) followers
``follows_many``          0.25     follows at least ``follow_min`` (200) accounts and at least
                                   ``follow_ratio`` (20) times as many as follow it
``hyperactive``           0.35     at least ``posts_per_day_high`` (50) posts a day of its age
``very_active``           0.15     at least ``posts_per_day`` (20) posts a day, not hyperactive
``digit_handle``          0.15     the handle ends in ``handle_digits`` (5) or more digits
``bursts``                0.30     in the window, at least ``burst_posts`` (5) posts whose median
                                   gap is at most ``burst_gap_s`` (60 s)
``clockwork``             0.30     at least ``clock_posts`` (10) posts whose gaps vary by at most
                                   ``clock_cv`` (0.1) of their mean (scheduled posting)
========================  =======  =============================================================

The weights are settings (:class:`BotParams`), not a trained model: they are meant to be read and
argued with. ``civicpulse eval`` reports precision and recall against the simulator's bots.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civicpulse.enrich.coordination import actor_keys

DAY_US: Final = 86_400 * 1_000_000
_DIGITS: Final = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class BotParams:
    """Thresholds and weights of the bot score; see the module docstring for each signal."""

    threshold: float = 0.6
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "deactivated": 0.9,
            "young": 0.35,
            "newish": 0.15,
            "no_avatar": 0.25,
            "few_followers": 0.2,
            "follows_many": 0.25,
            "hyperactive": 0.35,
            "very_active": 0.15,
            "digit_handle": 0.15,
            "bursts": 0.3,
            "clockwork": 0.3,
        }
    )
    young_days: int = 30
    newish_days: int = 180
    few_followers: int = 10
    follow_min: int = 200
    follow_ratio: float = 20.0
    posts_per_day_high: float = 50.0
    posts_per_day: float = 20.0
    handle_digits: int = 5
    burst_posts: int = 5
    burst_gap_s: float = 60.0
    clock_posts: int = 10
    clock_cv: float = 0.1

    def fingerprint(self) -> str:
        """Every setting, as text (part of the stage's version)."""
        weights = ",".join(f"{k}={v}" for k, v in sorted(self.weights.items()))
        others = {k: v for k, v in self.__dict__.items() if k != "weights"}
        return f"{weights};" + ",".join(f"{k}={v}" for k, v in sorted(others.items()))


@dataclass(frozen=True)
class Rhythm:
    """Posting rhythm of one actor in the window."""

    posts: int
    median_gap_s: float | None
    gap_cv: float | None


@dataclass
class BotScores:
    """Score and fired signals per actor key (``platform:id``)."""

    score: dict[str, float]
    signals: dict[str, list[str]]

    def reason(self, key: str, threshold: float) -> str:
        """``bot score 0.82 (threshold 0.6): no avatar, account 12 days old``."""
        return f"bot score {self.score[key]:.2f} (threshold {threshold:g}): {', '.join(self.signals[key])}"


def rhythm(posts: pa.Table) -> dict[str, Rhythm]:
    """Posts, median gap and the gaps' coefficient of variation per actor of ``posts``."""
    who = actor_keys(posts).to_pylist()
    when = pc.cast(posts.column("published_at"), pa.int64()).to_numpy(zero_copy_only=False) / 1e6
    times: dict[str, list[float]] = defaultdict(list)
    for actor, t in zip(who, when.tolist(), strict=True):
        times[actor].append(t)
    out = {}
    for actor, values in times.items():
        if len(values) < 2:
            out[actor] = Rhythm(len(values), None, None)
            continue
        gaps = np.diff(np.sort(np.asarray(values)))
        mean = float(gaps.mean())
        out[actor] = Rhythm(len(values), float(np.median(gaps)), float(gaps.std() / mean) if mean > 0 else 0.0)
    return out


def score_authors(
    authors: pa.Table, rhythms: dict[str, Rhythm] | None = None, params: BotParams | None = None
) -> BotScores:
    """Scores of every author of ``authors`` (lake ``authors`` columns, one row per account, e.g. the latest
    observation) and of every actor of ``rhythms`` (posting rhythm only when no profile is known)."""
    params = params or BotParams()
    rhythms = rhythms or {}
    scores: dict[str, float] = {}
    signals: dict[str, list[str]] = {}
    keys = pc.binary_join_element_wise(authors.column("platform"), authors.column("id"), ":").to_pylist()
    rows = authors.select(
        ["observed_at", "created_at", "has_avatar", "deactivated", "followers", "following", "posts_total", "handle"]
    ).to_pylist()
    for key, row in zip(keys, rows, strict=True):
        fired = _profile_signals(row, params) + _rhythm_signals(rhythms.get(key), params)
        scores[key], signals[key] = _combine(fired, params)
    for key, beat in rhythms.items():
        if key not in scores:
            scores[key], signals[key] = _combine(_rhythm_signals(beat, params), params)
    return BotScores(scores, signals)


def _combine(fired: list[tuple[str, str]], params: BotParams) -> tuple[float, list[str]]:
    keep = 1.0
    for name, _ in fired:
        keep *= 1.0 - params.weights.get(name, 0.0)
    return 1.0 - keep, [text for _, text in fired]


def _profile_signals(row: dict[str, object], params: BotParams) -> list[tuple[str, str]]:
    """(signal, description) of the profile signals that fire for one ``authors`` row."""
    fired: list[tuple[str, str]] = []
    if row["deactivated"]:
        fired.append(("deactivated", f"account {row['deactivated']}"))
    observed, created = row["observed_at"], row["created_at"]
    age_days: float | None = None
    if observed is not None and created is not None:
        age_days = max((observed - created).total_seconds() / 86_400, 0.0)  # type: ignore[operator]
        if age_days < params.young_days:
            fired.append(("young", f"account {age_days:.0f} days old"))
        elif age_days < params.newish_days:
            fired.append(("newish", f"account {age_days:.0f} days old"))
    if row["has_avatar"] is False:
        fired.append(("no_avatar", "no avatar"))
    followers, following = row["followers"], row["following"]
    if isinstance(followers, int) and followers < params.few_followers:
        fired.append(("few_followers", f"{followers} followers"))
    if (
        isinstance(following, int)
        and following >= params.follow_min
        and following >= params.follow_ratio * max(followers if isinstance(followers, int) else 0, 1)
    ):
        fired.append(
            ("follows_many", f"follows {following}, followed by {followers if followers is not None else '?'}")
        )
    posts_total = row["posts_total"]
    if isinstance(posts_total, int) and age_days is not None:
        per_day = posts_total / max(age_days, 1.0)
        if per_day >= params.posts_per_day_high:
            fired.append(("hyperactive", f"{per_day:.0f} posts a day"))
        elif per_day >= params.posts_per_day:
            fired.append(("very_active", f"{per_day:.0f} posts a day"))
    handle = row["handle"]
    if isinstance(handle, str):
        digits = _DIGITS.search(handle)
        if digits and len(digits.group(1)) >= params.handle_digits:
            fired.append(("digit_handle", f"handle ends in {len(digits.group(1))} digits"))
    return fired


def _rhythm_signals(beat: Rhythm | None, params: BotParams) -> list[tuple[str, str]]:
    if beat is None or beat.median_gap_s is None:
        return []
    fired: list[tuple[str, str]] = []
    if beat.posts >= params.burst_posts and beat.median_gap_s <= params.burst_gap_s:
        fired.append(("bursts", f"{beat.posts} posts, median gap {beat.median_gap_s:.0f} s"))
    if beat.posts >= params.clock_posts and beat.gap_cv is not None and beat.gap_cv <= params.clock_cv:
        fired.append(("clockwork", f"{beat.posts} posts at regular intervals (gap variation {beat.gap_cv:.2f})"))
    return fired


def latest_authors(authors: pa.Table) -> pa.Table:
    """One row per (platform, id): the latest observation (by ``observed_at``, then write order)."""
    if authors.num_rows == 0:
        return authors
    order = ["observed_at", "_batch", "_seq"] if "_batch" in authors.column_names else ["observed_at"]
    ranked = authors.sort_by([("platform", "ascending"), ("id", "ascending")] + [(c, "descending") for c in order])
    platform = ranked.column("platform").to_pylist()
    ident = ranked.column("id").to_pylist()
    first = [i == 0 or (platform[i], ident[i]) != (platform[i - 1], ident[i - 1]) for i in range(len(platform))]
    return ranked.filter(pa.array(first))
