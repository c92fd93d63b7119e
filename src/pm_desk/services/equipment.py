"""Equipment orders and their stages, from request to operational."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import EQUIPMENT_STAGES, EquipmentItem, label
from pm_desk.domain.validation import equipment_stage_problems, quantity_problem
from pm_desk.services.errors import Problems, field_error
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_agreement_write
from pm_desk.services.records import add_problems, check_version, check_years, load
from pm_desk.store.models import Agreement, EquipmentOrder
from pm_desk.store.uow import UnitOfWork


@dataclass
class EquipmentInput:
    agreement_id: str
    item: EquipmentItem
    quantity: int = 1
    requested_on: date | None = None
    ordered_on: date | None = None
    shipped_on: date | None = None
    delivered_on: date | None = None
    operational_on: date | None = None

    def stage_dates(self) -> dict[str, date | None]:
        return {stage: getattr(self, f"{stage}_on") for stage in EQUIPMENT_STAGES}


def validate_stages(problems: Problems, stages: dict[str, date | None], today: date) -> None:
    """Stages happen in order: none dated before the one before it, none in the future, and a
    later stage cannot have a date while an earlier one has none."""
    add_problems(problems, equipment_stage_problems(stages, today=today, in_sequence=True), suffix="_on")
    check_years(problems, **{f"{stage}_on": day for stage, day in stages.items()})


def _validate(uow: UnitOfWork, data: EquipmentInput, existing_id: str | None) -> None:
    problems = Problems()
    if why := quantity_problem(data.quantity):
        problems.add("quantity", why)
    validate_stages(problems, data.stage_dates(), uow.now().date())
    clash = uow.session.execute(
        select(EquipmentOrder.id).where(
            EquipmentOrder.agreement_id == data.agreement_id,
            EquipmentOrder.item == data.item,
            EquipmentOrder.deleted_at.is_(None),
            EquipmentOrder.id != (existing_id or ""),
        )
    ).scalar()
    if clash:
        problems.add("item", f"this agreement already has a {label(data.item)} order; edit that one")
    problems.raise_if_any()


@write_operation("equipment.create")
def create_order(uow: UnitOfWork, actor: Actor, data: EquipmentInput) -> str:
    agreement = load(uow, Agreement, data.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "order equipment")
    _validate(uow, data, None)
    order = EquipmentOrder(
        agreement_id=agreement.id,
        item=data.item,
        quantity=data.quantity,
        **{f"{stage}_on": day for stage, day in data.stage_dates().items()},
    )
    uow.session.add(order)
    uow.session.flush()
    return order.id


@write_operation("equipment.update")
def update_order(
    uow: UnitOfWork, actor: Actor, order_id: str, data: EquipmentInput, expected_version: int | None = None
) -> int:
    order = load(uow, EquipmentOrder, order_id, "equipment order")
    agreement = load(uow, Agreement, order.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "change equipment orders")
    check_version(order, expected_version, "equipment order")
    data.agreement_id = order.agreement_id
    _validate(uow, data, order_id)
    order.item, order.quantity = data.item, data.quantity
    for stage, day in data.stage_dates().items():
        setattr(order, f"{stage}_on", day)
    uow.session.flush()
    return order.version


def next_stage(order: EquipmentOrder) -> str | None:
    return next((s for s in EQUIPMENT_STAGES if getattr(order, f"{s}_on") is None), None)


@write_operation("equipment.advance")
def advance_stage(uow: UnitOfWork, actor: Actor, order_id: str, on: date | None = None) -> str:
    """Record the next stage of an order (requested → ordered → shipped → delivered →
    operational) as reached on `on` (today by default); returns the stage recorded."""
    order = load(uow, EquipmentOrder, order_id, "equipment order")
    agreement = load(uow, Agreement, order.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "advance equipment orders")
    stage = next_stage(order)
    if stage is None:
        raise field_error("stage", "this order is already operational")
    day = on or uow.now().date()
    stages = {s: getattr(order, f"{s}_on") for s in EQUIPMENT_STAGES} | {stage: day}
    problems = Problems()
    validate_stages(problems, stages, uow.now().date())
    problems.raise_if_any()
    setattr(order, f"{stage}_on", day)
    return stage
