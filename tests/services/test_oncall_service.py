"""The rota as a supervisor and his managers use it: set up, generate, call in sick, rank
replacements, approve, leave, swaps; who may do what; the calendar file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from builders import World, audit_rows, seeding
from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import LeaveKind, RequestState, Role
from pm_desk.services.actor import actor_from_user
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.services.oncall import RotationInput, create_rotation, generate_rotation_shifts
from pm_desk.services.oncall_cover import (
    approve_cover,
    approve_swap,
    cannot_cover,
    enter_leave,
    holiday_exception,
    ranked_replacements,
    request_swap,
)
from pm_desk.services.oncall_ics import oncall_calendar
from pm_desk.services.oncall_view import rota_view
from pm_desk.store.database import Database
from pm_desk.store.models import Override, Shift, User

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)  # the tests' fixed clock


def six_managers(db: Database, world: World) -> list[Actor]:
    """Mia One and Max Two, and four more managers of the Miami office."""
    with seeding(db) as uow:
        extra = [
            User(
                email=f"m{n}@ice.example.gov",
                name=f"Manager {n}",
                role=Role.MANAGER,
                field_office_id=world.office_a,
            )
            for n in range(3, 7)
        ]
        uow.session.add_all(extra)
        uow.session.flush()
        actors = [actor_from_user(u) for u in extra]
    return [world.m1, world.m2, *actors]


def daily_rota(db: Database, world: World, managers: list[Actor]) -> str:
    data = RotationInput(world.office_a, "Miami duty", [m.user_id for m in managers], date(2026, 10, 26),
                         handoff_time="08:00", shift_hours=24, timezone="America/New_York")  # fmt: skip
    rotation_id = create_rotation(db.uow(), world.supervisor_a, data)
    generate_rotation_shifts(db.uow(), world.supervisor_a, rotation_id, NOW, NOW + timedelta(days=28))
    return rotation_id


def shift_starting(db: Database, rotation_id: str, day: date) -> Shift:
    start = datetime(day.year, day.month, day.day, 8, tzinfo=NY)
    with db.uow() as uow:
        return uow.session.execute(
            select(Shift).where(Shift.rotation_id == rotation_id, Shift.starts_at == start)
        ).scalar_one()


def test_a_sick_manager_is_covered_and_the_rota_has_no_gap(db: Database, world: World) -> None:
    """The check of the issue: a rota of six, a sick call for tomorrow, ranked cover, approval."""
    managers = six_managers(db, world)
    rotation_id = daily_rota(db, world, managers)
    tomorrow = shift_starting(db, rotation_id, date(2026, 11, 1))
    sick = next(m for m in managers if m.user_id == tomorrow.primary_id)
    # Another manager is away tomorrow (no shift of his then): he cannot be the replacement.
    away = next(m for m in managers if m.user_id not in {sick.user_id, tomorrow.backup_id})
    enter_leave(db.uow(), away, away.user_id, tomorrow.starts_at, tomorrow.ends_at, LeaveKind.ANNUAL)
    request_id = cannot_cover(db.uow(), sick, tomorrow.id, starts_at=tomorrow.starts_at)
    ranked = ranked_replacements(db.uow(), request_id)
    assert sick.user_id not in {c.person_id for c in ranked}
    assert [c.reasons for c in ranked if c.person_id == away.user_id] == [("on leave",)]
    eligible = [c for c in ranked if c.eligible]
    assert len(eligible) == 4
    assert [c.hours_last_window for c in eligible] == sorted(c.hours_last_window for c in eligible)
    with db.uow() as uow:
        before = rota_view(uow, rotation_id, date(2026, 11, 1), 2, NOW)
    assert (
        any(w.kind == "leave" or w.kind == "gap" for w in before.warnings) is False
    )  # a request is not a gap yet
    approve_cover(db.uow(), world.supervisor_a, request_id, eligible[0].person_id)
    with db.uow() as uow:
        view = rota_view(uow, rotation_id, date(2026, 11, 1), 2, NOW)
    [covered] = [s for s in view.days[0].shifts if s.shift_id == tomorrow.id]
    assert (covered.primary_id, covered.covering) == (eligible[0].person_id, True)
    assert [w for w in view.warnings if w.kind == "gap"] == []


def test_a_manager_cannot_approve_his_own_cover(db: Database, world: World) -> None:
    managers = six_managers(db, world)
    rotation_id = daily_rota(db, world, managers)
    shift = shift_starting(db, rotation_id, date(2026, 11, 2))
    owner = next(m for m in managers if m.user_id == shift.primary_id)
    request_id = cannot_cover(db.uow(), owner, shift.id, starts_at=shift.starts_at)
    other = next(m for m in managers if m.user_id != owner.user_id)
    with pytest.raises(PermissionDenied):
        approve_cover(db.uow(), owner, request_id, other.user_id)
    assert audit_rows(db, action="denied")[-1].operation == "oncall.approve_cover"
    with db.uow() as uow:
        assert uow.session.get(Override, request_id).state is RequestState.REQUESTED


def test_only_the_offices_supervisor_sets_up_rotations(db: Database, world: World) -> None:
    data = RotationInput(world.office_a, "Miami", [world.m1.user_id, world.m2.user_id], date(2026, 11, 2))
    for who in (world.m1, world.staff, world.supervisor_b):
        with pytest.raises(PermissionDenied):
            create_rotation(db.uow(), who, data)
    bad = replace(data, members=[world.m1.user_id, world.manager_b.user_id], timezone="Mars/Olympus")
    with pytest.raises(ValidationError) as refused:
        create_rotation(db.uow(), world.supervisor_a, bad)
    assert refused.value.for_field("members") == "Bea Manager works in another field office"
    assert refused.value.for_field("timezone") == "'Mars/Olympus' is not a time zone like America/New_York"


def test_regenerating_keeps_covered_shifts_and_changes_nothing_else(db: Database, world: World) -> None:
    managers = six_managers(db, world)
    rotation_id = daily_rota(db, world, managers)
    shift = shift_starting(db, rotation_id, date(2026, 11, 3))
    owner = next(m for m in managers if m.user_id == shift.primary_id)
    cannot_cover(db.uow(), owner, shift.id, starts_at=shift.starts_at)
    again = generate_rotation_shifts(db.uow(), world.supervisor_a, rotation_id, NOW, NOW + timedelta(days=28))
    assert (again.created, again.updated, again.removed) == (0, 0, 0)


def test_leave_entered_ahead_asks_for_cover_of_every_shift_it_touches(db: Database, world: World) -> None:
    managers = six_managers(db, world)
    rotation_id = daily_rota(db, world, managers)
    with db.uow() as uow:
        shifts = uow.session.execute(
            select(Shift).where(Shift.rotation_id == rotation_id, Shift.primary_id == world.m1.user_id)
            .order_by(Shift.starts_at)
        ).scalars().all()  # fmt: skip
    first = shifts[0]
    enter_leave(db.uow(), world.m1, world.m1.user_id, first.starts_at - timedelta(hours=2),
                first.ends_at + timedelta(hours=2), LeaveKind.ANNUAL)  # fmt: skip
    with db.uow() as uow:
        requests = uow.session.execute(
            select(Override).where(Override.covered_user_id == world.m1.user_id)
        ).scalars()
        assert [(o.shift_id, o.state, o.reason.value) for o in requests] == [
            (first.id, RequestState.REQUESTED, "leave")
        ]
        view = rota_view(uow, rotation_id, first.starts_at.astimezone(NY).date(), 1, NOW)
    assert [w.kind for w in view.warnings] == ["leave"]  # uncovered until a supervisor approves


def test_a_swap_is_approved_by_the_supervisor(db: Database, world: World) -> None:
    managers = six_managers(db, world)
    rotation_id = daily_rota(db, world, managers)
    mine = shift_starting(db, rotation_id, date(2026, 11, 4))
    owner = next(m for m in managers if m.user_id == mine.primary_id)
    theirs = shift_starting(db, rotation_id, date(2026, 11, 8))
    swap_id = request_swap(db.uow(), owner, mine.id, theirs.primary_id, theirs.id)
    with pytest.raises(PermissionDenied):
        approve_swap(db.uow(), owner, swap_id)
    approve_swap(db.uow(), world.supervisor_a, swap_id)
    with db.uow() as uow:
        view = rota_view(uow, rotation_id, date(2026, 11, 4), 5, NOW)
    on_call = {line.shift_id: line.primary_id for day in view.days for line in day.shifts}
    assert (on_call[mine.id], on_call[theirs.id]) == (theirs.primary_id, owner.user_id)


def test_auto_assignment_by_policy(db: Database, world: World) -> None:
    managers = six_managers(db, world)
    rotation_id = daily_rota(db, world, managers)
    db.policy = replace(db.policy, oncall=replace(db.policy.oncall, auto_assign_first_ranked=True))
    shift = shift_starting(db, rotation_id, date(2026, 11, 5))
    owner = next(m for m in managers if m.user_id == shift.primary_id)
    request_id = cannot_cover(db.uow(), owner, shift.id, starts_at=shift.starts_at)
    with db.uow() as uow:
        override = uow.session.get(Override, request_id)
        assert override.state is RequestState.APPROVED and override.covering_user_id not in {
            None,
            owner.user_id,
        }


def test_the_calendar_file_reads_back_with_the_shifts(db: Database, world: World) -> None:
    managers = six_managers(db, world)
    daily_rota(db, world, managers)
    with db.uow() as uow:
        ics = oncall_calendar(uow, NOW, NOW + timedelta(days=7), world.m1.user_id).to_ical()
    parsed = Calendar.from_ical(ics)
    events = parsed.walk("VEVENT")
    assert events and all("Mia One" in str(e.get("summary")) for e in events)
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start.tzinfo is not None and end - start == timedelta(hours=24)
        assert start.astimezone(NY).hour == 8


def test_a_holiday_exception_puts_one_person_on_call_all_day(db: Database, world: World) -> None:
    managers = six_managers(db, world)
    rotation_id = daily_rota(db, world, managers)
    thanksgiving = date(2026, 11, 26)
    holiday = managers[3]
    holiday_exception(db.uow(), world.supervisor_a, rotation_id, thanksgiving, holiday.user_id)
    with db.uow() as uow:
        view = rota_view(uow, rotation_id, thanksgiving, 1, NOW)
    pieces = view.days[0].shifts
    day_start = datetime(2026, 11, 26, tzinfo=NY)
    covering = [p for p in pieces if p.starts_at < day_start + timedelta(days=1) and p.ends_at > day_start
                and p.starts_at >= day_start]  # fmt: skip
    assert {p.primary_id for p in covering} == {holiday.user_id}
    again = generate_rotation_shifts(db.uow(), world.supervisor_a, rotation_id, NOW, NOW + timedelta(days=28))
    assert again.kept >= 1 and (again.updated, again.removed) == (0, 0)
    holiday_exception(db.uow(), world.supervisor_a, rotation_id, thanksgiving, None)  # taken back
    with db.uow() as uow:
        view = rota_view(uow, rotation_id, thanksgiving, 1, NOW)
    assert not any(p.covering for p in view.days[0].shifts)
    with pytest.raises(PermissionDenied):
        holiday_exception(db.uow(), world.m1, rotation_id, thanksgiving, world.m1.user_id)


def test_a_holiday_exception_overrules_an_earlier_cover_and_a_later_one_overrules_it(
    db: Database, world: World, clock
) -> None:
    managers = six_managers(db, world)
    rotation_id = daily_rota(db, world, managers)
    day = date(2026, 11, 26)
    shift = shift_starting(db, rotation_id, day)
    sick = next(m for m in managers if m.user_id == shift.primary_id)
    others = [m for m in managers if m.user_id not in {sick.user_id, shift.backup_id}]
    request_id = cannot_cover(db.uow(), sick, shift.id, starts_at=shift.starts_at)
    approve_cover(db.uow(), world.supervisor_a, request_id, others[0].user_id)

    def primaries_at(hour: int) -> set[str]:
        instant = datetime(2026, 11, 26, hour, tzinfo=NY)
        with db.uow() as uow:
            view = rota_view(uow, rotation_id, day, 1, NOW)
        return {s.primary_id for s in view.days[0].shifts if s.starts_at <= instant < s.ends_at}

    assert primaries_at(12) == {others[0].user_id}
    clock.now = NOW + timedelta(minutes=5)
    holiday_exception(db.uow(), world.supervisor_a, rotation_id, day, others[1].user_id)
    assert primaries_at(12) == primaries_at(1) == {others[1].user_id}
    # The person of the holiday falls sick in turn: his own cover, approved later, takes over.
    clock.now = NOW + timedelta(minutes=10)
    second = cannot_cover(db.uow(), others[1], shift.id, starts_at=shift.starts_at)
    approve_cover(db.uow(), world.supervisor_a, second, others[2].user_id)
    assert primaries_at(12) == {others[2].user_id}
