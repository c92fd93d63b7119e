"""Complaints against officers or agencies, with the policy's report and resolution clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pm_desk.domain.actor import Actor
from pm_desk.domain.validation import MAX_LONG_TEXT
from pm_desk.services.errors import Problems
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_agreement_write
from pm_desk.services.records import check_order, check_text, check_version, check_years, clean_text, load
from pm_desk.store.models import Agreement, Complaint, Officer
from pm_desk.store.uow import UnitOfWork


@dataclass
class ComplaintInput:
    agreement_id: str
    received_at: datetime
    summary: str | None = None
    officer_id: str | None = None
    reported_at: datetime | None = None
    referred_at: datetime | None = None
    officer_removed: bool = False
    outcome: str | None = None
    closed_on: date | None = None


def _values(uow: UnitOfWork, data: ComplaintInput) -> dict[str, object]:
    problems = Problems()
    problems.require("received_at", data.received_at, "received")
    now = uow.now()
    for name in ("received_at", "reported_at", "referred_at"):
        value = getattr(data, name)
        if value is not None and value > now:
            problems.add(name, "is in the future")
    check_order(
        problems,
        "received_at",
        data.received_at,
        "reported_at",
        data.reported_at,
        "cannot be before it was received",
    )
    check_order(
        problems,
        "received_at",
        data.received_at,
        "referred_at",
        data.referred_at,
        "cannot be before it was received",
    )
    if data.closed_on and data.received_at and data.closed_on < data.received_at.date():
        problems.add("closed_on", "cannot be before it was received")
    if data.closed_on and data.closed_on > now.date():
        problems.add("closed_on", "is in the future")
    check_years(
        problems,
        received_at=data.received_at,
        reported_at=data.reported_at,
        referred_at=data.referred_at,
        closed_on=data.closed_on,
    )
    if data.officer_id:
        officer = uow.get(Officer, data.officer_id)
        if officer is None or officer.agreement_id != data.agreement_id:
            problems.add("officer", "choose an officer of this agreement")
    check_text(problems, "summary", data.summary, MAX_LONG_TEXT)
    check_text(problems, "outcome", data.outcome, 500)
    problems.raise_if_any()
    return {
        "received_at": data.received_at,
        "summary": clean_text(data.summary),
        "officer_id": data.officer_id or None,
        "reported_at": data.reported_at,
        "referred_at": data.referred_at,
        "officer_removed": data.officer_removed,
        "outcome": clean_text(data.outcome),
        "closed_on": data.closed_on,
    }


@write_operation("complaint.create")
def create_complaint(uow: UnitOfWork, actor: Actor, data: ComplaintInput) -> str:
    agreement = load(uow, Agreement, data.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "record complaints")
    complaint = Complaint(agreement_id=agreement.id, **_values(uow, data))
    uow.session.add(complaint)
    uow.session.flush()
    return complaint.id


@write_operation("complaint.update")
def update_complaint(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: str,
    data: ComplaintInput,
    expected_version: int | None = None,
) -> int:
    complaint = load(uow, Complaint, complaint_id, "complaint")
    require_agreement_write(
        uow, actor, load(uow, Agreement, complaint.agreement_id, "agreement"), "change complaints"
    )
    check_version(complaint, expected_version, "complaint")
    data.agreement_id = complaint.agreement_id
    for key, value in _values(uow, data).items():
        setattr(complaint, key, value)
    uow.session.flush()
    return complaint.version
