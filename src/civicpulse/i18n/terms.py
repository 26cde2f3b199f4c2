"""Translated names of the domain's terms: metrics, table columns, unrated reasons, rating notes, platforms.

The rating code speaks English (metric names, reasons such as ``no followers``); these tables
say how people read them. A metric missing here shows its bare name, and a test checks that
every metric of the catalogue and every reason the rating code gives has an entry.
"""

from __future__ import annotations

import re
from typing import Final

from civicpulse.i18n import N_, gettext
from civicpulse.platforms import PLATFORM_TITLES

EXPERT: Final = "expert"

METRIC_TITLES: Final[dict[str, str]] = {
    "followers": N_("Followers"),
    "follower_growth": N_("Follower growth"),
    "posts": N_("Posts"),
    "engagement": N_("Engagement"),
    "er": N_("ER"),
    "er_post": N_("ER per post"),
    "er_views": N_("ER by views"),
    "er_population": N_("ER by population"),
    "followers_real": N_("Real followers"),
    "engaged_users": N_("Engaged users"),
    "life_share": N_("Life share"),
    "mentions": N_("Mentions"),
    "mention_engagement": N_("Engagement on mentions"),
    "engagement_population": N_("Engagement per 1,000 residents"),
    "audience_balance": N_("Audience balance"),
    EXPERT: N_("Expert score"),
}

METRIC_HELP: Final[dict[str, str]] = {
    "followers": N_("Followers at the end of the period, summed over the participant's accounts."),
    "follower_growth": N_("Followers at the end of the period minus followers at its start."),
    "posts": N_("Own posts published in the period (replies and comments do not count)."),
    "engagement": N_("Likes, comments and reposts of the own posts published in the period."),
    "er": N_("Engagement rate: engagement divided by followers."),
    "er_post": N_("Average engagement per post divided by followers."),
    "er_views": N_("Engagement divided by views, over the posts whose views are known."),
    "er_population": N_("Engagement divided by the population of the participant's territory."),
    "followers_real": N_(
        "Followers at the end of the period less the estimated share of bots among them (from a sample of followers)."
    ),
    "engaged_users": N_("Distinct real people who liked or commented in the period (a lower bound)."),
    "life_share": N_("Share of own posts about personal life rather than official work."),
    "mentions": N_(
        "Messages of the period that name the institution, except official pages, paid media, excluded sources "
        "and messages flagged as bots, spam or coordination."
    ),
    "mention_engagement": N_("Likes, comments and reposts of those messages."),
    "engagement_population": N_("Engagement on those messages per 1,000 residents of the territory."),
    "audience_balance": N_(
        "Positive audience minus negative audience, divided by their sum (from -1 to 1); a message's audience is "
        "its views where known, else its author's followers."
    ),
    EXPERT: N_("Score given by experts; it counts like any other metric."),
}

# the exact English reasons the rating code gives (metrics/catalogue.py, metrics/pages.py, rating/compute.py)
REASONS: Final[tuple[str, ...]] = (
    N_("no follower snapshot before the period's end"),
    N_("no snapshot before the period's start"),
    N_("no followers"),
    N_("no views known"),
    N_("no population in the registry"),
    N_("no expert score"),
    N_("unknown"),
    N_("no follower sample of at least 30 accounts (import author records with follows)"),
    N_("no own post labelled work or life (topics stage not installed or not run, or no posts)"),
    N_("no positive or negative message with a known audience (or no sentiment stage)"),
    N_("mentions are not enriched on this data: run `civicpulse enrich`"),
    N_("no installed stage links messages to entities"),
)

_NO_ACCOUNT = re.compile(r"^no (?P<roles>[a-z/]+) account in the registry$")

# the templates of notes about a whole rating, as the rating code fills them in (rating/compute.py NOTES)
RATING_NOTES: Final[tuple[str, ...]] = (
    N_("flags not detected for %(period)s: bots, spam and coordinated accounts are counted (run %(command)s)"),
    N_("flags of %(stages)s not detected for %(period)s: what they flag is counted (run %(command)s)"),
)


