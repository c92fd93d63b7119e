"""The 48-hour clock as services keep it: the stored deadline follows the policy in force (weekend
rule, daylight saving), the timeline records who entered what, and the monthly measures count
what the hold rule says."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from builders import World, add_transfer, fetch, refused_without_writing
from pm_desk.domain.enums import TransferStatus
from pm_desk.domain.policy import Policy
from pm_desk.services.errors import ValidationError
from pm_desk.services.maintenance import (
    ensure_hold_deadlines,
    hold_deadlines_are_current,
    refresh_hold_deadlines,
)
from pm_desk.services.measures import transfer_measures
from pm_desk.services.transfers import TransferInput, create_transfer, mark_awaiting_pickup, record_event
from pm_desk.store.database import Database
from pm_desk.store.models import CustodyTransfer, TransferEvent

NEW_YORK = ZoneInfo("America/New_York")


def skipping(policy: Policy) -> Policy:
    return replace(policy, hold=replace(policy.hold, excludes_weekends_and_holidays=True))


def test_deadline_is_48_real_hours_across_the_end_of_daylight_saving(
    db: Database, world: World, clock
) -> None:
    clock.now = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
    release = datetime(2026, 10, 31, 22, 30, tzinfo=NEW_YORK)  # the clocks go back in between
    data = TransferInput(world.agreement_m1, "BK-DST", datetime(2026, 10, 30, 9, 0, tzinfo=UTC), release)
    transfer = fetch(db, CustodyTransfer, create_transfer(db.uow(), world.m1, data))
    assert transfer.hold_deadline_at == release.astimezone(UTC) + timedelta(hours=48)
    assert transfer.hold_deadline_at.astimezone(NEW_YORK).hour == 21  # one hour earlier on the wall


def test_deadline_skips_the_weekend_when_the_policy_says_so(db: Database, world: World) -> None:
    db.policy = skipping(db.policy)
    friday_evening = datetime(2026, 10, 23, 20, 0, tzinfo=UTC)
    data = TransferInput(world.agreement_m1, "BK-FRI", friday_evening - timedelta(days=1), friday_evening)
    transfer = fetch(db, CustodyTransfer, create_transfer(db.uow(), world.m1, data))
    # Friday 20:00 + 4 h to midnight, Saturday and Sunday skipped, 44 h more: Tuesday 20:00.
    assert transfer.hold_deadline_at == datetime(2026, 10, 27, 20, 0, tzinfo=UTC)


def test_serving_the_detainer_starts_the_clock_and_records_who(db: Database, world: World) -> None:
    transfer_id = add_transfer(db, world.agreement_m1, "BK-9", datetime(2026, 10, 30, 8, tzinfo=UTC))
    release = datetime(2026, 10, 31, 6, 0, tzinfo=UTC)
    mark_awaiting_pickup(db.uow(), world.m1, transfer_id, release)
    transfer = fetch(db, CustodyTransfer, transfer_id)
    assert transfer.hold_deadline_at == release + timedelta(hours=48)
    with db.uow() as uow:
        events = uow.session.scalars(
            select(TransferEvent).where(TransferEvent.transfer_id == transfer_id)
        ).all()
        assert {(e.kind, e.entered_by) for e in events} == {
            ("detainer_served", world.m1.user_id),
            ("release_eligible", world.m1.user_id),
        }


@pytest.mark.parametrize(
    ("kind", "at", "note", "field", "message"),
    [
        (
            "arrest",
            datetime(2026, 10, 31, 9, tzinfo=UTC),
            "x",
            "kind",
            "choose one of: citizenship_claim, note",
        ),
        ("note", datetime(2026, 10, 31, 13, tzinfo=UTC), "x", "at", "is in the future"),
        ("note", datetime(2026, 10, 31, 9, tzinfo=UTC), " ", "note", "write the note"),
        ("note", datetime(2026, 8, 1, 9, tzinfo=UTC), "x", "at", "is long before the detainer was issued"),
    ],
)
def test_timeline_entries_are_checked(
    db: Database, world: World, kind: str, at: datetime, note: str, field: str, message: str
) -> None:
    transfer_id = add_transfer(db, world.agreement_m1, "BK-10", datetime(2026, 10, 30, 8, tzinfo=UTC))
    with refused_without_writing(db, ValidationError) as refused:
        record_event(db.uow(), world.m1, transfer_id, kind, at, note)
    assert refused.value.for_field(field) == message


def test_a_policy_change_recomputes_every_stored_deadline(db: Database, world: World) -> None:
    friday = datetime(2026, 10, 23, 20, 0, tzinfo=UTC)
    transfer_id = create_transfer(
        db.uow(), world.m1, TransferInput(world.agreement_m1, "BK-11", friday - timedelta(hours=2), friday)
    )
    policy = skipping(db.policy)
    with db.engine.begin() as connection:
        assert not hold_deadlines_are_current(connection, policy)
        assert refresh_hold_deadlines(connection, policy) == 1
        assert hold_deadlines_are_current(connection, policy)
        assert ensure_hold_deadlines(connection, policy) == 0  # nothing to do the second time
    assert fetch(db, CustodyTransfer, transfer_id).hold_deadline_at == datetime(
        2026, 10, 27, 20, 0, tzinfo=UTC
    )


def test_monthly_measures_count_by_the_hold_rule(db: Database, world: World) -> None:
    release = datetime(2026, 10, 5, 10, 0, tzinfo=UTC)
    picked = [release + timedelta(hours=h) for h in (2, 10, 50)]  # the last one is 2 h over
    for n, pickup in enumerate(picked):
        add_transfer(
            db, world.agreement_m1, f"BK-M{n}", release - timedelta(days=1), release,
            status=TransferStatus.TRANSFERRED, pickup_at=pickup,
        )  # fmt: skip
    add_transfer(
        db, world.agreement_m1, "BK-R", release - timedelta(days=1), release,
        status=TransferStatus.RELEASED_NO_PICKUP, released_at=release + timedelta(hours=49),
    )  # fmt: skip
    add_transfer(
        db, world.agreement_m1, "BK-S", datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 2, tzinfo=UTC),
        status=TransferStatus.TRANSFERRED, pickup_at=datetime(2026, 9, 2, 5, tzinfo=UTC),
    )  # fmt: skip
    with db.uow() as uow:
        months = transfer_measures(uow, world.agreement_m1)
    october, september = months[0], months[1]
    assert (october.month, october.completed, october.released_without_pickup, october.breaches) == (
        date(2026, 10, 1), 3, 1, 1,
    )  # fmt: skip
    assert october.median_hours_to_pickup == 10.0
    assert (september.completed, september.breaches, september.median_hours_to_pickup) == (1, 0, 5.0)
    assert len(months) == 12 and months[-1].month == date(2025, 11, 1)
    assert all(m.completed == 0 for m in months[2:])
