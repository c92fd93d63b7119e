"""Rotas for the on-call tests: managers of the Miami office on a daily or weekly rota, and who
holds which role when, read back the way the app reads it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from builders import World, seeding
from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.domain.facts import ShiftFacts
from pm_desk.services.actor import actor_from_user
from pm_desk.services.oncall import RotationInput, create_rotation, generate_rotation_shifts
from pm_desk.store.database import Database
from pm_desk.store.models import Shift, User
from pm_desk.store.queries.oncall import rota_snapshot

NY = ZoneInfo("America/New_York")


def office_managers(db: Database, world: World, count: int) -> list[Actor]:
    """Mia One and Max Two, and more managers of the Miami office up to `count`."""
    with seeding(db) as uow:
        extra = [
            User(email=f"m{n}@ice.example.gov", name=f"Manager {n}", role=Role.MANAGER,
                 field_office_id=world.office_a)
            for n in range(3, count + 1)
        ]  # fmt: skip
        uow.session.add_all(extra)
        uow.session.flush()
        actors = [actor_from_user(u) for u in extra]
    return [world.m1, world.m2, *actors][:count]


def make_rota(
    db: Database,
    world: World,
    managers: list[Actor],
    starts_on: date,
    shift_hours: int,
    until: datetime,
    weekday: int = 0,
) -> str:
    data = RotationInput(world.office_a, "Miami duty", [m.user_id for m in managers], starts_on,
                         handoff_weekday=weekday, handoff_time="08:00", shift_hours=shift_hours,
                         timezone="America/New_York")  # fmt: skip
    rotation_id = create_rotation(db.uow(), world.supervisor_a, data)
    generate_rotation_shifts(db.uow(), world.supervisor_a, rotation_id, db.clock(), until)
    return rotation_id


def local(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=NY)


def shift_at(db: Database, rotation_id: str, instant: datetime) -> Shift:
    with db.uow() as uow:
        return uow.session.execute(
            select(Shift).where(
                Shift.rotation_id == rotation_id,
                Shift.deleted_at.is_(None),
                Shift.starts_at <= instant,
                Shift.ends_at > instant,
            )
        ).scalar_one()


def worked(
    db: Database, rotation_id: str, start: datetime, end: datetime
) -> tuple[list[ShiftFacts], list[ShiftFacts]]:
    """(primaries, backups) of the rotation over [start, end), covers applied."""
    with db.uow() as uow:
        snapshot = rota_snapshot(uow.session, rotation_id, start - timedelta(days=1), end + timedelta(days=1))
        assert snapshot is not None
        return snapshot.primaries(), snapshot.backups()


def holders(shifts: list[ShiftFacts], start: datetime, end: datetime) -> list[tuple[datetime, datetime, str]]:
    """Who holds the role over [start, end), in order, each stretch clipped to it."""
    return [
        (max(s.starts_at, start), min(s.ends_at, end), s.person_id)
        for s in sorted(shifts, key=lambda s: s.starts_at)
        if s.ends_at > start and s.starts_at < end
    ]


def people_in(shifts: list[ShiftFacts], start: datetime, end: datetime) -> set[str]:
    return {person for _s, _e, person in holders(shifts, start, end)}
