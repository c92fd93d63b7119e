"""Who may write what (DESIGN.md, Security), as pure functions of the acting user and plain values
of the record: the services and the importers ask these same questions and word the same refusals.

- manager: writes the records of his own caseload (agreements whose current manager he is);
- supervisor: writes everything in his field office and opens agreements there;
- staff: reads and prints;
- admin: manages users and policy.

A refusal is a sentence naming the actor, ready to show and to audit; None means allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import AgreementModel, Role, label

ROLE_WORDS = {
    Role.MANAGER: "a manager",
    Role.SUPERVISOR: "a supervisor",
    Role.STAFF: "staff",
    Role.ADMIN: "an administrator",
}
AGENCY_ADDERS = frozenset({Role.MANAGER, Role.SUPERVISOR})


def agreement_title(agency_name: str, model: AgreementModel) -> str:
    """An agreement as refusals name it: "Bay County Sheriff's Office (task force)"."""
    return f"{agency_name} ({label(model)})"


def cannot(actor: Actor, doing: str) -> str:
    return f"{actor.name} is {ROLE_WORDS[actor.role]} and cannot {doing}"


def role_refusal(actor: Actor, allowed: Collection[Role], doing: str) -> str | None:
    return None if actor.role in allowed else cannot(actor, doing)


def may_write_agreement(actor: Actor, manager_id: str | None, field_office_id: str | None) -> bool:
    """A manager writes his caseload; a supervisor his field office; nobody else."""
    if actor.role is Role.MANAGER:
        return manager_id == actor.user_id
    if actor.role is Role.SUPERVISOR:
        return field_office_id == actor.field_office_id
    return False


def agreement_write_refusal(
    actor: Actor,
    doing: str,
    *,
    manager_id: str | None,
    field_office_id: str | None,
    title: Callable[[], str],
    owner_name: Callable[[str], str | None],
) -> str | None:
    """Why the actor may not `doing` for an agreement with this manager and field office.

    `title` gives the agreement's title and `owner_name` a manager's name by his id; they are
    asked only for a refusal, so a permitted write costs no lookup."""
    if may_write_agreement(actor, manager_id, field_office_id):
        return None
    if actor.role is Role.MANAGER:
        owner = owner_name(manager_id) if manager_id else None
        whose = f"{owner}'s caseload" if owner else "no one's caseload yet"
        return f"{actor.name} cannot {doing} for {title()}: it is in {whose}, not yours"
    if actor.role is Role.SUPERVISOR:
        return f"{actor.name} cannot {doing} for {title()}: it belongs to another field office"
    return cannot(actor, doing)


def agency_adding_refusal(actor: Actor) -> str | None:
    """Managers and supervisors record new agencies."""
    return role_refusal(actor, AGENCY_ADDERS, "add agencies")


def agency_change_refusal(actor: Actor, agreement_refusals: Iterable[str | None]) -> str | None:
    """Whoever may write one of the agency's agreements may correct the agency; a supervisor may
    also correct one that has no agreement yet. `agreement_refusals` are the answers of
    `agreement_write_refusal` for each of its agreements, doing "change the agency"."""
    first: str | None = None
    for refusal in agreement_refusals:
        if refusal is None:
            return None
        first = first or refusal
    if first is not None:
        return first
    return role_refusal(actor, {Role.SUPERVISOR}, "change an agency that has no agreement")


def agreement_opening_refusal(actor: Actor, field_office_id: str | None, doing: str) -> str | None:
    """A supervisor opens agreements, in his own field office only."""
    if actor.role is not Role.SUPERVISOR:
        return cannot(actor, doing)
    if field_office_id != actor.field_office_id:
        return f"{actor.name} cannot open an agreement in another field office"
    return None
