"""Reminders: a person's own (one-off or recurring), and the state of the derived ones.

Managers, supervisors and administrators keep reminders, about any record or none (staff only
read and print); only its owner changes a reminder. A
reminder is named to these functions by a reference: its id, or for a derived reminder its key
`rule:record_id:due` (see `services/reminder_views.py`). Completing, snoozing or dismissing a
derived reminder stores that state as a Reminder row with the key, so it is remembered across
runs and sync.

Recurring reminders keep one row per series: completing an occurrence moves the row to the next
one (the audit trail keeps every completion); the series ends (state done) after its last
occurrence. Occurrences keep their wall-clock time in the zone stored with the rule (see
`domain/recurrence.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import RecordKind, ReminderState, Role
from pm_desk.domain.recurrence import Recurrence, RecurrenceError, zone_of
from pm_desk.domain.reminders import is_derived_key, snooze_problem
from pm_desk.domain.validation import year_problem
from pm_desk.services.errors import NotFound, PermissionDenied, Problems, field_error
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_role
from pm_desk.services.records import check_text, check_version, check_years, clean_text, load
from pm_desk.services.reminder_views import ReminderItem, reminder_items
from pm_desk.store.models import Reminder, User, model_for
from pm_desk.store.uow import UnitOfWork

MAX_TITLE = 300
# Who keeps reminders: everyone who writes (staff read and print, DESIGN.md Security).
KEEPERS = {Role.MANAGER, Role.SUPERVISOR, Role.ADMIN}
# The kinds of record a reminder can be about.
SUBJECT_KINDS: frozenset[RecordKind] = frozenset(
    {
        RecordKind.AGENCY,
        RecordKind.AGREEMENT,
        RecordKind.COMPLAINT,
        RecordKind.EQUIPMENT_ORDER,
        RecordKind.FINDING,
        RecordKind.INSPECTION,
        RecordKind.OFFICER,
        RecordKind.ROTATION,
        RecordKind.SHIFT,
        RecordKind.TRAINING_CLASS,
        RecordKind.TRANSFER,
        RecordKind.USER,
    }
)


@dataclass
class ReminderInput:
    title: str
    due_at: datetime
    notes: str | None = None
    # The RRULE of a recurring reminder (FREQ=...; no DTSTART line), or None.
    rrule: str | None = None
    # The owner's time zone (IANA name): the wall clock a recurring reminder keeps.
    zone: str = "UTC"
    subject_kind: str | None = None
    subject_id: str | None = None


@dataclass(frozen=True)
class ReminderSnapshot:
    """A reminder's state before a change, for undo (`restore_reminders`)."""

    ref: str
    existed: bool  # a derived reminder had a stored state before
    state: ReminderState
    due_at: datetime
    snoozed_until: datetime | None
    completed_at: datetime | None
    rrule: str | None


def _values(uow: UnitOfWork, data: ReminderInput) -> dict[str, object]:
    problems = Problems()
    problems.require("title", data.title, "title")
    check_text(problems, "title", data.title, MAX_TITLE)
    check_text(problems, "notes", data.notes, 5000)
    if data.due_at is None:
        problems.add("due_at", "due is required")
    elif data.due_at.tzinfo is None:
        problems.add("due_at", "needs a time zone")
    else:
        check_years(problems, due_at=data.due_at)
    due_at, rule_text = data.due_at, None
    readable = due_at is not None and due_at.tzinfo is not None and year_problem(due_at) is None
    if data.rrule and data.rrule.strip() and readable:
        try:
            series = Recurrence.begin(data.rrule, data.zone, due_at)
            due_at, rule_text = series.start, series.to_text()
        except RecurrenceError as exc:
            problems.add("rrule", str(exc))
    _check_subject(uow, problems, data.subject_kind, data.subject_id)
    problems.raise_if_any()
    return {
        "title": (clean_text(data.title) or "")[:MAX_TITLE],
        "notes": clean_text(data.notes),
        "due_at": due_at,
        "rrule": rule_text,
        "subject_kind": data.subject_kind or None,
        "subject_id": data.subject_id or None,
    }


def _check_subject(uow: UnitOfWork, problems: Problems, kind: str | None, record_id: str | None) -> None:
    if not kind and not record_id:
        return
    if kind not in SUBJECT_KINDS or not record_id:
        problems.add("subject", f"a reminder cannot be about a {(kind or 'record').replace('_', ' ')}")
    elif uow.get(model_for(kind), record_id) is None:
        problems.add("subject", f"the {kind.replace('_', ' ') if kind else 'record'} was not found")


