"""The open reminders as an iCalendar file (RFC 5545), for the calendar a manager already uses.

Each open or snoozed reminder becomes a VTODO (or, when asked, a VEVENT with an alarm, for
calendars that ignore tasks). A recurring reminder carries its RRULE from the current occurrence
on, on the wall clock of its zone (a VTIMEZONE is included); a reminder derived from a date rule
is a whole-day item. The file is read back with the icalendar parser before it is kept, so a
file that a calendar could not open is never left behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event, Todo, vRecur

from pm_desk import __version__
from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy
from pm_desk.domain.recurrence import Recurrence, RecurrenceError, zone_of
from pm_desk.services.errors import ServiceError
from pm_desk.services.failures import file_failure
from pm_desk.services.reminder_views import ReminderItem, reminder_items
from pm_desk.store.uow import UnitOfWork

PRODUCT_ID = f"-//PM Desk//PM Desk {__version__}//EN"
EVENT_MINUTES = 15


@dataclass(frozen=True)
class CalendarExport:
    path: Path
    count: int  # reminders written
    recurring: int


def _series(item: ReminderItem) -> Recurrence | None:
    """The recurrence from the current occurrence on (a COUNT shortened to what is left)."""
    if not item.rrule:
        return None
    try:
        series = Recurrence.from_text(item.rrule, item.due_at)
    except RecurrenceError:
        return None
    rule = series.rule
    count = re.search(r"COUNT=(\d+)", rule)
    if count is not None:
        far = item.due_at + timedelta(days=366 * 100)
        left = len(series.between(item.due_at, far, limit=int(count.group(1))))
        rule = rule.replace(count.group(0), f"COUNT={max(left, 1)}")
    return Recurrence(rule, series.zone, item.due_at.astimezone(series.tz))


def _description(item: ReminderItem) -> str:
    lines = []
    if item.subject_label:
        lines.append(f"About: {item.subject_label}")
    if item.derived:
        lines.append("Derived from the compliance rules: it goes away when the record is fixed.")
    if item.notes:
        lines.append(item.notes)
    if item.repeat:
        lines.append(f"Repeats: {item.repeat}")
    return "\n".join(lines)


def _local_date(item: ReminderItem, zone: str) -> date:
    return item.due_at.astimezone(zone_of(zone)).date()


def build_calendar(items: list[ReminderItem], now: datetime, zone: str, events: bool = False) -> Calendar:
    """A calendar of the open reminders among `items` (`zone`: the one whole-day dues were read in)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "PM Desk reminders")
    for item in items:
        if not item.is_open:
            continue
        component = Event() if events else Todo()
        component.add("uid", f"{item.ref}@pm-desk")
        component.add("dtstamp", now.astimezone(UTC))
        component.add("summary", item.full_title)
        component.add("categories", ["PM Desk", "Compliance" if item.derived else "Reminder"])
        description = _description(item)
        if description:
            component.add("description", description)
        series = _series(item)
        if item.all_day and item.snoozed_until is None:
            _whole_day(component, _local_date(item, zone), events)
        else:
            _timed(component, item, series, events)
        if series is not None:
            component.add("rrule", vRecur.from_ical(series.rule))
        if events:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.full_title)
            alarm.add("trigger", timedelta(0))
            component.add_component(alarm)
        else:
            component.add("status", "NEEDS-ACTION")
        calendar.add_component(component)
    today = now.astimezone(UTC).date()
    calendar.add_missing_timezones(today - timedelta(days=400), today + timedelta(days=3660))
    return calendar


def _whole_day(component: Todo | Event, day: date, events: bool) -> None:
    if events:
        component.add("dtstart", day)
        component.add("dtend", day + timedelta(days=1))
    else:
        component.add("due", day)


def _timed(component: Todo | Event, item: ReminderItem, series: Recurrence | None, events: bool) -> None:
    # A recurring reminder is written at its current occurrence, on its zone's wall clock, so
    # that every occurrence keeps its local time (a snooze only delays the app's alert); a one-off
    # one at the end of its snooze, if any.
    when = series.start if series is not None else item.effective_due.astimezone(UTC)
    if events:
        component.add("dtstart", when)
        component.add("duration", timedelta(minutes=EVENT_MINUTES))
        return
    if series is not None:
        # RFC 5545: a recurring to-do needs a DTSTART, and its DUE must not come before it.
        component.add("dtstart", datetime.combine(when.date(), time(0), tzinfo=when.tzinfo))
    component.add("due", when)


def check_calendar(data: bytes, expected: list[ReminderItem], events: bool = False) -> int:
    """Read a calendar back and check it holds exactly the reminders meant; returns how many."""
    try:
        calendar = Calendar.from_ical(data)
    except ValueError as exc:  # its text may quote a reminder's title
        raise ServiceError("the calendar file could not be read back; nothing was written") from exc
    name = "VEVENT" if events else "VTODO"
    found = {str(c.get("uid")): c for c in calendar.walk(name)}
    wanted = {f"{i.ref}@pm-desk": i for i in expected if i.is_open}
    if set(found) != set(wanted):
        raise ServiceError("the calendar file read back does not hold the reminders written")
    for uid, component in found.items():
        if str(component.get("summary")) != wanted[uid].full_title:
            raise ServiceError(f"the calendar file read back has another title for {uid}")
        when = component.get("dtstart") if events else component.get("due")
        if when is None:
            raise ServiceError(f"the calendar file read back has no date for {uid}")
    return len(found)


def export_calendar(
    uow: UnitOfWork,
    policy: Policy,
    owner: Actor,
    now: datetime,
    zone: str,
    path: Path,
    events: bool = False,
) -> CalendarExport:
    """Write `owner`'s open reminders (his own and the derived ones) to `path` as iCalendar.

    A read: anyone may export the reminders of the user they act as. The file is written next
    to its target and moved into place only once it reads back correctly."""
    items = [i for i in reminder_items(uow, policy, owner, now, zone) if i.is_open]
    data = build_calendar(items, now, zone, events).to_ical()
    count = check_calendar(data, items, events)
    path = Path(path)
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".reminders-", suffix=".ics", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise ServiceError(file_failure(exc, path, "write")) from exc
    return CalendarExport(path, count, sum(1 for i in items if i.rrule))