def _template(msgid: str) -> re.Pattern[str]:
    """A pattern matching ``msgid`` filled in, with a named group per ``%(name)s``."""
    parts = re.split(r"%\((\w+)\)s", msgid)
    body = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(f"^{body}$", re.DOTALL)


_RATING_NOTES: Final = [(msgid, _template(msgid)) for msgid in RATING_NOTES]

ROLE_TITLES: Final[dict[str, str]] = {
    "official": N_("official"),
    "personal": N_("personal"),
    "media": N_("media"),
    "excluded": N_("excluded"),
}


TONE_TITLES: Final[dict[str, str]] = {
    "positive": N_("positive"),
    "neutral": N_("neutral"),
    "negative": N_("negative"),
}

# the labels of the topics stage (civicpulse.enrich.stage.TOPICS)
TOPIC_TITLES: Final[dict[str, str]] = {
    "roads": N_("roads"),
    "utilities": N_("utilities"),
    "heating_water": N_("heating and water"),
    "transport": N_("public transport"),
    "housing": N_("housing"),
    "healthcare": N_("healthcare"),
    "education": N_("education"),
    "ecology": N_("ecology"),
    "social_support": N_("social support"),
    "corruption": N_("corruption"),
    "public_safety": N_("public safety"),
    "official_work": N_("official work"),
    "personal_life": N_("personal life"),
    "other": N_("other"),
}


def tone_title(tone: str, lang: str) -> str:
    """``positive``, ``neutral`` or ``negative`` in ``lang`` (an unknown label as it is)."""
    return gettext(TONE_TITLES[tone], lang) if tone in TONE_TITLES else tone


def topic_title(topic: str, lang: str) -> str:
    """A topic label of the topics stage in ``lang`` (an unknown label as it is)."""
    return gettext(TOPIC_TITLES[topic], lang) if topic in TOPIC_TITLES else topic


def metric_title(name: str, lang: str) -> str:
    """The short title of catalogue metric ``name`` (its bare name when it has none)."""
    return gettext(METRIC_TITLES[name], lang) if name in METRIC_TITLES else name


def metric_help(name: str, lang: str) -> str:
    """A one-sentence explanation of catalogue metric ``name`` (empty when it has none)."""
    return gettext(METRIC_HELP[name], lang) if name in METRIC_HELP else ""


def platform_title(platform: str) -> str:
    """A platform's proper name; these are brand names and stay untranslated."""
    return PLATFORM_TITLES.get(platform, platform)


def reason(text: str, lang: str) -> str:
    """An English reason from the rating code in ``lang``; what follows a known reason is kept.

    ``no follower snapshot before the period's end (2024-03-11 00:00 Asia/Almaty)`` keeps its
    parenthesis; an unknown reason is returned unchanged rather than guessed at.
    """
    match = _NO_ACCOUNT.match(text)
    if match:
        roles = "/".join(gettext(ROLE_TITLES[r], lang) if r in ROLE_TITLES else r for r in match["roles"].split("/"))
        return gettext("no %(roles)s account in the registry", lang) % {"roles": roles}
    for known in sorted(REASONS, key=len, reverse=True):
        if text == known or text.startswith(known + " "):
            return gettext(known, lang) + text[len(known) :]
    return text


def rating_note(text: str, lang: str) -> str:
    """A note about a whole rating (``civicpulse.rating.compute.NOTES`` filled in) in ``lang``; the
    period, stage names and commands it names stay as they are; an unknown note is returned unchanged."""
    for msgid, pattern in _RATING_NOTES:
        match = pattern.match(text)
        if match:
            return gettext(msgid, lang) % match.groupdict()
    return text


def note(text: str, lang: str, titles: dict[str, str]) -> str:
    """A rating note ``metric: reason`` with the metric's title and the reason in ``lang``.

    ``titles`` maps the methodology's metric names to their titles in ``lang``.
    """
    name, sep, rest = text.partition(": ")
    if not sep or name not in titles:
        return reason(text, lang)
    return f"{titles[name]}: {reason(rest, lang)}"
