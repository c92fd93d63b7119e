"""A rota from an iCalendar (.ics) file: each event one shift of `oncall_shifts.csv`, checked and
planned exactly as the table is (overlaps, people of another field office, an end before the
start), its problems located on the line where the event begins.

An event names its shift by DTSTART and DTEND (or DURATION), times with a zone (a whole day or a
floating time is refused: a handoff happens at an instant); its primary by the first ATTENDEE
that is not optional (`mailto:` address), else by `Primary: Name` in its description or the
name after `On call:` in its summary; its backup by an ATTENDEE with ROLE=OPT-PARTICIPANT, else by
`Backup: Name`. The field office and the rotation come from the command (`--field-office`,
`--rotation`), else from `X-PM-DESK-FIELD-OFFICE` and `X-PM-DESK-ROTATION` of the event or the
calendar (PM Desk's own calendar files carry both).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar

from pm_desk.interchange.cells import UNREADABLE
from pm_desk.interchange.problems import Findings, shown
from pm_desk.interchange.reading import SourceRow, SourceSet, SourceTable
from pm_desk.interchange.tables import ONCALL_SHIFTS

OFFICE = "X-PM-DESK-FIELD-OFFICE"
ROTATION = "X-PM-DESK-ROTATION"
_ON_CALL = re.compile(r"^\s*on[ -]call\s*:\s*(?P<name>[^(]+?)\s*(\(.*\))?\s*$", re.IGNORECASE)
_NAMED = re.compile(r"^\s*(?P<role>primary|backup)\s*:\s*(?P<name>.+?)\s*$", re.IGNORECASE | re.MULTILINE)
MAX_BYTES = 64 * 1024 * 1024

# How people are found by name: the casefolded name to the email, None when several users share it.
People = Mapping[str, str | None]


def read_rota_calendar(
    path: Path, people: People, field_office: str | None = None, rotation: str | None = None
) -> SourceSet:
    """The events of the calendar at `path` as rows of the `oncall_shifts` table."""
    found = SourceSet(str(path))
    source = path.name
    calendar = _calendar(path, found.findings)
    if calendar is None:
        return found
    lines = [n for n, text in enumerate(_unfolded_lines(path), 1) if text.strip().upper() == "BEGIN:VEVENT"]
    table = SourceTable(ONCALL_SHIFTS, source)
    for index, event in enumerate(calendar.walk("VEVENT")):
        line = lines[index] if index < len(lines) else 0
        row = _Row(found.findings, source, line)
        row.cells["field_office"] = _text(field_office or event.get(OFFICE) or calendar.get(OFFICE))
        row.cells["rotation"] = _text(rotation or event.get(ROTATION) or calendar.get(ROTATION))
        if not row.cells["field_office"]:
            row.problem("field_office", f"no field office: give --field-office, or {OFFICE} in the file")
        if not row.cells["rotation"]:
            row.problem("rotation", f"no rotation: give --rotation, or {ROTATION} in the file")
        start = _decoded(event, "DTSTART")
        row.instant("starts_at", start, "DTSTART", _zone_named(event, "DTSTART"))
        if event.get("DTEND") is None and event.get("DURATION") is not None:
            duration = _decoded(event, "DURATION")
            if not isinstance(duration, timedelta):
                row.problem("ends_at", f"DURATION {shown(duration)} is not a duration")
            elif row.cells["starts_at"] is UNREADABLE:
                row.cells["ends_at"] = UNREADABLE  # the end is the start's, already reported
            else:
                assert isinstance(start, datetime)
                row.instant("ends_at", start + duration, "DTEND", None)
        else:
            row.instant("ends_at", _decoded(event, "DTEND"), "DTEND", _zone_named(event, "DTEND"))
        primary, backup = _people_of(event)
        row.person("primary_email", primary, people)
        row.person("backup_email", backup, people)
        table.rows.append(SourceRow(line, row.cells))
    if not table.rows and found.ok:
        found.findings.problem(source, 0, "", "holds no events (VEVENT): no shift to import")
    found.tables[ONCALL_SHIFTS.name] = table
    return found


class _Row:
    def __init__(self, findings: Findings, source: str, line: int) -> None:
        self.findings, self.source, self.line = findings, source, line
        self.cells: dict[str, object] = {}

    def problem(self, column: str, message: str) -> None:
        self.findings.problem(self.source, self.line, column, message)
        self.cells[column] = UNREADABLE

    def instant(self, column: str, value: object, name: str, zone: str | None) -> None:
        if value is None:
            self.problem(column, f"the event has no {name}")
        elif isinstance(value, datetime) and value.tzinfo is None and zone:
            self.problem(column, f"{name} names the time zone {shown(zone)}, which is not known")
        elif isinstance(value, datetime) and value.tzinfo is None:
            self.problem(column, f"{name} {value.isoformat()} has no time zone (give TZID or a time in UTC)")
        elif isinstance(value, date) and not isinstance(value, datetime):
            self.problem(
                column, f"{name} {value.isoformat()} is a whole day: a shift starts and ends at a time"
            )
        elif not isinstance(value, datetime):
            self.problem(column, f"{name} {shown(value)} is not a date and time")
        else:
            self.cells[column] = value.isoformat()

    def person(self, column: str, who: str | None, people: People) -> None:
        if who is None:
            self.cells[column] = ""
            return
        if "@" in who:
            self.cells[column] = who
            return
        key = " ".join(who.split()).casefold()
        if key not in people:
            self.problem(
                column, f"{shown(who)} is not the name of a user (name him by ATTENDEE with mailto:)"
            )
        elif people[key] is None:
            self.problem(
                column, f"{shown(who)} is the name of several users (name him by ATTENDEE with mailto:)"
            )
        else:
            self.cells[column] = people[key]


def _calendar(path: Path, findings: Findings) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        findings.problem(path.name, 0, "", f"cannot be read: {exc.strerror or exc}")
        return None
    if len(data) > MAX_BYTES:
        findings.problem(path.name, 0, "", "is too big for a rota")
        return None
    try:
        return Calendar.from_ical(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        findings.problem(path.name, 0, "", f"is not an iCalendar file ({shown(exc)})")
        return None


def _unfolded_lines(path: Path) -> list[str]:
    """The file's lines as numbered in an editor (folded lines are counted as they stand)."""
    return path.read_bytes().decode("utf-8-sig", "replace").splitlines()


