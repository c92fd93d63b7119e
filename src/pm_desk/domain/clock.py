"""Time arithmetic of the legal clocks: pure functions of aware instants.

Every instant handed in must be timezone-aware; the arithmetic runs in UTC, so a daylight-saving
change never stretches or shrinks a 48-hour hold. Counting that skips weekends and holidays walks
the calendar days of a given time zone (UTC unless told otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

import holidays as holiday_calendars

DayFilter = Callable[[date], bool]


def require_aware(instant: datetime, what: str = "instant") -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone: {instant.isoformat()}")
    return instant


def utc_date(instant: datetime) -> date:
    """The calendar date of an instant in UTC: how date rules read `as_of`."""
    return require_aware(instant, "as_of").astimezone(UTC).date()


def start_of_utc_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    return frozenset(holiday_calendars.country_holidays("US", years=year).keys())


def is_federal_holiday(day: date) -> bool:
    return day in _federal_holidays(day.year)


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def is_weekend_or_federal_holiday(day: date) -> bool:
    return is_weekend(day) or is_federal_holiday(day)


def add_counted_hours(
    start: datetime, hours: float, skip_day: DayFilter | None = None, tz: tzinfo = UTC
) -> datetime:
    """`start` plus `hours` of elapsed time, not counting the days `skip_day` says to skip.

    With no `skip_day` this is plain UTC addition. Otherwise the hours run only on counted
    calendar days (in `tz`), so a clock started on a Friday evening pauses over the weekend.
    """
    require_aware(start, "start")
    if skip_day is None:
        return start.astimezone(UTC) + timedelta(hours=hours)
    remaining = timedelta(hours=hours)
    cursor = start.astimezone(UTC)
    while True:
        local_day = cursor.astimezone(tz).date()
        next_midnight = datetime.combine(local_day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        if skip_day(local_day):
            cursor = next_midnight
            continue
        available = next_midnight - cursor
        if remaining <= available:
            return cursor + remaining
        remaining -= available
        cursor = next_midnight


def counted_hours_between(
    start: datetime, end: datetime, skip_day: DayFilter | None = None, tz: tzinfo = UTC
) -> float:
    """Hours from `start` to `end` on counted days only (negative when `end` is earlier)."""
    # In UTC: two instants that share a zone would otherwise subtract and compare by wall clock.
    cursor = require_aware(start, "start").astimezone(UTC)
    stop = require_aware(end, "end").astimezone(UTC)
    if stop < cursor:
        return -counted_hours_between(stop, cursor, skip_day, tz)
    if skip_day is None:
        return (stop - cursor).total_seconds() / 3600
    total = timedelta()
    while cursor < stop:
        local_day = cursor.astimezone(tz).date()
        next_midnight = datetime.combine(local_day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        segment_end = min(next_midnight, stop)
        if not skip_day(local_day):
            total += segment_end - cursor
        cursor = segment_end
    return total.total_seconds() / 3600


def is_office_hours(instant: datetime, tz: tzinfo, start: str, end: str) -> bool:
    """Whether `instant` falls in working hours: Monday to Friday, not a federal holiday, between
    `start` and `end` (HH:MM, wall clock in `tz`)."""
    local = require_aware(instant, "instant").astimezone(tz)
    opens, closes = time.fromisoformat(start), time.fromisoformat(end)
    if not opens <= local.time().replace(tzinfo=None) < closes:
        return False
    # Only now the holiday calendar: loading it costs a noticeable moment, once per process.
    return not is_weekend_or_federal_holiday(local.date())
