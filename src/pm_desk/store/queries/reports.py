"""Reads the printed reports need beyond the compliance facts: the caseload's agreements, the
month's transfers, inspections, findings, reminders and authority changes, and program counts.

Every function returns plain frozen rows. Sets that grow with the program (transfers) are
streamed in batches and never held whole, so a program report at a million transfers keeps
flat memory; the caller aggregates as it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import (
    OPEN_HOLD_STATUSES,
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    Role,
    TransferStatus,
)
from pm_desk.store.models import (
    Agency,
    Agreement,
    CustodyTransfer,
    FieldOffice,
    Officer,
    OfficerStatusChange,
    User,
)
from pm_desk.store.queries.scoping import restrict_to

STREAM_BATCH = 5_000
IN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class AgreementRow:
    id: str
    agency: str
    state: str
    county: str | None
    model: AgreementModel
    status: AgreementStatus
    application_received_on: date | None
    signed_on: date | None
    effective_on: date | None
    expires_on: date | None
    next_steering_committee_on: date | None
    field_office_id: str
    field_office: str
    manager_id: str | None
    manager_name: str | None
    manager_email: str | None

    @property
    def title(self) -> str:
        return f"{self.agency}, {self.state}"


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: str
    email: str
    name: str
    role: Role
    capacity: float | None
    field_office_id: str | None
    field_office: str | None


@dataclass(frozen=True, slots=True)
class OfficerLine:
    id: str
    name: str
    badge: str
    rank: str | None
    agreement_id: str


@dataclass(frozen=True, slots=True)
class RevokedLine:
    officer_id: str
    name: str
    badge: str
    agreement_id: str
    changed_at: datetime
    reason: str | None


@dataclass(frozen=True, slots=True)
class TransferLine:
    id: str
    agreement_id: str
    subject_ref: str
    subject_name: str | None
    a_number_last4: str | None
    status: TransferStatus
    detainer_issued_at: datetime
    release_eligible_at: datetime | None
    pickup_at: datetime | None
    released_at: datetime | None


def chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), IN_CHUNK):
        yield ordered[start : start + IN_CHUNK]


def scope(statement: Select, manager_id: str | None, agreement_id: str | None = None) -> Select:
    statement = restrict_to(statement.where(Agreement.deleted_at.is_(None)), manager_id)
    if agreement_id is not None:
        statement = statement.where(Agreement.id == agreement_id)
    return statement


# -- people and agreements ------------------------------------------------------------------------
def _person_select() -> Select:
    return select(
        User.id,
        User.email,
        User.name,
        User.role,
        User.capacity,
        User.field_office_id,
        FieldOffice.name,
    ).outerjoin(FieldOffice, FieldOffice.id == User.field_office_id)


def person_by_email(session: Session, email: str) -> PersonRow | None:
    row = session.execute(
        _person_select().where(func.lower(User.email) == email.strip().lower(), User.deleted_at.is_(None))
    ).first()
    return PersonRow(*row) if row else None


def active_managers(session: Session) -> list[PersonRow]:
    """Every active manager, by name: the people a monthly report is printed for."""
    statement = _person_select().where(
        User.role == Role.MANAGER, User.active.is_(True), User.deleted_at.is_(None)
    )
    return [PersonRow(*row) for row in session.execute(statement.order_by(User.name, User.email))]


def agreement_rows(
    session: Session, manager_id: str | None = None, agreement_id: str | None = None
) -> list[AgreementRow]:
    """Agreements (of one manager's caseload, or one), by agency name, state and model."""
    statement = scope(
        select(
            Agreement.id,
            Agency.name,
            Agency.state,
            Agency.county,
            Agreement.model,
            Agreement.status,
            Agreement.application_received_on,
            Agreement.signed_on,
            Agreement.effective_on,
            Agreement.expires_on,
            Agreement.next_steering_committee_on,
            Agreement.field_office_id,
            FieldOffice.name,
            Agreement.manager_id,
            User.name,
            User.email,
        )
        .join(Agency, Agency.id == Agreement.agency_id)
        .join(FieldOffice, FieldOffice.id == Agreement.field_office_id)
        .outerjoin(User, User.id == Agreement.manager_id),
        manager_id,
        agreement_id,
    ).order_by(Agency.name, Agency.state, Agreement.model)
    return [AgreementRow(*row) for row in session.execute(statement)]


def authorized_counts(session: Session, manager_id: str | None = None) -> dict[str, int]:
    statement = scope(
        select(Officer.agreement_id, func.count())
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .where(Officer.deleted_at.is_(None), Officer.authority_status == AuthorityStatus.AUTHORIZED)
        .group_by(Officer.agreement_id),
        manager_id,
    )
    return {str(agreement_id): int(count) for agreement_id, count in session.execute(statement)}


def officer_lines(session: Session, ids: Iterable[str]) -> dict[str, OfficerLine]:
    found: dict[str, OfficerLine] = {}
    for part in chunks(ids):
        statement = select(Officer.id, Officer.name, Officer.badge, Officer.rank, Officer.agreement_id).where(
            Officer.id.in_(part)
        )
        found.update({row[0]: OfficerLine(*row) for row in session.execute(statement)})
    return found


def revocations_done(
    session: Session, start_at: datetime, end_at: datetime, manager_id: str | None = None
) -> list[RevokedLine]:
    """Officers whose authority was revoked in [start_at, end_at), by date then name."""
    statement = scope(
        select(
            Officer.id,
            Officer.name,
            Officer.badge,
            Officer.agreement_id,
            OfficerStatusChange.changed_at,
            OfficerStatusChange.reason,
        )
        .join(Officer, Officer.id == OfficerStatusChange.officer_id)
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .where(
            OfficerStatusChange.deleted_at.is_(None),
            OfficerStatusChange.to_status == AuthorityStatus.REVOKED,
            OfficerStatusChange.changed_at >= start_at,
            OfficerStatusChange.changed_at < end_at,
        ),
        manager_id,
    ).order_by(OfficerStatusChange.changed_at, Officer.name)
    return [RevokedLine(*row) for row in session.execute(statement)]


# -- custody transfers -----------------------------------------------------------------------------
def _transfer_select() -> Select:
    return select(
        CustodyTransfer.id,
        CustodyTransfer.agreement_id,
        CustodyTransfer.subject_ref,
        CustodyTransfer.subject_name,
        CustodyTransfer.a_number_last4,
        CustodyTransfer.status,
        CustodyTransfer.detainer_issued_at,
        CustodyTransfer.release_eligible_at,
        CustodyTransfer.pickup_at,
        CustodyTransfer.released_at,
    ).join(Agreement, Agreement.id == CustodyTransfer.agreement_id)


def unindexed(column: Any) -> Any:
    """`column` as an expression no index can answer. A month's transfers are found through the
    agreement (caseload) or pickup-time index; left to itself SQLite would read the status
    index, which holds most of a million rows under `transferred`."""
    return func.coalesce(column, column)


def transfers_ended(
    session: Session,
    start_at: datetime,
    end_at: datetime,
    manager_id: str | None = None,
    agreement_id: str | None = None,
) -> Iterator[TransferLine]:
    """Transfers whose hold ended in [start_at, end_at): picked up, or released without pickup.

    Streamed in batches; the caller aggregates as it reads.
    """
    ended = (
        (TransferStatus.TRANSFERRED, CustodyTransfer.pickup_at),
        (TransferStatus.RELEASED_NO_PICKUP, CustodyTransfer.released_at),
    )
    for status, at in ended:
        statement = scope(
            _transfer_select().where(
                CustodyTransfer.deleted_at.is_(None),
                unindexed(CustodyTransfer.status) == status,
                at >= start_at,
                at < end_at,
            ),
            manager_id,
            agreement_id,
        )
        yield from _stream(session, statement)


def _stream(session: Session, statement: Select) -> Iterator[TransferLine]:
    result = session.execute(statement, execution_options={"yield_per": STREAM_BATCH})
    for partition in result.partitions():
        for row in partition:
            yield TransferLine(*row)


def transfer_lines(session: Session, ids: Iterable[str]) -> dict[str, TransferLine]:
    found: dict[str, TransferLine] = {}
    for part in chunks(ids):
        for row in session.execute(_transfer_select().where(CustodyTransfer.id.in_(part))):
            found[row[0]] = TransferLine(*row)
    return found


def detainers_issued(
    session: Session, start_at: datetime, end_at: datetime, manager_id: str | None = None
) -> dict[str, int]:
    """Per agreement, detainers issued in [start_at, end_at) (any status but deleted)."""
    statement = scope(
        select(CustodyTransfer.agreement_id, func.count())
        .join(Agreement, Agreement.id == CustodyTransfer.agreement_id)
        .where(
            CustodyTransfer.deleted_at.is_(None),
            CustodyTransfer.detainer_issued_at >= start_at,
            CustodyTransfer.detainer_issued_at < end_at,
        )
        .group_by(CustodyTransfer.agreement_id),
        manager_id,
    )
    return {str(agreement_id): int(count) for agreement_id, count in session.execute(statement)}


def open_holds(session: Session, as_of: datetime, manager_id: str | None = None) -> dict[str, int]:
    """Per agreement, holds still open whose detainer was issued by `as_of`."""
    statement = scope(
        select(CustodyTransfer.agreement_id, func.count())
        .join(Agreement, Agreement.id == CustodyTransfer.agreement_id)
        .where(
            CustodyTransfer.deleted_at.is_(None),
            CustodyTransfer.status.in_(OPEN_HOLD_STATUSES),
            CustodyTransfer.detainer_issued_at <= as_of,
        )
        .group_by(CustodyTransfer.agreement_id),
        manager_id,
    )
    return {str(agreement_id): int(count) for agreement_id, count in session.execute(statement)}
