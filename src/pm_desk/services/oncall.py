"""The on-call rotations of a field office: setting one up and generating its shifts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.domain.oncall_plan import MAX_SHIFT_HOURS, RotationPlan, generate_shifts
from pm_desk.services.errors import Problems
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_supervisor_of
from pm_desk.services.records import check_text, check_version, check_years, load
from pm_desk.store.models import FieldOffice, Override, Rotation, RotationMember, Shift, User
from pm_desk.store.uow import UnitOfWork


@dataclass
class RotationInput:
    field_office_id: str
    name: str
    members: Sequence[str]  # user ids, in the order they take their turns
    starts_on: date
    handoff_weekday: int = 0
    handoff_time: str = "08:00"
    shift_hours: int = 168
    timezone: str = "America/New_York"


def _validate(uow: UnitOfWork, data: RotationInput) -> None:
    problems = Problems()
    problems.require("name", data.name)
    check_text(problems, "name", data.name, 200)
    if not data.members:
        problems.add("members", "a rotation needs at least one member")
    if len(set(data.members)) != len(data.members):
        problems.add("members", "a member is listed twice")
    for user_id in data.members:
        user = uow.get(User, user_id)
        if user is None or not user.active:
            problems.add("members", "a member is not an active user")
        elif user.field_office_id != data.field_office_id:
            problems.add("members", f"{user.name} works in another field office")
    if not 0 <= data.handoff_weekday <= 6:
        problems.add("handoff_weekday", "must be a day of the week (Monday 0 to Sunday 6)")
    try:
        time.fromisoformat(data.handoff_time)
    except ValueError:
        problems.add("handoff_time", f"{data.handoff_time!r} is not a time like 08:00")
    if not 1 <= data.shift_hours <= MAX_SHIFT_HOURS:
        problems.add("shift_hours", f"must be between 1 and {MAX_SHIFT_HOURS} hours")
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.add("timezone", f"{data.timezone!r} is not a time zone like America/New_York")
    check_years(problems, starts_on=data.starts_on)
    problems.raise_if_any()


def _set_members(uow: UnitOfWork, rotation: Rotation, members: Sequence[str]) -> None:
    current = {
        m.user_id: m
        for m in uow.session.execute(
            select(RotationMember).where(RotationMember.rotation_id == rotation.id)
        ).scalars()
    }
    for position, user_id in enumerate(members):
        member = current.pop(user_id, None)
        if member is None:
            uow.session.add(RotationMember(rotation_id=rotation.id, user_id=user_id, position=position))
        else:
            member.position, member.deleted_at = position, None
    for gone in current.values():
        if gone.deleted_at is None:
            gone.deleted_at = uow.now()


@write_operation("rotation.create")
def create_rotation(uow: UnitOfWork, actor: Actor, data: RotationInput) -> str:
    """A supervisor sets up his field office's rotation."""
    load(uow, FieldOffice, data.field_office_id, "field office")
    require_supervisor_of(actor, data.field_office_id, "set up on-call rotations")
    _validate(uow, data)
    rotation = Rotation(
        field_office_id=data.field_office_id,
        name=data.name.strip(),
        handoff_weekday=data.handoff_weekday,
        handoff_time=data.handoff_time,
        shift_hours=data.shift_hours,
        timezone=data.timezone,
        starts_on=data.starts_on,
    )
    uow.session.add(rotation)
    uow.session.flush()
    _set_members(uow, rotation, data.members)
    return rotation.id


@write_operation("rotation.update")
def update_rotation(
    uow: UnitOfWork, actor: Actor, rotation_id: str, data: RotationInput, expected_version: int | None = None
) -> int:
    rotation = load(uow, Rotation, rotation_id, "rotation")
    require_supervisor_of(actor, rotation.field_office_id, "change on-call rotations")
    check_version(rotation, expected_version, "rotation")
    data.field_office_id = rotation.field_office_id
    _validate(uow, data)
    rotation.name, rotation.handoff_weekday, rotation.handoff_time = (
        data.name.strip(),
        data.handoff_weekday,
        data.handoff_time,
    )
    rotation.shift_hours, rotation.timezone, rotation.starts_on = (
        data.shift_hours,
        data.timezone,
        data.starts_on,
    )
    _set_members(uow, rotation, data.members)
    uow.session.flush()
    return rotation.version


