"""Custody transfers and the workflow of the hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from pm_desk.domain import rules
from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import TRANSFER_TRANSITIONS, TransferStatus, label
from pm_desk.domain.keys import is_valid_a_number
from pm_desk.domain.validation import (
    A_NUMBER_SHAPE,
    MAX_LONG_TEXT,
    MAX_NAME,
    MAX_OFFICE_NAME,
    MAX_SUBJECT_REF,
    Problem,
    transfer_time_problems,
    year_problems,
)
from pm_desk.services.errors import Problems, field_error
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_agreement_write
from pm_desk.services.records import add_problems, check_text, check_version, check_years, clean_text, load
from pm_desk.store.models import Agreement, CustodyTransfer, TransferEvent
from pm_desk.store.uow import UnitOfWork


@dataclass
class TransferInput:
    agreement_id: str
    subject_ref: str
    detainer_issued_at: datetime
    release_eligible_at: datetime | None = None
    subject_name: str | None = None
    subject_dob: date | None = None
    a_number: str | None = None
    encounter_on: date | None = None
    receiving_office: str | None = None
    notes: str | None = None


def _validate(uow: UnitOfWork, data: TransferInput, existing_id: str | None) -> dict[str, object]:
    problems = Problems()
    ref = (data.subject_ref or "").strip()
    problems.require("subject_ref", ref, "subject reference")
    check_text(problems, "subject_ref", ref, MAX_SUBJECT_REF)
    problems.require("detainer_issued_at", data.detainer_issued_at, "detainer issued")
    a_number = clean_text(data.a_number)
    if a_number is not None:
        a_number = a_number.upper().replace("-", "")
        if not is_valid_a_number(a_number):
            problems.add("a_number", f"must be {A_NUMBER_SHAPE}")
    now = uow.now()
    if data.detainer_issued_at and data.detainer_issued_at > now:
        problems.add("detainer_issued_at", "is in the future")
    if data.encounter_on and data.encounter_on > now.date():
        problems.add("encounter_on", "is in the future")
    times = transfer_time_problems(
        encounter_on=data.encounter_on,
        detainer_issued_at=data.detainer_issued_at,
        release_eligible_at=data.release_eligible_at,
    )
    add_problems(problems, times)
    if data.subject_dob and data.subject_dob > now.date():
        problems.add("subject_dob", "is in the future")
    check_years(
        problems,
        detainer_issued_at=data.detainer_issued_at,
        release_eligible_at=data.release_eligible_at,
        subject_dob=data.subject_dob,
        encounter_on=data.encounter_on,
    )
    check_text(problems, "subject_name", data.subject_name, MAX_NAME)
    check_text(problems, "receiving_office", data.receiving_office, MAX_OFFICE_NAME)
    check_text(problems, "notes", data.notes, MAX_LONG_TEXT)
    if ref and data.detainer_issued_at:
        clash = uow.session.execute(
            select(CustodyTransfer.id).where(
                CustodyTransfer.agreement_id == data.agreement_id,
                CustodyTransfer.subject_ref == ref,
                CustodyTransfer.detainer_issued_at == data.detainer_issued_at,
                CustodyTransfer.deleted_at.is_(None),
                CustodyTransfer.id != (existing_id or ""),
            )
        ).scalar()
        if clash:
            problems.add("subject_ref", "this detainer is already recorded for this subject")
    problems.raise_if_any()
    return {
        "subject_ref": ref,
        "detainer_issued_at": data.detainer_issued_at,
        "release_eligible_at": data.release_eligible_at,
        "subject_name": clean_text(data.subject_name),
        "subject_dob": data.subject_dob,
        "a_number": a_number,
        "encounter_on": data.encounter_on,
        "receiving_office": clean_text(data.receiving_office),
        "notes": clean_text(data.notes),
    }


@write_operation("transfer.create")
def create_transfer(uow: UnitOfWork, actor: Actor, data: TransferInput) -> str:
    """Record a detainer lodged with the agency's jail; the hold clock starts at release-eligible."""
    agreement = load(uow, Agreement, data.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "record custody transfers")
    transfer = CustodyTransfer(
        agreement_id=agreement.id, status=TransferStatus.DETAINER_LODGED, **_validate(uow, data, None)
    )
    _derive(uow, transfer)
    uow.session.add(transfer)
    uow.session.flush()
    _event(uow, actor, transfer, "detainer_issued", transfer.detainer_issued_at)
    if transfer.release_eligible_at is not None:
        _event(uow, actor, transfer, "release_eligible", transfer.release_eligible_at)
    return transfer.id


@write_operation("transfer.update")
def update_transfer(
    uow: UnitOfWork, actor: Actor, transfer_id: str, data: TransferInput, expected_version: int | None = None
) -> int:
    transfer = _writable(uow, actor, transfer_id, "change custody transfers")
    check_version(transfer, expected_version, "custody transfer")
    data.agreement_id = transfer.agreement_id
    eligible_before = transfer.release_eligible_at
    for key, value in _validate(uow, data, transfer_id).items():
        setattr(transfer, key, value)
    _check_times(transfer)
    _derive(uow, transfer)
    if transfer.release_eligible_at is not None and transfer.release_eligible_at != eligible_before:
        _event(uow, actor, transfer, "release_eligible", transfer.release_eligible_at, "changed")
    uow.session.flush()
    return transfer.version


def _derive(uow: UnitOfWork, transfer: CustodyTransfer) -> None:
    """The columns kept for lists: the deadline under the policy in force, the A-number's tail."""
    eligible = transfer.release_eligible_at
    transfer.hold_deadline_at = rules.hold_deadline(eligible, uow.policy) if eligible else None
    transfer.a_number_last4 = transfer.a_number[-4:] if transfer.a_number else None


