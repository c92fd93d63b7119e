"""Reminder arithmetic: when a snooze ends, what a derived reminder is called, and when it is due.

Pure functions of instants and a time zone name; the services and the Reminders page share them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from pm_desk.domain.recurrence import day_start, next_day_at, zone_of
from pm_desk.domain.results import iso_due

# Closed reminders stay listed (for "Show closed") this many days after they were closed.
CLOSED_SHOWN_DAYS = 30

# A reminder is put off by a year at the most (a snooze, not a way to forget it).
LONGEST_SNOOZE = timedelta(days=366)


def snooze_problem(until: datetime, now: datetime) -> str | None:
    """What is wrong with snoozing until `until` at `now`, in words; None when it may be done."""
    if until.tzinfo is None or until <= now:
        return "pick a time in the future"
    if until > now + LONGEST_SNOOZE:
        return "snooze for at most a year"
    return None


# "Tomorrow" means the start of the next working morning on the person's wall clock.
TOMORROW_AT = time(8, 0)


class SnoozeChoice(StrEnum):
    QUARTER_HOUR = "15m"
    HOUR = "1h"
    TOMORROW = "tomorrow"


SNOOZE_WORDS = {
    SnoozeChoice.QUARTER_HOUR: "15 minutes",
    SnoozeChoice.HOUR: "1 hour",
    SnoozeChoice.TOMORROW: "Tomorrow 08:00",
}


def snooze_until(choice: SnoozeChoice | str, now: datetime, zone: str) -> datetime:
    """When a snooze chosen at `now` ends, as a UTC instant."""
    choice = SnoozeChoice(choice)
    if choice is SnoozeChoice.QUARTER_HOUR:
        return (now + timedelta(minutes=15)).astimezone(UTC)
    if choice is SnoozeChoice.HOUR:
        return (now + timedelta(hours=1)).astimezone(UTC)
    return next_day_at(now, zone, TOMORROW_AT)


def derived_key(rule: str, record_id: str, due: date | datetime) -> str:
    """The name a derived reminder's stored state goes by: `rule:record_id:due` (the due as in the
    compliance output). A new due date (a refresher recorded, a deadline moved) is a new reminder."""
    return f"{rule}:{record_id}:{iso_due(due)}"


def is_derived_key(reference: str) -> bool:
    """A reminder is named by its id (a UUID, no colon) or, when derived, by its key."""
    return ":" in reference


def due_instant(due: date | datetime, zone: str) -> tuple[datetime, bool]:
    """A rule's due as an instant, and whether it is a whole day (a date rule: 00:00 local)."""
    if isinstance(due, datetime):
        return due.astimezone(UTC), False
    return day_start(due, zone), True


BUCKETS = ("overdue", "today", "week", "later")
BUCKET_TITLES = {
    "overdue": "Overdue",
    "today": "Today",
    "week": "This week",
    "later": "Later",
}


def bucket(due: datetime, now: datetime, zone: str, all_day: bool = False) -> str:
    """Overdue, today, this week (the next seven days) or later, on the person's calendar.

    A timed reminder is overdue once its instant has passed; a whole-day one (a date rule) once
    its day has."""
    tz = zone_of(zone)
    today = now.astimezone(tz).date()
    day = due.astimezone(tz).date()
    if day < today or (not all_day and due <= now):
        return "overdue"
    if day == today:
        return "today"
    if day < today + timedelta(days=7):
        return "week"
    return "later"


def start_of_day(now: datetime, zone: str) -> datetime:
    """00:00 of `now`'s day in a zone, as a UTC instant."""
    return day_start(now.astimezone(zone_of(zone)).date(), zone)


def end_of_day(now: datetime, zone: str) -> datetime:
    """The end of `now`'s day in a zone (00:00 of the next day), as a UTC instant."""
    return next_day_at(now, zone, time(0))
