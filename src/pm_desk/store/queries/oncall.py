"""Who is on call: the effective primary and backup of a field office's rota at an instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import RequestState
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import Absence
from pm_desk.domain.rota import Cover, effective_shifts, on_call_at
from pm_desk.store.models import Leave, Override, Rotation, RotationMember, Shift, SwapRequest, User


@dataclass(frozen=True)
class OnCallNow:
    primary_id: str | None
    zone: str  # the rotation's time zone
    primary: str | None
    backup: str | None
    shift_ends_at: datetime | None
    next_primary: str | None
    next_starts_at: datetime | None


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
    planned = [ShiftFacts(s.id, s.rotation_id, s.primary_id, s.starts_at, s.ends_at) for s in rows]
    covers = [
        Cover(o.rotation_id, o.covered_user_id, o.covering_user_id, o.starts_at, o.ends_at)
        for o in session.execute(
            select(Override)
            .where(
                Override.deleted_at.is_(None),
                Override.state == RequestState.APPROVED,
                Override.rotation_id.in_(rotation_ids),
                Override.ends_at > at,
                Override.starts_at < window_end,
            )
            .order_by(Override.updated_at, Override.id)  # covers apply in the order approved
        ).scalars()
    ]
    effective = effective_shifts(planned, covers)
    now = on_call_at(effective, at)
    later = [s for s in effective if s.starts_at > at and (not now or s.person_id != now[0].person_id)]
    backup_id = next((s.backup_id for s in rows if s.starts_at <= at < s.ends_at), None)
    wanted = {s.person_id for s in now[:1] + later[:1]} | ({backup_id} if backup_id else set())
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())
    return OnCallNow(
        primary_id=now[0].person_id if now else None,
        zone=rotations[0].timezone,
        primary=names.get(now[0].person_id) if now else None,
        backup=names.get(backup_id) if backup_id else None,
        shift_ends_at=now[0].ends_at if now else None,
        next_primary=names.get(later[0].person_id) if later else None,
        next_starts_at=later[0].starts_at if later else None,
    )


@dataclass
class RotaSnapshot:
    """A rotation over a window: its plan, shifts, approved covers, leave and open requests."""

    rotation: Rotation
    members: list[str]  # user ids in order
    names: dict[str, str]
    planned: list[ShiftFacts]
    shift_rows: list[Shift]
    covers: list[Cover]
    absences: list[Absence]
    pending: list[Override]
    swaps: list[SwapRequest]


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
            .order_by(Override.updated_at, Override.id)  # covers apply in the order approved
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
    people |= {o.covering_user_id for o in overrides if o.covering_user_id} | {
        o.covered_user_id for o in overrides
    }
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(people))).all())
    return RotaSnapshot(
        rotation,
        members,
        names,
        [
            ShiftFacts(s.id, s.rotation_id, s.primary_id, s.starts_at, s.ends_at, rotation.timezone)
            for s in shifts
        ],
        list(shifts),
        [
            Cover(o.rotation_id, o.covered_user_id, o.covering_user_id, o.starts_at, o.ends_at)
            for o in overrides
            if o.state is RequestState.APPROVED
        ],
        [Absence(lv.user_id, lv.starts_at, lv.ends_at, lv.kind.value) for lv in leave],
        [o for o in overrides if o.state is RequestState.REQUESTED],
        list(swaps),
    )


def rotations_of_office(session: Session, field_office_id: str | None) -> list[tuple[str, str]]:
    statement = select(Rotation.id, Rotation.name).where(Rotation.deleted_at.is_(None))
    if field_office_id is not None:
        statement = statement.where(Rotation.field_office_id == field_office_id)
    return [(i, n) for i, n in session.execute(statement.order_by(Rotation.name))]
