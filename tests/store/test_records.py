"""Records through a unit of work on SQLite: UTC instants only, soft delete, optimistic versions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm.exc import StaleDataError

from pm_desk.domain.enums import ReminderState, Role
from pm_desk.store.database import Database
from pm_desk.store.models import AuditEntry, FieldOffice, Reminder, User
from pm_desk.store.types import UTCDateTime

EASTERN_SUMMER = timezone(timedelta(hours=-4))


def add_user(database: Database) -> str:
    with database.uow() as uow:
        uow.attribute(None, "admin@example.gov", "user.create")
        user = User(email="pm@example.gov", name="Pat Manager", role=Role.MANAGER)
        uow.session.add(user)
        uow.commit()
        return user.id


def test_instants_are_stored_in_utc_and_read_back_aware(db: Database) -> None:
    owner_id = add_user(db)
    due = datetime(2026, 3, 8, 1, 30, tzinfo=EASTERN_SUMMER)
    with db.uow() as uow:
        reminder = Reminder(owner_id=owner_id, title="Steering committee", due_at=due)
        uow.session.add(reminder)
        uow.commit()
        reminder_id = reminder.id

    with db.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT due_at FROM reminders").scalar()
    assert str(stored).startswith("2026-03-08 05:30:00")  # the UTC wall time, no offset
    with db.uow() as uow:
        found = uow.get(Reminder, reminder_id)
        assert found is not None
        assert found.due_at == due
        assert found.due_at.utcoffset() == timedelta(0)


def test_naive_instant_is_refused_and_nothing_is_written(db: Database) -> None:
    owner_id = add_user(db)
    naive = datetime(2026, 10, 31, 9, 0)
    with pytest.raises(ValueError, match="without a time zone"):
        UTCDateTime().process_bind_param(naive, db.engine.dialect)

    with db.uow() as uow:
        uow.session.add(Reminder(owner_id=owner_id, title="Naive", due_at=naive))
        # SQLAlchemy reports the type's ValueError as a StatementError that carries it.
        with pytest.raises(StatementError, match="without a time zone") as refused:
            uow.commit()
    assert isinstance(refused.value.orig, ValueError)

    with db.uow() as uow:
        assert uow.session.scalars(select(Reminder)).all() == []


def test_update_raises_the_version_and_stamps_who_and_when(db: Database, clock) -> None:
    owner_id = add_user(db)
    with db.uow() as uow:
        reminder = Reminder(owner_id=owner_id, title="Renewal", due_at=clock.now)
        uow.session.add(reminder)
        uow.commit()
        reminder_id = reminder.id
    assert reminder.version == 1

    clock.now += timedelta(hours=2)
    with db.uow() as uow:
        uow.attribute(owner_id, "pm@example.gov", "reminder.done")
        found = uow.get(Reminder, reminder_id)
        assert found is not None
        found.state = ReminderState.DONE
        uow.commit()

    with db.uow() as uow:
        found = uow.get(Reminder, reminder_id)
        assert found is not None
        assert found.version == 2
        assert found.updated_at == clock.now
        assert found.created_at == clock.now - timedelta(hours=2)
        assert found.updated_by == owner_id


def test_soft_delete_keeps_the_row_and_audits_a_delete(db: Database, clock) -> None:
    with db.uow() as uow:
        office = FieldOffice(code="ATL", name="Atlanta")
        uow.session.add(office)
        uow.commit()
        office_id = office.id

    with db.uow() as uow:
        uow.attribute(None, "admin@example.gov", "field_office.remove")
        found = uow.get(FieldOffice, office_id)
        assert found is not None
        found.deleted_at = uow.now()
        uow.commit()

    with db.uow() as uow:
        assert uow.get(FieldOffice, office_id) is None
        assert uow.session.scalars(uow.live(FieldOffice)).all() == []
        kept = uow.session.get(FieldOffice, office_id)
        assert kept is not None and kept.deleted_at == clock.now
        entries = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.record_id == office_id).order_by(AuditEntry.seq)
        ).all()
        assert [e.action for e in entries] == ["create", "delete"]
        delete = entries[-1]
        assert (delete.record_kind, delete.operation, delete.actor_email) == (
            "field_office",
            "field_office.remove",
            "admin@example.gov",
        )
        assert json.loads(delete.before or "{}") == {"deleted_at": None}
        assert json.loads(delete.after or "{}") == {"deleted_at": "2026-10-31T12:00:00Z"}


def test_update_of_a_stale_version_is_refused(db: Database) -> None:
    with db.uow() as uow:
        office = FieldOffice(code="HOU", name="Houston")
        uow.session.add(office)
        uow.commit()
        office_id = office.id

    with db.uow() as editor, db.uow() as other:
        mine = editor.get(FieldOffice, office_id)
        theirs = other.get(FieldOffice, office_id)
        assert mine is not None and theirs is not None
        theirs.name = "Houston Field Office"
        other.commit()  # version 2 now

        mine.name = "Houston (HOU)"
        with pytest.raises(StaleDataError):
            editor.commit()

    with db.uow() as uow:
        current = uow.get(FieldOffice, office_id)
        assert current is not None
        assert (current.name, current.version) == ("Houston Field Office", 2)


def test_audit_instants_are_utc(db: Database) -> None:
    add_user(db)
    with db.uow() as uow:
        entry = uow.session.scalars(select(AuditEntry)).one()
        assert entry.at.tzinfo is not None and entry.at.utcoffset() == timedelta(0)
        assert entry.at == datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
