"""Custody transfers: the detainer, the wait for pickup and how the hold ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from builders import Audited, World, add_transfer, audit_rows, fetch, refused_without_writing, version_of
from pm_desk.domain.enums import TransferStatus
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.services.transfers import (
    TransferInput,
    cancel_transfer,
    create_transfer,
    mark_awaiting_pickup,
    record_pickup,
    record_release,
    update_transfer,
)
from pm_desk.store.database import Database
from pm_desk.store.models import CustodyTransfer, TransferEvent

EASTERN = timezone(timedelta(hours=-4))
DETAINER = datetime(2026, 10, 30, 8, 0, tzinfo=EASTERN)  # 12:00 UTC
RELEASE = datetime(2026, 10, 31, 10, 0, tzinfo=UTC)
TEN_MB = "x" * (10 * 1024 * 1024)


def lodged(db: Database, world: World, **fields: object) -> str:
    return add_transfer(db, world.agreement_m1, "BK-1001", DETAINER, RELEASE, **fields)


def transfer_as_stored(db: Database, transfer_id: str, **changes: object) -> TransferInput:
    transfer = fetch(db, CustodyTransfer, transfer_id)
    data = TransferInput(
        agreement_id=transfer.agreement_id,
        subject_ref=transfer.subject_ref,
        detainer_issued_at=transfer.detainer_issued_at,
        release_eligible_at=transfer.release_eligible_at,
        subject_name=transfer.subject_name,
        subject_dob=transfer.subject_dob,
        a_number=transfer.a_number,
        encounter_on=transfer.encounter_on,
        receiving_office=transfer.receiving_office,
        notes=transfer.notes,
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_manager_records_a_detainer(db: Database, world: World) -> None:
    data = TransferInput(
        agreement_id=world.agreement_m1,
        subject_ref=" BK-1001 ",
        detainer_issued_at=DETAINER,
        release_eligible_at=RELEASE,
        subject_name="John Doe",
        subject_dob=date(1990, 5, 17),
        a_number="a-123456789",
        encounter_on=date(2026, 10, 29),
    )
    transfer_id = create_transfer(db.uow(), world.m1, data)

    transfer = fetch(db, CustodyTransfer, transfer_id)
    assert (transfer.subject_ref, transfer.a_number, transfer.status) == (
        "BK-1001",
        "A123456789",
        TransferStatus.DETAINER_LODGED,
    )
    assert transfer.detainer_issued_at == datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
    assert (transfer.version, transfer.updated_by) == (1, world.m1.user_id)
    [entry] = transfer_entries(db, "transfer.create")
    assert (entry.action, entry.record_kind, entry.record_id) == ("create", "transfer", transfer_id)
    assert entry.after is not None
    assert entry.after["detainer_issued_at"] == "2026-10-30T12:00:00Z"
    assert entry.after["status"] == "detainer_lodged"
    assert entry.after["a_number_last4"] == "6789"
    assert timeline(db, transfer_id) == [
        ("detainer_issued", datetime(2026, 10, 30, 12, 0, tzinfo=UTC), None, world.m1.user_id),
        ("release_eligible", RELEASE, None, world.m1.user_id),
    ]
    assert entry.after["hold_deadline_at"] == "2026-11-02T10:00:00Z"


def test_manager_edits_a_transfer(db: Database, world: World) -> None:
    transfer_id = lodged(db, world)
    data = transfer_as_stored(db, transfer_id, receiving_office="ERO Miami", notes="Booked on local charges.")
    update_transfer(db.uow(), world.m1, transfer_id, data, expected_version=1)

    transfer = fetch(db, CustodyTransfer, transfer_id)
    assert (transfer.receiving_office, transfer.version, transfer.updated_by) == (
        "ERO Miami",
        2,
        world.m1.user_id,
    )
    [entry] = transfer_entries(db, "transfer.update")
    # The builder wrote the row without its derived deadline; the first service edit sets it.
    assert entry.before == {"receiving_office": None, "notes": None, "hold_deadline_at": None}
    assert entry.after == {
        "receiving_office": "ERO Miami",
        "notes": "Booked on local charges.",
        "hold_deadline_at": "2026-11-02T10:00:00Z",
    }


def test_jail_sets_release_time_and_the_transfer_awaits_pickup(db: Database, world: World) -> None:
    transfer_id = add_transfer(db, world.agreement_m1, "BK-1001", DETAINER)
    mark_awaiting_pickup(db.uow(), world.m1, transfer_id, RELEASE)

    transfer = fetch(db, CustodyTransfer, transfer_id)
    assert (transfer.status, transfer.release_eligible_at) == (TransferStatus.AWAITING_PICKUP, RELEASE)
    assert (transfer.version, transfer.updated_by) == (2, world.m1.user_id)
    [entry] = transfer_entries(db, "transfer.await_pickup")
    assert entry.before == {
        "release_eligible_at": None,
        "status": "detainer_lodged",
        "hold_deadline_at": None,
    }
    assert entry.after == {
        "release_eligible_at": "2026-10-31T10:00:00Z",
        "status": "awaiting_pickup",
        "hold_deadline_at": "2026-11-02T10:00:00Z",
    }
    assert transfer.hold_deadline_at == RELEASE + timedelta(hours=48)
    assert [kind for kind, *_ in timeline(db, transfer_id)] == ["release_eligible", "detainer_served"]


def test_pickup_completes_the_transfer(db: Database, world: World) -> None:
    transfer_id = lodged(db, world, status=TransferStatus.AWAITING_PICKUP)
    pickup = datetime(2026, 10, 31, 7, 30, tzinfo=EASTERN)
    record_pickup(db.uow(), world.m1, transfer_id, pickup, " ERO Miami ")

    transfer = fetch(db, CustodyTransfer, transfer_id)
    assert (transfer.status, transfer.pickup_at, transfer.receiving_office) == (
        TransferStatus.TRANSFERRED,
        pickup,
        "ERO Miami",
    )
    assert (transfer.version, transfer.updated_by) == (2, world.m1.user_id)
    [entry] = transfer_entries(db, "transfer.pickup")
    assert entry.before == {"pickup_at": None, "receiving_office": None, "status": "awaiting_pickup"}
    assert entry.after == {
        "pickup_at": "2026-10-31T11:30:00Z",
        "receiving_office": "ERO Miami",
        "status": "transferred",
    }


def test_release_without_pickup_ends_the_hold(db: Database, world: World) -> None:
    transfer_id = lodged(db, world)
    released = datetime(2026, 10, 31, 11, 0, tzinfo=UTC)
    record_release(db.uow(), world.supervisor_a, transfer_id, released)

    transfer = fetch(db, CustodyTransfer, transfer_id)
    assert (transfer.status, transfer.released_at) == (TransferStatus.RELEASED_NO_PICKUP, released)
    assert (transfer.version, transfer.updated_by) == (2, world.supervisor_a.user_id)
    [entry] = transfer_entries(db, "transfer.release")
    assert entry.after == {"released_at": "2026-10-31T11:00:00Z", "status": "released_no_pickup"}
    assert timeline(db, transfer_id) == [("released", released, None, world.supervisor_a.user_id)]


def test_cancelling_keeps_the_reason_in_the_notes(db: Database, world: World) -> None:
    transfer_id = lodged(db, world, notes="Booked 10/29.")
    cancel_transfer(db.uow(), world.m1, transfer_id, " charges dropped; detainer lifted ")

    transfer = fetch(db, CustodyTransfer, transfer_id)
    assert transfer.status is TransferStatus.CANCELLED
    assert transfer.notes == "Booked 10/29.\nCancelled: charges dropped; detainer lifted"
    assert (transfer.version, transfer.updated_by) == (2, world.m1.user_id)
    [entry] = transfer_entries(db, "transfer.cancel")
    assert entry.before == {"notes": "Booked 10/29.", "status": "detainer_lodged"}
    assert entry.after is not None
    assert entry.after["status"] == "cancelled"


def transfer_entries(db: Database, operation: str) -> list[Audited]:
    """The audit entries of the transfer record itself (its timeline events have their own)."""
    return [e for e in audit_rows(db, operation=operation) if e.record_kind == "transfer"]


def timeline(db: Database, transfer_id: str) -> list[tuple[str, datetime, str | None, str | None]]:
    with db.uow() as uow:
        events = uow.session.scalars(
            select(TransferEvent)
            .where(TransferEvent.transfer_id == transfer_id)
            .order_by(TransferEvent.occurred_at, TransferEvent.kind)
        ).all()
        return [(e.kind, e.occurred_at, e.note, e.entered_by) for e in events]


# --- refusals for permission ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff", "admin"])
def test_others_cannot_record_a_detainer_for_m1s_agreement(db: Database, world: World, who: str) -> None:
    data = TransferInput(agreement_id=world.agreement_m1, subject_ref="BK-1001", detainer_issued_at=DETAINER)
    with refused_without_writing(db, PermissionDenied, denied=True):
        create_transfer(db.uow(), getattr(world, who), data)
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.record_id) == ("transfer.create", world.agreement_m1)


def test_m2_cannot_touch_m1s_transfer_in_any_way(db: Database, world: World) -> None:
    transfer_id = lodged(db, world)
    pickup = datetime(2026, 10, 31, 11, 0, tzinfo=UTC)
    calls = [
        lambda: update_transfer(
            db.uow(),
            world.m2,
            transfer_id,
            transfer_as_stored(db, transfer_id, notes="x"),
            expected_version=version_of(db, "transfer", transfer_id),
        ),
        lambda: mark_awaiting_pickup(db.uow(), world.m2, transfer_id, RELEASE),
        lambda: record_pickup(db.uow(), world.m2, transfer_id, pickup),
        lambda: record_release(db.uow(), world.m2, transfer_id, pickup),
        lambda: cancel_transfer(db.uow(), world.m2, transfer_id, "not mine"),
    ]
    for call in calls:
        with refused_without_writing(db, PermissionDenied, denied=True) as refused:
            call()
        assert str(refused.value).startswith("Max Two cannot ")
        assert str(refused.value).endswith("it is in Mia One's caseload, not yours")
    assert [d.operation for d in audit_rows(db, action="denied")] == [
        "transfer.update",
        "transfer.await_pickup",
        "transfer.pickup",
        "transfer.release",
        "transfer.cancel",
    ]


# --- validation -----------------------------------------------------------------------------------


def test_detainer_needs_subject_reference_and_time(db: Database, world: World) -> None:
    data = TransferInput(agreement_id=world.agreement_m1, subject_ref="  ", detainer_issued_at=None)  # type: ignore[arg-type]
    with refused_without_writing(db, ValidationError) as refused:
        create_transfer(db.uow(), world.m1, data)
    assert refused.value.for_field("subject_ref") == "subject reference is required"
    assert refused.value.for_field("detainer_issued_at") == "detainer issued is required"


@pytest.mark.parametrize(
    "a_number", ["A1234567", "A1234567890", "B12345678", "12345678", "A12345678X", "A 1234 5678"]
)
def test_a_number_must_be_a_and_eight_or_nine_digits(db: Database, world: World, a_number: str) -> None:
    data = TransferInput(world.agreement_m1, "BK-1001", DETAINER, a_number=a_number)
    with refused_without_writing(db, ValidationError) as refused:
        create_transfer(db.uow(), world.m1, data)
    assert refused.value.for_field("a_number") == "must be A followed by 8 or 9 digits"


def test_times_and_dates_cannot_be_in_the_future(db: Database, world: World) -> None:
    data = TransferInput(
        world.agreement_m1,
        "BK-1001",
        datetime(2026, 10, 31, 12, 1, tzinfo=UTC),
        encounter_on=date(2026, 11, 1),
        subject_dob=date(2027, 1, 1),
    )
    with refused_without_writing(db, ValidationError) as refused:
        create_transfer(db.uow(), world.m1, data)
    assert refused.value.for_field("detainer_issued_at") == "is in the future"
    assert refused.value.for_field("encounter_on") == "is in the future"
    assert refused.value.for_field("subject_dob") == "is in the future"


def test_detainer_and_release_cannot_precede_the_encounter(db: Database, world: World) -> None:
    data = TransferInput(
        world.agreement_m1,
        "BK-1001",
        datetime(2026, 10, 20, 12, 0, tzinfo=UTC),
        release_eligible_at=datetime(2026, 10, 21, 12, 0, tzinfo=UTC),
        encounter_on=date(2026, 10, 25),
    )
    with refused_without_writing(db, ValidationError) as refused:
        create_transfer(db.uow(), world.m1, data)
    assert refused.value.for_field("detainer_issued_at") == "cannot be before the encounter"
    assert refused.value.for_field("release_eligible_at") == "cannot be before the encounter"


def test_the_same_detainer_is_recorded_once(db: Database, world: World) -> None:
    lodged(db, world)
    data = TransferInput(world.agreement_m1, "BK-1001", datetime(2026, 10, 30, 12, 0, tzinfo=UTC))
    with refused_without_writing(db, ValidationError) as refused:
        create_transfer(db.uow(), world.m1, data)
    assert refused.value.for_field("subject_ref") == "this detainer is already recorded for this subject"


@pytest.mark.parametrize(
    ("field", "limit"), [("notes", "20,000"), ("subject_name", "200"), ("receiving_office", "200")]
)
def test_ten_megabytes_in_a_transfer_field_are_refused(
    db: Database, world: World, field: str, limit: str
) -> None:
    transfer_id = lodged(db, world)
    with refused_without_writing(db, ValidationError) as refused:
        update_transfer(
            db.uow(),
            world.m1,
            transfer_id,
            transfer_as_stored(db, transfer_id, **{field: TEN_MB}),
            expected_version=version_of(db, "transfer", transfer_id),
        )
    assert refused.value.for_field(field) == f"is 10,485,760 characters long; at most {limit} fit"


def test_awaiting_pickup_needs_the_release_time(db: Database, world: World) -> None:
    transfer_id = add_transfer(db, world.agreement_m1, "BK-1001", DETAINER)
    with refused_without_writing(db, ValidationError) as refused:
        mark_awaiting_pickup(db.uow(), world.m1, transfer_id)
    assert refused.value.for_field("release_eligible_at") == "say when local custody would end"


def test_pickup_cannot_precede_the_detainer(db: Database, world: World) -> None:
    transfer_id = lodged(db, world)
    with refused_without_writing(db, ValidationError) as refused:
        record_pickup(db.uow(), world.m1, transfer_id, DETAINER - timedelta(minutes=1))
    assert refused.value.for_field("pickup_at") == "cannot be before the detainer was issued"


def test_pickup_cannot_be_in_the_future(db: Database, world: World) -> None:
    transfer_id = lodged(db, world)
    with refused_without_writing(db, ValidationError) as refused:
        record_pickup(db.uow(), world.m1, transfer_id, datetime(2026, 10, 31, 12, 5, tzinfo=UTC))
    assert refused.value.for_field("pickup_at") == "is in the future"


def test_a_second_pickup_is_refused(db: Database, world: World) -> None:
    transfer_id = lodged(db, world)
    record_pickup(db.uow(), world.m1, transfer_id, datetime(2026, 10, 31, 11, 0, tzinfo=UTC))
    with refused_without_writing(db, ValidationError) as refused:
        record_pickup(db.uow(), world.m1, transfer_id, datetime(2026, 10, 31, 11, 30, tzinfo=UTC))
    assert refused.value.for_field("status") == "a transfer that is transferred cannot become transferred"
    assert fetch(db, CustodyTransfer, transfer_id).pickup_at == datetime(2026, 10, 31, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (TransferStatus.TRANSFERRED, "a transfer that is transferred cannot become released no pickup"),
        (TransferStatus.CANCELLED, "a transfer that is cancelled cannot become released no pickup"),
    ],
)
def test_a_finished_transfer_cannot_be_released(
    db: Database, world: World, start: TransferStatus, message: str
) -> None:
    transfer_id = lodged(db, world, status=start)
    with refused_without_writing(db, ValidationError) as refused:
        record_release(db.uow(), world.m1, transfer_id, datetime(2026, 10, 31, 11, 0, tzinfo=UTC))
    assert refused.value.for_field("status") == message


def test_a_release_in_the_future_is_refused(db: Database, world: World) -> None:
    transfer_id = lodged(db, world)
    with refused_without_writing(db, ValidationError) as refused:
        record_release(db.uow(), world.m1, transfer_id, datetime(2026, 11, 1, 0, 0, tzinfo=UTC))
    assert refused.value.for_field("released_at") == "is in the future"


@pytest.mark.parametrize("reason", ["", "  "])
def test_cancelling_needs_a_reason(db: Database, world: World, reason: str) -> None:
    transfer_id = lodged(db, world)
    with refused_without_writing(db, ValidationError) as refused:
        cancel_transfer(db.uow(), world.m1, transfer_id, reason)
    assert refused.value.for_field("reason") == "say why the detainer is cancelled"


def test_a_ten_megabyte_cancel_reason_is_refused(db: Database, world: World) -> None:
    transfer_id = lodged(db, world)
    with refused_without_writing(db, ValidationError) as refused:
        cancel_transfer(db.uow(), world.m1, transfer_id, TEN_MB)
    assert refused.value.for_field("reason") == "is 10,485,760 characters long; at most 500 fit"


def test_a_ten_megabyte_receiving_office_at_pickup_is_refused(db: Database, world: World) -> None:
    transfer_id = lodged(db, world)
    with refused_without_writing(db, ValidationError) as refused:
        record_pickup(db.uow(), world.m1, transfer_id, datetime(2026, 10, 31, 11, 0, tzinfo=UTC), TEN_MB)
    assert refused.value.for_field("receiving_office") == "is 10,485,760 characters long; at most 200 fit"