def plan_of(uow: UnitOfWork, rotation: Rotation) -> RotationPlan:
    members = tuple(
        uow.session.execute(
            select(RotationMember.user_id)
            .where(RotationMember.rotation_id == rotation.id, RotationMember.deleted_at.is_(None))
            .order_by(RotationMember.position)
        ).scalars()
    )
    return RotationPlan(
        rotation.id,
        members,
        rotation.timezone,
        rotation.starts_on,
        rotation.handoff_weekday,
        rotation.handoff_time,
        rotation.shift_hours,
    )


@dataclass(frozen=True)
class Generated:
    created: int
    updated: int
    removed: int
    kept: int  # shifts left as they were because a person changed them (note or override)


@write_operation("rotation.generate")
def generate_rotation_shifts(
    uow: UnitOfWork, actor: Actor, rotation_id: str, start: datetime, end: datetime
) -> Generated:
    """Lay out the rotation's shifts over [start, end): new ones are created, plain ones that no
    longer match the plan are corrected or removed; shifts someone edited (a note, an imported
    shift) or that an override refers to are left alone, and the plan is laid only around them,
    so no two shifts overlap. Past shifts and the one running now are never touched."""
    rotation = load(uow, Rotation, rotation_id, "rotation")
    require_supervisor_of(actor, rotation.field_office_id, "generate on-call shifts")
    problems = Problems()
    check_years(problems, start=start, end=end)
    problems.raise_if_any()
    if end <= start:
        problems.add("end", "must be after the start")
    if (end - start).days > 3 * 366:
        problems.add("end", "generate at most three years at a time")
    problems.raise_if_any()
    start = max(start, uow.now())
    planned = generate_shifts(plan_of(uow, rotation), start, end)
    existing = {
        s.starts_at: s
        for s in uow.session.execute(
            select(Shift).where(
                Shift.rotation_id == rotation_id,
                Shift.deleted_at.is_(None),
                Shift.starts_at >= start,
                Shift.starts_at < end,
            )
        ).scalars()
    }
    referenced = set(
        uow.session.execute(
            select(Override.shift_id).where(Override.shift_id.in_([s.id for s in existing.values()]))
        ).scalars()
    )
    standing = [(s.starts_at, s.ends_at) for s in existing.values() if s.note or s.id in referenced]
    running = select(Shift.starts_at, Shift.ends_at).where(
        Shift.rotation_id == rotation_id,
        Shift.deleted_at.is_(None),
        Shift.starts_at < start,
        Shift.ends_at > start,
    )
    standing += [(a, b) for a, b in uow.session.execute(running)]
    created = updated = kept = 0
    for shift in planned:
        if shift.starts_at < start:
            continue  # the shift running now stays as it is
        for piece_start, piece_end in _around(shift.starts_at, shift.ends_at, standing):
            found = existing.pop(piece_start.astimezone(start.tzinfo), None) or existing.pop(
                piece_start, None
            )
            wanted = (piece_end, shift.primary_id, shift.backup_id)
            if found is None:
                uow.session.add(
                    Shift(
                        rotation_id=rotation_id,
                        starts_at=piece_start,
                        ends_at=piece_end,
                        primary_id=shift.primary_id,
                        backup_id=shift.backup_id,
                    )
                )
                created += 1
            elif (_aware(found.ends_at), found.primary_id, found.backup_id) != wanted:
                found.ends_at, found.primary_id, found.backup_id = wanted
                updated += 1
    removed = 0
    for leftover in existing.values():
        if leftover.note or leftover.id in referenced:
            kept += 1
            continue
        leftover.deleted_at = uow.now()
        removed += 1
    return Generated(created, updated, removed, kept)


def _aware(instant: datetime) -> datetime:
    """SQLite hands instants back without their zone; they are stored in UTC."""
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def _around(
    start: datetime, end: datetime, standing: Sequence[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The parts of [start, end) that none of the `standing` shifts holds, in order."""
    pieces = [(start, end)]
    for taken_start, taken_end in standing:
        a, b = _aware(taken_start), _aware(taken_end)
        pieces = [part for s, e in pieces for part in ((s, min(e, a)), (max(s, b), e)) if part[0] < part[1]]
    return pieces


def require_rotation_office(actor: Actor, rotation: Rotation, doing: str) -> None:
    """Managers act on their own office's rota; supervisors on their office's."""
    if actor.role not in {Role.MANAGER, Role.SUPERVISOR} or actor.field_office_id != rotation.field_office_id:
        require_supervisor_of(actor, rotation.field_office_id, doing)
