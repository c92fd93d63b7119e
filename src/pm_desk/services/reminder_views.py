"""The reminders a person has: his own, and those derived from the compliance rules.

Derived reminders are not typed by anyone: every compliance result of the person's scope (a
manager's caseload, a supervisor's field office) that has a due date is one, named by its key
`rule:record_id:due`. Only its snooze, done or dismissed state is stored (a Reminder row with
that `derived_key`), so it is remembered across runs and sync; when the record is fixed the
rule stops reporting it and the reminder is gone, whatever was stored. Staff and administrators
have no caseload, hence only their own reminders.

Reads only: nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import ReminderState
from pm_desk.domain.policy import Policy
from pm_desk.domain.recurrence import Recurrence, RecurrenceError, until_local_date
from pm_desk.domain.reminders import (
    CLOSED_SHOWN_DAYS,
    bucket,
    derived_key,
    due_instant,
    end_of_day,
    start_of_day,
)
from pm_desk.domain.repeat import describe
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.statuses import Rule, Status
from pm_desk.domain.scope import has_caseload, scope_of
from pm_desk.services.compliance import ComplianceItem, compliance_results
from pm_desk.store.queries.labels import record_labels
from pm_desk.store.queries.reminders import StoredReminder, derived_states, personal_reminders
from pm_desk.store.uow import UnitOfWork

OPEN_STATES = frozenset({ReminderState.OPEN, ReminderState.SNOOZED})


@dataclass(frozen=True)
class ReminderItem:
    """One reminder as a list shows it; `ref` names it to the services (id, or derived key)."""

    ref: str
    title: str
    due_at: datetime  # the occurrence due (UTC)
    all_day: bool  # a date rule's due: the whole day counts
    state: ReminderState
    snoozed_until: datetime | None
    subject_kind: str | None
    subject_id: str | None
    subject_label: str
    derived: bool
    notes: str | None = None
    rrule: str | None = None
    repeat: str = ""
    rule: Rule | None = None
    status: Status | None = None
    version: int | None = None

    @property
    def effective_due(self) -> datetime:
        """When it calls for attention: the end of its snooze, else its due."""
        if self.state is ReminderState.SNOOZED and self.snoozed_until is not None:
            return self.snoozed_until
        return self.due_at

    @property
    def full_title(self) -> str:
        """The title with the record it is about, for places that show no "about" column."""
        if self.derived and self.subject_label:
            return f"{self.title}: {self.subject_label}"
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def record(self) -> tuple[str, str]:
        """What opening it shows: its record, else the reminder itself."""
        if self.subject_kind and self.subject_id:
            return self.subject_kind, self.subject_id
        return "reminder", self.ref

    def bucket(self, now: datetime, zone: str) -> str:
        return bucket(self.effective_due, now, zone, self.all_day and self.state is ReminderState.OPEN)


def caseload_results(uow: UnitOfWork, policy: Policy, owner: Actor, now: datetime) -> list[ComplianceItem]:
    """The compliance results a person's derived reminders come from (none without a caseload)."""
    if not has_caseload(owner):
        return []
    return compliance_results(uow, policy, now, scope_of(owner))


def reminder_items(
    uow: UnitOfWork,
    policy: Policy,
    owner: Actor,
    now: datetime,
    zone: str,
    include_closed: bool = False,
    compliance: list[ComplianceItem] | None = None,
) -> list[ReminderItem]:
    """Every reminder of `owner`, personal and derived, soonest first.

    Open and snoozed ones by default; `include_closed` adds the personal ones closed in the last
    `CLOSED_SHOWN_DAYS` days and the derived ones marked done or dismissed. `compliance` passes
    results already computed for the owner's caseload (Today has them), saving a second
    computation."""
    session = uow.session
    if not has_caseload(owner):
        compliance = []
    elif compliance is None:
        compliance = caseload_results(uow, policy, owner, now)
    closed_since = now - timedelta(days=CLOSED_SHOWN_DAYS) if include_closed else None
    personal = personal_reminders(session, owner.user_id, closed_since)
    states = derived_states(session, owner.user_id)
    with_due = [c for c in compliance if c.due is not None]
    wanted = {(p.subject_kind, p.subject_id) for p in personal if p.subject_kind and p.subject_id}
    wanted |= {(c.record, c.id) for c in with_due}
    names = record_labels(session, {(k, i) for k, i in wanted if k is not None and i is not None})
    items = [_personal(p, names) for p in personal]
    for result in with_due:
        assert result.due is not None
        key = derived_key(result.rule, result.id, result.due)
        stored = states.get(key)
        state = stored.state if stored is not None else ReminderState.OPEN
        if state not in OPEN_STATES and not include_closed:
            continue
        due_at, all_day = due_instant(result.due, zone)
        what = catalog.entry_of(result).title(policy)
        items.append(
            ReminderItem(
                ref=key,
                title=what,
                due_at=due_at,
                all_day=all_day,
                state=state,
                snoozed_until=stored.snoozed_until if stored is not None else None,
                subject_kind=result.record,
                subject_id=result.id,
                subject_label=names.get((result.record, result.id), result.key),
                derived=True,
                rule=result.rule,
                status=result.status,
                version=stored.version if stored is not None else None,
            )
        )
    items.sort(key=lambda i: (i.effective_due, i.title))
    return items


def _personal(row: StoredReminder, names: dict[tuple[str, str], str]) -> ReminderItem:
    repeat = ""
    if row.rrule:
        try:
            series = Recurrence.from_text(row.rrule, row.due_at)
            repeat = describe(series.rule, until_local_date(series.rule, series.zone))
        except RecurrenceError:
            repeat = f"Custom: {row.rrule}"
    subject = (row.subject_kind, row.subject_id) if row.subject_kind and row.subject_id else None
    return ReminderItem(
        ref=row.id,
        title=row.title,
        due_at=row.due_at,
        all_day=False,
        state=row.state,
        snoozed_until=row.snoozed_until,
        subject_kind=row.subject_kind,
        subject_id=row.subject_id,
        subject_label=names.get(subject, "") if subject else "",
        derived=False,
        notes=row.notes,
        rrule=row.rrule,
        repeat=repeat,
        version=row.version,
    )


def due_by(items: list[ReminderItem], until: datetime) -> list[ReminderItem]:
    """The open reminders that call for attention by `until` (snoozed ones: when the snooze ends)."""
    return [i for i in items if i.is_open and i.effective_due <= until]


def due_today(items: list[ReminderItem], now: datetime, zone: str) -> list[ReminderItem]:
    """What Today lists under "Reminders due": one's own reminders due by the end of the day, and
    the derived ones coming due today. Derived ones overdue before today are left out: Today
    already shows their rule results in their own groups."""
    start = start_of_day(now, zone)
    return [i for i in due_by(items, end_of_day(now, zone)) if not i.derived or i.effective_due >= start]


def attention_count(items: list[ReminderItem], now: datetime, zone: str) -> int:
    """The number on the rail: open reminders overdue or due today."""
    return sum(1 for i in items if i.is_open and i.bucket(now, zone) in {"overdue", "today"})
