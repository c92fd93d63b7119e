"""Who is on call: a rotation's shifts, overrides and leave read into the domain's facts, and the
effective primary and backup of a field office's rota at an instant."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import COVER_REASONS, OnCallRole, RequestState
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import Absence
from pm_desk.domain.rota import Cover, effective_shifts, on_call_at, span_of, vacated_shifts, widest
from pm_desk.domain.rules import gaps
from pm_desk.store.models import Leave, Override, Rotation, RotationMember, Shift, SwapRequest, User

# Covers apply in the order they were approved (an override is last changed when approved).
APPROVAL_ORDER = (Override.updated_at, Override.id)


def covers_of(overrides: Iterable[Override], zone: str = "UTC") -> list[Cover]:
    """The domain's covers of the approved overrides among `overrides`, in the order given: one
    per role an override takes over."""
    covers: list[Cover] = []
    for o in overrides:
        if o.state is not RequestState.APPROVED:
            continue
        for role in o.roles.roles:
            covering = o.covering_user_id if role is OnCallRole.PRIMARY else o.backup_covering_user_id
            covers.append(
                Cover(
                    o.rotation_id,
                    o.covered_user_id,
                    covering,
                    o.starts_at,
                    o.ends_at,
                    role,
                    o.id,
                    o.shift_id,
                    zone,
                )
            )
    return covers


def unavailability_of(overrides: Iterable[Override]) -> list[Absence]:
    """The times people asked to be covered for (sick, leave, other), asked or approved: they
    said they cannot be on call then, so nobody proposes them for it."""
    return [
        Absence(o.covered_user_id, o.starts_at, o.ends_at, "asked for cover")
        for o in overrides
        if o.covered_user_id is not None
        and o.reason in COVER_REASONS
        and o.state in {RequestState.REQUESTED, RequestState.APPROVED}
    ]


def planned_of(shifts: Iterable[Shift], zone: str, role: OnCallRole = OnCallRole.PRIMARY) -> list[ShiftFacts]:
    """The planned holders of `role` of each shift (shifts without a backup have none)."""
    facts: list[ShiftFacts] = []
    for s in shifts:
        person = s.primary_id if role is OnCallRole.PRIMARY else s.backup_id
        if person is not None:
            facts.append(ShiftFacts(s.id, s.rotation_id, person, s.starts_at, s.ends_at, zone))
    return facts


def laid_out_span(session: Session, rotation_ids: Sequence[str]) -> dict[str, tuple[datetime, datetime]]:
    """Per rotation, from the start of its first shift to the end of its last: the stretch its
    rota is laid out for (gaps are measured inside it; past its end the rota is not generated)."""
    if not rotation_ids:
        return {}
    rows = session.execute(
        select(Shift.rotation_id, func.min(Shift.starts_at), func.max(Shift.ends_at))
        .where(Shift.deleted_at.is_(None), Shift.rotation_id.in_(rotation_ids))
        .group_by(Shift.rotation_id)
    ).all()
    return {rotation_id: (first, last) for rotation_id, first, last in rows}


@dataclass(frozen=True)
class OnCallNow:
    primary_id: str | None
    zone: str  # the rotation's time zone
    primary: str | None
    backup: str | None
    shift_ends_at: datetime | None
    next_primary: str | None
    next_starts_at: datetime | None
    rotation_id: str | None = None
    # Nobody is primary now inside the laid-out rota: the gap runs until this instant.
    gap_until: datetime | None = None
    laid_out: bool = True  # False: `at` is outside every rotation's laid-out shifts


def on_call_now(session: Session, field_office_id: str | None, at: datetime) -> OnCallNow | None:
    """The field office's on-call people at `at`, with overrides applied; None without a rota."""
    rotations = session.execute(
        select(Rotation.id, Rotation.timezone).where(
            Rotation.deleted_at.is_(None), Rotation.field_office_id == field_office_id
        )
    ).all()
    if not rotations:
        return None
    rotation_ids = [r.id for r in rotations]
    zones = {r.id: r.timezone for r in rotations}
    window_end = at + timedelta(days=14)
    rows = (
        session.execute(
            select(Shift)
            .where(
                Shift.deleted_at.is_(None),
                Shift.rotation_id.in_(rotation_ids),
                Shift.ends_at > at,
                Shift.starts_at < window_end,
            )
            .order_by(Shift.starts_at)
        )
        .scalars()
        .all()
    )
    overrides = session.execute(
        select(Override)
        .where(
            Override.deleted_at.is_(None),
            Override.state == RequestState.APPROVED,
            Override.rotation_id.in_(rotation_ids),
            Override.ends_at > at,
            Override.starts_at < window_end,
        )
        .order_by(*APPROVAL_ORDER)
    ).scalars()
    covers = [c for o in overrides for c in covers_of([o], zones.get(o.rotation_id, "UTC"))]
    planned = [f for s in rows for f in planned_of([s], zones.get(s.rotation_id, "UTC"))]
    backups = [f for s in rows for f in planned_of([s], zones.get(s.rotation_id, "UTC"), OnCallRole.BACKUP)]
    effective = effective_shifts(planned, covers)
    now = on_call_at(effective, at)
    later = [s for s in effective if s.starts_at > at and (not now or s.person_id != now[0].person_id)]
    backup_now = on_call_at(effective_shifts(backups, covers, OnCallRole.BACKUP), at)
    backup_id = backup_now[0].person_id if backup_now else None
    wanted = {s.person_id for s in now[:1] + later[:1]} | ({backup_id} if backup_id else set())
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())
    gap_rotation, gap_until, laid_out = _gap_now(session, rotation_ids, effective, at, window_end)
    return OnCallNow(
        primary_id=now[0].person_id if now else None,
        zone=zones.get(gap_rotation or "", rotations[0].timezone),
        primary=names.get(now[0].person_id) if now else None,
        backup=names.get(backup_id) if backup_id else None,
        shift_ends_at=now[0].ends_at if now else None,
        next_primary=names.get(later[0].person_id) if later else None,
        next_starts_at=later[0].starts_at if later else None,
        rotation_id=gap_rotation or rotation_ids[0],
        gap_until=gap_until,
        laid_out=laid_out,
    )


