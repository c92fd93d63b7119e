"""Oversight reads of the printed reports: inspections held in a period, findings, the
reminders a manager let pass, and which complaints were not yet known at a report's instant."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import InspectionKind, ReminderState
from pm_desk.store.models import Agreement, Complaint, Finding, Inspection, Reminder
from pm_desk.store.queries.reports import chunks, scope


@dataclass(frozen=True, slots=True)
class InspectionLine:
    id: str
    agreement_id: str
    held_on: date
    kind: InspectionKind
    summary: str | None
    findings: int


@dataclass(frozen=True, slots=True)
class FindingLine:
    id: str
    agreement_id: str
    held_on: date
    kind: InspectionKind
    severity: str
    text: str
    corrective_action: str | None
    corrective_due: date | None
    closed_on: date | None


@dataclass(frozen=True, slots=True)
class ReminderLine:
    id: str
    title: str
    due_at: datetime
    state: ReminderState
    snoozed_until: datetime | None
    subject_kind: str | None
    subject_id: str | None


def complaints_received_after(session: Session, ids: Iterable[str], instant: datetime) -> set[str]:
    """Of these complaints, the ones received after `instant` (not yet known at that instant)."""
    found: set[str] = set()
    for part in chunks(ids):
        statement = select(Complaint.id).where(Complaint.id.in_(part), Complaint.received_at > instant)
        found.update(session.execute(statement).scalars())
    return found


# -- inspections, findings, reminders --------------------------------------------------------------
def inspections_held(
    session: Session,
    start: date,
    end: date,
    manager_id: str | None = None,
    agreement_id: str | None = None,
) -> list[InspectionLine]:
    """Inspections held from `start` to `end` (inclusive), by date, with their finding counts."""
    findings = (
        select(func.count())
        .where(Finding.inspection_id == Inspection.id, Finding.deleted_at.is_(None))
        .correlate(Inspection)
        .scalar_subquery()
    )
    statement = scope(
        select(
            Inspection.id,
            Inspection.agreement_id,
            Inspection.held_on,
            Inspection.kind,
            Inspection.summary,
            findings,
        )
        .join(Agreement, Agreement.id == Inspection.agreement_id)
        .where(Inspection.deleted_at.is_(None), Inspection.held_on >= start, Inspection.held_on <= end),
        manager_id,
        agreement_id,
    ).order_by(Inspection.held_on, Inspection.kind)
    return [InspectionLine(*row) for row in session.execute(statement)]


def findings_of(
    session: Session,
    manager_id: str | None = None,
    agreement_id: str | None = None,
    open_only: bool = True,
) -> list[FindingLine]:
    """Findings (not closed, unless asked for all) by corrective due date, then inspection date."""
    statement = scope(
        select(
            Finding.id,
            Inspection.agreement_id,
            Inspection.held_on,
            Inspection.kind,
            Finding.severity,
            Finding.text,
            Finding.corrective_action,
            Finding.corrective_due,
            Finding.closed_on,
        )
        .join(Inspection, Inspection.id == Finding.inspection_id)
        .join(Agreement, Agreement.id == Inspection.agreement_id)
        .where(Finding.deleted_at.is_(None), Inspection.deleted_at.is_(None)),
        manager_id,
        agreement_id,
    )
    if open_only:
        statement = statement.where(Finding.closed_on.is_(None))
    statement = statement.order_by(
        Finding.corrective_due.is_(None), Finding.corrective_due, Inspection.held_on
    )
    return [
        FindingLine(id_, agreement_id_, held, kind, severity.value, text, action, due, closed)
        for id_, agreement_id_, held, kind, severity, text, action, due, closed in session.execute(statement)
    ]


def reminders_overdue(session: Session, owner_id: str, as_of: datetime) -> list[ReminderLine]:
    """The owner's own reminders past due at `as_of`: open ones, and snoozed ones whose snooze
    ended. Stored states of derived reminders are left out: their rules are reported as such."""
    statement = (
        select(
            Reminder.id,
            Reminder.title,
            Reminder.due_at,
            Reminder.state,
            Reminder.snoozed_until,
            Reminder.subject_kind,
            Reminder.subject_id,
        )
        .where(
            Reminder.owner_id == owner_id,
            Reminder.deleted_at.is_(None),
            Reminder.derived_key.is_(None),
            or_(
                and_(Reminder.state == ReminderState.OPEN, Reminder.due_at < as_of),
                and_(Reminder.state == ReminderState.SNOOZED, Reminder.snoozed_until < as_of),
            ),
        )
        .order_by(Reminder.due_at, Reminder.title)
    )
    return [ReminderLine(*row) for row in session.execute(statement)]
