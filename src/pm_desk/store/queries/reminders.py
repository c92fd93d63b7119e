"""Reads of personal reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import ReminderState
from pm_desk.store.models import Reminder


@dataclass(frozen=True)
class ReminderRow:
    id: str
    title: str
    due_at: datetime
    state: ReminderState
    snoozed_until: datetime | None
    subject_kind: str | None
    subject_id: str | None


def reminders_due(session: Session, owner_id: str, until: datetime) -> list[ReminderRow]:
    """Open reminders due by `until`, and snoozed ones whose snooze ends by then."""
    statement = (
        select(Reminder)
        .where(
            Reminder.owner_id == owner_id,
            Reminder.deleted_at.is_(None),
            or_(
                and_(Reminder.state == ReminderState.OPEN, Reminder.due_at <= until),
                and_(Reminder.state == ReminderState.SNOOZED, Reminder.snoozed_until <= until),
            ),
        )
        .order_by(Reminder.due_at)
    )
    return [
        ReminderRow(r.id, r.title, r.due_at, r.state, r.snoozed_until, r.subject_kind, r.subject_id)
        for r in session.execute(statement).scalars()
    ]
