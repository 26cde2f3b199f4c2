"""Lenient readers for values in platform payloads, shared by the connectors' ``types.py``.

Platforms change how they write a value between versions and endpoints: YouTube sends counts as
strings (``"viewCount": "1234"``), Graph API flags arrive as ``true`` or ``1``, times come as
``2021-08-17T19:00:42+0000`` (Graph API), ``2019-03-21T20:37:49.000Z`` (Google) or epoch
seconds. These functions read any of those forms and say ``None`` (or raise ``ValueError``
naming the field, for values a record cannot do without) for anything else, so that schema
drift is absorbed in one place.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from typing import Any

_INTEGER = re.compile(r"[+-]?\d+")
_TAG = re.compile(r"<[^>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def as_int(value: Any) -> int | None:
    """An integer from an int, a bool, a numeric string or an integral float; None otherwise."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def as_count(value: Any) -> int | None:
    """A non-negative count (negative numbers are clamped to 0); None when absent or unreadable."""
    number = as_int(value)
    return None if number is None else max(0, number)


def as_bool(value: Any) -> bool:
    """A flag given as true/false, 1/0 or "1"/"0"/"true"; anything else is false."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(as_int(value))


def as_str(value: Any) -> str | None:
    """A non-empty string (numbers are written out: ids arrive as either); None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | str):
        text = str(value).strip()
        return text or None
    return None


def as_time(value: Any) -> dt.datetime | None:
    """An aware UTC time from ISO 8601 (``Z``, ``+0000``, ``+00:00``, fractions) or epoch seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if _INTEGER.fullmatch(text):
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # a naive time cannot be placed; platforms always say the offset
    return moment.astimezone(dt.UTC)


def required_str(item: Mapping[str, Any], name: str) -> str:
    text = as_str(item.get(name))
    if text is None:
        raise ValueError(f"{name}: missing or empty ({item.get(name)!r})")
    return text


def required_time(item: Mapping[str, Any], name: str) -> dt.datetime:
    moment = as_time(item.get(name))
    if moment is None:
        raise ValueError(f"{name}: missing or not a time with an offset ({item.get(name)!r})")
    return moment


def mapping(value: Any) -> Mapping[str, Any]:
    """``value`` when it is an object, else an empty one (absent or drifted sub-objects)."""
    return value if isinstance(value, Mapping) else {}


def items(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def plain_text(value: Any) -> str:
    """Text without markup: ``<br>`` as newlines, other tags dropped, HTML entities decoded."""
    if not isinstance(value, str):
        return ""
    if "<" not in value and "&" not in value:
        return value
    return html.unescape(_TAG.sub("", _BR.sub("\n", value)))


def epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def rfc3339(seconds: int) -> str:
    """Epoch seconds as ``2024-03-10T06:00:00Z`` (Google's and Graph API's query parameters)."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
