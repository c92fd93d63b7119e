"""Who may do what (DESIGN.md, Security), checked in services, never only hidden in the UI.

The rules and their refusals are the domain's (`pm_desk.domain.permissions`), shared with the
importers; here they are asked of stored records and a refusal is raised as `PermissionDenied`.
"""

from __future__ import annotations

from collections.abc import Callable

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.domain.permissions import (
    agreement_title,
    agreement_write_refusal,
    may_write_agreement,
    role_refusal,
)
from pm_desk.services.errors import PermissionDenied
from pm_desk.store.models import Agency, Agreement, User
from pm_desk.store.uow import UnitOfWork


def describe_agreement(uow: UnitOfWork, agreement: Agreement) -> str:
    agency = uow.session.get(Agency, agreement.agency_id)
    return agreement_title(agency.name if agency else "an unknown agency", agreement.model)


def require_role(actor: Actor, allowed: set[Role], doing: str) -> None:
    refusal = role_refusal(actor, allowed, doing)
    if refusal is not None:
        raise PermissionDenied(refusal)


def can_write_agreement(actor: Actor, agreement: Agreement) -> bool:
    return may_write_agreement(actor, agreement.manager_id, agreement.field_office_id)


def _user_names(uow: UnitOfWork) -> Callable[[str], str | None]:
    """The name of a stored user by his id, for the refusals that name an agreement's manager."""

    def name(user_id: str) -> str | None:
        user = uow.session.get(User, user_id)
        return user.name if user else None

    return name


def agreement_refusal(uow: UnitOfWork, actor: Actor, agreement: Agreement, doing: str) -> str | None:
    return agreement_write_refusal(
        actor,
        doing,
        manager_id=agreement.manager_id,
        field_office_id=agreement.field_office_id,
        title=lambda: describe_agreement(uow, agreement),
        owner_name=_user_names(uow),
    )


def require_agreement_write(uow: UnitOfWork, actor: Actor, agreement: Agreement, doing: str) -> None:
    """A manager writes his caseload; a supervisor his field office; nobody else."""
    refusal = agreement_refusal(uow, actor, agreement, doing)
    if refusal is not None:
        raise PermissionDenied(refusal, "agreement", agreement.id)


def require_supervisor_of(actor: Actor, field_office_id: str | None, doing: str) -> None:
    require_role(actor, {Role.SUPERVISOR}, doing)
    if actor.field_office_id != field_office_id:
        raise PermissionDenied(f"{actor.name} cannot {doing} in another field office")


def can_see_subject_details(actor: Actor) -> bool:
    """Full A-numbers and subject details: the managers and supervisors who handle transfers."""
    return actor.role in {Role.MANAGER, Role.SUPERVISOR}
