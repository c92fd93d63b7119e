"""Who may import what (DESIGN.md, Security), judged row by row on the rows that change something.

An administrator imports everything, users included; a supervisor the agreements of his field
office and their records; a manager the records of his own caseload (he neither opens
agreements nor moves them: that is a supervisor's reassignment); staff import nothing. A row
that changes nothing needs no right, so anyone can import back a file he exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import AgreementModel, Role, label

_ROLE_WORDS = {
    Role.MANAGER: "a manager",
    Role.SUPERVISOR: "a supervisor",
    Role.STAFF: "staff",
    Role.ADMIN: "an administrator",
}


@dataclass
class AgreementView:
    """An agreement as the import leaves it (and as it was), for references and rights."""

    id: str
    agency_id: str
    model: AgreementModel
    title: str  # "Bay County Sheriff's Office (task force)"
    field_office_id: str | None
    manager_id: str | None
    was_field_office_id: str | None = None
    was_manager_id: str | None = None
    new: bool = False


def agreement_title(agency_name: str, model: AgreementModel) -> str:
    return f"{agency_name} ({label(model)})"


class Rights:
    def __init__(self, actor: Actor, setup: bool, users_by_id: dict[str, Any]) -> None:
        self.actor = actor
        self.everything = setup or actor.role is Role.ADMIN
        self._users = users_by_id

    def _cannot(self, doing: str) -> str:
        return f"{self.actor.name} is {_ROLE_WORDS[self.actor.role]} and cannot {doing}"

    def users(self) -> str | None:
        return None if self.everything else self._cannot("import users (an administrator does)")

    def field_office(self) -> str | None:
        return None if self.everything else self._cannot("create field offices (an administrator does)")

    def new_agency(self) -> str | None:
        if self.everything or self.actor.role in {Role.MANAGER, Role.SUPERVISOR}:
            return None
        return self._cannot("add agencies")

    def agency(self, agreements: list[AgreementView]) -> str | None:
        """Whoever may write one of the agency's agreements may correct the agency."""
        if self.everything or any(self._writes(a) for a in agreements):
            return None
        if not agreements and self.actor.role is Role.SUPERVISOR:
            return None
        if agreements:
            return self.record(agreements[0], "change the agency")
        return self._cannot("change an agency that has no agreement")

    def new_agreement(self, view: AgreementView) -> str | None:
        if self.everything:
            return None
        if self.actor.role is not Role.SUPERVISOR:
            return self._cannot("open agreements (a supervisor does)")
        if view.field_office_id != self.actor.field_office_id:
            return f"{self.actor.name} cannot open an agreement in another field office"
        return None

    def agreement(self, view: AgreementView) -> str | None:
        if self.everything:
            return None
        moved = view.manager_id != view.was_manager_id or view.field_office_id != view.was_field_office_id
        if moved and self.actor.role is not Role.SUPERVISOR:
            return f"{self.actor.name} cannot reassign {view.title}: a supervisor reassigns agreements"
        if self.actor.role is Role.SUPERVISOR and view.field_office_id != self.actor.field_office_id:
            return f"{self.actor.name} cannot move {view.title} to another field office"
        return self.record(view, "change the agreement", before=True)

    def record(self, view: AgreementView, doing: str, before: bool = False) -> str | None:
        """May the actor write a record of this agreement (as it was, for an existing one)?"""
        if self.everything:
            return None
        manager_id = view.was_manager_id if before or not view.new else view.manager_id
        office_id = view.was_field_office_id if before or not view.new else view.field_office_id
        if self.actor.role is Role.MANAGER:
            if manager_id == self.actor.user_id:
                return None
            owner = self._users.get(manager_id) if manager_id else None
            whose = f"{owner['name']}'s caseload" if owner else "no one's caseload yet"
            return f"{self.actor.name} cannot {doing} for {view.title}: it is in {whose}, not yours"
        if self.actor.role is Role.SUPERVISOR:
            if office_id == self.actor.field_office_id:
                return None
            return f"{self.actor.name} cannot {doing} for {view.title}: it belongs to another field office"
        return self._cannot(doing)

    def _writes(self, view: AgreementView) -> bool:
        return self.record(view, "") is None