def _event(
    uow: UnitOfWork, actor: Actor, transfer: CustodyTransfer, kind: str, at: datetime, note: str | None = None
) -> None:
    uow.session.add(
        TransferEvent(transfer_id=transfer.id, kind=kind, occurred_at=at, note=note, entered_by=actor.user_id)
    )


def _writable(uow: UnitOfWork, actor: Actor, transfer_id: str, doing: str) -> CustodyTransfer:
    transfer = load(uow, CustodyTransfer, transfer_id, "custody transfer")
    agreement = load(uow, Agreement, transfer.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, doing)
    return transfer


def _move(transfer: CustodyTransfer, to_status: TransferStatus) -> None:
    if to_status not in TRANSFER_TRANSITIONS[transfer.status]:
        raise field_error(
            "status", f"a transfer that is {label(transfer.status)} cannot become {label(to_status)}"
        )
    transfer.status = to_status


def _refuse_first(found: list[Problem]) -> None:
    if found:
        raise field_error(found[0].field, found[0].message)


def _check_times(transfer: CustodyTransfer) -> None:
    _refuse_first(
        transfer_time_problems(
            detainer_issued_at=transfer.detainer_issued_at,
            pickup_at=transfer.pickup_at,
            released_at=transfer.released_at,
        )
    )


@write_operation("transfer.await_pickup")
def mark_awaiting_pickup(
    uow: UnitOfWork, actor: Actor, transfer_id: str, release_eligible_at: datetime | None = None
) -> None:
    """The jail has served the detainer and set the time local custody ends."""
    transfer = _writable(uow, actor, transfer_id, "update custody transfers")
    if release_eligible_at is not None:
        _refuse_first(year_problems(release_eligible_at=release_eligible_at))
        times = transfer_time_problems(
            encounter_on=transfer.encounter_on, release_eligible_at=release_eligible_at
        )
        _refuse_first(times)
        transfer.release_eligible_at = release_eligible_at
    if transfer.release_eligible_at is None:
        raise field_error("release_eligible_at", "say when local custody would end")
    _move(transfer, TransferStatus.AWAITING_PICKUP)
    _derive(uow, transfer)
    _event(uow, actor, transfer, "detainer_served", uow.now())
    if release_eligible_at is not None:
        _event(uow, actor, transfer, "release_eligible", release_eligible_at)


@write_operation("transfer.pickup")
def record_pickup(
    uow: UnitOfWork, actor: Actor, transfer_id: str, at: datetime, receiving_office: str | None = None
) -> None:
    """ICE took custody at `at`: the transfer is complete (a breach if after the deadline)."""
    transfer = _writable(uow, actor, transfer_id, "record pickups")
    _refuse_first(year_problems(pickup_at=at))
    if at > uow.now():
        raise field_error("pickup_at", "is in the future")
    problems = Problems()
    check_text(problems, "receiving_office", receiving_office, MAX_OFFICE_NAME)
    problems.raise_if_any()
    _move(transfer, TransferStatus.TRANSFERRED)
    transfer.pickup_at = at
    if receiving_office is not None:
        transfer.receiving_office = clean_text(receiving_office)
    _check_times(transfer)
    _event(uow, actor, transfer, "pickup", at, transfer.receiving_office)


@write_operation("transfer.release")
def record_release(uow: UnitOfWork, actor: Actor, transfer_id: str, at: datetime) -> None:
    """The jail released the person without an ICE pickup."""
    transfer = _writable(uow, actor, transfer_id, "record releases")
    _refuse_first(year_problems(released_at=at))
    if at > uow.now():
        raise field_error("released_at", "is in the future")
    _move(transfer, TransferStatus.RELEASED_NO_PICKUP)
    transfer.released_at = at
    _check_times(transfer)
    _event(uow, actor, transfer, "released", at)


@write_operation("transfer.cancel")
def cancel_transfer(uow: UnitOfWork, actor: Actor, transfer_id: str, reason: str) -> None:
    transfer = _writable(uow, actor, transfer_id, "cancel custody transfers")
    if not (reason and reason.strip()):
        raise field_error("reason", "say why the detainer is cancelled")
    problems = Problems()
    check_text(problems, "reason", reason, 500)
    problems.raise_if_any()
    _move(transfer, TransferStatus.CANCELLED)
    note = f"Cancelled: {reason.strip()}"
    transfer.notes = f"{transfer.notes}\n{note}" if transfer.notes else note
    _event(uow, actor, transfer, "cancelled", uow.now(), reason.strip())


EVENT_KINDS_BY_HAND = ("citizenship_claim", "note")


@write_operation("transfer.event")
def record_event(
    uow: UnitOfWork, actor: Actor, transfer_id: str, kind: str, at: datetime, note: str | None = None
) -> str:
    """Add a step to the transfer's timeline by hand: a citizenship claim noted, or a note.

    A claim of U.S. citizenship must be examined before any transfer; it is kept on the record."""
    transfer = _writable(uow, actor, transfer_id, "add to the transfer's timeline")
    problems = Problems()
    if kind not in EVENT_KINDS_BY_HAND:
        problems.add("kind", f"choose one of: {', '.join(EVENT_KINDS_BY_HAND)}")
    check_years(problems, at=at)
    if at > uow.now():
        problems.add("at", "is in the future")
    if at < transfer.detainer_issued_at - timedelta(days=30):
        problems.add("at", "is long before the detainer was issued")
    if kind == "note" and not (note and note.strip()):
        problems.add("note", "write the note")
    check_text(problems, "note", note, 2000)
    problems.raise_if_any()
    event = TransferEvent(
        transfer_id=transfer.id, kind=kind, occurred_at=at, note=clean_text(note), entered_by=actor.user_id
    )
    uow.session.add(event)
    uow.session.flush()
    return event.id
