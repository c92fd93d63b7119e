"""Program-wide reads of the headquarters and staffing reports: counts grouped in SQL, and the
year's pickups streamed (never a list of every transfer)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import (
    WORKLOAD_STATUSES,
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    TransferStatus,
)
from pm_desk.domain.workload import AgreementWork
from pm_desk.store.models import (
    ActivityCount,
    Agreement,
    CustodyTransfer,
    FieldOffice,
    Officer,
    OfficerStatusChange,
)
from pm_desk.store.queries.compliance import work_counts
from pm_desk.store.queries.reports import unindexed

STREAM_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class OfficeRow:
    id: str
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Pickup:
    id: str
    agreement_id: str
    status: TransferStatus
    release_eligible_at: datetime | None
    pickup_at: datetime


@dataclass(frozen=True, slots=True)
class ActivityMonth:
    month: date
    encounters: int
    detainers_lodged: int
    charging_documents: int
    transfers_completed: int


@dataclass(frozen=True, slots=True)
class OfficeWork:
    """An agreement's weight with where it belongs (field office, manager)."""

    field_office_id: str
    manager_id: str | None
    work: AgreementWork


def field_offices(session: Session) -> list[OfficeRow]:
    statement = select(FieldOffice.id, FieldOffice.code, FieldOffice.name).where(
        FieldOffice.deleted_at.is_(None)
    )
    return [OfficeRow(*row) for row in session.execute(statement.order_by(FieldOffice.name))]


def status_model_counts(session: Session) -> list[tuple[AgreementStatus, AgreementModel, int]]:
    statement = (
        select(Agreement.status, Agreement.model, func.count())
        .where(Agreement.deleted_at.is_(None))
        .group_by(Agreement.status, Agreement.model)
    )
    return [(status, model, int(n)) for status, model, n in session.execute(statement)]


def authorized_by_office(session: Session) -> dict[str, int]:
    statement = (
        select(Agreement.field_office_id, func.count())
        .select_from(Officer)
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .where(
            Officer.deleted_at.is_(None),
            Agreement.deleted_at.is_(None),
            Officer.authority_status == AuthorityStatus.AUTHORIZED,
        )
        .group_by(Agreement.field_office_id)
    )
    return {str(office): int(n) for office, n in session.execute(statement)}


def revoked_by_office(session: Session, start_at: datetime, end_at: datetime) -> dict[str, int]:
    """Authority revocations in [start_at, end_at), per field office of the officer's agreement."""
    statement = (
        select(Agreement.field_office_id, func.count())
        .select_from(OfficerStatusChange)
        .join(Officer, Officer.id == OfficerStatusChange.officer_id)
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .where(
            OfficerStatusChange.deleted_at.is_(None),
            OfficerStatusChange.to_status == AuthorityStatus.REVOKED,
            OfficerStatusChange.changed_at >= start_at,
            OfficerStatusChange.changed_at < end_at,
        )
        .group_by(Agreement.field_office_id)
    )
    return {str(office): int(n) for office, n in session.execute(statement)}


def pickups(session: Session, start_at: datetime, end_at: datetime) -> Iterator[Pickup]:
    """Transfers picked up in [start_at, end_at), streamed in batches through the pickup index."""
    statement = select(
        CustodyTransfer.id,
        CustodyTransfer.agreement_id,
        CustodyTransfer.status,
        CustodyTransfer.release_eligible_at,
        CustodyTransfer.pickup_at,
    ).where(
        CustodyTransfer.deleted_at.is_(None),
        unindexed(CustodyTransfer.status) == TransferStatus.TRANSFERRED,
        CustodyTransfer.pickup_at >= start_at,
        CustodyTransfer.pickup_at < end_at,
    )
    result = session.execute(statement, execution_options={"yield_per": STREAM_BATCH})
    for partition in result.partitions():
        for transfer_id, agreement_id, status, eligible, picked_up in partition:
            if picked_up is not None:  # always, by the filter: this tells the type checker
                yield Pickup(transfer_id, agreement_id, status, eligible, picked_up)


def activity_by_month(session: Session, first: date, last: date) -> dict[date, ActivityMonth]:
    """The program's activity counts summed per month, from `first` to `last` (first days)."""
    statement = (
        select(
            ActivityCount.month,
            func.sum(ActivityCount.encounters),
            func.sum(ActivityCount.detainers_lodged),
            func.sum(ActivityCount.charging_documents),
            func.sum(ActivityCount.transfers_completed),
        )
        .join(Agreement, Agreement.id == ActivityCount.agreement_id)
        .where(
            ActivityCount.deleted_at.is_(None),
            Agreement.deleted_at.is_(None),
            ActivityCount.month >= first,
            ActivityCount.month <= last,
        )
        .group_by(ActivityCount.month)
    )
    found: dict[date, ActivityMonth] = {}
    for month, *counts in session.execute(statement):
        found[month] = ActivityMonth(month, *(int(c or 0) for c in counts))
    return found


def office_work(session: Session, as_of: datetime, recent_days: int) -> list[OfficeWork]:
    """Every agreement that carries workload (assigned or not), with its officers and recent
    transfers counted per agreement through the indexes."""
    authorized, recent = work_counts(as_of, recent_days)
    statement = select(
        Agreement.id,
        Agreement.field_office_id,
        Agreement.manager_id,
        Agreement.model,
        Agreement.status,
        authorized,
        recent,
    ).where(Agreement.deleted_at.is_(None), Agreement.status.in_(WORKLOAD_STATUSES))
    return [
        OfficeWork(office, manager, AgreementWork(agreement_id, model, status, officers or 0, transfers or 0))
        for agreement_id, office, manager, model, status, officers, transfers in session.execute(statement)
    ]


def pipeline(session: Session) -> list[tuple[str, AgreementModel]]:
    """Agreements not yet signed (applicant, pending signature): (field office id, model)."""
    statement = select(Agreement.field_office_id, Agreement.model).where(
        Agreement.deleted_at.is_(None),
        Agreement.status.in_([AgreementStatus.APPLICANT, AgreementStatus.PENDING_SIGNATURE]),
    )
    return [(str(office), model) for office, model in session.execute(statement)]