def _text(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _decoded(event: Any, name: str) -> object:
    if event.get(name) is None:
        return None
    try:
        return event.decoded(name)
    except (ValueError, KeyError, TypeError):
        return str(event.get(name))


def _zone_named(event: Any, name: str) -> str | None:
    """The TZID a property names, if any (icalendar leaves the time floating when it does not
    know the zone)."""
    params = getattr(event.get(name), "params", None)
    zone = params.get("TZID") if params is not None else None
    return str(zone) if zone else None


def _people_of(event: Any) -> tuple[str | None, str | None]:
    """(primary, backup) as email addresses (from ATTENDEE) or names (from the text)."""
    attendees = event.get("ATTENDEE")
    if attendees is not None and not isinstance(attendees, list):
        attendees = [attendees]
    primary = backup = None
    for attendee in attendees or []:
        address = str(attendee).removeprefix("mailto:").removeprefix("MAILTO:").strip()
        optional = str(attendee.params.get("ROLE", "")).upper() == "OPT-PARTICIPANT"
        if optional and backup is None:
            backup = address
        elif not optional and primary is None:
            primary = address
    description = str(event.get("DESCRIPTION") or "")
    named = {m["role"].lower(): m["name"] for m in _NAMED.finditer(description)}
    if primary is None:
        summary = _ON_CALL.match(str(event.get("SUMMARY") or ""))
        primary = named.get("primary") or (summary["name"] if summary else None)
    if backup is None:
        backup = named.get("backup")
    return primary, backup
