"""Planning the on-call rota: generating shifts, ranking who can cover, spotting leave that
collides with a shift, and measuring how fairly the hours are shared. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pm_desk.domain.clock import is_federal_holiday, require_aware
from pm_desk.domain.enums import OnCallRole
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.policy import Policy

MAX_SHIFT_HOURS = 24 * 14  # the longest shift a rotation's plan lays out


@dataclass(frozen=True, slots=True)
class RotationPlan:
    """How a rotation turns: members in order, handoff weekday and local time, shift length."""

    rotation_id: str
    members: tuple[str, ...]  # user ids, in order
    zone: str
    starts_on: date  # the first shift starts on this date's handoff time
    handoff_weekday: int = 0  # Monday is 0 (used for shifts of whole weeks)
    handoff_time: str = "08:00"
    shift_hours: int = 168


@dataclass(frozen=True, slots=True)
class PlannedShift:
    starts_at: datetime
    ends_at: datetime
    primary_id: str
    backup_id: str | None
    index: int  # the shift's number since the rotation started: who is on is members[index % n]


def _first_handoff(plan: RotationPlan) -> datetime:
    tz = ZoneInfo(plan.zone)
    day = plan.starts_on
    if plan.shift_hours % 168 == 0:  # weekly shifts hand off on the rotation's weekday
        day += timedelta(days=(plan.handoff_weekday - day.weekday()) % 7)
    return datetime.combine(day, time.fromisoformat(plan.handoff_time), tzinfo=tz)


def _handoff(first: datetime, index: int, hours: int) -> datetime:
    """The `index`-th handoff, stepped on the wall clock: 08:00 stays 08:00 across DST changes."""
    wall = first.replace(tzinfo=None) + timedelta(hours=hours * index)
    return wall.replace(tzinfo=first.tzinfo)


def generate_shifts(plan: RotationPlan, period_start: datetime, period_end: datetime) -> list[PlannedShift]:
    """Every shift of the rotation that overlaps [period_start, period_end), in order.

    The primary is the next member in order; the backup is the member after him (whose turn comes
    next), so the person who will be on call next is the one who stands by.
    """
    require_aware(period_start, "period start")
    require_aware(period_end, "period end")
    if not plan.members:
        return []
    if plan.shift_hours <= 0:
        raise ValueError("shift length must be above zero hours")
    first = _first_handoff(plan)
    hours = plan.shift_hours
    elapsed = period_start.astimezone(first.tzinfo).replace(tzinfo=None) - first.replace(tzinfo=None)
    index = max(int(elapsed / timedelta(hours=hours)) - 1, 0)
    n = len(plan.members)
    shifts: list[PlannedShift] = []
    while True:
        start = _handoff(first, index, hours)
        end = _handoff(first, index + 1, hours)
        if start >= period_end:
            break
        if end > period_start:
            backup = plan.members[(index + 1) % n] if n > 1 else None
            shifts.append(PlannedShift(start, end, plan.members[index % n], backup, index))
        index += 1
    return shifts


@dataclass(frozen=True, slots=True)
class Absence:
    """A time a person cannot be on call (leave of any kind)."""

    person_id: str
    starts_at: datetime
    ends_at: datetime
    kind: str = "leave"


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True, slots=True)
class Collision:
    shift_id: str
    person_id: str
    starts_at: datetime  # the part of the shift the person is away for
    ends_at: datetime
    kind: str
    role: OnCallRole = OnCallRole.PRIMARY


def leave_collisions(
    shifts: Iterable[ShiftFacts], absences: Iterable[Absence], role: OnCallRole = OnCallRole.PRIMARY
) -> list[Collision]:
    """Parts of effective shifts of `role` (overrides already applied) that fall in their
    person's leave: nobody has taken them over yet."""
    by_person: dict[str, list[Absence]] = {}
    for absence in absences:
        by_person.setdefault(absence.person_id, []).append(absence)
    found: list[Collision] = []
    for shift in shifts:
        for absence in by_person.get(shift.person_id, []):
            if _overlaps(shift.starts_at, shift.ends_at, absence.starts_at, absence.ends_at):
                start = max(shift.starts_at, absence.starts_at)
                end = min(shift.ends_at, absence.ends_at)
                found.append(Collision(shift.id, shift.person_id, start, end, absence.kind, role))
    return sorted(found, key=lambda c: (c.starts_at, c.person_id))


@dataclass(frozen=True)
class Candidate:
    person_id: str
    eligible: bool
    hours_last_window: float
    reasons: tuple[str, ...] = field(default=())


def on_call_hours(shifts: Iterable[ShiftFacts], person_id: str, start: datetime, end: datetime) -> float:
    total = timedelta()
    for shift in shifts:
        if shift.person_id == person_id and _overlaps(shift.starts_at, shift.ends_at, start, end):
            total += min(shift.ends_at, end) - max(shift.starts_at, start)
    return total.total_seconds() / 3600


def _away(person: str, start: datetime, end: datetime, absences: Sequence[Absence]) -> bool:
    return any(a.person_id == person and _overlaps(a.starts_at, a.ends_at, start, end) for a in absences)


