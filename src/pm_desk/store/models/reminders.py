"""Personal reminders, and the remembered state of derived ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.domain.enums import RecordKind, ReminderState
from pm_desk.store.models.base import Base, Record
from pm_desk.store.types import enum_column


class Reminder(Record, Base):
    __tablename__ = "reminders"
    record_kind = RecordKind.REMINDER

    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    # The record it is about (kind and id), if any.
    subject_kind: Mapped[str | None] = mapped_column(String(40), default=None)
    subject_id: Mapped[str | None] = mapped_column(String(36), default=None)
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    due_at: Mapped[datetime]
    # RFC 5545 RRULE text, for recurring reminders.
    rrule: Mapped[str | None] = mapped_column(String(500), default=None)
    state: Mapped[ReminderState] = mapped_column(enum_column(ReminderState), default=ReminderState.OPEN)
    snoozed_until: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set for the stored state of a derived reminder: "rule:record_id:due", unique per owner.
    derived_key: Mapped[str | None] = mapped_column(String(200), default=None)

    __table_args__ = (Index(None, "owner_id", "state", "due_at"), Index(None, "owner_id", "derived_key"))
