"""Who may do what (DESIGN.md, Security), checked in services, never only hidden in the UI.

- manager: writes the records of his own caseload (agreements whose current manager he is);
- supervisor: writes everything in his field office, reassigns agreements, approves cover;
- staff: reads and prints;
- admin: manages users and policy.
"""

from __future__ import annotations

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.services.errors import PermissionDenied
from pm_desk.store.models import Agency, Agreement, User
from pm_desk.store.uow import UnitOfWork

_ROLE_WORDS = {
    Role.MANAGER: "a manager",
    Role.SUPERVISOR: "a supervisor",
    Role.STAFF: "staff",
    Role.ADMIN: "an administrator",
}


def describe_agreement(uow: UnitOfWork, agreement: Agreement) -> str:
    agency = uow.session.get(Agency, agreement.agency_id)
    agency_name = agency.name if agency else "an unknown agency"
    return f"{agency_name} ({agreement.model.value.replace('_', ' ')})"


def require_role(actor: Actor, allowed: set[Role], doing: str) -> None:
    if actor.role not in allowed:
        raise PermissionDenied(f"{actor.name} is {_ROLE_WORDS[actor.role]} and cannot {doing}")


def can_write_agreement(actor: Actor, agreement: Agreement) -> bool:
    if actor.role is Role.MANAGER:
        return agreement.manager_id == actor.user_id
    if actor.role is Role.SUPERVISOR:
        return agreement.field_office_id == actor.field_office_id
    return False


def require_agreement_write(uow: UnitOfWork, actor: Actor, agreement: Agreement, doing: str) -> None:
    """A manager writes his caseload; a supervisor his field office; nobody else."""
    if can_write_agreement(actor, agreement):
        return
    what = describe_agreement(uow, agreement)
    if actor.role is Role.MANAGER:
        owner = uow.session.get(User, agreement.manager_id) if agreement.manager_id else None
        whose = f"{owner.name}'s caseload" if owner else "no one's caseload yet"
        message = f"{actor.name} cannot {doing} for {what}: it is in {whose}, not yours"
    elif actor.role is Role.SUPERVISOR:
        message = f"{actor.name} cannot {doing} for {what}: it belongs to another field office"
    else:
        message = f"{actor.name} is {_ROLE_WORDS[actor.role]} and cannot {doing}"
    raise PermissionDenied(message, "agreement", agreement.id)


def require_supervisor_of(actor: Actor, field_office_id: str | None, doing: str) -> None:
    require_role(actor, {Role.SUPERVISOR}, doing)
    if actor.field_office_id != field_office_id:
        raise PermissionDenied(f"{actor.name} cannot {doing} in another field office")


def can_see_subject_details(actor: Actor) -> bool:
    """Full A-numbers and subject details: the managers and supervisors who handle transfers."""
    return actor.role in {Role.MANAGER, Role.SUPERVISOR}