def rank_replacements(
    people: Sequence[str],
    covered_id: str | None,
    start: datetime,
    end: datetime,
    shifts: Sequence[ShiftFacts],
    absences: Sequence[Absence],
    policy: Policy,
    unavailable: Sequence[Absence] = (),
) -> list[Candidate]:
    """Who can be primary in [start, end) instead of `covered_id` (None: a gap nobody holds):
    eligible people first, those with the fewest on-call hours over the policy's window before
    `start` first among them; each ineligible person is listed with why (on leave, asked for
    cover then, too little rest, too many days in a row). `unavailable` are the times people
    asked to be covered for (they said they cannot be on call then)."""
    window = timedelta(days=policy.oncall.fairness_window_days)
    rest = timedelta(hours=policy.oncall.min_rest_hours)
    max_run = timedelta(days=policy.oncall.max_consecutive_primary_days)
    ranked: list[Candidate] = []
    for person in people:
        if person == covered_id:
            continue
        reasons: list[str] = []
        if _away(person, start, end, absences):
            reasons.append("on leave")
        if _away(person, start, end, unavailable):
            reasons.append("asked for cover then")
        own = sorted((s for s in shifts if s.person_id == person), key=lambda s: s.starts_at)
        if any(_overlaps(s.starts_at, s.ends_at, start, end) for s in own):
            reasons.append("already on call then")
        before = [s for s in own if s.ends_at <= start]
        after = [s for s in own if s.starts_at >= end]
        if before and timedelta(0) < start - before[-1].ends_at < rest:
            reasons.append(f"less than {policy.oncall.min_rest_hours} h rest after the shift before")
        if after and timedelta(0) < after[0].starts_at - end < rest:
            reasons.append(f"less than {policy.oncall.min_rest_hours} h rest before the next shift")
        run_start, run_end = start, end
        for s in reversed(before):
            if s.ends_at == run_start:
                run_start = s.starts_at
        for s in after:
            if s.starts_at == run_end:
                run_end = s.ends_at
        if run_end - run_start > max_run:
            reasons.append(f"more than {policy.oncall.max_consecutive_primary_days} days in a row")
        hours = on_call_hours(shifts, person, start - window, start)
        ranked.append(Candidate(person, not reasons, round(hours, 1), tuple(reasons)))
    return sorted(ranked, key=lambda c: (not c.eligible, c.hours_last_window, c.person_id))


def rank_backups(
    people: Sequence[str],
    covered_id: str | None,
    start: datetime,
    end: datetime,
    primaries: Sequence[ShiftFacts],
    backups: Sequence[ShiftFacts],
    absences: Sequence[Absence],
    policy: Policy,
    unavailable: Sequence[Absence] = (),
) -> list[Candidate]:
    """Who can stand by as backup in [start, end) instead of `covered_id`: not away, not the
    primary then (a backup steps in for the primary), not already the backup then; the fewest
    backup hours over the policy's window first."""
    window = timedelta(days=policy.oncall.fairness_window_days)
    ranked: list[Candidate] = []
    for person in people:
        if person == covered_id:
            continue
        reasons: list[str] = []
        if _away(person, start, end, absences):
            reasons.append("on leave")
        if _away(person, start, end, unavailable):
            reasons.append("asked for cover then")
        if any(s.person_id == person and _overlaps(s.starts_at, s.ends_at, start, end) for s in primaries):
            reasons.append("primary then")
        if any(s.person_id == person and _overlaps(s.starts_at, s.ends_at, start, end) for s in backups):
            reasons.append("already the backup then")
        hours = on_call_hours(backups, person, start - window, start)
        ranked.append(Candidate(person, not reasons, round(hours, 1), tuple(reasons)))
    return sorted(ranked, key=lambda c: (not c.eligible, c.hours_last_window, c.person_id))


@dataclass(frozen=True, slots=True)
class Fairness:
    person_id: str
    hours: float  # primary hours in the period
    nights: int  # nights on call (the local hour 02:00 falls in a primary shift)
    weekend_hours: float
    holiday_hours: float


def fairness(
    shifts: Iterable[ShiftFacts], people: Iterable[str], start: datetime, end: datetime, zone: str
) -> list[Fairness]:
    """Per person, the load of the period: hours on call as primary, nights, and the hours that
    fell on weekends and federal holidays (local calendar days of `zone`)."""
    tz = ZoneInfo(zone)
    totals = {p: [0.0, 0, 0.0, 0.0] for p in people}
    for shift in shifts:
        if shift.person_id not in totals:
            totals[shift.person_id] = [0.0, 0, 0.0, 0.0]
        cursor = max(shift.starts_at, start)
        stop = min(shift.ends_at, end)
        entry = totals[shift.person_id]
        while cursor < stop:  # walk the shift an hour at a time, on the wall of its zone
            step = min(cursor + timedelta(hours=1), stop)
            hours = (step - cursor).total_seconds() / 3600
            local = cursor.astimezone(tz)
            entry[0] += hours
            if local.weekday() >= 5:
                entry[2] += hours
            if is_federal_holiday(local.date()):
                entry[3] += hours
            cursor = step
        day = max(shift.starts_at, start).astimezone(tz).date()
        while day <= stop.astimezone(tz).date():
            two_am = datetime.combine(day, time(2), tzinfo=tz)
            if max(shift.starts_at, start) <= two_am < stop:
                entry[1] += 1
            day += timedelta(days=1)
    return [
        Fairness(person, round(v[0], 1), int(v[1]), round(v[2], 1), round(v[3], 1))
        for person, v in sorted(totals.items())
    ]


def spread(values: Sequence[float]) -> tuple[float, float, float]:
    """(lowest, highest, highest minus lowest): how unevenly a figure is shared."""
    if not values:
        return 0.0, 0.0, 0.0
    return min(values), max(values), max(values) - min(values)
