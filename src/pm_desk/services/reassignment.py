"""Moving agreements between managers: history is closed and opened, never edited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import OPEN_HOLD_STATUSES, ReminderState, Role, label
from pm_desk.domain.results import iso_due
from pm_desk.domain.scope import office_scope
from pm_desk.services.compliance import compliance_results
from pm_desk.services.errors import Problems
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_role, require_supervisor_of
from pm_desk.services.records import check_text, check_years, load
from pm_desk.store.models import Agency, Agreement, Assignment, CustodyTransfer, Reminder, User
from pm_desk.store.uow import UnitOfWork

# Title prefix of the supervisor's reminder to move a leave's agreements back.
MOVE_BACK = "Move back: "


@dataclass(frozen=True)
class Reassigned:
    agreement_id: str
    from_manager_id: str | None
    to_manager_id: str


@write_operation("agreement.reassign")
def reassign_agreements(
    uow: UnitOfWork,
    actor: Actor,
    agreement_ids: Sequence[str],
    to_manager_id: str,
    reason: str,
    handoff_note: str | None = None,
    with_handoff: bool = True,
    returns_at: datetime | None = None,
) -> list[Reassigned]:
    """A supervisor moves agreements of his field office to another of its managers, in one
    transaction: each open assignment is closed and a new one opened. The new manager gets a
    handoff for each agreement (the note, open holds, late items, next meetings) on his Today
    until he acknowledges it. With `returns_at` (a leave's end), the supervisor gets a reminder
    on that day to move the agreements back to the manager they came from."""
    require_role(actor, {Role.SUPERVISOR}, "reassign agreements")
    problems = Problems()
    problems.require("reason", reason)
    check_text(problems, "reason", reason, 500)
    if not agreement_ids:
        problems.add("agreements", "choose at least one agreement to move")
    target = uow.get(User, to_manager_id)
    if target is None or target.role is not Role.MANAGER or not target.active:
        problems.add("manager", "choose an active program manager to receive the agreements")
    check_years(problems, returns_at=returns_at)
    problems.raise_if_any()
    assert target is not None
    require_supervisor_of(actor, target.field_office_id, "move agreements to a manager")
    check_text(problems, "handoff_note", handoff_note, 5000)
    now = uow.now()
    if returns_at is not None and (returns_at.tzinfo is None or returns_at <= now):
        problems.add("returns_at", "the return date must be in the future")
    problems.raise_if_any()
    pressing = _pressing_items(uow, target.field_office_id) if with_handoff else {}
    moved: list[Reassigned] = []
    for agreement_id in dict.fromkeys(agreement_ids):
        agreement = load(uow, Agreement, agreement_id, "agreement")
        require_supervisor_of(actor, agreement.field_office_id, "reassign this agreement")
        if agreement.manager_id == target.id:
            continue
        open_assignments = uow.session.execute(
            select(Assignment).where(
                Assignment.agreement_id == agreement.id,
                Assignment.ends_at.is_(None),
                Assignment.deleted_at.is_(None),
            )
        ).scalars()
        for assignment in open_assignments:
            assignment.ends_at = now
        uow.session.add(
            Assignment(
                agreement_id=agreement.id,
                manager_id=target.id,
                starts_at=now,
                reason=reason.strip(),
                assigned_by=actor.user_id,
            )
        )
        moved.append(Reassigned(agreement.id, agreement.manager_id, target.id))
        agreement.manager_id = target.id
        if with_handoff:
            uow.session.add(
                _handoff(uow, agreement, target, actor, handoff_note, pressing.get(agreement.id, []))
            )
    if returns_at is not None and moved:
        _return_reminders(uow, actor, target, moved, returns_at)
    if moved:
        _close_move_back(uow, target.id, now)
    return moved


def _close_move_back(uow: UnitOfWork, manager_id: str, now: datetime) -> None:
    """Agreements going back to a manager settle the reminders to move them back to him."""
    waiting = uow.session.execute(
        select(Reminder).where(
            Reminder.subject_kind == "user",
            Reminder.subject_id == manager_id,
            Reminder.title.startswith(MOVE_BACK),
            Reminder.state.in_((ReminderState.OPEN, ReminderState.SNOOZED)),
            Reminder.deleted_at.is_(None),
        )
    ).scalars()
    for reminder in waiting:
        reminder.state = ReminderState.DONE
        reminder.completed_at = now


def _return_reminders(
    uow: UnitOfWork, actor: Actor, target: User, moved: list[Reassigned], returns_at: datetime
) -> None:
    """One reminder per former manager, due when he is back, listing what to move back."""
    by_manager: dict[str, list[str]] = {}
    for move in moved:
        if move.from_manager_id:
            by_manager.setdefault(move.from_manager_id, []).append(move.agreement_id)
    for manager_id, agreement_ids in by_manager.items():
        former = uow.session.get(User, manager_id)
        name = former.name if former else "the former manager"
        names = uow.session.execute(
            select(Agency.name)
            .join(Agreement, Agreement.agency_id == Agency.id)
            .where(Agreement.id.in_(agreement_ids))
            .order_by(Agency.name)
        ).scalars()
        count = len(agreement_ids)
        what = "1 agreement" if count == 1 else f"{count} agreements"
        lines = [f"Moved to {target.name} on {uow.now():%Y-%m-%d} while {name} was away:"]
        lines += [f"- {agency}" for agency in names]
        lines.append("On the Team page, select the manager now holding them and move them back.")
        uow.session.add(
            Reminder(
                owner_id=actor.user_id,
                subject_kind="user",
                subject_id=manager_id,
                title=f"{MOVE_BACK}{what} from {target.name} to {name}, who is back",
                notes="\n".join(lines),
                due_at=returns_at,
                state=ReminderState.OPEN,
            )
        )


def balance_caseloads(
    uow: UnitOfWork,
    actor: Actor,
    moves: Mapping[str, Sequence[str]],
    reason: str,
    with_handoff: bool = True,
) -> list[Reassigned]:
    """Several managers' shares moved at once (a suggested balance, or a move taken back): the
    agreements for each new manager in one transaction, as `reassign_agreements` does them."""
    moved: list[Reassigned] = []
    for manager_id, agreement_ids in moves.items():
        moved += reassign_agreements(uow, actor, agreement_ids, manager_id, reason, None, with_handoff)
    return moved


def _pressing_items(uow: UnitOfWork, field_office_id: str | None) -> dict[str, list[str]]:
    """Per agreement, the compliance results a new manager must know about at once."""
    items: dict[str, list[str]] = {}
    for item in compliance_results(uow, uow.policy, uow.now(), office_scope(field_office_id)):
        if item.agreement_id is None:
            continue
        due = iso_due(item.due) or ""
        items.setdefault(item.agreement_id, []).append(f"{label(item.rule)}: {label(item.status)} ({due})")
    return items


def _handoff(
    uow: UnitOfWork, agreement: Agreement, target: User, actor: Actor, note: str | None, pressing: list[str]
) -> Reminder:
    agency = uow.session.get(Agency, agreement.agency_id)
    name = agency.name if agency else "an agreement"
    holds = uow.session.execute(
        select(func.count()).where(
            CustodyTransfer.agreement_id == agreement.id,
            CustodyTransfer.status.in_(OPEN_HOLD_STATUSES),
            CustodyTransfer.deleted_at.is_(None),
        )
    ).scalar_one()
    lines = [f"Handed over by {actor.name} on {uow.now():%Y-%m-%d}."]
    if note and note.strip():
        lines.append(f"Note: {note.strip()}")
    lines.append(f"Open holds: {holds}")
    lines += [f"- {item}" for item in pressing] or ["Nothing overdue or due soon."]
    if agreement.next_steering_committee_on:
        lines.append(f"Next steering committee: {agreement.next_steering_committee_on.isoformat()}")
    if agreement.expires_on:
        lines.append(f"Expires: {agreement.expires_on.isoformat()}")
    return Reminder(
        owner_id=target.id,
        subject_kind="agreement",
        subject_id=agreement.id,
        title=f"Handoff: {name} ({label(agreement.model)}) — read and acknowledge",
        notes="\n".join(lines),
        due_at=uow.now(),
        state=ReminderState.OPEN,
    )