def _own(uow: UnitOfWork, actor: Actor, reminder_id: str, doing: str) -> Reminder:
    require_role(actor, KEEPERS, f"{doing} reminders")
    reminder = load(uow, Reminder, reminder_id, "reminder")
    if reminder.owner_id != actor.user_id:
        owner = uow.session.get(User, reminder.owner_id)
        whose = f"{owner.name}'s" if owner else "someone else's"
        raise PermissionDenied(
            f"{actor.name} cannot {doing} {whose} reminder: only its owner can", "reminder", reminder.id
        )
    return reminder


@write_operation("reminder.create")
def create_reminder(uow: UnitOfWork, actor: Actor, data: ReminderInput) -> str:
    """A new reminder of the acting user (not staff). A recurring one starts at the first
    occurrence of its rule on or after the chosen time."""
    require_role(actor, KEEPERS, "keep reminders")
    values = _values(uow, data)
    reminder = Reminder(owner_id=actor.user_id, state=ReminderState.OPEN, **values)
    uow.session.add(reminder)
    uow.session.flush()
    return reminder.id


@write_operation("reminder.update")
def update_reminder(
    uow: UnitOfWork,
    actor: Actor,
    reminder_id: str,
    data: ReminderInput,
    expected_version: int | None = None,
) -> int:
    """Change one's own reminder. A new due time ends a snooze."""
    reminder = _own(uow, actor, reminder_id, "change")
    check_version(reminder, expected_version, "reminder")
    if reminder.derived_key is not None:
        raise field_error("title", "a reminder derived from a rule changes with its record, not by hand")
    values = _values(uow, data)
    if _same_series(reminder, values):
        # Same rule, zone and occurrence: keep the series' first occurrence, so a COUNT still
        # counts from where the series began.
        values["rrule"], values["due_at"] = reminder.rrule, reminder.due_at
    if values["due_at"] != reminder.due_at and reminder.state is ReminderState.SNOOZED:
        reminder.state, reminder.snoozed_until = ReminderState.OPEN, None
    for key, value in values.items():
        setattr(reminder, key, value)
    uow.session.flush()
    return reminder.version


def _same_series(reminder: Reminder, values: dict[str, object]) -> bool:
    new_text = values["rrule"]
    if not reminder.rrule or not isinstance(new_text, str) or values["due_at"] != reminder.due_at:
        return False
    try:
        old = Recurrence.from_text(reminder.rrule, reminder.due_at)
        new = Recurrence.from_text(new_text, reminder.due_at)
    except RecurrenceError:
        return False
    return (old.rule, old.zone) == (new.rule, new.zone)


# -- completing, snoozing, dismissing: personal and derived, one or many --------------------------


def _targets(
    uow: UnitOfWork, actor: Actor, refs: Sequence[str], zone: str, doing: str
) -> list[tuple[Reminder, ReminderSnapshot]]:
    """The rows to change for `refs`, each with its state before: one's own reminders, and for
    derived ones their stored state (created on first use, or brought back if forgotten)."""
    require_role(actor, KEEPERS, f"{doing} reminders")
    if not refs:
        raise field_error("reminders", "choose at least one reminder")
    try:
        zone_of(zone)
    except RecurrenceError as exc:
        raise field_error("zone", str(exc)) from None
    derived: dict[str, ReminderItem] = {}
    if any(is_derived_key(r) for r in refs):
        items = reminder_items(uow, uow.policy, actor, uow.now(), zone, include_closed=True)
        derived = {i.ref: i for i in items if i.derived}
    targets = []
    for ref in dict.fromkeys(refs):
        if not is_derived_key(ref):
            row = _own(uow, actor, ref, doing)
            targets.append((row, _snapshot(ref, row, existed=True)))
            continue
        item = derived.get(ref)
        if item is None:
            raise NotFound("this reminder is no longer due: its record was fixed or is no longer yours")
        targets.append(_derived_row(uow, actor, item))
    return targets


