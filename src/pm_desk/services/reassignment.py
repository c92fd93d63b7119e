"""Moving agreements between managers: history is closed and opened, never edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from pm_desk.domain.enums import Role
from pm_desk.services.actor import Actor
from pm_desk.services.errors import Problems
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_role, require_supervisor_of
from pm_desk.services.records import check_text, load
from pm_desk.store.models import Agreement, Assignment, User
from pm_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class Reassigned:
    agreement_id: str
    from_manager_id: str | None
    to_manager_id: str


@write_operation("agreement.reassign")
def reassign_agreements(
    uow: UnitOfWork, actor: Actor, agreement_ids: Sequence[str], to_manager_id: str, reason: str
) -> list[Reassigned]:
    """A supervisor moves agreements of his field office to another of its managers, in one
    transaction: each open assignment is closed and a new one opened."""
    require_role(actor, {Role.SUPERVISOR}, "reassign agreements")
    problems = Problems()
    problems.require("reason", reason)
    check_text(problems, "reason", reason, 500)
    if not agreement_ids:
        problems.add("agreements", "choose at least one agreement to move")
    target = uow.get(User, to_manager_id)
    if target is None or target.role is not Role.MANAGER or not target.active:
        problems.add("manager", "choose an active program manager to receive the agreements")
    problems.raise_if_any()
    assert target is not None
    require_supervisor_of(actor, target.field_office_id, "move agreements to a manager")
    now = uow.now()
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
    return moved