def _gap_now(
    session: Session, rotation_ids: list[str], effective: list[ShiftFacts], at: datetime, window_end: datetime
) -> tuple[str | None, datetime | None, bool]:
    """(rotation, end of the gap) when nobody is primary at `at` inside a rotation's laid-out
    rota; and whether `at` is inside one at all."""
    if on_call_at(effective, at):
        return None, None, True
    spans = laid_out_span(session, rotation_ids)
    for rotation_id in rotation_ids:
        mine = [s for s in effective if s.rotation_id == rotation_id]
        laid = widest(spans.get(rotation_id), span_of(mine))
        if laid is None or not laid[0] <= at < laid[1]:
            continue
        found = gaps(rotation_id, mine, at, min(laid[1], window_end))
        if found:
            return rotation_id, found[0].detail["ends_at"], True
    return None, None, False


@dataclass
class RotaSnapshot:
    """A rotation over a window: its plan, shifts, approved covers, leave and open requests."""

    rotation: Rotation
    members: list[str]  # user ids in order
    names: dict[str, str]
    planned: list[ShiftFacts]  # each shift's planned primary
    planned_backups: list[ShiftFacts]  # each shift's planned backup
    shift_rows: list[Shift]
    covers: list[Cover]  # approved, in the order approved, one per role taken over
    absences: list[Absence]
    unavailable: list[Absence]  # times people asked to be covered for
    pending: list[Override]
    swaps: list[SwapRequest]

    def primaries(self) -> list[ShiftFacts]:
        """Who is primary when, covers applied."""
        return effective_shifts(self.planned, self.covers)

    def backups(self) -> list[ShiftFacts]:
        """Who stands by as backup when, covers applied."""
        return effective_shifts(self.planned_backups, self.covers, OnCallRole.BACKUP)

    def vacated(self, role: OnCallRole) -> list[ShiftFacts]:
        """Stretches of `role` someone was taken off with nobody in his place (by whom)."""
        planned = self.planned if role is OnCallRole.PRIMARY else self.planned_backups
        return vacated_shifts(planned, self.covers, role)


def rota_snapshot(session: Session, rotation_id: str, start: datetime, end: datetime) -> RotaSnapshot | None:
    rotation = session.get(Rotation, rotation_id)
    if rotation is None or rotation.deleted_at is not None:
        return None
    members = [
        m.user_id
        for m in session.execute(
            select(RotationMember)
            .where(RotationMember.rotation_id == rotation_id, RotationMember.deleted_at.is_(None))
            .order_by(RotationMember.position)
        ).scalars()
    ]
    shifts = (
        session.execute(
            select(Shift)
            .where(
                Shift.rotation_id == rotation_id,
                Shift.deleted_at.is_(None),
                Shift.ends_at > start,
                Shift.starts_at < end,
            )
            .order_by(Shift.starts_at)
        )
        .scalars()
        .all()
    )
    overrides = (
        session.execute(
            select(Override)
            .where(
                Override.rotation_id == rotation_id,
                Override.deleted_at.is_(None),
                Override.ends_at > start,
                Override.starts_at < end,
            )
            .order_by(*APPROVAL_ORDER)
        )
        .scalars()
        .all()
    )
    people = set(members) | {s.primary_id for s in shifts} | {s.backup_id for s in shifts if s.backup_id}
    leave = (
        session.execute(
            select(Leave).where(
                Leave.deleted_at.is_(None),
                Leave.user_id.in_(people),
                Leave.ends_at > start,
                Leave.starts_at < end,
            )
        )
        .scalars()
        .all()
    )
    shift_ids = [s.id for s in shifts]
    swaps = (
        session.execute(
            select(SwapRequest).where(
                SwapRequest.deleted_at.is_(None),
                SwapRequest.state == RequestState.REQUESTED,
                SwapRequest.shift_id.in_(shift_ids),
            )
        )
        .scalars()
        .all()
    )
    for o in overrides:
        people |= {p for p in (o.covering_user_id, o.backup_covering_user_id, o.covered_user_id) if p}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(people))).all())
    zone = rotation.timezone
    return RotaSnapshot(
        rotation,
        members,
        names,
        planned_of(shifts, zone),
        planned_of(shifts, zone, OnCallRole.BACKUP),
        list(shifts),
        covers_of(overrides, zone),
        [Absence(lv.user_id, lv.starts_at, lv.ends_at, lv.kind.value) for lv in leave],
        unavailability_of(overrides),
        [o for o in overrides if o.state is RequestState.REQUESTED],
        list(swaps),
    )


def rotations_of_office(session: Session, field_office_id: str | None) -> list[tuple[str, str]]:
    statement = select(Rotation.id, Rotation.name).where(Rotation.deleted_at.is_(None))
    if field_office_id is not None:
        statement = statement.where(Rotation.field_office_id == field_office_id)
    return [(i, n) for i, n in session.execute(statement.order_by(Rotation.name))]
