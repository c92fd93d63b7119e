"""The on-call report of a period: each rotation's rota as it is really worked (approved overrides
applied by `effective_shifts`), its overrides, its gaps and fatigue warnings (the `gap` and
`fatigue` rules), and the hours each person carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from pm_desk.domain import rules
from pm_desk.domain.enums import OnCallRole
from pm_desk.domain.policy import Policy
from pm_desk.domain.rota import effective_shifts
from pm_desk.services.errors import field_error
from pm_desk.services.reporting import Generated, Progress, ReportPeriod, no_progress
from pm_desk.store.models import FieldOffice, Override, Rotation, Shift, User
from pm_desk.store.queries.oncall import APPROVAL_ORDER, covers_of, planned_of
from pm_desk.store.uow import UnitOfWork

MAX_DAYS = 366


@dataclass(frozen=True)
class ShiftRow:
    starts_at: datetime
    ends_at: datetime
    primary: str
    backup: str
    note: str


@dataclass(frozen=True)
class OverrideRow:
    starts_at: datetime
    ends_at: datetime
    covered: str
    covering: str
    reason: str
    state: str


@dataclass(frozen=True)
class Warning:
    at: datetime
    what: str


@dataclass
class RotationOnCall:
    name: str
    office: str
    timezone: str
    shifts: list[ShiftRow] = field(default_factory=list)
    overrides: list[OverrideRow] = field(default_factory=list)
    gaps: list[Warning] = field(default_factory=list)
    fatigue: list[Warning] = field(default_factory=list)
    hours: dict[str, list[float]] = field(default_factory=dict)  # person -> [primary h, backup h, shifts]


@dataclass(frozen=True)
class OnCallReport:
    period: ReportPeriod
    generated: Generated
    rotations: list[RotationOnCall]


def _clip(start: datetime, end: datetime, lo: datetime, hi: datetime) -> float:
    return max((min(end, hi) - max(start, lo)).total_seconds(), 0.0) / 3600


def oncall_report(
    uow: UnitOfWork,
    policy: Policy,
    start: date,
    end: date,
    generated: Generated,
    progress: Progress = no_progress,
) -> OnCallReport:
    """Any role may read it; the period is at most a year."""
    if end < start:
        raise field_error("to", "the period ends before it starts")
    if (end - start).days > MAX_DAYS:
        raise field_error("to", f"a period of at most {MAX_DAYS} days, please")
    session = uow.session
    period = ReportPeriod(start, end)
    lo, hi = period.start_at, period.end_at
    # Runs of days are counted from before the period, so a run that began earlier is seen.
    lead = timedelta(days=policy.oncall.max_consecutive_primary_days + 1)
    names: dict[str, str] = {str(i): str(n) for i, n in session.execute(select(User.id, User.name))}
    progress("Reading the rotations", 0.1)
    rotations = session.execute(
        select(Rotation.id, Rotation.name, FieldOffice.name, Rotation.timezone)
        .join(FieldOffice, FieldOffice.id == Rotation.field_office_id)
        .where(Rotation.deleted_at.is_(None))
        .order_by(FieldOffice.name, Rotation.name)
    ).all()
    out: list[RotationOnCall] = []
    for index, (rotation_id, name, office, zone) in enumerate(rotations):
        progress(f"Rota of {office}", 0.1 + 0.7 * index / max(len(rotations), 1))
        rota = RotationOnCall(name, office, zone)
        planned_rows = session.execute(
            select(Shift)
            .where(
                Shift.rotation_id == rotation_id,
                Shift.deleted_at.is_(None),
                Shift.ends_at > lo - lead,
                Shift.starts_at < hi,
            )
            .order_by(Shift.starts_at)
        ).scalars()
        shift_rows = list(planned_rows)
        planned = planned_of(shift_rows, zone)
        overrides = (
            session.execute(
                select(Override)
                .where(
                    Override.rotation_id == rotation_id,
                    Override.deleted_at.is_(None),
                    Override.ends_at > lo - lead,
                    Override.starts_at < hi,
                )
                .order_by(*APPROVAL_ORDER)
            )
            .scalars()
            .all()
        )
        covers = covers_of(overrides, zone)
        for o in overrides:
            if o.ends_at > lo:
                rota.overrides.append(
                    OverrideRow(
                        o.starts_at,
                        o.ends_at,
                        names.get(o.covered_user_id or "", "whoever was on call"),
                        names.get(o.covering_user_id or "", "nobody (uncovered)"),
                        o.reason.value,
                        o.state.value,
                    )
                )
        rota.overrides.sort(key=lambda row: row.starts_at)
        effective = effective_shifts(planned, covers)
        backups = effective_shifts(planned_of(shift_rows, zone, OnCallRole.BACKUP), covers, OnCallRole.BACKUP)
        for backup in backups:
            if backup.ends_at > lo:
                rota.hours.setdefault(names.get(backup.person_id, "?"), [0.0, 0.0, 0])[1] += _clip(
                    backup.starts_at, backup.ends_at, lo, hi
                )
        planned_by_id = {s.id: s.person_id for s in planned}
        for piece in effective:
            if piece.ends_at <= lo or piece.starts_at >= hi:
                continue
            person = names.get(piece.person_id, "?")
            planned_person = planned_by_id.get(piece.id)
            note = (
                ""
                if planned_person == piece.person_id
                else f"covering for {names.get(planned_person, '?')}"
                if planned_person
                else "covering a gap"
            )
            standing_by = next(
                (names.get(b.person_id, "") for b in backups if b.starts_at <= piece.starts_at < b.ends_at),
                "",
            )
            rota.shifts.append(ShiftRow(piece.starts_at, piece.ends_at, person, standing_by, note))
            hours = rota.hours.setdefault(person, [0.0, 0.0, 0])
            hours[0] += _clip(piece.starts_at, piece.ends_at, lo, hi)
            hours[2] += 1
        for result in rules.gaps(rotation_id, effective, lo, hi):
            until, hours = result.detail["ends_at"], result.detail["hours"]
            rota.gaps.append(
                Warning(
                    result.detail["starts_at"], f"no primary until {until:%Y-%m-%d %H:%M} UTC ({hours:.1f} h)"
                )
            )
        for result in rules.fatigue(effective, policy):
            if not isinstance(result.due, datetime) or not lo <= result.due < hi:
                continue
            who = names.get(result.detail.get("person_id", ""), "?")
            if result.detail.get("kind") == "rest":
                text = f"{who}: only {result.detail['rest_hours']:.1f} h of rest before this shift"
            else:
                text = f"{who}: primary {result.detail['run_days']:.1f} days in a row"
            rota.fatigue.append(Warning(result.due, text))
        out.append(rota)
    return OnCallReport(period, generated, out)


def hours_rows(rota: RotationOnCall) -> list[tuple[str, float, float, int]]:
    """(person, primary hours, backup hours, primary shifts), most primary hours first."""
    rows = [(person, h[0], h[1], int(h[2])) for person, h in rota.hours.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))
