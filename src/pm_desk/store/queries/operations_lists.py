"""The lists of equipment orders and custody transfers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, or_, select, true

from pm_desk.domain.enums import OPEN_HOLD_STATUSES, TransferStatus
from pm_desk.store.models import Agency, Agreement, CustodyTransfer, EquipmentOrder
from pm_desk.store.queries.caseload_lists import Manager
from pm_desk.store.queries.listing import Column, ListQuery, ListSpec, Scope, contains_word, restrict
from pm_desk.store.search import MIN_WORD, transfer_rowid, transfer_rowids_matching


def _equipment_base(scope: Scope) -> Select:
    statement = (
        select(EquipmentOrder.id)
        .select_from(EquipmentOrder)
        .join(Agreement, Agreement.id == EquipmentOrder.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .outerjoin(Manager, Manager.id == Agreement.manager_id)
        .where(EquipmentOrder.deleted_at.is_(None), Agreement.deleted_at.is_(None))
    )
    return restrict(statement, scope)


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
        "open": ("Not operational", lambda _query: EquipmentOrder.operational_on.is_(None)),
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
    return restrict(statement, scope)


def _transfers_count_base(scope: Scope) -> Select:
    """Counting needs the agreement only to scope the rows; the agency never."""
    statement = (
        select(CustodyTransfer.id).select_from(CustodyTransfer).where(CustodyTransfer.deleted_at.is_(None))
    )
    if scope.manager_id is None and scope.field_office_id is None:
        return statement
    return restrict(statement.join(Agreement, Agreement.id == CustodyTransfer.agreement_id), scope)


def _agency_named(word: str, dialect: str, broad: bool = False) -> Any:
    """Transfers of agreements whose agency's name contains the word (a few thousand agencies).
    `broad`: compared as an expression, so SQLite walks the sort order instead of this index."""
    agreement = CustodyTransfer.agreement_id + "" if broad else CustodyTransfer.agreement_id
    return agreement.in_(
        select(Agreement.id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .where(contains_word([Agency.name], word, dialect))
    )


def _search_transfers(word: str, dialect: str, broad: bool = False) -> Any:
    """A word finds a subject reference or A-number containing it (the trigram index, from three
    characters) or an agency by name. Subject names are not searched: they are shown to few roles.
    A `broad` word (one matching most transfers) is tested row by row along the sort order."""
    if dialect == "sqlite" and len(word) >= MIN_WORD:
        rowid = transfer_rowid() + 0 if broad else transfer_rowid()
        return or_(rowid.in_(transfer_rowids_matching(word)), _agency_named(word, dialect, broad))
    if len(word) < MIN_WORD:
        # One or two characters would match most of a million rows: the list narrows from the
        # third character typed (the filter's hint says so).
        return true()
    return or_(
        contains_word([CustodyTransfer.subject_ref, CustodyTransfer.a_number], word, dialect),
        _agency_named(word, dialect),
    )


def _open() -> Any:
    return CustodyTransfer.status.in_(OPEN_HOLD_STATUSES)


def _due_within(now: datetime, hours: int) -> Any:
    return and_(
        _open(),
        CustodyTransfer.hold_deadline_at >= now,
        CustodyTransfer.hold_deadline_at <= now + timedelta(hours=hours),
    )


def _breached(query: ListQuery) -> Any:
    """Open holds past their deadline, and transfers picked up after it."""
    now = query.now
    return or_(
        and_(_open(), CustodyTransfer.hold_deadline_at < now),
        and_(
            CustodyTransfer.status == TransferStatus.TRANSFERRED,
            CustodyTransfer.pickup_at > CustodyTransfer.hold_deadline_at,
        ),
    )


def _this_month(query: ListQuery) -> Any:
    now = query.now
    first = datetime(now.year, now.month, 1, tzinfo=UTC)
    return CustodyTransfer.detainer_issued_at >= first


def _due_soon(query: ListQuery) -> Any:
    """Open holds whose deadline is within the policy's due-soon hours (given by the page)."""
    return _due_within(query.now, query.param("due_soon_hours", 6))


TRANSFERS = ListSpec(
    name="transfers",
    title="Custody transfers",
    record_kind="transfer",
    id_expr=CustodyTransfer.id,
    base=_transfers_base,
    default_sort=("detainer_issued_at", True),
    search=_search_transfers,
    min_word=MIN_WORD,
    count_base=_transfers_count_base,
    tie_break=(CustodyTransfer.detainer_issued_at,),
    columns=(
        Column("agency", "Agency", Agency.name, width=220),
        Column("subject_ref", "Subject", CustodyTransfer.subject_ref, width=120),
        Column("a_number", "A-number", CustodyTransfer.a_number, kind="masked", width=100),
        Column("status", "Status", CustodyTransfer.status, kind="status", width=130),
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
        Column(
            "hold_deadline_at", "Hold deadline", CustodyTransfer.hold_deadline_at, kind="instant", width=130
        ),
        Column("pickup_at", "Pickup", CustodyTransfer.pickup_at, kind="instant", width=130),
        Column("receiving_office", "Receiving office", CustodyTransfer.receiving_office, width=160),
    ),
    derived=(
        Column(
            "time_left",
            "Time left",
            CustodyTransfer.hold_deadline_at,
            kind="derived",
            width=150,
            sort_expr=CustodyTransfer.hold_deadline_at,
            after="hold_deadline_at",
        ),
    ),
    quick_filters={
        "open": ("Open holds", lambda _query: _open()),
        "due_soon": ("Due soon", _due_soon),
        "breached": ("Breached", _breached),
        "month": ("This month", _this_month),
    },
)
