"""Recurring reminders: RFC 5545 recurrence rules expanded on a person's wall clock.

A reminder's `rrule` column holds two RFC 5545 content lines, the first occurrence with its time
zone and the rule:

    DTSTART;TZID=America/New_York:20261117T090000
    RRULE:FREQ=MONTHLY;BYDAY=3TU

The zone is stored with the rule because a reminder at 09:00 must stay at 09:00 when daylight
saving starts or ends: occurrences are expanded as wall-clock times of that zone (python-dateutil
over naive wall times) and only then turned into UTC instants. A wall time that does not exist
on the day the clocks go forward (02:30) falls an hour later; an ambiguous one (01:30 when they
go back) is its first, daylight-saving, instance. UNTIL is stored in UTC, as RFC 5545 requires
next to a DTSTART with a TZID.

A rule stored without a DTSTART line (bare `FREQ=...`, as older or hand-written rows have) is
anchored on the reminder's due instant in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

MAX_RULE_LENGTH = 300
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY")
_BYDAY = re.compile(r"([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_INT_LISTS = {
    "BYMONTHDAY": (1, 31),
    "BYMONTH": (1, 12),
    "BYSETPOS": (1, 366),
    "BYYEARDAY": (1, 366),
    "BYWEEKNO": (1, 53),
    "BYHOUR": (0, 23),
    "BYMINUTE": (0, 59),
}
_SIGNED = {"BYMONTHDAY", "BYSETPOS", "BYYEARDAY", "BYWEEKNO"}
_DTSTART = re.compile(r"DTSTART(?:;TZID=([^:;]+))?:(\d{8}T\d{6})(Z?)$")
_UNTIL_TEXT = re.compile(r"(\d{8})(?:T(\d{6})(Z?))?$")


class RecurrenceError(ValueError):
    """A recurrence rule that cannot be used; the message says what is wrong, in words."""


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RecurrenceError(f"{name!r} is not a time zone like America/New_York") from None


def rule_parts(text: str) -> list[tuple[str, str]]:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if not body:
        raise RecurrenceError("the rule is empty")
    if len(body) > MAX_RULE_LENGTH:
        raise RecurrenceError(f"the rule is {len(body):,} characters long; at most {MAX_RULE_LENGTH} fit")
    if any(c in body for c in "\r\n:"):
        raise RecurrenceError("give the rule alone, like FREQ=MONTHLY;BYDAY=3TU (no DTSTART line)")
    parts = []
    for piece in body.split(";"):
        if not piece.strip():
            continue
        name, sep, value = piece.partition("=")
        if not sep or not value.strip():
            raise RecurrenceError(f"{piece.strip()!r} is not NAME=VALUE")
        parts.append((name.strip().upper(), value.strip().upper()))
    return parts


def _check_int(name: str, value: str, low: int, high: int, signed: bool = False) -> None:
    try:
        number = int(value)
    except ValueError:
        raise RecurrenceError(f"{name}={value} is not a whole number") from None
    size = abs(number) if signed else number
    if not low <= size <= high or (signed and number == 0) or (not signed and value.startswith("-")):
        span = f"±{low}–{high}" if signed else f"{low}–{high}"
        raise RecurrenceError(f"{name}={value} must be in {span}")


def _check_part(name: str, value: str, freq: str) -> None:
    if name == "INTERVAL":
        _check_int(name, value, 1, 1000)
    elif name == "COUNT":
        _check_int(name, value, 1, 10_000)
    elif name == "WKST":
        if value not in _WEEKDAYS:
            raise RecurrenceError(f"WKST={value} is not a weekday (MO … SU)")
    elif name == "BYDAY":
        for day in value.split(","):
            match = _BYDAY.fullmatch(day)
            if match is None:
                raise RecurrenceError(f"BYDAY={day} is not a weekday like TU, 3TU or -1FR")
            if match.group(2):
                limit = 5 if freq == "MONTHLY" else 53
                nth = int(match.group(2))
                if not 1 <= nth <= limit:
                    raise RecurrenceError(f"BYDAY={day}: the number must be 1–{limit} (or −1 for the last)")
    elif name in _INT_LISTS:
        low, high = _INT_LISTS[name]
        for item in value.split(","):
            _check_int(name, item, low, high, name in _SIGNED)
    elif name != "UNTIL":
        raise RecurrenceError(f"{name} is not part of a recurrence rule this app understands")


def normalize_rule(text: str, zone: str = "UTC") -> str:
    """The rule checked and written the one way it is stored: upper case, UNTIL in UTC.

    An UNTIL given as a date means the end of that day in `zone`; a local time is read in `zone`.
    Raises RecurrenceError with a sentence when the rule is malformed or never happens.
    """
    tz = zone_of(zone)
    parts = rule_parts(text)
    names = [n for n, _ in parts]
    if len(set(names)) != len(names):
        raise RecurrenceError("a rule part is given twice")
    values = dict(parts)
    freq = values.get("FREQ")
    if freq is None:
        raise RecurrenceError("the rule needs a frequency, like FREQ=WEEKLY")
    if freq not in _FREQUENCIES:
        raise RecurrenceError(f"FREQ={freq} is not one of {', '.join(f.lower() for f in _FREQUENCIES)}")
    if "COUNT" in values and "UNTIL" in values:
        raise RecurrenceError("give either COUNT or UNTIL, not both")
    out = []
    for name, value in parts:
        if name == "FREQ":
            out.append(f"FREQ={value}")
            continue
        _check_part(name, value, freq)
        if name == "UNTIL":
            value = _until_utc(value, tz).strftime("%Y%m%dT%H%M%SZ")
        out.append(f"{name}={value}")
    rule = ";".join(out)
    # Whether the pattern can happen at all (BYMONTHDAY=30;BYMONTH=2 never does), ends aside.
    pattern = ";".join(p for p in out if not p.startswith(("COUNT=", "UNTIL=")))
    probe = Recurrence(pattern, zone, datetime(2026, 1, 1, 9, tzinfo=tz))
    try:
        Recurrence(rule, zone, probe.start).expansion()
        happens = probe.at_or_after(probe.start) is not None
    except (ValueError, IndexError, TypeError) as exc:
        raise RecurrenceError(f"the rule cannot be read: {exc}") from None
    if not happens:
        raise RecurrenceError("the rule never happens (no such day in any month or year)")
    return rule


def _until_utc(value: str, tz: ZoneInfo) -> datetime:
    match = _UNTIL_TEXT.fullmatch(value)
    if match is None:
        raise RecurrenceError(
            f"UNTIL={value} is not a date like 20271231 or an instant like 20271231T235959Z"
        )
    try:
        day = datetime.strptime(match.group(1), "%Y%m%d").date()
        clock = datetime.strptime(match.group(2), "%H%M%S").time() if match.group(2) else time(23, 59, 59)
    except ValueError:
        raise RecurrenceError(f"UNTIL={value} is not a real date") from None
    if match.group(3):
        return datetime.combine(day, clock, tzinfo=UTC)
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Recurrence:
    rule: str  # the RRULE value, normalized (see normalize_rule)
    zone: str  # the IANA zone whose wall clock the occurrences keep
    start: datetime  # the first occurrence (DTSTART), aware

    @property
    def tz(self) -> ZoneInfo:
        return zone_of(self.zone)

    @classmethod
    def begin(cls, rule_text: str, zone: str, wanted: datetime) -> Recurrence:
        """A new series whose first occurrence is the first one at or after `wanted`, at the wall
        time `wanted` has in `zone` (a monthly rule on the third Tuesday started on a Friday
        begins on the next third Tuesday)."""
        rule = normalize_rule(rule_text, zone)
        tz = zone_of(zone)
        local = wanted.astimezone(tz)
        probe = cls(rule, zone, local)
        first = probe.at_or_after(wanted)
        if first is None:
            raise RecurrenceError("the rule has no occurrence on or after the chosen time")
        return cls(rule, zone, first.astimezone(tz))

    def to_text(self) -> str:
        """The two content lines stored in the reminder's `rrule` column."""
        wall = self.start.astimezone(self.tz).strftime("%Y%m%dT%H%M%S")
        head = f"DTSTART:{wall}Z" if self.zone == "UTC" else f"DTSTART;TZID={self.zone}:{wall}"
        return f"{head}\nRRULE:{self.rule}"

    @classmethod
    def from_text(cls, text: str, anchor: datetime) -> Recurrence:
        """Read a stored rule; a bare rule is anchored on `anchor` (the due instant) in UTC."""
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        start_line = next((line for line in lines if line.upper().startswith("DTSTART")), None)
        rule_line = next((line for line in lines if not line.upper().startswith("DTSTART")), "")
        if start_line is None:
            return cls(normalize_rule(rule_line), "UTC", anchor.astimezone(UTC))
        match = _DTSTART.fullmatch(start_line)
        if match is None:
            raise RecurrenceError(f"{start_line!r} is not a DTSTART line this app wrote")
        zone = "UTC" if match.group(3) or not match.group(1) else match.group(1)
        tz = zone_of(zone)
        wall = datetime.strptime(match.group(2), "%Y%m%dT%H%M%S")
        return cls(normalize_rule(rule_line, zone), zone, wall.replace(tzinfo=tz))

    # -- expansion on the wall clock ----------------------------------------------------------------
    @cached_property
    def expansion_rule(self) -> rrule:
        return self.expansion()

    def expansion(self) -> rrule:
        """The dateutil rule over naive wall-clock times of the zone."""
        tz = self.tz
        wall_start = self.start.astimezone(tz).replace(tzinfo=None)
        text = self.rule
        until = re.search(r"UNTIL=(\d{8}T\d{6}Z)", text)
        if until is not None:  # dateutil wants UNTIL in the same (naive) terms as DTSTART
            instant = datetime.strptime(until.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            local = instant.astimezone(tz).strftime("%Y%m%dT%H%M%S")
            text = text.replace(until.group(0), f"UNTIL={local}")
        result = rrulestr(text, dtstart=wall_start)
        assert isinstance(result, rrule)
        return result

    def _instant(self, wall: datetime) -> datetime:
        return wall.replace(tzinfo=self.tz).astimezone(UTC)

    def _wall(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz).replace(tzinfo=None)

    def after(self, instant: datetime) -> datetime | None:
        """The first occurrence strictly after `instant` (UTC), or None when the series has ended."""
        series = self.expansion_rule
        wall = series.after(self._wall(instant), inc=False)
        while wall is not None and self._instant(wall) <= instant:  # the hour the clocks go back
            wall = series.after(wall, inc=False)
        return None if wall is None else self._instant(wall)

    def at_or_after(self, instant: datetime) -> datetime | None:
        series = self.expansion_rule
        wall = series.after(self._wall(instant), inc=True)
        while wall is not None and self._instant(wall) < instant:
            wall = series.after(wall, inc=False)
        return None if wall is None else self._instant(wall)

    def between(self, start: datetime, end: datetime, limit: int = 1000) -> list[datetime]:
        """Occurrences in [start, end), as UTC instants, at most `limit` of them."""
        out: list[datetime] = []
        current = self.at_or_after(start)
        while current is not None and current < end and len(out) < limit:
            out.append(current)
            current = self.after(current)
        return out


def day_start(day: date, zone: str) -> datetime:
    """00:00 of a calendar day in a zone, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=zone_of(zone)).astimezone(UTC)


def next_day_at(now: datetime, zone: str, clock: time) -> datetime:
    """`clock` on the day after `now`'s day in `zone`, as a UTC instant."""
    tz = zone_of(zone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, clock, tzinfo=tz).astimezone(UTC)


def until_local_date(rule: str, zone: str) -> date | None:
    """The last day of a series ending at an UNTIL instant, as a date of the zone."""
    match = re.search(r"UNTIL=(\d{8}T\d{6}Z)", rule)
    if match is None:
        return None
    instant = datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return instant.astimezone(zone_of(zone)).date()