def _derived_row(uow: UnitOfWork, actor: Actor, item: ReminderItem) -> tuple[Reminder, ReminderSnapshot]:
    statement = (
        select(Reminder)
        .where(Reminder.owner_id == actor.user_id, Reminder.derived_key == item.ref)
        .order_by(Reminder.deleted_at.is_not(None), Reminder.updated_at.desc())
    )
    row = uow.session.execute(statement).scalars().first()
    existed = row is not None and row.deleted_at is None
    if row is None:
        row = Reminder(owner_id=actor.user_id, derived_key=item.ref, state=ReminderState.OPEN)
        uow.session.add(row)
    if not existed:
        row.state, row.snoozed_until, row.completed_at = ReminderState.OPEN, None, None
    row.due_at = item.due_at
    before = _snapshot(item.ref, row, existed)
    row.deleted_at = None
    row.title = item.full_title[:MAX_TITLE]
    row.subject_kind, row.subject_id = item.subject_kind, item.subject_id
    return row, before


def _snapshot(ref: str, row: Reminder, existed: bool) -> ReminderSnapshot:
    return ReminderSnapshot(
        ref, existed, row.state, row.due_at, row.snoozed_until, row.completed_at, row.rrule
    )


@write_operation("reminder.complete")
def complete_reminders(
    uow: UnitOfWork, actor: Actor, refs: Sequence[str], zone: str = "UTC"
) -> list[ReminderSnapshot]:
    """Mark one's reminders done (their owner only). A recurring one moves to its next
    occurrence (its series ends, done, after the last). Returns the states before, for undo."""
    targets = _targets(uow, actor, refs, zone, "complete")
    now = uow.now()
    for row, _before in targets:
        row.completed_at = now
        row.snoozed_until = None
        following = _next_occurrence(row)
        if following is not None:
            row.due_at, row.state = following
        else:
            row.state = ReminderState.DONE
    return [before for _row, before in targets]


def _next_occurrence(row: Reminder) -> tuple[datetime, ReminderState] | None:
    if not row.rrule or row.derived_key is not None:
        return None
    try:
        series = Recurrence.from_text(row.rrule, row.due_at)
    except RecurrenceError:
        return None  # a rule that cannot be read any more: completing ends it
    following = series.after(row.due_at)
    if following is None:
        return None
    row.rrule = series.to_text()  # a bare rule gets its anchor and zone written down
    return following, ReminderState.OPEN


@write_operation("reminder.snooze")
def snooze_reminders(
    uow: UnitOfWork, actor: Actor, refs: Sequence[str], until: datetime, zone: str = "UTC"
) -> list[ReminderSnapshot]:
    """Put one's reminders off until `until` (in the future, within a year); their owner only.
    Returns the states before."""
    now = uow.now()
    problem = snooze_problem(until, now)
    if problem is not None:
        raise field_error("snoozed_until", problem)
    targets = _targets(uow, actor, refs, zone, "snooze")
    for row, _before in targets:
        row.state, row.snoozed_until = ReminderState.SNOOZED, until
    return [before for _row, before in targets]


@write_operation("reminder.dismiss")
def dismiss_reminders(
    uow: UnitOfWork, actor: Actor, refs: Sequence[str], zone: str = "UTC"
) -> list[ReminderSnapshot]:
    """Stop reminding (their owner only): a recurring reminder's whole series ends. Returns the
    states before."""
    targets = _targets(uow, actor, refs, zone, "dismiss")
    for row, _before in targets:
        row.state, row.snoozed_until = ReminderState.DISMISSED, None
    return [before for _row, before in targets]


@write_operation("reminder.restore")
def restore_reminders(uow: UnitOfWork, actor: Actor, snapshots: Sequence[ReminderSnapshot]) -> None:
    """Put one's reminders back as they were (undo). A derived reminder that had no stored state
    before has it forgotten again."""
    require_role(actor, KEEPERS, "restore reminders")
    now = uow.now()
    for snap in snapshots:
        if not is_derived_key(snap.ref):
            row = _own(uow, actor, snap.ref, "restore")
        else:
            statement = (
                uow.live(Reminder)
                .where(Reminder.owner_id == actor.user_id, Reminder.derived_key == snap.ref)
                .order_by(Reminder.updated_at)
            )
            rows = list(uow.session.execute(statement).scalars())
            if not snap.existed:
                for stored in rows:
                    stored.deleted_at = now
                continue
            if not rows:
                continue
            row = rows[-1]
        row.state, row.due_at = snap.state, snap.due_at
        row.snoozed_until, row.completed_at, row.rrule = snap.snoozed_until, snap.completed_at, snap.rrule
