"""One record's full picture for the detail panel: its fields and its related records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import EQUIPMENT_STAGES, label
from pm_desk.store.models import (
    Agency,
    Agreement,
    Assignment,
    Complaint,
    CustodyTransfer,
    Enrollment,
    EquipmentOrder,
    FieldOffice,
    Finding,
    Inspection,
    Officer,
    OfficerStatusChange,
    TrainingClass,
    TrainingRecord,
    TransferEvent,
    User,
)


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    # Ids of the rows' records (same order), so the panel can act on one.
    ids: list[str] = field(default_factory=list)
    kind: str = ""


@dataclass(frozen=True)
class Detail:
    kind: str
    id: str
    title: str
    subtitle: str
    version: int
    agreement_id: str | None
    fields: list[tuple[str, Any, str]]  # label, value, display kind (text/date/instant/enum/masked/bool)
    sections: list[Section] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def _user_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def _agency_line(session: Session, agreement: Agreement) -> tuple[Agency, str]:
    agency = session.get(Agency, agreement.agency_id)
    assert agency is not None
    return agency, f"{agency.name}, {agency.state} — {label(agreement.model)}"


def agreement_detail(session: Session, agreement_id: str) -> Detail | None:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None or agreement.deleted_at is not None:
        return None
    agency, line = _agency_line(session, agreement)
    office = session.get(FieldOffice, agreement.field_office_id)
    assignments = (
        session.execute(
            select(Assignment)
            .where(Assignment.agreement_id == agreement_id, Assignment.deleted_at.is_(None))
            .order_by(Assignment.starts_at.desc())
        )
        .scalars()
        .all()
    )
    names = _user_names(session, {a.manager_id for a in assignments} | {agreement.manager_id})
    officers = session.execute(
        select(Officer.authority_status, func.count())
        .where(Officer.agreement_id == agreement_id, Officer.deleted_at.is_(None))
        .group_by(Officer.authority_status)
    ).all()
    orders = (
        session.execute(
            select(EquipmentOrder)
            .where(EquipmentOrder.agreement_id == agreement_id, EquipmentOrder.deleted_at.is_(None))
            .order_by(EquipmentOrder.item)
        )
        .scalars()
        .all()
    )
    return Detail(
        "agreement",
        agreement.id,
        agency.name,
        line,
        agreement.version,
        agreement.id,
        [
            ("Status", agreement.status, "status"),
            ("Model", agreement.model, "enum"),
            ("Manager", names.get(agreement.manager_id or "", "unassigned"), "text"),
            ("Field office", office.name if office else "", "text"),
            ("Application received", agreement.application_received_on, "date"),
            ("Signed", agreement.signed_on, "date"),
            ("Effective", agreement.effective_on, "date"),
            ("Expires", agreement.expires_on or "open-ended", "date"),
            ("Next steering committee", agreement.next_steering_committee_on, "date"),
            ("Agency type", agency.kind, "enum"),
            ("County", agency.county, "text"),
            ("ORI", agency.ori, "text"),
            ("Phone", agency.phone, "text"),
            ("Jail beds", agency.jail_beds, "text"),
            ("Notes", agreement.notes, "text"),
        ],
        [
            Section("Officers", ("Authority", "Count"), [(label(s), n) for s, n in officers]),
            Section(
                "Equipment",
                ("Item", "Requested", "Delivered", "Operational"),
                [(label(o.item), o.requested_on, o.delivered_on, o.operational_on) for o in orders],
                [o.id for o in orders],
                "equipment_order",
            ),
            Section(
                "Managers",
                ("Manager", "From", "To", "Reason"),
                [(names.get(a.manager_id, "?"), a.starts_at, a.ends_at, a.reason) for a in assignments],
            ),
        ],
        {"agency_id": agency.id, "status": agreement.status, "model": agreement.model},
    )


def officer_detail(session: Session, officer_id: str) -> Detail | None:
    officer = session.get(Officer, officer_id)
    if officer is None or officer.deleted_at is not None:
        return None
    agreement = session.get(Agreement, officer.agreement_id)
    assert agreement is not None
    _agency, line = _agency_line(session, agreement)
    history = (
        session.execute(
            select(OfficerStatusChange)
            .where(OfficerStatusChange.officer_id == officer_id)
            .order_by(OfficerStatusChange.changed_at.desc())
        )
        .scalars()
        .all()
    )
    names = _user_names(session, {h.changed_by for h in history})
    records = (
        session.execute(
            select(TrainingRecord)
            .where(TrainingRecord.officer_id == officer_id, TrainingRecord.deleted_at.is_(None))
            .order_by(TrainingRecord.completed_on.desc())
        )
        .scalars()
        .all()
    )
    enrollments = session.execute(
        select(Enrollment, TrainingClass)
        .join(TrainingClass, TrainingClass.id == Enrollment.class_id)
        .where(Enrollment.officer_id == officer_id, Enrollment.deleted_at.is_(None))
        .order_by(TrainingClass.starts_on.desc())
    ).all()
    return Detail(
        "officer",
        officer.id,
        officer.name,
        line,
        officer.version,
        agreement.id,
        [
            ("Authority", officer.authority_status, "status"),
            ("Badge", officer.badge, "text"),
            ("Rank", officer.rank, "text"),
            ("Email", officer.email, "text"),
            ("Nominated", officer.nominated_on, "date"),
            ("Background check", officer.background_status, "enum"),
            ("Background checked on", officer.background_on, "date"),
        ],
        [
            Section(
                "Training",
                ("Course", "Completed", "Source"),
                [(r.course, r.completed_on, r.source) for r in records],
                [r.id for r in records],
            ),
            Section(
                "Classes",
                ("Class", "Location", "Result"),
                [(c.starts_on, c.location, label(e.result)) for e, c in enrollments],
                [e.id for e, _c in enrollments],
                "enrollment",
            ),
            Section(
                "Authority history",
                ("When", "From", "To", "Reason", "By"),
                [
                    (
                        h.changed_at,
                        label(h.from_status),
                        label(h.to_status),
                        h.reason,
                        names.get(h.changed_by or "", ""),
                    )
                    for h in history
                ],
            ),
        ],
        {"authority_status": officer.authority_status},
    )


def class_detail(session: Session, class_id: str) -> Detail | None:
    session_row = session.get(TrainingClass, class_id)
    if session_row is None or session_row.deleted_at is not None:
        return None
    enrolled = session.execute(
        select(Enrollment, Officer, Agency)
        .join(Officer, Officer.id == Enrollment.officer_id)
        .join(Agency, Agency.id == Officer.agency_id)
        .where(Enrollment.class_id == class_id, Enrollment.deleted_at.is_(None))
        .order_by(Officer.name)
    ).all()
    taken = sum(1 for e, _o, _a in enrolled if e.result.value in {"enrolled", "completed"})
    return Detail(
        "training_class",
        session_row.id,
        f"Initial course, {session_row.starts_on.isoformat()}",
        session_row.location,
        session_row.version,
        None,
        [
            ("Starts", session_row.starts_on, "date"),
            ("Ends", session_row.ends_on, "date"),
            ("Seats", session_row.seats, "text"),
            ("Taken", taken, "text"),
            ("Free", max(session_row.seats - taken, 0), "text"),
        ],
        [
            Section(
                "Enrolled officers",
                ("Officer", "Agency", "Result"),
                [(o.name, a.name, label(e.result)) for e, o, a in enrolled],
                [e.id for e, _o, _a in enrolled],
                "enrollment",
            )
        ],
    )


def equipment_detail(session: Session, order_id: str) -> Detail | None:
    order = session.get(EquipmentOrder, order_id)
    if order is None or order.deleted_at is not None:
        return None
    agreement = session.get(Agreement, order.agreement_id)
    assert agreement is not None
    agency, line = _agency_line(session, agreement)
    return Detail(
        "equipment_order",
        order.id,
        f"{label(order.item).capitalize()} × {order.quantity}",
        line,
        order.version,
        agreement.id,
        [
            ("Agreement signed", agreement.signed_on, "date"),
            ("Requested", order.requested_on, "date"),
            ("Ordered", order.ordered_on, "date"),
            ("Shipped", order.shipped_on, "date"),
            ("Delivered", order.delivered_on, "date"),
            ("Operational", order.operational_on, "date"),
        ],
        raw={
            "item": order.item,
            "quantity": order.quantity,
            "agency": agency.name,
            "next_stage": next((s for s in EQUIPMENT_STAGES if getattr(order, f"{s}_on") is None), None),
        },
    )


def inspection_detail(session: Session, inspection_id: str) -> Detail | None:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None or inspection.deleted_at is not None:
        return None
    agreement = session.get(Agreement, inspection.agreement_id)
    assert agreement is not None
    _agency, line = _agency_line(session, agreement)
    findings = (
        session.execute(
            select(Finding)
            .where(Finding.inspection_id == inspection_id, Finding.deleted_at.is_(None))
            .order_by(Finding.closed_on.is_not(None), Finding.corrective_due)
        )
        .scalars()
        .all()
    )
    return Detail(
        "inspection",
        inspection.id,
        f"{label(inspection.kind).capitalize()}, {inspection.held_on.isoformat()}",
        line,
        inspection.version,
        agreement.id,
        [
            ("Date", inspection.held_on, "date"),
            ("Kind", inspection.kind, "enum"),
            ("Summary", inspection.summary, "text"),
        ],
        [
            Section(
                "Findings",
                ("Severity", "Finding", "Corrective action", "Due", "Closed"),
                [
                    (label(f.severity), f.text, f.corrective_action, f.corrective_due, f.closed_on)
                    for f in findings
                ],
                [f.id for f in findings],
                "finding",
            )
        ],
    )


def complaint_detail(session: Session, complaint_id: str) -> Detail | None:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None or complaint.deleted_at is not None:
        return None
    agreement = session.get(Agreement, complaint.agreement_id)
    assert agreement is not None
    _agency, line = _agency_line(session, agreement)
    officer = session.get(Officer, complaint.officer_id) if complaint.officer_id else None
    return Detail(
        "complaint",
        complaint.id,
        "Complaint",
        line,
        complaint.version,
        agreement.id,
        [
            ("Received", complaint.received_at, "instant"),
            ("Officer", officer.name if officer else "", "text"),
            ("Reported to ICE", complaint.reported_at, "instant"),
            ("Referred to professional responsibility", complaint.referred_at, "instant"),
            ("Officer removed from duty", complaint.officer_removed, "bool"),
            ("Outcome", complaint.outcome, "text"),
            ("Closed", complaint.closed_on, "date"),
            ("Summary", complaint.summary, "text"),
        ],
    )


EVENT_WORDS = {
    "detainer_issued": "Detainer issued",
    "detainer_served": "Detainer served",
    "release_eligible": "Release-eligible",
    "pickup": "Picked up by ICE",
    "released": "Released without pickup",
    "cancelled": "Detainer cancelled",
    "citizenship_claim": "Citizenship claim noted",
    "note": "Note",
}


def transfer_timeline(session: Session, transfer: CustodyTransfer) -> list[tuple[Any, ...]]:
    """(when, what, note, entered by, entered at), oldest first. Steps recorded through PM Desk
    carry who entered them; a step known only from the record's own dates (it came in by import
    or demo) is shown from those dates, entered with the record."""
    events = (
        session.execute(
            select(TransferEvent)
            .where(TransferEvent.transfer_id == transfer.id, TransferEvent.deleted_at.is_(None))
            .order_by(TransferEvent.occurred_at, TransferEvent.created_at)
        )
        .scalars()
        .all()
    )
    names = _user_names(session, {e.entered_by for e in events} | {transfer.updated_by})
    recorded = {e.kind for e in events}
    steps = [
        ("detainer_issued", transfer.detainer_issued_at),
        ("release_eligible", transfer.release_eligible_at),
        ("pickup", transfer.pickup_at),
        ("released", transfer.released_at),
    ]
    entered = names.get(transfer.updated_by or "", "import")
    rows: list[tuple[Any, ...]] = [
        (at, EVENT_WORDS[kind], "from the record", entered, transfer.created_at)
        for kind, at in steps
        if at is not None and kind not in recorded
    ]
    rows += [
        (
            e.occurred_at,
            EVENT_WORDS.get(e.kind, e.kind),
            e.note,
            names.get(e.entered_by or "", ""),
            e.created_at,
        )
        for e in events
    ]
    return sorted(rows, key=lambda row: (row[0], row[4]))


def transfer_detail(session: Session, transfer_id: str) -> Detail | None:
    transfer = session.get(CustodyTransfer, transfer_id)
    if transfer is None or transfer.deleted_at is not None:
        return None
    agreement = session.get(Agreement, transfer.agreement_id)
    assert agreement is not None
    _agency, line = _agency_line(session, agreement)
    return Detail(
        "transfer",
        transfer.id,
        f"Subject {transfer.subject_ref}",
        line,
        transfer.version,
        agreement.id,
        [
            ("Status", transfer.status, "status"),
            ("A-number", transfer.a_number, "masked"),
            ("Name", transfer.subject_name, "subject"),
            ("Date of birth", transfer.subject_dob, "subject"),
            ("Encounter", transfer.encounter_on, "date"),
            ("Detainer issued", transfer.detainer_issued_at, "instant"),
            ("Release-eligible", transfer.release_eligible_at, "instant"),
            ("Hold deadline", transfer.hold_deadline_at, "instant"),
            ("Pickup", transfer.pickup_at, "instant"),
            ("Released without pickup", transfer.released_at, "instant"),
            ("Receiving office", transfer.receiving_office, "text"),
            ("Notes", transfer.notes, "text"),
        ],
        [
            Section(
                "Timeline",
                ("When", "What", "Note", "Entered by", "Entered at"),
                transfer_timeline(session, transfer),
            )
        ],
        raw={
            "status": transfer.status,
            "release_eligible_at": transfer.release_eligible_at,
            "pickup_at": transfer.pickup_at,
        },
    )


DETAILS: dict[str, Callable[[Session, str], Detail | None]] = {
    "agreement": agreement_detail,
    "officer": officer_detail,
    "training_class": class_detail,
    "equipment_order": equipment_detail,
    "inspection": inspection_detail,
    "complaint": complaint_detail,
    "transfer": transfer_detail,
}


def record_detail(session: Session, kind: str, record_id: str) -> Detail | None:
    loader = DETAILS.get(kind)
    return loader(session, record_id) if loader else None


def finding_inspection(session: Session, finding_id: str) -> str | None:
    return session.execute(select(Finding.inspection_id).where(Finding.id == finding_id)).scalar()
