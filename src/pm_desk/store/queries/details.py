"""One record's full picture for the detail panel: its fields and its related records.

Each kind of record that has a detail panel is described once below, as a `DetailSpec`; one
function (`build_detail`) turns any of them into the `Detail` the panel shows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import EQUIPMENT_STAGES, SEAT_HOLDING_RESULTS, RecordKind, label
from pm_desk.store.models import (
    Agency,
    Assignment,
    Enrollment,
    EquipmentOrder,
    FieldOffice,
    Finding,
    Officer,
    OfficerStatusChange,
    TrainingClass,
    TrainingRecord,
    TransferEvent,
)
from pm_desk.store.queries.detail_spec import (
    ComputedSection,
    Detail,
    DetailSpec,
    Facts,
    FieldSpec,
    Section,
    SectionSpec,
    build_detail,
)

__all__ = ["DETAILS", "Detail", "Section", "finding_inspection", "record_detail", "transfer_timeline"]


def _office_name(facts: Facts) -> str:
    office = facts.session.get(FieldOffice, facts.record.field_office_id)
    return office.name if office else ""


AGREEMENT = DetailSpec(
    RecordKind.AGREEMENT,
    title=lambda f: f.agency.name,
    fields=(
        FieldSpec("Status", "status", "status"),
        FieldSpec("Model", "model", "enum"),
        FieldSpec("Manager", lambda f: f.user_name(f.record.manager_id, "unassigned")),
        FieldSpec("Field office", _office_name),
        FieldSpec("Application received", "application_received_on", "date"),
        FieldSpec("Signed", "signed_on", "date"),
        FieldSpec("Effective", "effective_on", "date"),
        FieldSpec("Expires", lambda f: f.record.expires_on or "open-ended", "date"),
        FieldSpec("Next steering committee", "next_steering_committee_on", "date"),
        FieldSpec("Agency type", "agency.kind", "enum"),
        FieldSpec("County", "agency.county"),
        FieldSpec("ORI", "agency.ori"),
        FieldSpec("Phone", "agency.phone"),
        FieldSpec("Jail beds", "agency.jail_beds"),
        FieldSpec("Notes", "notes"),
    ),
    sections=(
        SectionSpec(
            "Officers",
            ("Authority", "Count"),
            select(Officer.authority_status, func.count())
            .where(Officer.deleted_at.is_(None))
            .group_by(Officer.authority_status),
            link=Officer.agreement_id,
            cells=lambda _f, status, count: (label(status), count),
        ),
        SectionSpec(
            "Equipment",
            ("Item", "Requested", "Delivered", "Operational"),
            select(EquipmentOrder).where(EquipmentOrder.deleted_at.is_(None)).order_by(EquipmentOrder.item),
            link=EquipmentOrder.agreement_id,
            cells=lambda _f, o: (label(o.item), o.requested_on, o.delivered_on, o.operational_on),
            record_id=lambda o: o.id,
            kind=RecordKind.EQUIPMENT_ORDER,
        ),
        SectionSpec(
            "Managers",
            ("Manager", "From", "To", "Reason"),
            select(Assignment).where(Assignment.deleted_at.is_(None)).order_by(Assignment.starts_at.desc()),
            link=Assignment.agreement_id,
            cells=lambda f, a: (f.user_name(a.manager_id, "?"), a.starts_at, a.ends_at, a.reason),
        ),
    ),
    raw=lambda f: {"agency_id": f.agency.id, "status": f.record.status, "model": f.record.model},
)

OFFICER = DetailSpec(
    RecordKind.OFFICER,
    title=lambda f: f.record.name,
    fields=(
        FieldSpec("Authority", "authority_status", "status"),
        FieldSpec("Badge", "badge"),
        FieldSpec("Rank", "rank"),
        FieldSpec("Email", "email"),
        FieldSpec("Nominated", "nominated_on", "date"),
        FieldSpec("Background check", "background_status", "enum"),
        FieldSpec("Background checked on", "background_on", "date"),
    ),
    sections=(
        SectionSpec(
            "Training",
            ("Course", "Completed", "Source"),
            select(TrainingRecord)
            .where(TrainingRecord.deleted_at.is_(None))
            .order_by(TrainingRecord.completed_on.desc()),
            link=TrainingRecord.officer_id,
            cells=lambda _f, r: (r.course, r.completed_on, r.source),
            record_id=lambda r: r.id,
        ),
        SectionSpec(
            "Classes",
            ("Class", "Location", "Result"),
            select(Enrollment, TrainingClass)
            .join(TrainingClass, TrainingClass.id == Enrollment.class_id)
            .where(Enrollment.deleted_at.is_(None))
            .order_by(TrainingClass.starts_on.desc()),
            link=Enrollment.officer_id,
            cells=lambda _f, e, c: (c.starts_on, c.location, label(e.result)),
            record_id=lambda e, _c: e.id,
            kind=RecordKind.ENROLLMENT,
        ),
        SectionSpec(
            "Authority history",
            ("When", "From", "To", "Reason", "By"),
            select(OfficerStatusChange).order_by(OfficerStatusChange.changed_at.desc()),
            link=OfficerStatusChange.officer_id,
            cells=lambda f, h: (
                h.changed_at,
                label(h.from_status),
                label(h.to_status),
                h.reason,
                f.user_name(h.changed_by),
            ),
        ),
    ),
    raw=lambda f: {"authority_status": f.record.authority_status},
)


def _seats_taken(facts: Facts) -> int:
    statement = select(func.count()).where(
        Enrollment.class_id == facts.record.id,
        Enrollment.deleted_at.is_(None),
        Enrollment.result.in_(SEAT_HOLDING_RESULTS),
    )
    return int(facts.session.execute(statement).scalar_one())


TRAINING_CLASS = DetailSpec(
    RecordKind.TRAINING_CLASS,
    title=lambda f: f"Initial course, {f.record.starts_on.isoformat()}",
    subtitle=lambda f: f.record.location,
    agreement_id=lambda _f: None,
    fields=(
        FieldSpec("Starts", "starts_on", "date"),
        FieldSpec("Ends", "ends_on", "date"),
        FieldSpec("Seats", "seats"),
        FieldSpec("Taken", _seats_taken),
        FieldSpec("Free", lambda f: max(f.record.seats - _seats_taken(f), 0)),
    ),
    sections=(
        SectionSpec(
            "Enrolled officers",
            ("Officer", "Agency", "Result"),
            select(Enrollment, Officer, Agency)
            .join(Officer, Officer.id == Enrollment.officer_id)
            .join(Agency, Agency.id == Officer.agency_id)
            .where(Enrollment.deleted_at.is_(None))
            .order_by(Officer.name),
            link=Enrollment.class_id,
            cells=lambda _f, e, o, a: (o.name, a.name, label(e.result)),
            record_id=lambda e, _o, _a: e.id,
            kind=RecordKind.ENROLLMENT,
        ),
    ),
)

EQUIPMENT_ORDER = DetailSpec(
    RecordKind.EQUIPMENT_ORDER,
    title=lambda f: f"{label(f.record.item).capitalize()} × {f.record.quantity}",
    fields=(
        FieldSpec("Agreement signed", "agreement.signed_on", "date"),
        FieldSpec("Requested", "requested_on", "date"),
        FieldSpec("Ordered", "ordered_on", "date"),
        FieldSpec("Shipped", "shipped_on", "date"),
        FieldSpec("Delivered", "delivered_on", "date"),
        FieldSpec("Operational", "operational_on", "date"),
    ),
    raw=lambda f: {
        "item": f.record.item,
        "quantity": f.record.quantity,
        "agency": f.agency.name,
        "next_stage": next((s for s in EQUIPMENT_STAGES if getattr(f.record, f"{s}_on") is None), None),
    },
)

INSPECTION = DetailSpec(
    RecordKind.INSPECTION,
    title=lambda f: f"{label(f.record.kind).capitalize()}, {f.record.held_on.isoformat()}",
    fields=(
        FieldSpec("Date", "held_on", "date"),
        FieldSpec("Kind", "kind", "enum"),
        FieldSpec("Summary", "summary"),
    ),
    sections=(
        SectionSpec(
            "Findings",
            ("Severity", "Finding", "Corrective action", "Due", "Closed"),
            select(Finding)
            .where(Finding.deleted_at.is_(None))
            .order_by(Finding.closed_on.is_not(None), Finding.corrective_due),
            link=Finding.inspection_id,
            cells=lambda _f, i: (
                label(i.severity),
                i.text,
                i.corrective_action,
                i.corrective_due,
                i.closed_on,
            ),
            record_id=lambda i: i.id,
            kind=RecordKind.FINDING,
        ),
    ),
)


def _complaint_officer(facts: Facts) -> str:
    officer_id = facts.record.officer_id
    officer = facts.session.get(Officer, officer_id) if officer_id else None
    return officer.name if officer else ""


COMPLAINT = DetailSpec(
    RecordKind.COMPLAINT,
    title=lambda _f: "Complaint",
    fields=(
        FieldSpec("Received", "received_at", "instant"),
        FieldSpec("Officer", _complaint_officer),
        FieldSpec("Reported to ICE", "reported_at", "instant"),
        FieldSpec("Referred to professional responsibility", "referred_at", "instant"),
        FieldSpec("Officer removed from duty", "officer_removed", "bool"),
        FieldSpec("Outcome", "outcome"),
        FieldSpec("Closed", "closed_on", "date"),
        FieldSpec("Summary", "summary"),
    ),
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


def transfer_timeline(facts: Facts) -> list[tuple[Any, ...]]:
    """(when, what, note, entered by, entered at), oldest first. Steps recorded through PM Desk
    carry who entered them; a step known only from the record's own dates (it came in by import
    or demo) is shown from those dates, entered with the record."""
    transfer = facts.record
    events = (
        facts.session.execute(
            select(TransferEvent)
            .where(TransferEvent.transfer_id == transfer.id, TransferEvent.deleted_at.is_(None))
            .order_by(TransferEvent.occurred_at, TransferEvent.created_at)
        )
        .scalars()
        .all()
    )
    recorded = {e.kind for e in events}
    steps = [
        ("detainer_issued", transfer.detainer_issued_at),
        ("release_eligible", transfer.release_eligible_at),
        ("pickup", transfer.pickup_at),
        ("released", transfer.released_at),
    ]
    entered = facts.user_name(transfer.updated_by, "import")
    rows: list[tuple[Any, ...]] = [
        (at, EVENT_WORDS[kind], "from the record", entered, transfer.created_at)
        for kind, at in steps
        if at is not None and kind not in recorded
    ]
    rows += [
        (e.occurred_at, EVENT_WORDS.get(e.kind, e.kind), e.note, facts.user_name(e.entered_by), e.created_at)
        for e in events
    ]
    return sorted(rows, key=lambda row: (row[0], row[4]))


TRANSFER = DetailSpec(
    RecordKind.TRANSFER,
    title=lambda f: f"Subject {f.record.subject_ref}",
    fields=(
        FieldSpec("Status", "status", "status"),
        FieldSpec("A-number", "a_number", "masked"),
        FieldSpec("Name", "subject_name", "subject"),
        FieldSpec("Date of birth", "subject_dob", "subject"),
        FieldSpec("Encounter", "encounter_on", "date"),
        FieldSpec("Detainer issued", "detainer_issued_at", "instant"),
        FieldSpec("Release-eligible", "release_eligible_at", "instant"),
        FieldSpec("Hold deadline", "hold_deadline_at", "instant"),
        FieldSpec("Pickup", "pickup_at", "instant"),
        FieldSpec("Released without pickup", "released_at", "instant"),
        FieldSpec("Receiving office", "receiving_office"),
        FieldSpec("Notes", "notes"),
    ),
    sections=(
        ComputedSection("Timeline", ("When", "What", "Note", "Entered by", "Entered at"), transfer_timeline),
    ),
    raw=lambda f: {
        "status": f.record.status,
        "release_eligible_at": f.record.release_eligible_at,
        "pickup_at": f.record.pickup_at,
    },
)

DETAILS: dict[str, DetailSpec] = {
    spec.kind: spec
    for spec in (AGREEMENT, OFFICER, TRAINING_CLASS, EQUIPMENT_ORDER, INSPECTION, COMPLAINT, TRANSFER)
}


def record_detail(session: Session, kind: str, record_id: str) -> Detail | None:
    spec = DETAILS.get(kind)
    return build_detail(session, spec, record_id) if spec else None


def finding_inspection(session: Session, finding_id: str) -> str | None:
    return session.execute(select(Finding.inspection_id).where(Finding.id == finding_id)).scalar()
