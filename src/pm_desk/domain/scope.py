"""Whose records a person sees: one value, derived once from the acting user and the moment.

Compliance, Today, Reminders, the lists, the exports, the reports and sync all take a `Scope`;
none of them decides from the role again. A manager sees his caseload (the switch "Whole field
office" widens it to his field office), a supervisor his field office, staff and administrators
the program. Outside office hours the person on call also watches his field office's holds at
risk (`on_call_office_id`), so someone owns them at 3 a.m.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role


@dataclass(frozen=True)
class Scope:
    """One manager's caseload, one field office, or (both None) the program."""

    manager_id: str | None = None
    field_office_id: str | None = None
    # The field office whose open holds the person on call watches now (outside office hours).
    on_call_office_id: str | None = None

    @property
    def is_program(self) -> bool:
        return self.manager_id is None and self.field_office_id is None

    @property
    def description(self) -> str:
        """The scope as its own person reads it: your caseload, your field office, the program."""
        if self.manager_id is not None:
            return "your caseload"
        if self.field_office_id is not None:
            return "your field office"
        return "the program"

    def on_call(self, field_office_id: str | None) -> Scope:
        return replace(self, on_call_office_id=field_office_id)


PROGRAM = Scope()


def scope_of(actor: Actor, whole_office: bool = False) -> Scope:
    """What `actor` sees: a manager his caseload (or, with `whole_office`, his field office), a
    supervisor his field office, everyone else the program."""
    if actor.role is Role.MANAGER and not whole_office:
        return Scope(manager_id=actor.user_id)
    if actor.role in {Role.MANAGER, Role.SUPERVISOR} and actor.field_office_id:
        return Scope(field_office_id=actor.field_office_id)
    return PROGRAM


def sees_caseload_of(viewer: Actor, owner_id: str, owner_office_id: str | None) -> bool:
    """Whether `viewer` may look at a person's caseload (his reminders, his compliance, his monthly
    report): his own; his field office's as its supervisor; anyone's as staff or administrator."""
    if viewer.user_id == owner_id or viewer.role in {Role.STAFF, Role.ADMIN}:
        return True
    return (
        viewer.role is Role.SUPERVISOR
        and viewer.field_office_id is not None
        and viewer.field_office_id == owner_office_id
    )


def caseload_of(manager_id: str) -> Scope:
    """One manager's caseload, whoever looks at it (a monthly report, `--manager`)."""
    return Scope(manager_id=manager_id)


def office_scope(field_office_id: str | None) -> Scope:
    """One field office (None: the program), whoever looks at it (the Team page, a handoff)."""
    return Scope(field_office_id=field_office_id)


def has_caseload(actor: Actor) -> bool:
    """Whether the person's scope carries work of his own (derived reminders, Today's groups)."""
    return actor.role in {Role.MANAGER, Role.SUPERVISOR}
