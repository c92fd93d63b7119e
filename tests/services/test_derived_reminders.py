"""Derived reminders: every compliance result with a due date of one's caseload, without anyone
typing it; gone when the record is fixed; snooze and done remembered across runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from reminder_cases import add_reminder
from sqlalchemy import select

from builders import World, add_finding, add_inspection, add_officer, audit_rows, count
from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import ReminderState
from pm_desk.domain.policy import Policy
from pm_desk.domain.scope import caseload_of
from pm_desk.services import reminders, training
from pm_desk.services.compliance import compliance_results
from pm_desk.services.reminder_views import (
    ReminderItem,
    attention_count,
    due_today,
    reminder_items,
)
from pm_desk.store.database import Database, open_database
from pm_desk.store.models import Reminder
from support import FakeClock

NY = "America/New_York"
LAPSED_INITIAL = date(2025, 9, 1)  # refresher due 2026-09-01: overdue at the tests' clock


def items_of(
    db: Database, policy: Policy, actor: Actor, now: datetime, closed: bool = False
) -> list[ReminderItem]:
    with db.uow() as uow:
        return reminder_items(uow, policy, actor, now, NY, include_closed=closed)


def lapsed_officer(db: Database, world: World) -> str:
    return add_officer(db, world.agreement_m1, "C-190", name="Lee Lapsed", initial_on=LAPSED_INITIAL)


def test_a_lapsed_refresher_is_a_reminder_nobody_typed_and_goes_when_recorded(
    db: Database, world: World, clock: FakeClock, policy: Policy
) -> None:
    officer_id = lapsed_officer(db, world)
    assert count(db, Reminder) == 0
    mine = items_of(db, policy, world.m1, clock.now)
    keys = {i.ref for i in mine}
    assert keys == {f"refresher:{officer_id}:2026-09-01", f"revocation:{officer_id}:2026-09-01"}
    refresher = next(i for i in mine if i.rule == "refresher")
    assert (refresher.title, refresher.derived, refresher.all_day) == (
        "Refresher training overdue",
        True,
        True,
    )
    assert refresher.record == ("officer", officer_id)
    assert refresher.full_title.startswith("Refresher training overdue: Lee Lapsed (badge C-190)")
    assert refresher.due_at == datetime(2026, 9, 1, 4, tzinfo=UTC)  # the day began in New York
    assert refresher.bucket(clock.now, NY) == "overdue"
    assert items_of(db, policy, world.m2, clock.now) == []  # not in Max Two's caseload

    training.record_training(db.uow(), world.m1, officer_id, "refresher", date(2026, 10, 30))
    assert items_of(db, policy, world.m1, clock.now) == []
    assert count(db, Reminder) == 0


def test_every_result_with_a_due_date_is_one_reminder(
    db: Database, world: World, clock: FakeClock, policy: Policy
) -> None:
    lapsed_officer(db, world)
    inspection = add_inspection(db, world.agreement_m1, date(2026, 9, 1))
    add_finding(db, inspection, "Roster missing", corrective_due=date(2026, 10, 1))
    with db.uow() as uow:
        results = compliance_results(uow, policy, clock.now, caseload_of(world.m1.user_id))
    derived = [i for i in items_of(db, policy, world.m1, clock.now) if i.derived]
    assert sorted((i.rule, i.status, i.subject_id) for i in derived) == sorted(
        (r.rule, r.status, r.id) for r in results if r.due is not None
    )


def test_snooze_and_done_are_remembered_across_runs(
    db: Database, world: World, clock: FakeClock, policy: Policy, tmp_path
) -> None:
    officer_id = lapsed_officer(db, world)
    refresher = f"refresher:{officer_id}:2026-09-01"
    revocation = f"revocation:{officer_id}:2026-09-01"
    until = clock.now + timedelta(hours=2)
    [before] = reminders.snooze_reminders(db.uow(), world.m1, [refresher], until, NY)
    assert not before.existed
    reminders.complete_reminders(db.uow(), world.m1, [revocation], NY)
    stored = {r.derived_key: r for r in _stored(db)}
    assert stored[refresher].state is ReminderState.SNOOZED
    assert stored[refresher].title.startswith("Refresher training overdue: Lee Lapsed")
    assert (stored[refresher].subject_kind, stored[refresher].subject_id) == ("officer", officer_id)
    assert stored[revocation].state is ReminderState.DONE

    db.close()  # the next run of the app
    again = open_database(str(db.path), clock=clock)
    try:
        [item] = items_of(again, policy, world.m1, clock.now)
        assert (item.ref, item.state, item.snoozed_until) == (refresher, ReminderState.SNOOZED, until)
        assert item.bucket(clock.now, NY) == "today"
        closed = items_of(again, policy, world.m1, clock.now, closed=True)
        assert {i.ref: i.state for i in closed}[revocation] is ReminderState.DONE
        clock.now = until + timedelta(minutes=1)
        [due] = items_of(again, policy, world.m1, clock.now)
        assert due.bucket(clock.now, NY) == "overdue"
    finally:
        again.close()


def test_a_second_snooze_changes_the_one_stored_state(
    db: Database, world: World, clock: FakeClock, policy: Policy
) -> None:
    officer_id = lapsed_officer(db, world)
    refresher = f"refresher:{officer_id}:2026-09-01"
    reminders.snooze_reminders(db.uow(), world.m1, [refresher], clock.now + timedelta(hours=1), NY)
    reminders.snooze_reminders(db.uow(), world.m1, [refresher], clock.now + timedelta(days=1), NY)
    [row] = _stored(db)
    assert (row.snoozed_until, row.version) == (clock.now + timedelta(days=1), 2)


def test_undo_forgets_a_derived_state_that_did_not_exist(
    db: Database, world: World, clock: FakeClock, policy: Policy
) -> None:
    officer_id = lapsed_officer(db, world)
    refresher = f"refresher:{officer_id}:2026-09-01"
    before = reminders.dismiss_reminders(db.uow(), world.m1, [refresher], NY)
    assert refresher not in {i.ref for i in items_of(db, policy, world.m1, clock.now)}
    reminders.restore_reminders(db.uow(), world.m1, before)
    assert refresher in {i.ref for i in items_of(db, policy, world.m1, clock.now)}
    [row] = _stored(db, live=False)
    assert row.deleted_at == clock.now
    # Snoozing it again brings the stored row back rather than adding a second one.
    reminders.snooze_reminders(db.uow(), world.m1, [refresher], clock.now + timedelta(hours=1), NY)
    [row] = _stored(db, live=False)
    assert (row.deleted_at, row.state) == (None, ReminderState.SNOOZED)
    assert [e.action for e in audit_rows(db, record_id=row.id)] == ["create", "delete", "update"]


def test_the_state_of_a_fixed_record_is_no_longer_shown(
    db: Database, world: World, clock: FakeClock, policy: Policy
) -> None:
    officer_id = lapsed_officer(db, world)
    reminders.snooze_reminders(
        db.uow(), world.m1, [f"refresher:{officer_id}:2026-09-01"], clock.now + timedelta(days=3), NY
    )
    training.record_training(db.uow(), world.m1, officer_id, "refresher", date(2026, 10, 30))
    assert items_of(db, policy, world.m1, clock.now, closed=True) == []


def test_supervisors_see_their_offices_and_staff_have_none(
    db: Database, world: World, clock: FakeClock, policy: Policy
) -> None:
    officer_id = lapsed_officer(db, world)
    assert {i.subject_id for i in items_of(db, policy, world.supervisor_a, clock.now)} == {officer_id}
    assert items_of(db, policy, world.supervisor_b, clock.now) == []
    assert items_of(db, policy, world.staff, clock.now) == []


def test_today_and_the_rail_count(db: Database, world: World, clock: FakeClock, policy: Policy) -> None:
    lapsed_officer(db, world)  # two derived reminders, overdue since September
    soon = add_reminder(db, world.m1.user_id, "This afternoon", due_at=clock.now + timedelta(hours=3))
    late = add_reminder(db, world.m1.user_id, "Yesterday", due_at=clock.now - timedelta(days=1))
    next_week = add_reminder(db, world.m1.user_id, "Next week", due_at=clock.now + timedelta(days=3))
    items = items_of(db, policy, world.m1, clock.now)
    # Today: one's own due by tonight; derived ones only when they come due today (the older
    # ones are in Today's rule groups already).
    assert {i.ref for i in due_today(items, clock.now, NY)} == {soon, late}
    assert attention_count(items, clock.now, NY) == 4
    assert next_week in {i.ref for i in items if i.bucket(clock.now, NY) == "week"}


def _stored(db: Database, live: bool = True) -> list[Reminder]:
    with db.uow() as uow:
        statement = uow.live(Reminder) if live else select(Reminder)
        rows = list(uow.session.execute(statement.where(Reminder.derived_key.is_not(None))).scalars())
        uow.session.expunge_all()
        return rows
