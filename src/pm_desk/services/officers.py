"""Designated officers and their authority."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import AUTHORITY_TRANSITIONS, AuthorityStatus, BackgroundCheck, label
from pm_desk.domain.validation import MAX_BADGE, MAX_EMAIL, MAX_NAME, MAX_RANK
from pm_desk.services.errors import Problems, field_error
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_agreement_write
from pm_desk.services.records import (
    apply_changes,
    check_not_future,
    check_order,
    check_text,
    check_version,
    check_years,
    clean_text,
    load,
)
from pm_desk.store.models import Agreement, Officer, OfficerStatusChange
from pm_desk.store.uow import UnitOfWork

_EMAIL_SHAPE = "@"


@dataclass
class OfficerInput:
    agreement_id: str
    name: str
    badge: str
    rank: str | None = None
    email: str | None = None
    nominated_on: date | None = None
    background_status: BackgroundCheck | None = None
    background_on: date | None = None


def _validate(
    uow: UnitOfWork, data: OfficerInput, agreement: Agreement, existing_id: str | None
) -> dict[str, object]:
    problems = Problems()
    problems.require("name", data.name)
    problems.require("badge", data.badge)
    name = " ".join((data.name or "").split())
    badge = (data.badge or "").strip()
    check_text(problems, "name", name, MAX_NAME)
    check_text(problems, "badge", badge, MAX_BADGE)
    check_text(problems, "rank", data.rank, MAX_RANK)
    email = clean_text(data.email)
    if email is not None and (_EMAIL_SHAPE not in email or len(email) > MAX_EMAIL or " " in email):
        problems.add("email", f"{email!r} is not an email address")
    today = uow.now().date()
    check_not_future(problems, "nominated_on", data.nominated_on, today)
    check_not_future(problems, "background_on", data.background_on, today)
    check_years(problems, nominated_on=data.nominated_on, background_on=data.background_on)
    check_order(
        problems,
        "nominated_on",
        data.nominated_on,
        "background_on",
        data.background_on,
        "cannot be before the nomination",
    )
    if badge:
        clash = uow.session.execute(
            select(Officer.name).where(
                Officer.agency_id == agreement.agency_id,
                Officer.badge == badge,
                Officer.deleted_at.is_(None),
                Officer.id != (existing_id or ""),
            )
        ).scalar()
        if clash:
            problems.add("badge", f"badge {badge} already belongs to {clash} at this agency")
    problems.raise_if_any()
    return {
        "name": name,
        "badge": badge,
        "rank": clean_text(data.rank),
        "email": email,
        "nominated_on": data.nominated_on,
        "background_status": data.background_status,
        "background_on": data.background_on,
    }


@write_operation("officer.create")
def create_officer(uow: UnitOfWork, actor: Actor, data: OfficerInput) -> str:
    """The agreement's manager (or supervisor) nominates an officer under it."""
    agreement = load(uow, Agreement, data.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "add officers")
    values = _validate(uow, data, agreement, None)
    officer = Officer(agreement_id=agreement.id, agency_id=agreement.agency_id, **values)
    officer.authority_status = AuthorityStatus.NOMINATED
    uow.session.add(officer)
    uow.session.flush()
    uow.session.add(
        OfficerStatusChange(
            officer_id=officer.id,
            changed_at=uow.now(),
            from_status=None,
            to_status=AuthorityStatus.NOMINATED,
            reason="nominated",
            changed_by=actor.user_id,
        )
    )
    return officer.id


_EDITABLE = frozenset(
    {"name", "badge", "rank", "email", "nominated_on", "background_status", "background_on"}
)


@write_operation("officer.update")
def update_officer(
    uow: UnitOfWork, actor: Actor, officer_id: str, data: OfficerInput, expected_version: int | None = None
) -> int:
    officer = load(uow, Officer, officer_id, "officer")
    agreement = load(uow, Agreement, officer.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "change officers")
    check_version(officer, expected_version, "officer")
    apply_changes(officer, _validate(uow, data, agreement, officer_id), _EDITABLE, "officer")
    uow.session.flush()
    return officer.version


def change_authority_in(
    uow: UnitOfWork,
    actor: Actor,
    officer: Officer,
    to_status: AuthorityStatus,
    reason: str | None,
    expected_version: int | None = None,
    checked: bool = True,
) -> None:
    """Move an officer's authority along the allowed transitions, with history (no commit). A
    person's change says which version of the officer he saw (`expected_version`); a change the
    program makes itself (an import, a training record) passes `checked=False`."""
    agreement = load(uow, Agreement, officer.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "change an officer's authority")
    if checked:
        check_version(officer, expected_version, "officer")
    current = officer.authority_status
    if to_status == current:
        raise field_error("authority_status", f"the officer is already {label(current)}")
    if to_status not in AUTHORITY_TRANSITIONS[current]:
        allowed = ", ".join(sorted(label(s) for s in AUTHORITY_TRANSITIONS[current])) or "none"
        raise field_error(
            "authority_status",
            f"an officer who is {label(current)} cannot become {label(to_status)} (possible: {allowed})",
        )
    if to_status in {AuthorityStatus.REVOKED, AuthorityStatus.SUSPENDED} and not (reason and reason.strip()):
        raise field_error("reason", f"say why the authority is {to_status.value}")
    problems = Problems()
    check_text(problems, "reason", reason, 500)
    problems.raise_if_any()
    officer.authority_status = to_status
    uow.session.add(
        OfficerStatusChange(
            officer_id=officer.id,
            changed_at=uow.now(),
            from_status=current,
            to_status=to_status,
            reason=clean_text(reason),
            changed_by=actor.user_id,
        )
    )


@write_operation("officer.change_authority")
def change_authority(
    uow: UnitOfWork,
    actor: Actor,
    officer_id: str,
    to_status: AuthorityStatus,
    reason: str | None = None,
    expected_version: int | None = None,
) -> int:
    officer = load(uow, Officer, officer_id, "officer")
    change_authority_in(uow, actor, officer, to_status, reason, expected_version)
    uow.session.flush()
    return officer.version


@write_operation("officer.revoke")
def revoke_authority(
    uow: UnitOfWork, actor: Actor, officer_id: str, reason: str, expected_version: int | None = None
) -> int:
    """Revoke an officer's 287(g) authority (a reason is required and kept in his history)."""
    officer = load(uow, Officer, officer_id, "officer")
    change_authority_in(uow, actor, officer, AuthorityStatus.REVOKED, reason, expected_version)
    uow.session.flush()
    return officer.version
