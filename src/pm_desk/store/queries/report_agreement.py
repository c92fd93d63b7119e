"""Reads of one agreement's packet: the agency, who managed it, every officer with his training
dates, the authority history, equipment orders, complaints and the record's own audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import AuthorityStatus
from pm_desk.domain.facts import OfficerFacts
from pm_desk.store.models import (
    Agency,
    Agreement,
    Assignment,
    AuditEntry,
    Complaint,
    EquipmentOrder,
    Officer,
    OfficerStatusChange,
    User,
)
from pm_desk.store.queries.courses import initial_course_on, last_course_on


@dataclass(frozen=True, slots=True)
class AgencyFacts:
    kind: str
    ori: str | None
    county: str | None
    address: str | None
    phone: str | None
    jail_beds: int | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class OfficerRow:
    facts: OfficerFacts
    name: str
    badge: str
    rank: str | None


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: datetime
    who: str
    what: str
    detail: str


@dataclass(frozen=True, slots=True)
class OrderRow:
    item: str
    quantity: int
    requested_on: date | None
    ordered_on: date | None
    shipped_on: date | None
    delivered_on: date | None
    operational_on: date | None


@dataclass(frozen=True, slots=True)
class ComplaintRow:
    id: str
    received_at: datetime
    reported_at: datetime | None
    closed_on: date | None
    officer: str | None
    outcome: str | None


def agency_facts(session: Session, agreement_id: str) -> AgencyFacts | None:
    row = session.execute(
        select(
            Agency.kind,
            Agency.ori,
            Agency.county,
            Agency.address,
            Agency.phone,
            Agency.jail_beds,
            Agreement.notes,
        )
        .join(Agreement, Agreement.agency_id == Agency.id)
        .where(Agreement.id == agreement_id)
    ).first()
    return AgencyFacts(row[0].value, *row[1:]) if row else None


def assignments(session: Session, agreement_id: str) -> list[HistoryRow]:
    rows = session.execute(
        select(Assignment.starts_at, Assignment.ends_at, User.name, Assignment.reason)
        .join(User, User.id == Assignment.manager_id)
        .where(Assignment.agreement_id == agreement_id, Assignment.deleted_at.is_(None))
        .order_by(Assignment.starts_at.desc())
    )
    return [
        HistoryRow(start, name, f"until {end:%Y-%m-%d}" if end else "current", reason or "")
        for start, end, name, reason in rows
    ]


def officers(session: Session, agreement_id: str) -> list[OfficerRow]:
    """Every officer of the agreement (any status), by name, with the dates the rules need."""

    rows = session.execute(
        select(
            Officer.id,
            Officer.authority_status,
            Officer.nominated_on,
            initial_course_on(),
            last_course_on(),
            Officer.name,
            Officer.badge,
            Officer.rank,
        )
        .where(Officer.agreement_id == agreement_id, Officer.deleted_at.is_(None))
        .order_by(Officer.name, Officer.badge)
    )
    return [
        OfficerRow(
            OfficerFacts(i, AuthorityStatus(s), nominated, _day(initial), _day(last)), name, badge, rank
        )
        for i, s, nominated, initial, last, name, badge, rank in rows
    ]


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def authority_history(session: Session, agreement_id: str, limit: int = 200) -> list[HistoryRow]:
    rows = session.execute(
        select(
            OfficerStatusChange.changed_at,
            Officer.name,
            Officer.badge,
            OfficerStatusChange.from_status,
            OfficerStatusChange.to_status,
            OfficerStatusChange.reason,
        )
        .join(Officer, Officer.id == OfficerStatusChange.officer_id)
        .where(Officer.agreement_id == agreement_id, OfficerStatusChange.deleted_at.is_(None))
        .order_by(OfficerStatusChange.changed_at.desc())
        .limit(limit)
    )
    return [
        HistoryRow(
            at,
            f"{name} ({badge})",
            f"{(old.value if old else 'new').replace('_', ' ')} → {new.value.replace('_', ' ')}",
            reason or "",
        )
        for at, name, badge, old, new, reason in rows
    ]


def orders(session: Session, agreement_id: str) -> list[OrderRow]:
    rows = session.execute(
        select(EquipmentOrder)
        .where(EquipmentOrder.agreement_id == agreement_id, EquipmentOrder.deleted_at.is_(None))
        .order_by(EquipmentOrder.item)
    ).scalars()
    return [
        OrderRow(
            o.item.value.replace("_", " "),
            o.quantity,
            o.requested_on,
            o.ordered_on,
            o.shipped_on,
            o.delivered_on,
            o.operational_on,
        )
        for o in rows
    ]


def complaints(session: Session, agreement_id: str) -> list[ComplaintRow]:
    rows = session.execute(
        select(
            Complaint.id,
            Complaint.received_at,
            Complaint.reported_at,
            Complaint.closed_on,
            Officer.name,
            Complaint.outcome,
        )
        .outerjoin(Officer, Officer.id == Complaint.officer_id)
        .where(Complaint.agreement_id == agreement_id, Complaint.deleted_at.is_(None))
        .order_by(Complaint.received_at.desc())
    )
    return [ComplaintRow(*row) for row in rows]


def record_history(session: Session, agreement_id: str, limit: int = 100) -> list[HistoryRow]:
    """The agreement record's own audit entries, newest first."""
    rows = session.execute(
        select(AuditEntry.at, AuditEntry.actor_email, AuditEntry.operation, AuditEntry.action)
        .where(AuditEntry.record_kind == "agreement", AuditEntry.record_id == agreement_id)
        .order_by(AuditEntry.seq.desc())
        .limit(limit)
    )
    return [HistoryRow(at, email or "system", operation, action) for at, email, operation, action in rows]
