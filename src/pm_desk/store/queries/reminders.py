"""Reads of personal reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import ReminderState
from pm_desk.store.models import Reminder


@dataclass(frozen=True)
class StoredReminder:
    """A reminder row as stored: a personal reminder, or the remembered state of a derived one."""

    id: str
    owner_id: str
    title: str
    notes: str | None
    due_at: datetime
    rrule: str | None
    state: ReminderState
    snoozed_until: datetime | None
    completed_at: datetime | None
    subject_kind: str | None
    subject_id: str | None
    derived_key: str | None
    version: int
    updated_at: datetime


def _stored(r: Reminder) -> StoredReminder:
    return StoredReminder(
        r.id,
        r.owner_id,
        r.title,
        r.notes,
        r.due_at,
        r.rrule,
        r.state,
        r.snoozed_until,
        r.completed_at,
        r.subject_kind,
        r.subject_id,
        r.derived_key,
        r.version,
        r.updated_at,
    )


def personal_reminders(
    session: Session, owner_id: str, closed_since: datetime | None = None
) -> list[StoredReminder]:
    """The owner's own reminders that are open or snoozed, soonest first; with `closed_since`,
    also those done or dismissed since then."""
    live = or_(Reminder.state == ReminderState.OPEN, Reminder.state == ReminderState.SNOOZED)
    if closed_since is not None:
        live = or_(live, Reminder.updated_at >= closed_since)
    statement = (
        select(Reminder)
        .where(
            Reminder.owner_id == owner_id,
            Reminder.deleted_at.is_(None),
            Reminder.derived_key.is_(None),
            live,
        )
        .order_by(Reminder.due_at, Reminder.title)
    )
    return [_stored(r) for r in session.execute(statement).scalars()]


def derived_states(session: Session, owner_id: str) -> dict[str, StoredReminder]:
    """The remembered state of the owner's derived reminders, by key. Two rows for one key (two
    laptops that snoozed the same reminder before they synced) resolve to the latest change."""
    statement = (
        select(Reminder)
        .where(
            Reminder.owner_id == owner_id,
            Reminder.deleted_at.is_(None),
            Reminder.derived_key.is_not(None),
        )
        .order_by(Reminder.updated_at, Reminder.id)
    )
    return {r.derived_key: _stored(r) for r in session.execute(statement).scalars() if r.derived_key}
