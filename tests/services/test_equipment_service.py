"""Equipment orders: stages recorded in order, none skipped, none in the future."""

from __future__ import annotations

from datetime import date

import pytest

from builders import World, add_order, audit_rows, fetch, refused_without_writing, version_of
from pm_desk.domain.enums import EquipmentItem
from pm_desk.services.equipment import EquipmentInput, advance_stage, create_order, update_order
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.store.database import Database
from pm_desk.store.models import EquipmentOrder

REQUESTED = date(2026, 6, 5)
ORDERED = date(2026, 6, 20)
SHIPPED = date(2026, 7, 10)


def order_as_stored(db: Database, order_id: str, **changes: object) -> EquipmentInput:
    order = fetch(db, EquipmentOrder, order_id)
    data = EquipmentInput(
        agreement_id=order.agreement_id,
        item=order.item,
        quantity=order.quantity,
        requested_on=order.requested_on,
        ordered_on=order.ordered_on,
        shipped_on=order.shipped_on,
        delivered_on=order.delivered_on,
        operational_on=order.operational_on,
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_manager_orders_equipment(db: Database, world: World) -> None:
    data = EquipmentInput(
        world.agreement_m1, EquipmentItem.LIVESCAN_FINGERPRINT, 2, requested_on=REQUESTED, ordered_on=ORDERED
    )
    order_id = create_order(db.uow(), world.m1, data)

    order = fetch(db, EquipmentOrder, order_id)
    assert (order.item, order.quantity, order.requested_on, order.ordered_on, order.shipped_on) == (
        EquipmentItem.LIVESCAN_FINGERPRINT,
        2,
        REQUESTED,
        ORDERED,
        None,
    )
    assert (order.version, order.updated_by) == (1, world.m1.user_id)
    [entry] = audit_rows(db, operation="equipment.create")
    assert (entry.action, entry.record_kind, entry.record_id) == ("create", "equipment_order", order_id)
    assert entry.after is not None
    assert (entry.after["item"], entry.after["ordered_on"]) == ("livescan_fingerprint", "2026-06-20")


def test_manager_corrects_an_order(db: Database, world: World) -> None:
    order_id = add_order(db, world.agreement_m1, requested_on=REQUESTED, ordered_on=ORDERED)
    update_order(
        db.uow(), world.m1, order_id, order_as_stored(db, order_id, quantity=3, shipped_on=SHIPPED), 1
    )
    order = fetch(db, EquipmentOrder, order_id)
    assert (order.quantity, order.shipped_on, order.version, order.updated_by) == (
        3,
        SHIPPED,
        2,
        world.m1.user_id,
    )
    [entry] = audit_rows(db, operation="equipment.update")
    assert entry.before == {"quantity": 1, "shipped_on": None}
    assert entry.after == {"quantity": 3, "shipped_on": "2026-07-10"}


def test_advancing_records_the_next_stage_today(db: Database, world: World) -> None:
    order_id = add_order(db, world.agreement_m1, requested_on=REQUESTED)
    assert advance_stage(db.uow(), world.m1, order_id) == "ordered"

    order = fetch(db, EquipmentOrder, order_id)
    assert (order.ordered_on, order.version, order.updated_by) == (date(2026, 10, 31), 2, world.m1.user_id)
    [entry] = audit_rows(db, operation="equipment.advance")
    assert (entry.action, entry.record_id) == ("update", order_id)
    assert entry.before == {"ordered_on": None}
    assert entry.after == {"ordered_on": "2026-10-31"}


def test_advancing_walks_every_stage_in_order(db: Database, world: World) -> None:
    order_id = add_order(db, world.agreement_m1)
    days = [REQUESTED, ORDERED, SHIPPED, date(2026, 7, 15), date(2026, 8, 1)]
    stages = [advance_stage(db.uow(), world.supervisor_a, order_id, day) for day in days]
    assert stages == ["requested", "ordered", "shipped", "delivered", "operational"]
    order = fetch(db, EquipmentOrder, order_id)
    assert (order.operational_on, order.version) == (date(2026, 8, 1), 6)


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff", "admin"])
def test_others_cannot_order_equipment_for_m1s_agreement(db: Database, world: World, who: str) -> None:
    data = EquipmentInput(world.agreement_m1, EquipmentItem.PRINTER, requested_on=REQUESTED)
    with refused_without_writing(db, PermissionDenied, denied=True):
        create_order(db.uow(), getattr(world, who), data)
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.record_id) == ("equipment.create", world.agreement_m1)


