"""Complaints: received, reported to ICE, referred, resolved."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from builders import World, add_complaint, audit_rows, fetch, refused_without_writing, version_of
from pm_desk.services.complaints import ComplaintInput, create_complaint, update_complaint
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.store.database import Database
from pm_desk.store.models import Complaint

RECEIVED = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
REPORTED = datetime(2026, 10, 27, 15, 0, tzinfo=UTC)
TEN_MB = "x" * (10 * 1024 * 1024)


def complaint_input(world: World, **changes: object) -> ComplaintInput:
    data = ComplaintInput(
        agreement_id=world.agreement_m1,
        received_at=RECEIVED,
        summary="Detainee reports rough handling at booking",
        officer_id=world.officer_m1,
        reported_at=REPORTED,
    )
    return replace(data, **changes)


def test_manager_records_a_complaint(db: Database, world: World) -> None:
    complaint_id = create_complaint(db.uow(), world.m1, complaint_input(world, officer_removed=True))
    complaint = fetch(db, Complaint, complaint_id)
    assert (
        complaint.received_at,
        complaint.reported_at,
        complaint.officer_id,
        complaint.officer_removed,
    ) == (
        RECEIVED,
        REPORTED,
        world.officer_m1,
        True,
    )
    assert (complaint.version, complaint.updated_by) == (1, world.m1.user_id)
    [entry] = audit_rows(db, operation="complaint.create")
    assert (entry.action, entry.record_kind, entry.record_id) == ("create", "complaint", complaint_id)
    assert entry.after is not None
    assert (entry.after["received_at"], entry.after["reported_at"]) == (
        "2026-10-26T09:00:00Z",
        "2026-10-27T15:00:00Z",
    )


def test_manager_closes_a_complaint_with_its_outcome(db: Database, world: World) -> None:
    complaint_id = add_complaint(db, world.agreement_m1, RECEIVED, reported_at=REPORTED)
    data = complaint_input(
        world, officer_id=None, summary=None, outcome=" unfounded ", closed_on=date(2026, 10, 30)
    )
    update_complaint(db.uow(), world.m1, complaint_id, data, expected_version=1)

    complaint = fetch(db, Complaint, complaint_id)
    assert (complaint.outcome, complaint.closed_on, complaint.version, complaint.updated_by) == (
        "unfounded",
        date(2026, 10, 30),
        2,
        world.m1.user_id,
    )
    [entry] = audit_rows(db, operation="complaint.update")
    assert entry.before == {"outcome": None, "closed_on": None}
    assert entry.after == {"outcome": "unfounded", "closed_on": "2026-10-30"}


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff", "admin"])
def test_others_cannot_record_complaints_on_m1s_agreement(db: Database, world: World, who: str) -> None:
    with refused_without_writing(db, PermissionDenied, denied=True):
        create_complaint(db.uow(), getattr(world, who), complaint_input(world))
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.record_id) == ("complaint.create", world.agreement_m1)


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff"])
def test_others_cannot_change_m1s_complaint(db: Database, world: World, who: str) -> None:
    complaint_id = add_complaint(db, world.agreement_m1, RECEIVED)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        update_complaint(
            db.uow(),
            getattr(world, who),
            complaint_id,
            complaint_input(world, outcome="closed"),
            expected_version=version_of(db, "complaint", complaint_id),
        )
    assert "cannot change complaints" in str(refused.value)
    [denial] = audit_rows(db, action="denied")
    assert denial.operation == "complaint.update"


def test_complaint_needs_its_received_time(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_complaint(db.uow(), world.m1, complaint_input(world, received_at=None, reported_at=None))
    assert refused.value.for_field("received_at") == "received is required"


def test_complaint_times_cannot_be_in_the_future(db: Database, world: World) -> None:
    future = datetime(2026, 10, 31, 12, 30, tzinfo=UTC)
    data = complaint_input(
        world, received_at=future, reported_at=future, referred_at=future, closed_on=date(2026, 11, 2)
    )
    with refused_without_writing(db, ValidationError) as refused:
        create_complaint(db.uow(), world.m1, data)
    for field in ("received_at", "reported_at", "referred_at", "closed_on"):
        assert refused.value.for_field(field) == "is in the future"


def test_complaint_cannot_be_reported_referred_or_closed_before_it_was_received(
    db: Database, world: World
) -> None:
    before = datetime(2026, 10, 25, 9, 0, tzinfo=UTC)
    data = complaint_input(world, reported_at=before, referred_at=before, closed_on=date(2026, 10, 25))
    with refused_without_writing(db, ValidationError) as refused:
        create_complaint(db.uow(), world.m1, data)
    for field in ("reported_at", "referred_at", "closed_on"):
        assert refused.value.for_field(field) == "cannot be before it was received"


def test_complaint_officer_must_serve_under_the_agreement(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_complaint(db.uow(), world.m1, complaint_input(world, officer_id=world.officer_m2))
    assert refused.value.for_field("officer") == "choose an officer of this agreement"


@pytest.mark.parametrize(("field", "limit"), [("summary", "20,000"), ("outcome", "500")])
def test_ten_megabytes_in_a_complaint_are_refused(db: Database, world: World, field: str, limit: str) -> None:
    complaint_id = add_complaint(db, world.agreement_m1, RECEIVED)
    with refused_without_writing(db, ValidationError) as refused:
        update_complaint(
            db.uow(),
            world.m1,
            complaint_id,
            complaint_input(world, **{field: TEN_MB}),
            expected_version=version_of(db, "complaint", complaint_id),
        )
    assert refused.value.for_field(field) == f"is 10,485,760 characters long; at most {limit} fit"
