"""Who is on call: the effective primary and backup of a field office's rota at an instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import RequestState
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.rota import Cover, effective_shifts, on_call_at
from pm_desk.store.models import Override, Rotation, Shift, User


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
            select(Override).where(
                Override.deleted_at.is_(None),
                Override.state == RequestState.APPROVED,
                Override.rotation_id.in_(rotation_ids),
                Override.ends_at > at,
                Override.starts_at < window_end,
            )
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
