"""What the On-call page shows for a rotation and a stretch of days (reads only): the shifts as
they will be worked, leave, warnings before they happen, open requests, and fairness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pm_desk.domain import rules
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import Fairness, fairness, leave_collisions
from pm_desk.domain.policy import Policy
from pm_desk.domain.rota import effective_shifts
from pm_desk.store.queries.oncall import RotaSnapshot, rota_snapshot
from pm_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class ShiftLine:
    shift_id: str
    starts_at: datetime
    ends_at: datetime
    primary: str
    primary_id: str
    backup: str | None
    covering: bool  # someone covers for the planned primary
    current: bool


@dataclass
class Day:
    day: date
    shifts: list[ShiftLine] = field(default_factory=list)
    leave: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Warning:
    kind: str  # gap, fatigue, rest, leave
    starts_at: datetime
    text: str
    shift_id: str | None


@dataclass(frozen=True)
class Request:
    id: str
    kind: str  # cover or swap
    text: str
    covered_id: str
    requested_by: str | None


@dataclass
class RotaView:
    rotation_id: str
    name: str
    zone: str
    days: list[Day]
    warnings: list[Warning]
    requests: list[Request]
    fairness: list[tuple[str, Fairness]]
    names: dict[str, str]


def _local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(day, time(0), tzinfo=tz), datetime.combine(
        day + timedelta(days=1), time(0), tzinfo=tz
    )


def rota_view(
    uow: UnitOfWork,
    rotation_id: str,
    first_day: date,
    days: int,
    now: datetime,
    with_fairness: bool = True,
) -> RotaView | None:
    """The rota's calendar, warnings and open requests; and, unless `with_fairness` is false (Today
    needs only the warnings), each member's load over the policy's fairness window."""
    policy = uow.policy
    # Read a little around the days shown: runs of days and rest reach across the edges.
    pad = timedelta(days=policy.oncall.max_consecutive_primary_days + 1)
    utc = ZoneInfo("UTC")
    read_from = datetime.combine(first_day, time(0), tzinfo=utc) - pad - timedelta(days=1)
    read_to = (
        datetime.combine(first_day + timedelta(days=days), time(0), tzinfo=utc) + pad + timedelta(days=1)
    )
    snapshot = rota_snapshot(uow.session, rotation_id, read_from, read_to)
    if snapshot is None:
        return None
    tz = ZoneInfo(snapshot.rotation.timezone)
    start, _ = _local_day_bounds(first_day, tz)
    _, end = _local_day_bounds(first_day + timedelta(days=days - 1), tz)
    shifts = effective_shifts(snapshot.planned, snapshot.covers)
    planned_primary = {s.id: s.person_id for s in snapshot.planned}
    backups = {s.id: s.backup_id for s in snapshot.shift_rows}
    names = snapshot.names
    calendar = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        day_start, day_end = _local_day_bounds(day, tz)
        cell = Day(day)
        for s in shifts:
            if s.starts_at < day_end and s.ends_at > day_start:
                backup_id = backups.get(s.id)
                line = ShiftLine(
                    s.id,
                    s.starts_at,
                    s.ends_at,
                    names.get(s.person_id, "?"),
                    s.person_id,
                    names.get(backup_id) if backup_id else None,
                    covering=planned_primary.get(s.id) != s.person_id,
                    current=s.starts_at <= now < s.ends_at,
                )
                cell.shifts.append(line)
        for absence in snapshot.absences:
            if absence.starts_at < day_end and absence.ends_at > day_start:
                cell.leave.append(f"{names.get(absence.person_id, '?')} ({absence.kind})")
        calendar.append(cell)
    warnings = _warnings(snapshot, shifts, max(start, now), end, names, policy)
    for warning in warnings:
        local = warning.starts_at.astimezone(tz).date()
        for cell in calendar:
            if cell.day == local:
                cell.warnings.append(warning.text)
    window_start = now - timedelta(days=policy.oncall.fairness_window_days)
    loads = (
        fairness(shifts, _members(snapshot), window_start, now, snapshot.rotation.timezone)
        if with_fairness
        else []
    )
    return RotaView(
        rotation_id,
        snapshot.rotation.name,
        snapshot.rotation.timezone,
        calendar,
        warnings,
        _requests(snapshot, names, tz),
        [(names.get(f.person_id, "?"), f) for f in loads],
        names,
    )


def _members(snapshot: RotaSnapshot) -> list[str]:
    return snapshot.members or sorted({s.person_id for s in snapshot.planned})


def _warnings(
    snapshot: RotaSnapshot,
    shifts: list[ShiftFacts],
    start: datetime,
    end: datetime,
    names: dict[str, str],
    policy: Policy,
) -> list[Warning]:
    """Gaps and fatigue by the compliance rules, and leave that falls on a shift still uncovered."""
    found: list[Warning] = []
    tz = ZoneInfo(snapshot.rotation.timezone)
    if start < end:
        for gap in rules.gaps(snapshot.rotation.id, shifts, start, end):
            until = gap.detail["ends_at"].astimezone(tz).strftime("%a %d %b %H:%M")
            since = gap.detail["starts_at"].astimezone(tz).strftime("%a %d %b %H:%M")
            found.append(Warning("gap", gap.detail["starts_at"], f"No one on call {since} – {until}", None))
    for result in rules.fatigue(shifts, policy):
        if not isinstance(result.due, datetime) or not start - timedelta(days=8) <= result.due < end:
            continue
        person = names.get(result.detail.get("person_id", ""), "?")
        if result.detail.get("kind") == "rest":
            text = f"{person}: only {result.detail['rest_hours']:.0f} h rest before this shift"
            kind = "rest"
        else:
            text = f"{person}: primary {result.detail['run_days']:.1f} days in a row"
            kind = "fatigue"
        found.append(Warning(kind, result.due, text, result.record_id))
    for collision in leave_collisions(shifts, snapshot.absences):
        if collision.ends_at <= start or collision.starts_at >= end:
            continue
        text = (
            f"{names.get(collision.person_id, '?')} is on {collision.kind} during his shift, not covered yet"
        )
        found.append(Warning("leave", collision.starts_at, text, collision.shift_id))
    return sorted(found, key=lambda w: w.starts_at)


def _requests(snapshot: RotaSnapshot, names: dict[str, str], tz: ZoneInfo) -> list[Request]:
    out = []
    for o in snapshot.pending:
        when = f"{o.starts_at.astimezone(tz):%a %d %b %H:%M} – {o.ends_at.astimezone(tz):%a %d %b %H:%M}"
        text = f"{names.get(o.covered_user_id, '?')} can't cover {when} ({o.reason.value})"
        out.append(Request(o.id, "cover", text, o.covered_user_id, o.requested_by))
    for swap in snapshot.swaps:
        text = f"{names.get(swap.requested_by, '?')} asks to swap with {names.get(swap.with_user_id, '?')}"
        out.append(Request(swap.id, "swap", text, swap.requested_by, swap.requested_by))
    return out
