"""Personal reminders: created with a checked recurrence, snoozed, completed (the next occurrence
appears), dismissed, undone; only their owner touches them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from reminder_cases import add_reminder

from builders import World, audit_rows, fetch, refused_without_writing, version_of
from pm_desk.domain.enums import ReminderState
from pm_desk.domain.policy import Policy
from pm_desk.services import reminders
from pm_desk.services.errors import NotFound, PermissionDenied, ValidationError
from pm_desk.services.reminder_views import reminder_items
from pm_desk.store.database import Database
from pm_desk.store.models import Reminder
from support import FakeClock

NY = "America/New_York"
NEW_YORK = ZoneInfo(NY)
FRIDAY_MORNING = datetime(2026, 10, 30, 13, 30, tzinfo=UTC)  # 09:30 in New York


def monthly_third_tuesday(db: Database, world: World) -> str:
    data = reminders.ReminderInput(
        "Field office managers' call", FRIDAY_MORNING, rrule="FREQ=MONTHLY;BYDAY=3TU", zone=NY
    )
    return reminders.create_reminder(db.uow(), world.m1, data)


def test_a_recurring_reminder_starts_on_its_first_occurrence_and_stores_its_zone(
    db: Database, world: World
) -> None:
    reminder_id = monthly_third_tuesday(db, world)
    stored = fetch(db, Reminder, reminder_id)
    assert stored.due_at == datetime(2026, 11, 17, 9, 30, tzinfo=NEW_YORK)
    assert stored.rrule == "DTSTART;TZID=America/New_York:20261117T093000\nRRULE:FREQ=MONTHLY;BYDAY=3TU"
    assert (stored.owner_id, stored.state, stored.derived_key) == (world.m1.user_id, ReminderState.OPEN, None)
    [entry] = audit_rows(db, operation="reminder.create")
    assert (entry.action, entry.record_id, entry.actor_id) == ("create", reminder_id, world.m1.user_id)


def test_snooze_then_complete_shows_the_next_occurrence(
    db: Database, world: World, clock: FakeClock, policy: Policy
) -> None:
    """The check of issue 8: a monthly reminder on the third Tuesday, snoozed, completed."""
    reminder_id = monthly_third_tuesday(db, world)
    clock.now = datetime(2026, 11, 17, 14, 35, tzinfo=UTC)  # 09:35 on the day: it is due
    until = clock.now + timedelta(hours=1)
    [before] = reminders.snooze_reminders(db.uow(), world.m1, [reminder_id], until, NY)
    assert before.state is ReminderState.OPEN
    snoozed = fetch(db, Reminder, reminder_id)
    assert (snoozed.state, snoozed.snoozed_until) == (ReminderState.SNOOZED, until)

    reminders.complete_reminders(db.uow(), world.m1, [reminder_id], NY)
    after = fetch(db, Reminder, reminder_id)
    assert after.state is ReminderState.OPEN
    assert after.snoozed_until is None
    assert after.completed_at == clock.now
    assert after.due_at == datetime(2026, 12, 15, 9, 30, tzinfo=NEW_YORK)
    with db.uow() as uow:
        [item] = [i for i in reminder_items(uow, policy, world.m1, clock.now, NY) if i.ref == reminder_id]
    assert (item.due_at, item.repeat) == (
        datetime(2026, 12, 15, 14, 30, tzinfo=UTC),
        "Monthly on the third Tuesday",
    )
    assert [e.operation for e in audit_rows(db, record_id=reminder_id)] == [
        "reminder.create",
        "reminder.snooze",
        "reminder.complete",
    ]


def test_a_series_with_a_count_ends_done_after_its_last_occurrence(db: Database, world: World) -> None:
    data = reminders.ReminderInput("Two calls", FRIDAY_MORNING, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=2", zone=NY)
    reminder_id = reminders.create_reminder(db.uow(), world.m1, data)
    reminders.complete_reminders(db.uow(), world.m1, [reminder_id], NY)
    assert fetch(db, Reminder, reminder_id).due_at == datetime(2026, 11, 10, 9, 30, tzinfo=NEW_YORK)
    reminders.complete_reminders(db.uow(), world.m1, [reminder_id], NY)
    last = fetch(db, Reminder, reminder_id)
    assert (last.state, last.due_at) == (ReminderState.DONE, datetime(2026, 11, 10, 9, 30, tzinfo=NEW_YORK))


def test_editing_the_title_keeps_the_series_count(db: Database, world: World) -> None:
    data = reminders.ReminderInput("Calls", FRIDAY_MORNING, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=2", zone=NY)
    reminder_id = reminders.create_reminder(db.uow(), world.m1, data)
    reminders.complete_reminders(db.uow(), world.m1, [reminder_id], NY)
    current = fetch(db, Reminder, reminder_id)
    data = reminders.ReminderInput(
        "Calls with ERO", current.due_at, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=2", zone=NY
    )
    reminders.update_reminder(
        db.uow(), world.m1, reminder_id, data, expected_version=version_of(db, "reminder", reminder_id)
    )
    edited = fetch(db, Reminder, reminder_id)
    assert (edited.title, edited.rrule) == ("Calls with ERO", current.rrule)
    reminders.complete_reminders(db.uow(), world.m1, [reminder_id], NY)
    assert fetch(db, Reminder, reminder_id).state is ReminderState.DONE


def test_a_one_off_reminder_is_done_and_a_dismissed_series_stops(
    db: Database, world: World, clock: FakeClock
) -> None:
    one_off = add_reminder(db, world.m1.user_id)
    series = monthly_third_tuesday(db, world)
    reminders.complete_reminders(db.uow(), world.m1, [one_off], NY)
    reminders.dismiss_reminders(db.uow(), world.m1, [series], NY)
    assert (fetch(db, Reminder, one_off).state, fetch(db, Reminder, one_off).completed_at) == (
        ReminderState.DONE,
        clock.now,
    )
    assert fetch(db, Reminder, series).state is ReminderState.DISMISSED


def test_changing_the_due_time_ends_a_snooze(db: Database, world: World, clock: FakeClock) -> None:
    reminder_id = add_reminder(db, world.m1.user_id)
    reminders.snooze_reminders(db.uow(), world.m1, [reminder_id], clock.now + timedelta(hours=1))
    new_due = datetime(2026, 11, 4, 15, tzinfo=UTC)
    reminders.update_reminder(
        db.uow(),
        world.m1,
        reminder_id,
        reminders.ReminderInput("Call", new_due),
        expected_version=version_of(db, "reminder", reminder_id),
    )
    changed = fetch(db, Reminder, reminder_id)
    assert (changed.state, changed.snoozed_until, changed.due_at) == (ReminderState.OPEN, None, new_due)


def test_undo_puts_completed_and_snoozed_reminders_back(db: Database, world: World) -> None:
    series = monthly_third_tuesday(db, world)
    one_off = add_reminder(db, world.m1.user_id)
    before = reminders.complete_reminders(db.uow(), world.m1, [series, one_off], NY)
    assert [b.ref for b in before] == [series, one_off]
    reminders.restore_reminders(db.uow(), world.m1, before)
    for reminder_id, due in ((series, datetime(2026, 11, 17, 14, 30, tzinfo=UTC)), (one_off, None)):
        restored = fetch(db, Reminder, reminder_id)
        assert (restored.state, restored.completed_at) == (ReminderState.OPEN, None)
        if due is not None:
            assert restored.due_at == due


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "title is required"),
        ({"title": "x" * 301}, "title", "at most 300 fit"),
        ({"rrule": "FREQ=MONTHLY;BYDAY=9TU"}, "rrule", "the number must be 1–5"),
        ({"rrule": "FREQ=DAILY", "zone": "Mars/Base"}, "rrule", "is not a time zone"),
        ({"rrule": "FREQ=DAILY;UNTIL=20260101"}, "rrule", "no occurrence on or after"),
        ({"due_at": datetime(2026, 11, 3, 9)}, "due_at", "needs a time zone"),
        ({"subject_kind": "agreement", "subject_id": "nope"}, "subject", "the agreement was not found"),
        ({"subject_kind": "audit_entry", "subject_id": "x"}, "subject", "cannot be about a audit entry"),
        ({"notes": "a\x00b"}, "notes", "NUL character"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_writes_nothing(
    db: Database, world: World, changes: dict[str, object], field: str, message: str
) -> None:
    values: dict[str, object] = {"title": "Call", "due_at": FRIDAY_MORNING, "zone": NY} | changes
    with refused_without_writing(db, ValidationError) as refused:
        reminders.create_reminder(db.uow(), world.m1, reminders.ReminderInput(**values))
    assert message in (refused.value.for_field(field) or "")


def test_a_reminder_about_a_record_names_it(
    db: Database, world: World, clock: FakeClock, policy: Policy
) -> None:
    data = reminders.ReminderInput(
        "Ask for the roster", FRIDAY_MORNING, subject_kind="officer", subject_id=world.officer_m1
    )
    reminder_id = reminders.create_reminder(db.uow(), world.m1, data)
    with db.uow() as uow:
        [item] = [i for i in reminder_items(uow, policy, world.m1, clock.now, NY) if i.ref == reminder_id]
    assert item.record == ("officer", world.officer_m1)
    assert item.subject_label.startswith("Carl Deputy (badge C-101)")


def test_someone_elses_reminder_is_refused_and_audited(db: Database, world: World) -> None:
    reminder_id = add_reminder(db, world.m1.user_id)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        reminders.snooze_reminders(
            db.uow(), world.supervisor_a, [reminder_id], datetime(2026, 11, 2, tzinfo=UTC)
        )
    assert str(refused.value) == "Sam Super cannot snooze Mia One's reminder: only its owner can"


def test_snoozing_into_the_past_or_beyond_a_year_is_refused(
    db: Database, world: World, clock: FakeClock
) -> None:
    reminder_id = add_reminder(db, world.m1.user_id)
    for until, message in (
        (clock.now - timedelta(minutes=1), "pick a time in the future"),
        (clock.now + timedelta(days=400), "snooze for at most a year"),
    ):
        with refused_without_writing(db, ValidationError) as refused:
            reminders.snooze_reminders(db.uow(), world.m1, [reminder_id], until)
        assert refused.value.for_field("snoozed_until") == message


def test_unknown_or_missing_references_are_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, NotFound):
        reminders.complete_reminders(db.uow(), world.m1, ["01a20870-0000-7000-8000-000000000000"])
    with refused_without_writing(db, NotFound) as refused:
        reminders.complete_reminders(db.uow(), world.m1, [f"refresher:{world.officer_m1}:{date(2026, 1, 1)}"])
    assert "no longer due" in str(refused.value)
    with refused_without_writing(db, ValidationError):
        reminders.complete_reminders(db.uow(), world.m1, [])
    with refused_without_writing(db, ValidationError):
        reminders.complete_reminders(db.uow(), world.m1, ["x:y:z"], "Nowhere/Zone")
