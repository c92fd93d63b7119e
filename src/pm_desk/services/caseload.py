"""Agencies and agreements: the caseload itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import AgencyKind, AgreementModel, AgreementStatus, Role
from pm_desk.domain.keys import clean_name, normalize_name, ori_problem, state_code
from pm_desk.domain.permissions import agency_adding_refusal, agency_change_refusal, agreement_opening_refusal
from pm_desk.domain.validation import MAX_LONG_TEXT, MAX_NAME, agreement_date_problems, jail_beds_problem
from pm_desk.services.errors import PermissionDenied, Problems
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import agreement_refusal, require_agreement_write
from pm_desk.services.records import (
    add_problems,
    apply_changes,
    check_text,
    check_version,
    check_years,
    clean_text,
    load,
)
from pm_desk.store.models import Agency, Agreement, Assignment, FieldOffice, User
from pm_desk.store.uow import UnitOfWork


@dataclass
class AgencyInput:
    state: str
    name: str
    kind: AgencyKind = AgencyKind.COUNTY
    ori: str | None = None
    county: str | None = None
    address: str | None = None
    phone: str | None = None
    jail_beds: int | None = None


def _validated_agency(uow: UnitOfWork, data: AgencyInput, existing_id: str | None) -> dict[str, object]:
    problems = Problems()
    problems.require("state", data.state)
    problems.require("name", data.name)
    code = state_code(data.state) if data.state and data.state.strip() else None
    if data.state and data.state.strip() and code is None:
        problems.add("state", f"{data.state.strip()!r} is not a US state or territory code")
    name = clean_name(data.name or "")
    check_text(problems, "name", name, MAX_NAME * 2)
    ori = clean_text(data.ori)
    if ori is not None:
        ori = ori.upper()
        if code and (why := ori_problem(ori, code)):
            problems.add("ori", why)
        clash = uow.session.execute(
            select(Agency.id).where(
                Agency.ori == ori, Agency.deleted_at.is_(None), Agency.id != (existing_id or "")
            )
        ).scalar()
        if clash:
            problems.add("ori", f"{ori} is already the ORI of another agency")
    if why := jail_beds_problem(data.jail_beds):
        problems.add("jail_beds", why)
    for name_of_field in ("county", "address", "phone"):
        check_text(problems, name_of_field, getattr(data, name_of_field), 500)
    if code and name:
        clash = uow.session.execute(
            select(Agency.id).where(
                Agency.state == code,
                Agency.name_key == normalize_name(name),
                Agency.deleted_at.is_(None),
                Agency.id != (existing_id or ""),
            )
        ).scalar()
        if clash:
            problems.add("name", f"an agency named {name!r} already exists in {code}")
    problems.raise_if_any()
    return {
        "state": code,
        "name": name,
        "name_key": normalize_name(name),
        "ori": ori,
        "kind": data.kind,
        "county": clean_text(data.county),
        "address": clean_text(data.address),
        "phone": clean_text(data.phone),
        "jail_beds": data.jail_beds,
    }


@write_operation("agency.create")
def create_agency(uow: UnitOfWork, actor: Actor, data: AgencyInput) -> str:
    """Managers and supervisors record a new agency."""
    if refusal := agency_adding_refusal(actor):
        raise PermissionDenied(refusal)
    agency = Agency(**_validated_agency(uow, data, None))
    uow.session.add(agency)
    uow.session.flush()
    return agency.id


@write_operation("agency.update")
def update_agency(
    uow: UnitOfWork, actor: Actor, agency_id: str, data: AgencyInput, expected_version: int | None = None
) -> int:
    """Whoever may write one of the agency's agreements may correct the agency."""
    agency = load(uow, Agency, agency_id, "agency")
    agreements = (
        uow.session.execute(uow.live(Agreement).where(Agreement.agency_id == agency_id)).scalars().all()
    )
    refusals = (agreement_refusal(uow, actor, a, "change the agency") for a in agreements)
    if refusal := agency_change_refusal(actor, refusals):
        # Refused over its agreements, the denial names the first of them, as its refusal does.
        first = agreements[0] if agreements else None
        raise PermissionDenied(refusal, "agreement" if first else None, first.id if first else None)
    check_version(agency, expected_version, "agency")
    values = _validated_agency(uow, data, agency_id)
    apply_changes(agency, values, frozenset(values), "agency")
    uow.session.flush()
    return agency.version


