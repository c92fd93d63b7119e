"""Cover by the piece: "I can't cover" and leave take exactly the stretch asked, in every role the
person holds then (primary and backup), each role refilled by ranking; across daylight-saving
changes a local day is 23 or 25 real hours and the cover is exactly that."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from builders import World, seeding
from pm_desk.domain.enums import CoverRoles, LeaveKind, OnCallRole, OverrideReason, RequestState
from pm_desk.domain.rules import gaps
from pm_desk.services.errors import ValidationError
from pm_desk.services.oncall import RotationInput, create_rotation
from pm_desk.services.oncall_cover import (
    approve_cover,
    cannot_cover,
    enter_leave,
    ranked_replacements,
)
from pm_desk.store.database import Database
from pm_desk.store.models import Override, Shift
from pm_desk.store.queries.oncall import on_call_now
from rota_builders import NY, holders, local, make_rota, office_managers, people_in, shift_at, worked
from support import FIXED_NOW

TUESDAY = date(2026, 11, 3)


def daily(db: Database, world: World, count: int = 6) -> tuple[str, list]:
    managers = office_managers(db, world, count)
    rotation_id = make_rota(db, world, managers, date(2026, 10, 26), 24, FIXED_NOW + timedelta(days=28))
    return rotation_id, managers


def test_sick_for_one_day_is_covered_for_exactly_that_day_in_both_roles(db: Database, world: World) -> None:
    """He is backup from midnight to the 08:00 handoff, then primary: both roles are taken off
    him for that day only, each by the colleague ranked first, and the rota has no gap."""
    rotation_id, managers = daily(db, world)
    day_start, day_end = local(TUESDAY), local(TUESDAY + timedelta(days=1))
    his_shift = shift_at(db, rotation_id, local(TUESDAY, 12))
    sick = next(m for m in managers if m.user_id == his_shift.primary_id)
    assert shift_at(db, rotation_id, local(TUESDAY, 3)).backup_id == sick.user_id
    request_id = cannot_cover(db.uow(), sick, his_shift.id, OverrideReason.SICK, day_start, day_end)
    with db.uow() as uow:
        request = uow.session.get(Override, request_id)
        assert (request.starts_at, request.ends_at, request.roles) == (day_start, day_end, CoverRoles.BOTH)
    primary = ranked_replacements(db.uow(), request_id, OnCallRole.PRIMARY)
    backup = ranked_replacements(db.uow(), request_id, OnCallRole.BACKUP)
    assert primary[0].eligible and backup[0].eligible
    approve_cover(db.uow(), world.supervisor_a, request_id, primary[0].person_id)
    primaries, backups = worked(db, rotation_id, day_start - timedelta(days=2), day_end + timedelta(days=2))
    assert sick.user_id not in people_in(primaries, day_start, day_end)
    assert sick.user_id not in people_in(backups, day_start, day_end)
    assert holders(primaries, local(TUESDAY, 8), day_end) == [
        (local(TUESDAY, 8), day_end, primary[0].person_id)
    ]
    # The rest of his shift, after midnight, is still his: the cover replaced exactly the day.
    assert holders(primaries, day_end, local(TUESDAY + timedelta(days=1), 8)) == [
        (day_end, local(TUESDAY + timedelta(days=1), 8), sick.user_id)
    ]
    [(_s, _e, standing_by)] = holders(backups, day_start, local(TUESDAY, 8))
    assert standing_by == next(
        c.person_id for c in backup if c.eligible and c.person_id != primary[0].person_id
    )
    fortnight, _ = worked(db, rotation_id, FIXED_NOW, FIXED_NOW + timedelta(days=14))
    assert gaps(rotation_id, fortnight, FIXED_NOW, FIXED_NOW + timedelta(days=14)) == []
    with db.uow() as uow:
        at_night = on_call_now(uow.session, world.office_a, local(TUESDAY, 3))
        at_noon = on_call_now(uow.session, world.office_a, local(TUESDAY, 12))
    names = {m.user_id: m.name for m in managers}
    assert sick.name not in {at_night.primary, at_night.backup, at_noon.primary, at_noon.backup}
    assert at_night.backup == names[standing_by]


def test_leave_takes_the_person_off_every_role_he_holds_then(db: Database, world: World) -> None:
    rotation_id, _managers = daily(db, world)
    day_start, day_end = local(TUESDAY), local(TUESDAY + timedelta(days=1))
    sick_id = shift_at(db, rotation_id, local(TUESDAY, 12)).primary_id
    enter_leave(db.uow(), world.supervisor_a, sick_id, day_start, day_end, LeaveKind.SICK)
    with db.uow() as uow:
        [request] = uow.session.execute(select(Override).where(Override.covered_user_id == sick_id)).scalars()
        assert (request.roles, request.reason, request.state) == (
            CoverRoles.BOTH,
            OverrideReason.SICK,
            RequestState.REQUESTED,
        )
        request_id = request.id
    best = ranked_replacements(db.uow(), request_id)[0]
    approve_cover(db.uow(), world.supervisor_a, request_id, best.person_id)
    primaries, backups = worked(db, rotation_id, day_start, day_end)
    assert sick_id not in people_in(primaries, day_start, day_end) | people_in(backups, day_start, day_end)
    assert gaps(rotation_id, primaries, day_start, day_end) == []


def test_the_piece_asked_for_one_role_leaves_the_other(db: Database, world: World) -> None:
    rotation_id, managers = daily(db, world)
    shift = shift_at(db, rotation_id, local(TUESDAY, 3))
    backup = next(m for m in managers if m.user_id == shift.backup_id)
    start, end = local(TUESDAY, 1), local(TUESDAY, 5)
    request_id = cannot_cover(db.uow(), backup, shift.id, OverrideReason.OTHER, start, end, CoverRoles.BACKUP)
    ranked = ranked_replacements(db.uow(), request_id, OnCallRole.BACKUP)
    assert ranked_replacements(db.uow(), request_id, OnCallRole.PRIMARY) == []  # not asked
    approve_cover(db.uow(), world.supervisor_a, request_id, None)  # the backup goes to the first-ranked
    primaries, backups = worked(db, rotation_id, local(TUESDAY), local(TUESDAY, 8))
    stretches = holders(backups, local(TUESDAY), local(TUESDAY, 8))
    assert [(s, e) for s, e, _p in stretches] == [
        (local(TUESDAY), start),
        (start, end),
        (end, local(TUESDAY, 8)),
    ]
    assert stretches[0][2] == stretches[2][2] == backup.user_id
    assert stretches[1][2] == next(c.person_id for c in ranked if c.eligible)
    assert people_in(primaries, start, end) == {shift.primary_id}  # the primary role is untouched


def test_asking_for_a_role_one_does_not_hold_then_is_refused(db: Database, world: World) -> None:
    rotation_id, managers = daily(db, world)
    shift = shift_at(db, rotation_id, local(TUESDAY, 12))
    owner = next(m for m in managers if m.user_id == shift.primary_id)
    with pytest.raises(ValidationError) as refused:
        cannot_cover(db.uow(), owner, shift.id, OverrideReason.SICK, local(TUESDAY, 12), local(TUESDAY, 14),
                     CoverRoles.BACKUP)  # fmt: skip
    assert refused.value.for_field("starts_at") == "you are not the backup then"


def test_a_stretch_already_over_is_refused(db: Database, world: World, clock) -> None:
    rotation_id, managers = daily(db, world)
    shift = shift_at(db, rotation_id, local(TUESDAY, 12))
    owner = next(m for m in managers if m.user_id == shift.primary_id)
    clock.now = local(TUESDAY, 20).astimezone(UTC)
    with pytest.raises(ValidationError) as refused:
        cannot_cover(db.uow(), owner, shift.id, OverrideReason.SICK, local(TUESDAY, 9), local(TUESDAY, 10))
    assert refused.value.for_field("ends_at") == "this stretch is already over"


# -- daylight-saving changes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("week_start", "day", "hours"),
    [
        (date(2026, 10, 26), date(2026, 11, 1), 25),  # the clocks go back on Sunday 1 November
        (date(2027, 3, 8), date(2027, 3, 14), 23),  # and forward on Sunday 14 March 2027
    ],
    ids=["november", "march"],
)
def test_a_cover_of_a_local_day_inside_a_weekly_shift_across_a_dst_change(
    db: Database, world: World, week_start: date, day: date, hours: int
) -> None:
    """A weekly shift (Monday 08:00 to Monday 08:00) that spans a DST change; the primary is sick
    for the Sunday of the change: the cover is that local day, 25 or 23 real hours, and the
    shift around it is his."""
    managers = office_managers(db, world, 4)
    data = RotationInput(world.office_a, "Miami duty", [m.user_id for m in managers], week_start,
                         shift_hours=168, timezone="America/New_York")  # fmt: skip
    rotation_id = create_rotation(db.uow(), world.supervisor_a, data)
    weeks = [(week_start + timedelta(weeks=n), managers[n % 4], managers[(n + 1) % 4]) for n in range(-1, 3)]
    with seeding(db) as uow:
        for monday, primary, backup in weeks:
            uow.session.add(Shift(rotation_id=rotation_id, starts_at=local(monday, 8),
                                  ends_at=local(monday + timedelta(weeks=1), 8), primary_id=primary.user_id,
                                  backup_id=backup.user_id))  # fmt: skip
    shift = shift_at(db, rotation_id, local(day, 12))
    sick = next(m for m in managers if m.user_id == shift.primary_id)
    day_start, day_end = local(day).astimezone(UTC), local(day + timedelta(days=1)).astimezone(UTC)
    assert day_end - day_start == timedelta(hours=hours)
    request_id = cannot_cover(db.uow(), sick, shift.id, OverrideReason.SICK, day_start, day_end)
    with db.uow() as uow:
        request = uow.session.get(Override, request_id)
        assert request.ends_at - request.starts_at == timedelta(hours=hours)
        assert request.roles is CoverRoles.PRIMARY  # he is nobody's backup that week
    best = next(c for c in ranked_replacements(db.uow(), request_id) if c.eligible)
    approve_cover(db.uow(), world.supervisor_a, request_id, best.person_id)
    week_end = local(week_start + timedelta(weeks=1), 8)
    primaries, _ = worked(db, rotation_id, local(week_start, 8), week_end)
    assert holders(primaries, local(week_start, 8), week_end) == [
        (local(week_start, 8), day_start, sick.user_id),
        (day_start, day_end, best.person_id),
        (day_end, week_end, sick.user_id),
    ]
    covered = sum(
        ((e - s) for s, e, p in holders(primaries, day_start, day_end) if p == best.person_id), timedelta()
    )
    assert covered == timedelta(hours=hours)
    assert gaps(rotation_id, primaries, local(week_start, 8), week_end) == []


def test_in_the_repeated_hour_of_november_the_cover_ends_on_the_instant_asked(
    db: Database, world: World
) -> None:
    """01:30 happens twice on 1 November: a cover to 01:30 EST (the second) is an hour longer
    than one to 01:30 EDT, and ends exactly there."""
    rotation_id, managers = daily(db, world)
    shift = shift_at(db, rotation_id, datetime(2026, 11, 1, 1, 0, tzinfo=NY))
    owner = next(m for m in managers if m.user_id == shift.primary_id)
    start = datetime(2026, 11, 1, 0, 30, tzinfo=NY)
    end = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=2)
    request_id = cannot_cover(db.uow(), owner, shift.id, OverrideReason.SICK, start, end, CoverRoles.PRIMARY)
    best = next(c for c in ranked_replacements(db.uow(), request_id) if c.eligible)
    approve_cover(db.uow(), world.supervisor_a, request_id, best.person_id)
    primaries, _ = worked(db, rotation_id, start, end)
    [(s, e, person)] = holders(primaries, start.astimezone(UTC), end.astimezone(UTC))
    assert (s, e, person) == (start.astimezone(UTC), end.astimezone(UTC), best.person_id)
    assert e - s == timedelta(hours=2)
