"""Reporting periods (ISO weeks, calendar months and days) cut in the registry's time zone.

A period is a half-open interval ``[start, end)`` of local time, turned into UTC instants with
the zone's rules at each edge, so a week in Asia/Almaty runs from Monday 00:00 local time to the
next Monday 00:00 local time whatever the UTC offset was (Kazakhstan moved from UTC+6 to UTC+5 on
2024-03-01). Everything stored is UTC; only period edges know about local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from civicpulse.errors import PeriodError

PeriodKind = Literal["week", "month", "days"]

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@cache
def zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for ``name`` from the pinned ``tzdata`` package, or a :class:`PeriodError`.

    The package, not the machine's zone files, so that every machine cuts weeks alike (Kazakhstan
    changed its offset on 2024-03-01; an old system database would not know).
    """
    parts = name.split("/")
    if not name or any(p in ("", ".", "..") for p in parts):
        raise PeriodError(f"unknown time zone {name!r}")
    try:
        ref = resources.files("tzdata.zoneinfo").joinpath(*parts)
        with ref.open("rb") as fh:
            return ZoneInfo.from_file(fh, key=name)
    except (OSError, ValueError):
        pass
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PeriodError(f"unknown time zone {name!r}") from exc


@dataclass(frozen=True)
class Period:
    """A labelled half-open range of local dates ``[first_day, end_day)`` in one time zone."""

    kind: PeriodKind
    label: str
    first_day: date
    end_day: date
    """The first local day after the period."""
    tz: str

    @property
    def start(self) -> datetime:
        """The first instant of the period, in UTC."""
        return local_midnight(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        """The first instant after the period, in UTC."""
        return local_midnight(self.end_day, self.tz)

    @property
    def last_day(self) -> date:
        return self.end_day - timedelta(days=1)

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "week":
            return week_period(self.first_day - timedelta(days=7), self.tz)
        if self.kind == "month":
            return month_period(self.first_day - timedelta(days=1), self.tz)
        length = self.end_day - self.first_day
        return days_period(self.first_day - length, self.first_day, self.tz)

    def weeks(self) -> list[Period]:
        """The ISO weeks that overlap this period, in order."""
        out = []
        day = self.first_day - timedelta(days=self.first_day.weekday())
        while day < self.end_day:
            out.append(week_period(day, self.tz))
            day += timedelta(days=7)
        return out


def local_midnight(day: date, tz: str) -> datetime:
    """00:00 of ``day`` in ``tz``, as a UTC instant."""
    return datetime.combine(day, time(0, 0), tzinfo=zone(tz)).astimezone(UTC)


def week_period(day: date, tz: str) -> Period:
    """The ISO week (Monday to Sunday) that contains ``day``."""
    year, week, _ = day.isocalendar()
    monday = date.fromisocalendar(year, week, 1)
    return Period("week", f"{year}-W{week:02d}", monday, monday + timedelta(days=7), tz)


def month_period(day: date, tz: str) -> Period:
    """The calendar month that contains ``day``."""
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return Period("month", f"{first:%Y-%m}", first, nxt, tz)


def days_period(first_day: date, end_day: date, tz: str) -> Period:
    """Any run of whole local days ``[first_day, end_day)``."""
    if end_day <= first_day:
        raise PeriodError(f"empty period: {first_day} .. {end_day}")
    label = f"{first_day.isoformat()}..{(end_day - timedelta(days=1)).isoformat()}"
    return Period("days", label, first_day, end_day, tz)


def parse_week(label: str, tz: str) -> Period:
    """``2024-W10`` to its period; rejects weeks that the year does not have."""
    match = _WEEK.match(label.strip())
    if not match:
        raise PeriodError(f"not an ISO week: {label!r} (expected like 2024-W10)")
    year, week = int(match[1]), int(match[2])
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise PeriodError(f"not an ISO week: {label!r} ({exc})") from exc
    return week_period(monday, tz)


def parse_month(label: str, tz: str) -> Period:
    """``2024-03`` to its period."""
    match = _MONTH.match(label.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise PeriodError(f"not a month: {label!r} (expected like 2024-03)")
    return month_period(date(int(match[1]), int(match[2]), 1), tz)


def parse_period(label: str, tz: str) -> Period:
    """A week (``2024-W10``) or a month (``2024-03``)."""
    if "W" in label:
        return parse_week(label, tz)
    return parse_month(label, tz)


def parse_day(text: str) -> date:
    """A calendar day ``YYYY-MM-DD``, or a :class:`PeriodError` naming the text."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise PeriodError(f"not a date: {text!r} (expected YYYY-MM-DD)") from exc


def current_week(now: datetime, tz: str) -> Period:
    """The ISO week that contains ``now`` in ``tz``."""
    return week_period(now.astimezone(zone(tz)).date(), tz)
