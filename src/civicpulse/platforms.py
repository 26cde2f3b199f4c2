"""The platforms civicpulse knows, by the short name used in every record and registry."""

from __future__ import annotations

from typing import Final

PLATFORMS: Final = ("vk", "telegram", "youtube", "instagram", "facebook", "ok", "x")

PLATFORM_TITLES: Final = {
    "vk": "VKontakte",
    "telegram": "Telegram",
    "youtube": "YouTube",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "ok": "Odnoklassniki",
    "x": "X",
}

# names users write that mean one of ours
PLATFORM_ALIASES: Final = {
    "vkontakte": "vk",
    "tg": "telegram",
    "yt": "youtube",
    "ig": "instagram",
    "fb": "facebook",
    "odnoklassniki": "ok",
    "twitter": "x",
}


def normalise_platform(name: str) -> str:
    """The canonical platform name for ``name``; raises ``ValueError`` for unknown ones."""
    key = name.strip().lower()
    key = PLATFORM_ALIASES.get(key, key)
    if key not in PLATFORMS:
        raise ValueError(f"unknown platform {name!r} (known: {', '.join(PLATFORMS)})")
    return key
