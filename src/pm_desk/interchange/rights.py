"""Who may import what (DESIGN.md, Security), judged row by row on the rows that change something.

An administrator imports everything, users included; a supervisor the agreements of his field
office and their records; a manager the records of his own caseload (he neither opens
agreements nor moves them: that is a supervisor's reassignment); staff import nothing. A row
that changes nothing needs no right, so anyone can import back a file he exported.

The rules and refusals the services also apply are the domain's (`pm_desk.domain.permissions`);
what is the import's own is that an existing agreement is judged as it was before the import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import AgreementModel, Role
from pm_desk.domain.permissions import (
    agency_adding_refusal,
    agency_change_refusal,
    agreement_opening_refusal,
    agreement_write_refusal,
    cannot,
)


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


class Rights:
    def __init__(self, actor: Actor, setup: bool, users_by_id: dict[str, Any]) -> None:
        self.actor = actor
        self.everything = setup or actor.role is Role.ADMIN
        self._users = users_by_id

    def users(self) -> str | None:
        return None if self.everything else cannot(self.actor, "import users (an administrator does)")

    def field_office(self) -> str | None:
        if self.everything:
            return None
        return cannot(self.actor, "create field offices (an administrator does)")

    def new_agency(self) -> str | None:
        return None if self.everything else agency_adding_refusal(self.actor)

    def agency(self, agreements: list[AgreementView]) -> str | None:
        """Whoever may write one of the agency's agreements may correct the agency."""
        if self.everything:
            return None
        refusals = (self.record(a, "change the agency") for a in agreements)
        return agency_change_refusal(self.actor, refusals)

    def new_agreement(self, view: AgreementView) -> str | None:
        if self.everything:
            return None
        return agreement_opening_refusal(
            self.actor, view.field_office_id, "open agreements (a supervisor does)"
        )

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
        as_was = before or not view.new
        return agreement_write_refusal(
            self.actor,
            doing,
            manager_id=view.was_manager_id if as_was else view.manager_id,
            field_office_id=view.was_field_office_id if as_was else view.field_office_id,
            title=lambda: view.title,
            owner_name=self._user_name,
        )

    def rota(self, field_office_id: str | None, office: str) -> str | None:
        """A field office's rota: its supervisor (or an administrator) imports it."""
        if self.everything:
            return None
        if self.actor.role is Role.SUPERVISOR and self.actor.field_office_id == field_office_id:
            return None
        return cannot(self.actor, f"import the on-call rota of {office} (its supervisor does)")

    def leave(self, user: dict[str, Any], email: str) -> str | None:
        """A person's leave: himself, his supervisor, or an administrator."""
        if self.everything or user["id"] == self.actor.user_id:
            return None
        if self.actor.role is Role.SUPERVISOR and self.actor.field_office_id == user["field_office_id"]:
            return None
        return cannot(self.actor, f"import the leave of {email} (the person or his supervisor does)")

    def _user_name(self, user_id: str) -> str | None:
        user = self._users.get(user_id)
        return user["name"] if user else None