def test_others_cannot_change_or_advance_m1s_order(db: Database, world: World) -> None:
    order_id = add_order(db, world.agreement_m1, requested_on=REQUESTED)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        update_order(
            db.uow(),
            world.m2,
            order_id,
            order_as_stored(db, order_id, quantity=9),
            expected_version=version_of(db, "equipment_order", order_id),
        )
    assert "cannot change equipment orders for Calhoun County Sheriff's Office" in str(refused.value)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        advance_stage(db.uow(), world.supervisor_b, order_id)
    assert str(refused.value) == (
        "Bo Super cannot advance equipment orders for Calhoun County Sheriff's Office "
        "(jail enforcement): it belongs to another field office"
    )
    assert [d.operation for d in audit_rows(db, action="denied")] == ["equipment.update", "equipment.advance"]


def test_a_stage_cannot_be_skipped(db: Database, world: World) -> None:
    data = EquipmentInput(
        world.agreement_m1, EquipmentItem.WORKSTATION, requested_on=REQUESTED, shipped_on=SHIPPED
    )
    with refused_without_writing(db, ValidationError) as refused:
        create_order(db.uow(), world.m1, data)
    assert refused.value.for_field("shipped_on") == "record the ordered date first"
    assert refused.value.for_field("requested_on") is None


def test_a_stage_cannot_come_before_the_one_before_it(db: Database, world: World) -> None:
    order_id = add_order(
        db, world.agreement_m1, requested_on=REQUESTED, ordered_on=ORDERED, shipped_on=SHIPPED
    )
    data = order_as_stored(db, order_id, delivered_on=date(2026, 7, 1))
    with refused_without_writing(db, ValidationError) as refused:
        update_order(
            db.uow(), world.m1, order_id, data, expected_version=version_of(db, "equipment_order", order_id)
        )
    assert refused.value.for_field("delivered_on") == "cannot be before the shipped date (2026-07-10)"


def test_advancing_to_a_day_before_the_last_stage_is_refused(db: Database, world: World) -> None:
    order_id = add_order(db, world.agreement_m1, requested_on=REQUESTED, ordered_on=ORDERED)
    with refused_without_writing(db, ValidationError) as refused:
        advance_stage(db.uow(), world.m1, order_id, date(2026, 6, 1))
    assert refused.value.for_field("shipped_on") == "cannot be before the ordered date (2026-06-20)"


def test_an_operational_order_has_no_next_stage(db: Database, world: World) -> None:
    order_id = add_order(
        db,
        world.agreement_m1,
        requested_on=REQUESTED,
        ordered_on=ORDERED,
        shipped_on=SHIPPED,
        delivered_on=date(2026, 7, 15),
        operational_on=date(2026, 8, 1),
    )
    with refused_without_writing(db, ValidationError) as refused:
        advance_stage(db.uow(), world.m1, order_id)
    assert refused.value.for_field("stage") == "this order is already operational"


def test_a_stage_cannot_be_in_the_future(db: Database, world: World) -> None:
    order_id = add_order(db, world.agreement_m1, requested_on=REQUESTED)
    with refused_without_writing(db, ValidationError) as refused:
        advance_stage(db.uow(), world.m1, order_id, date(2026, 11, 2))
    assert refused.value.for_field("ordered_on") == (
        "is in the future (2026-11-02); record it when it has happened"
    )


@pytest.mark.parametrize("quantity", [0, -1, 10_001])
def test_quantity_must_be_sensible(db: Database, world: World, quantity: int) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_order(db.uow(), world.m1, EquipmentInput(world.agreement_m1, EquipmentItem.PRINTER, quantity))
    assert refused.value.for_field("quantity") == "must be between 1 and 10,000"


def test_one_order_per_item_and_agreement(db: Database, world: World) -> None:
    add_order(db, world.agreement_m1, EquipmentItem.PRINTER)
    with refused_without_writing(db, ValidationError) as refused:
        create_order(db.uow(), world.m1, EquipmentInput(world.agreement_m1, EquipmentItem.PRINTER))
    assert refused.value.for_field("item") == "this agreement already has a printer order; edit that one"
