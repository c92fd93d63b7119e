"""Every editor's date field refuses a year outside 1900–2100 (a typo like 0206 or 9999) with the
sentence of the domain, before any date arithmetic, and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from builders import World, add_inspection, add_order, add_transfer, refused_without_writing
from pm_desk.domain.enums import AgreementModel, EquipmentItem, InspectionKind
from pm_desk.services import caseload, complaints, equipment, inspections, officers, reminders, training
from pm_desk.services import transfers as transfer_service
from pm_desk.services.errors import ValidationError
from pm_desk.store.database import Database

YEAR_1 = date(1, 1, 1)
YEAR_9999 = date(9999, 12, 31)
LAST_INSTANT = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
FIRST_INSTANT = datetime(1, 1, 1, tzinfo=UTC)
DETAINER = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
SENTENCE = "dates lie between 1900 and 2100"


def _transfer(world: World, **changes: Any) -> transfer_service.TransferInput:
    data = transfer_service.TransferInput(world.agreement_m1, "BK-2001", DETAINER)
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def _lodged(db: Database, world: World) -> str:
    return add_transfer(db, world.agreement_m1, "BK-3001", DETAINER)


def _order(db: Database, world: World) -> str:
    return add_order(db, world.agreement_m1, requested_on=date(2026, 6, 2))


def _inspection(db: Database, world: World) -> str:
    return add_inspection(db, world.agreement_m1, date(2026, 9, 1))


def _nothing(db: Database, world: World) -> str:
    return ""


Setup = Callable[[Database, World], str]
Call = Callable[[Database, World, str], object]

# (what, the field named in the refusal, the record it needs, the service call)
CASES: list[tuple[str, str, Setup, Call]] = [
    (
        "subject's date of birth",
        "subject_dob",
        _nothing,
        lambda db, w, _: transfer_service.create_transfer(db.uow(), w.m1, _transfer(w, subject_dob=YEAR_1)),
    ),
    (
        "encounter",
        "encounter_on",
        _nothing,
        lambda db, w, _: transfer_service.create_transfer(db.uow(), w.m1, _transfer(w, encounter_on=YEAR_1)),
    ),
    (
        "end of local custody",
        "release_eligible_at",
        _nothing,
        lambda db, w, _: transfer_service.create_transfer(
            db.uow(), w.m1, _transfer(w, release_eligible_at=LAST_INSTANT)
        ),
    ),
    (
        "end of local custody, when the detainer is served",
        "release_eligible_at",
        _lodged,
        lambda db, w, transfer_id: transfer_service.mark_awaiting_pickup(
            db.uow(), w.m1, transfer_id, LAST_INSTANT
        ),
    ),
    (
        "pickup",
        "pickup_at",
        _lodged,
        lambda db, w, transfer_id: transfer_service.record_pickup(db.uow(), w.m1, transfer_id, FIRST_INSTANT),
    ),
    (
        "agreement expiry",
        "expires_on",
        _nothing,
        lambda db, w, _: caseload.create_agreement(
            db.uow(),
            w.supervisor_a,
            caseload.AgreementInput(
                w.agency_m2, AgreementModel.JAIL_ENFORCEMENT, expires_on=YEAR_9999, manager_id=w.m2.user_id
            ),
        ),
    ),
    (
        "officer's nomination",
        "nominated_on",
        _nothing,
        lambda db, w, _: officers.create_officer(
            db.uow(), w.m1, officers.OfficerInput(w.agreement_m1, "Dana Deputy", "C-999", nominated_on=YEAR_1)
        ),
    ),
    (
        "training completed",
        "completed_on",
        _nothing,
        lambda db, w, _: training.record_training(db.uow(), w.m1, w.officer_m1, "refresher", YEAR_1),
    ),
    (
        "training class",
        "ends_on",
        _nothing,
        lambda db, w, _: training.create_class(
            db.uow(), w.supervisor_a, "FLETC", date(2027, 1, 4), YEAR_9999, 5
        ),
    ),
    (
        "equipment stage",
        "requested_on",
        _nothing,
        lambda db, w, _: equipment.create_order(
            db.uow(),
            w.m2,
            equipment.EquipmentInput(w.agreement_m2, EquipmentItem.PRINTER, requested_on=YEAR_1),
        ),
    ),
    (
        "equipment stage advanced",
        "ordered_on",
        _order,
        lambda db, w, order_id: equipment.advance_stage(db.uow(), w.m1, order_id, YEAR_1),
    ),
    (
        "inspection",
        "held_on",
        _nothing,
        lambda db, w, _: inspections.create_inspection(
            db.uow(), w.m1, w.agreement_m1, YEAR_1, InspectionKind.SITE_VISIT
        ),
    ),
    (
        "corrective action due",
        "corrective_due",
        _inspection,
        lambda db, w, inspection_id: inspections.add_finding(
            db.uow(),
            w.m1,
            inspection_id,
            inspections.FindingInput("Files unlocked", corrective_due=YEAR_9999),
        ),
    ),
    (
        "complaint received",
        "received_at",
        _nothing,
        lambda db, w, _: complaints.create_complaint(
            db.uow(), w.m1, complaints.ComplaintInput(w.agreement_m1, FIRST_INSTANT, summary="Rude at intake")
        ),
    ),
    (
        "reminder due",
        "due_at",
        _nothing,
        lambda db, w, _: reminders.create_reminder(
            db.uow(), w.m1, reminders.ReminderInput("Call the jail", LAST_INSTANT, rrule="FREQ=DAILY")
        ),
    ),
]


@pytest.mark.parametrize(("what", "field", "setup", "call"), CASES, ids=[c[0] for c in CASES])
def test_a_year_outside_1900_to_2100_is_refused(
    db: Database, world: World, what: str, field: str, setup: Setup, call: Call
) -> None:
    record_id = setup(db, world)
    with refused_without_writing(db, ValidationError) as refused:
        call(db, world, record_id)
    messages = [p.message for p in refused.value.problems if p.field == field]
    assert any(SENTENCE in m for m in messages), str(refused.value)
