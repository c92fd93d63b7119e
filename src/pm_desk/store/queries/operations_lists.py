"""The lists of equipment orders and custody transfers."""

from __future__ import annotations

from sqlalchemy import Select, select

from pm_desk.domain.enums import OPEN_HOLD_STATUSES
from pm_desk.store.models import Agency, Agreement, CustodyTransfer, EquipmentOrder
from pm_desk.store.queries.caseload_lists import Manager
from pm_desk.store.queries.listing import Column, ListSpec, Scope


def _equipment_base(scope: Scope) -> Select:
    statement = (
        select(EquipmentOrder.id)
        .select_from(EquipmentOrder)
        .join(Agreement, Agreement.id == EquipmentOrder.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .outerjoin(Manager, Manager.id == Agreement.manager_id)
        .where(EquipmentOrder.deleted_at.is_(None), Agreement.deleted_at.is_(None))
    )
    return scope.restrict(statement)


EQUIPMENT = ListSpec(
    name="equipment",
    title="Equipment",
    record_kind="equipment_order",
    id_expr=EquipmentOrder.id,
    base=_equipment_base,
    default_sort=("signed_on", False),
    columns=(
        Column("agency", "Agency", Agency.name, searchable=True, width=240),
        Column("state", "State", Agency.state, width=50),
        Column("item", "Item", EquipmentOrder.item, kind="enum", searchable=True, width=140),
        Column("quantity", "Qty", EquipmentOrder.quantity, kind="number", width=45),
        Column("signed_on", "Agreement signed", Agreement.signed_on, kind="date", width=110),
        Column("requested_on", "Requested", EquipmentOrder.requested_on, kind="date", width=95),
        Column("ordered_on", "Ordered", EquipmentOrder.ordered_on, kind="date", width=95),
        Column("shipped_on", "Shipped", EquipmentOrder.shipped_on, kind="date", width=95),
        Column("delivered_on", "Delivered", EquipmentOrder.delivered_on, kind="date", width=95),
        Column("operational_on", "Operational", EquipmentOrder.operational_on, kind="date", width=95),
        Column(
            "agreement_status", "Agreement status", Agreement.status, kind="enum", width=110, visible=False
        ),
        Column("manager", "Manager", Manager.name, searchable=True, width=150, visible=False),
    ),
    derived=(
        Column(
            "clock",
            "Days since signing",
            Agreement.signed_on,
            kind="derived",
            width=110,
            sort_expr=Agreement.signed_on,
            after="quantity",
        ),
        Column(
            "next_stage",
            "Next stage",
            EquipmentOrder.operational_on,
            kind="derived",
            width=100,
            after="clock",
        ),
    ),
    quick_filters={
        "open": ("Not operational", lambda: EquipmentOrder.operational_on.is_(None)),
    },
)


def _transfers_base(scope: Scope) -> Select:
    statement = (
        select(CustodyTransfer.id)
        .select_from(CustodyTransfer)
        .join(Agreement, Agreement.id == CustodyTransfer.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .where(CustodyTransfer.deleted_at.is_(None))
    )
    return scope.restrict(statement)


TRANSFERS = ListSpec(
    name="transfers",
    title="Custody transfers",
    record_kind="transfer",
    id_expr=CustodyTransfer.id,
    base=_transfers_base,
    default_sort=("detainer_issued_at", True),
    columns=(
        Column("agency", "Agency", Agency.name, searchable=True, width=220),
        Column("subject_ref", "Subject", CustodyTransfer.subject_ref, searchable=True, width=110),
        Column("a_number", "A-number", CustodyTransfer.a_number, kind="masked", searchable=True, width=100),
        Column("status", "Status", CustodyTransfer.status, kind="status", searchable=True, width=130),
        Column(
            "detainer_issued_at",
            "Detainer issued",
            CustodyTransfer.detainer_issued_at,
            kind="instant",
            width=130,
        ),
        Column(
            "release_eligible_at",
            "Release-eligible",
            CustodyTransfer.release_eligible_at,
            kind="instant",
            width=130,
        ),
        Column("pickup_at", "Pickup", CustodyTransfer.pickup_at, kind="instant", width=130),
        Column(
            "receiving_office",
            "Receiving office",
            CustodyTransfer.receiving_office,
            searchable=True,
            width=140,
            visible=False,
        ),
    ),
    derived=(
        Column(
            "deadline",
            "Hold deadline",
            CustodyTransfer.release_eligible_at,
            kind="derived",
            width=130,
            sort_expr=CustodyTransfer.release_eligible_at,
            after="release_eligible_at",
        ),
        Column(
            "time_left",
            "Time left",
            CustodyTransfer.release_eligible_at,
            kind="derived",
            width=110,
            sort_expr=CustodyTransfer.release_eligible_at,
            after="deadline",
        ),
    ),
    quick_filters={
        "open": ("Open holds", lambda: CustodyTransfer.status.in_(OPEN_HOLD_STATUSES)),
    },
)
