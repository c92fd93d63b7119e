"""The lists of inspections (with their findings) and complaints."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from pm_desk.store.models import Agency, Agreement, Complaint, Finding, Inspection, Officer
from pm_desk.store.queries.caseload_lists import Manager
from pm_desk.store.queries.listing import Column, ListSpec, Scope, restrict


def _finding_count(open_only: bool) -> Any:
    statement = select(func.count()).where(
        Finding.inspection_id == Inspection.id, Finding.deleted_at.is_(None)
    )
    if open_only:
        statement = statement.where(Finding.closed_on.is_(None))
    return statement.correlate(Inspection).scalar_subquery()


_next_due = (
    select(func.min(Finding.corrective_due))
    .where(Finding.inspection_id == Inspection.id, Finding.deleted_at.is_(None), Finding.closed_on.is_(None))
    .correlate(Inspection)
    .scalar_subquery()
)


def _inspections_base(scope: Scope) -> Select:
    statement = (
        select(Inspection.id)
        .select_from(Inspection)
        .join(Agreement, Agreement.id == Inspection.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .outerjoin(Manager, Manager.id == Agreement.manager_id)
        .where(Inspection.deleted_at.is_(None), Agreement.deleted_at.is_(None))
    )
    return restrict(statement, scope)


INSPECTIONS = ListSpec(
    name="inspections",
    title="Inspections",
    record_kind="inspection",
    id_expr=Inspection.id,
    base=_inspections_base,
    default_sort=("held_on", True),
    columns=(
        Column("held_on", "Date", Inspection.held_on, kind="date", width=95),
        Column("kind", "Kind", Inspection.kind, kind="enum", searchable=True, width=140),
        Column("agency", "Agency", Agency.name, searchable=True, width=240),
        Column("state", "State", Agency.state, width=50),
        Column("findings", "Findings", _finding_count(False), kind="number", width=70),
        Column("open_findings", "Open", _finding_count(True), kind="number", width=60),
        Column("next_due", "Next corrective due", _next_due, kind="date", width=120),
        Column("summary", "Summary", Inspection.summary, searchable=True, width=260),
        Column("manager", "Manager", Manager.name, searchable=True, width=150, visible=False),
    ),
    derived=(
        Column(
            "finding_state",
            "Corrective actions",
            _next_due,
            kind="derived",
            width=150,
            sort_expr=_next_due,
            after="open_findings",
        ),
    ),
    quick_filters={"open": ("With open findings", lambda _query: _finding_count(True) > 0)},
)


def _complaints_base(scope: Scope) -> Select:
    statement = (
        select(Complaint.id)
        .select_from(Complaint)
        .join(Agreement, Agreement.id == Complaint.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .outerjoin(Officer, Officer.id == Complaint.officer_id)
        .outerjoin(Manager, Manager.id == Agreement.manager_id)
        .where(Complaint.deleted_at.is_(None), Agreement.deleted_at.is_(None))
    )
    return restrict(statement, scope)


COMPLAINTS = ListSpec(
    name="complaints",
    title="Complaints",
    record_kind="complaint",
    id_expr=Complaint.id,
    base=_complaints_base,
    default_sort=("received_at", True),
    columns=(
        Column("received_at", "Received", Complaint.received_at, kind="instant", width=130),
        Column("agency", "Agency", Agency.name, searchable=True, width=220),
        Column("officer", "Officer", Officer.name, searchable=True, width=160),
        Column("reported_at", "Reported to ICE", Complaint.reported_at, kind="instant", width=130),
        Column("referred_at", "Referred", Complaint.referred_at, kind="instant", width=130, visible=False),
        Column("officer_removed", "Removed from duty", Complaint.officer_removed, kind="bool", width=90),
        Column("outcome", "Outcome", Complaint.outcome, searchable=True, width=160),
        Column("closed_on", "Closed", Complaint.closed_on, kind="date", width=95),
        Column("summary", "Summary", Complaint.summary, searchable=True, width=240, visible=False),
    ),
    derived=(
        Column(
            "report_clock",
            "48-hour report",
            Complaint.received_at,
            kind="derived",
            width=150,
            sort_expr=Complaint.received_at,
            after="reported_at",
        ),
        Column(
            "resolution_clock",
            "90-day resolution",
            Complaint.received_at,
            kind="derived",
            width=150,
            sort_expr=Complaint.received_at,
            after="closed_on",
        ),
    ),
    quick_filters={"open": ("Open", lambda _query: Complaint.closed_on.is_(None))},
)
