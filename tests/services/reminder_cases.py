"""The reminder writes as rows of `test_write_operations.py`'s table, and a helper that stores a
reminder straight into the store (attributed to the test seed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from builders import seeding
from pm_desk.domain.enums import ReminderState
from pm_desk.services import reminders
from pm_desk.store.database import Database
from pm_desk.store.models import Reminder

DUE = datetime(2026, 11, 3, 14, 0, tzinfo=UTC)


def add_reminder(db: Database, owner_id: str, title: str = "Call the sheriff", **fields: Any) -> str:
    with seeding(db) as uow:
        reminder = Reminder(owner_id=owner_id, title=title, due_at=fields.pop("due_at", DUE), **fields)
        uow.session.add(reminder)
        uow.session.flush()
        return reminder.id


def _mine(db: Database, world: Any) -> dict[str, str]:
    return {"reminder": add_reminder(db, world.m1.user_id)}


def _input(title: str = "Call the sheriff") -> reminders.ReminderInput:
    return reminders.ReminderInput(title, DUE, zone="America/New_York")


def reminder_cases(case: Any) -> list[Any]:
    """Rows for the table: Mia One keeps her reminders; Max Two may not touch them; staff keep
    none. `case` is the table's Case class."""
    later = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    done = reminders.ReminderSnapshot("", True, ReminderState.DONE, DUE, None, later, None)
    return [
        case(
            "reminder.create",
            "m1",
            "staff",
            lambda db, w, ids, a, v: reminders.create_reminder(db.uow(), a, _input()),
        ),
        case(
            "reminder.update",
            "m1",
            "m2",
            lambda db, w, ids, a, v: reminders.update_reminder(
                db.uow(), a, ids["reminder"], _input("Call the jail"), expected_version=v
            ),
            setup=_mine,
            edits=(Reminder, lambda w, ids: ids["reminder"]),
        ),
        case(
            "reminder.complete",
            "m1",
            "m2",
            lambda db, w, ids, a, v: reminders.complete_reminders(db.uow(), a, [ids["reminder"]]),
            setup=_mine,
        ),
        case(
            "reminder.snooze",
            "m1",
            "m2",
            lambda db, w, ids, a, v: reminders.snooze_reminders(db.uow(), a, [ids["reminder"]], later),
            setup=_mine,
        ),
        case(
            "reminder.dismiss",
            "m1",
            "m2",
            lambda db, w, ids, a, v: reminders.dismiss_reminders(db.uow(), a, [ids["reminder"]]),
            setup=_mine,
        ),
        case(
            "reminder.restore",
            "m1",
            "m2",
            lambda db, w, ids, a, v: reminders.restore_reminders(
                db.uow(), a, [replace(done, ref=ids["reminder"])]
            ),
            setup=_mine,
        ),
    ]
