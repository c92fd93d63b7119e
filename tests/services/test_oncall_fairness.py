"""Fairness counts what was worked: the hours, nights, weekend and holiday hours of the On-call
page's fairness view follow the covers approved, over the whole fairness window (not only the
days on screen)."""

from __future__ import annotations

from datetime import date, timedelta

from builders import World, seeding
from pm_desk.domain.enums import OverrideReason, RequestState
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import fairness
from pm_desk.services.oncall import RotationInput, create_rotation
from pm_desk.services.oncall_view import rota_view
from pm_desk.store.database import Database
from pm_desk.store.models import Override, Shift
from rota_builders import local, office_managers
from support import FIXED_NOW

FIRST = date(2026, 9, 1)
DAYS = 60  # daily shifts from 1 September 08:00 to 31 October 08:00 (the tests' now)


def test_fairness_counts_the_covers_actually_worked(db: Database, world: World) -> None:
    a, b, c = office_managers(db, world, 3)
    members = [a, b, c]
    data = RotationInput(world.office_a, "Miami duty", [m.user_id for m in members], FIRST, shift_hours=24,
                         timezone="America/New_York")  # fmt: skip
    rotation_id = create_rotation(db.uow(), world.supervisor_a, data)
    planned: list[ShiftFacts] = []
    with seeding(db) as uow:
        for k in range(DAYS):
            start, end = local(FIRST + timedelta(days=k), 8), local(FIRST + timedelta(days=k + 1), 8)
            primary, backup = members[k % 3], members[(k + 1) % 3]
            shift = Shift(rotation_id=rotation_id, starts_at=start, ends_at=end, primary_id=primary.user_id,
                          backup_id=backup.user_id)  # fmt: skip
            uow.session.add(shift)
            uow.session.flush()
            planned.append(
                ShiftFacts(shift.id, rotation_id, shift.primary_id, start, end, "America/New_York")
            )
        # Saturday 5 September: B's day, worked by C; Labor Day, Monday 7 September: A's, worked by B.
        for day, covered, covering in ((date(2026, 9, 5), b, c), (date(2026, 9, 7), a, b)):
            assert members[(day - FIRST).days % 3] is covered
            uow.session.add(Override(rotation_id=rotation_id, covered_user_id=covered.user_id,
                                     covering_user_id=covering.user_id, starts_at=local(day, 8),
                                     ends_at=local(day + timedelta(days=1), 8), reason=OverrideReason.SICK,
                                     state=RequestState.APPROVED))  # fmt: skip
    with db.uow() as uow:
        view = rota_view(uow, rotation_id, date(2026, 10, 26), 7, FIXED_NOW)  # the week on screen
    shown = dict(view.fairness)
    window = FIXED_NOW - timedelta(days=db.policy.oncall.fairness_window_days)
    rota = {f.person_id: f for f in fairness(planned, [m.user_id for m in members], window, FIXED_NOW,
                                             "America/New_York")}  # fmt: skip

    def change(person) -> tuple[float, int, float, float]:  # type: ignore[no-untyped-def]
        got, plan = shown[person.name], rota[person.user_id]
        return (
            got.hours - plan.hours,
            got.nights - plan.nights,
            got.weekend_hours - plan.weekend_hours,
            got.holiday_hours - plan.holiday_hours,
        )

    assert rota[a.user_id].hours == 20 * 24  # the whole window is counted, not the week shown
    assert change(a) == (-24, -1, 0, -16)  # Labor Day from 08:00 to midnight: 16 holiday hours
    assert change(b) == (0, 0, -24, 16)  # gave a weekend day, took the holiday
    assert change(c) == (24, 1, 24, 0)  # took the weekend day