@dataclass
class AgreementInput:
    agency_id: str
    model: AgreementModel
    status: AgreementStatus = AgreementStatus.APPLICANT
    application_received_on: date | None = None
    signed_on: date | None = None
    effective_on: date | None = None
    expires_on: date | None = None
    next_steering_committee_on: date | None = None
    notes: str | None = None
    manager_id: str | None = None
    field_office_id: str | None = None


def _validate_agreement(uow: UnitOfWork, data: AgreementInput, existing_id: str | None) -> Problems:
    problems = Problems()
    if uow.get(Agency, data.agency_id) is None:
        problems.add("agency", "choose the agency this agreement is with")
    dates = agreement_date_problems(
        data.status,
        application_received=data.application_received_on,
        signed=data.signed_on,
        effective=data.effective_on,
        expires=data.expires_on,
    )
    add_problems(problems, dates, suffix="_on")
    check_years(
        problems,
        application_received_on=data.application_received_on,
        signed_on=data.signed_on,
        effective_on=data.effective_on,
        expires_on=data.expires_on,
        next_steering_committee_on=data.next_steering_committee_on,
    )
    check_text(problems, "notes", data.notes, MAX_LONG_TEXT)
    clash = uow.session.execute(
        select(Agreement.id).where(
            Agreement.agency_id == data.agency_id,
            Agreement.model == data.model,
            Agreement.deleted_at.is_(None),
            Agreement.id != (existing_id or ""),
        )
    ).scalar()
    if clash:
        problems.add("model", f"this agency already has a {data.model.value.replace('_', ' ')} agreement")
    return problems


@write_operation("agreement.create")
def create_agreement(uow: UnitOfWork, actor: Actor, data: AgreementInput) -> str:
    """A supervisor opens an agreement in his field office and assigns its manager."""
    office_id = data.field_office_id or actor.field_office_id
    if refusal := agreement_opening_refusal(actor, office_id, "open agreements"):
        raise PermissionDenied(refusal)
    problems = _validate_agreement(uow, data, None)
    if office_id is None or uow.get(FieldOffice, office_id) is None:
        problems.add("field_office", "the agreement needs a field office")
    manager = uow.get(User, data.manager_id) if data.manager_id else None
    if data.manager_id and (manager is None or manager.role is not Role.MANAGER or not manager.active):
        problems.add("manager", "choose an active program manager")
    elif manager is not None and manager.field_office_id != office_id:
        problems.add("manager", f"{manager.name} works in another field office")
    problems.raise_if_any()
    agreement = Agreement(
        agency_id=data.agency_id,
        model=data.model,
        status=data.status,
        application_received_on=data.application_received_on,
        signed_on=data.signed_on,
        effective_on=data.effective_on,
        expires_on=data.expires_on,
        next_steering_committee_on=data.next_steering_committee_on,
        notes=clean_text(data.notes),
        field_office_id=office_id,
        manager_id=manager.id if manager else None,
    )
    uow.session.add(agreement)
    uow.session.flush()
    if manager is not None:
        uow.session.add(
            Assignment(
                agreement_id=agreement.id,
                manager_id=manager.id,
                starts_at=uow.now(),
                reason="opened",
                assigned_by=actor.user_id,
            )
        )
    return agreement.id


_AGREEMENT_EDITABLE = frozenset(
    {
        "status",
        "application_received_on",
        "signed_on",
        "effective_on",
        "expires_on",
        "next_steering_committee_on",
        "notes",
    }
)


@write_operation("agreement.update")
def update_agreement(
    uow: UnitOfWork,
    actor: Actor,
    agreement_id: str,
    data: AgreementInput,
    expected_version: int | None = None,
) -> int:
    """The agreement's manager or his supervisor edits status, dates and notes (not the manager:
    that is a reassignment)."""
    agreement = load(uow, Agreement, agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "change the agreement")
    check_version(agreement, expected_version, "agreement")
    data.agency_id = agreement.agency_id
    data.model = agreement.model
    _validate_agreement(uow, data, agreement_id).raise_if_any()
    values = {name: getattr(data, name) for name in _AGREEMENT_EDITABLE}
    values["notes"] = clean_text(data.notes)
    apply_changes(agreement, values, _AGREEMENT_EDITABLE, "agreement")
    uow.session.flush()
    return agreement.version
