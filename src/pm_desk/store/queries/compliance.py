"""The read side of the compliance rules: plain facts, loaded with a handful of indexed queries.

Each query selects the records a rule applies to (open holds, authorized officers, unclosed
findings...) and the aggregates the rule needs, in SQL, so the whole program's compliance is
a few set-based reads even at a million transfers. The rules themselves stay in `domain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ScalarSelect, Select, func, or_, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import (
    OPEN_HOLD_STATUSES,
    SEAT_HOLDING_RESULTS,
    WORKLOAD_STATUSES,
    AuthorityStatus,
    InspectionKind,
    OnCallRole,
    Role,
)
from pm_desk.domain.facts import (
    AgreementFacts,
    ClassFacts,
    ComplaintFacts,
    FindingFacts,
    OfficerFacts,
    ShiftFacts,
    TransferFacts,
)
from pm_desk.domain.keys import instant_key, join_key
from pm_desk.domain.oncall_plan import Absence
from pm_desk.domain.rota import Cover
from pm_desk.domain.workload import AgreementWork
from pm_desk.store.models import (
    Agency,
    Agreement,
    Complaint,
    CustodyTransfer,
    Enrollment,
    EquipmentOrder,
    FieldOffice,
    Finding,
    Inspection,
    Leave,
    Officer,
    Override,
    Rotation,
    RotationMember,
    Shift,
    TrainingClass,
    User,
)
from pm_desk.store.queries.courses import initial_course_on, last_course_on
from pm_desk.store.queries.oncall import (
    APPROVAL_ORDER,
    covers_of,
    laid_out_span,
    planned_of,
    unavailability_of,
)
from pm_desk.store.queries.scoping import restrict_to


@dataclass(frozen=True, slots=True)
class AgreementContext:
    key: str
    state: str
    agency_name: str
    model: str
    manager_id: str | None
    manager_email: str | None
    field_office_id: str


@dataclass(frozen=True, slots=True)
class ManagerRow:
    id: str
    email: str
    name: str
    capacity: float | None
    field_office_id: str | None


@dataclass
class ComplianceInputs:
    agreements: list[AgreementFacts] = field(default_factory=list)
    agreement_context: dict[str, AgreementContext] = field(default_factory=dict)
    officers: list[OfficerFacts] = field(default_factory=list)
    officer_keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (agreement id, key)
    classes: list[ClassFacts] = field(default_factory=list)
    transfers: list[TransferFacts] = field(default_factory=list)
    transfer_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    findings: list[FindingFacts] = field(default_factory=list)
    finding_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    complaints: list[ComplaintFacts] = field(default_factory=list)
    complaint_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    managers: list[ManagerRow] = field(default_factory=list)
    work: dict[str, list[AgreementWork]] = field(default_factory=dict)  # manager id -> agreements
    planned_shifts: list[ShiftFacts] = field(default_factory=list)  # each shift's primary
    planned_backups: list[ShiftFacts] = field(default_factory=list)  # each shift's backup
    covers: list[Cover] = field(default_factory=list)  # approved, in the order approved
    unavailable: list[Absence] = field(default_factory=list)  # times people asked to be covered for
    absences: list[Absence] = field(default_factory=list)  # leave
    rotations: dict[str, str] = field(default_factory=dict)  # id -> field office code
    rotation_names: dict[str, str] = field(default_factory=dict)  # id -> name
    rotation_offices: dict[str, str] = field(default_factory=dict)  # id -> field office id
    members: dict[str, list[str]] = field(default_factory=dict)  # rotation id -> user ids in order
    spans: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)  # laid-out rota
    people: dict[str, str] = field(default_factory=dict)  # user id -> email
    names: dict[str, str] = field(default_factory=dict)  # user id -> name
    shift_rotations: dict[str, str] = field(default_factory=dict)  # piece id -> rotation id


def _scoped(statement: Select, manager_id: str | None, field_office_id: str | None = None) -> Select:
    return restrict_to(statement.where(Agreement.deleted_at.is_(None)), manager_id, field_office_id)


def load_agreements(
    session: Session, inputs: ComplianceInputs, manager_id: str | None, field_office_id: str | None = None
) -> None:
    equipment = (
        select(
            EquipmentOrder.agreement_id.label("agreement_id"),
            func.count().label("orders"),
            func.count(EquipmentOrder.operational_on).label("operational"),
            func.max(EquipmentOrder.operational_on).label("latest"),
        )
        .where(EquipmentOrder.deleted_at.is_(None))
        .group_by(EquipmentOrder.agreement_id)
        .subquery()
    )
    committee = (
        select(Inspection.agreement_id.label("agreement_id"), func.max(Inspection.held_on).label("held_on"))
        .where(Inspection.kind == InspectionKind.STEERING_COMMITTEE, Inspection.deleted_at.is_(None))
        .group_by(Inspection.agreement_id)
        .subquery()
    )
    statement = _scoped(
        select(
            Agreement,
            Agency.state,
            Agency.name,
            User.email,
            equipment.c.orders,
            equipment.c.operational,
            equipment.c.latest,
            committee.c.held_on,
        )
        .join(Agency, Agency.id == Agreement.agency_id)
        .outerjoin(User, User.id == Agreement.manager_id)
        .outerjoin(equipment, equipment.c.agreement_id == Agreement.id)
        .outerjoin(committee, committee.c.agreement_id == Agreement.id),
        manager_id,
        field_office_id,
    )
    for agreement, state, agency_name, email, orders, operational, latest, sc_held in session.execute(
        statement
    ):
        all_operational = bool(orders) and orders == operational
        inputs.agreements.append(
            AgreementFacts(
                id=agreement.id,
                status=agreement.status,
                model=agreement.model,
                signed_on=agreement.signed_on,
                effective_on=agreement.effective_on,
                expires_on=agreement.expires_on,
                operational_on=_as_date(latest) if all_operational else None,
                last_steering_committee_on=_as_date(sc_held),
            )
        )
        inputs.agreement_context[agreement.id] = AgreementContext(
            key=join_key(state, agency_name, agreement.model.value),
            state=state,
            agency_name=agency_name,
            model=agreement.model.value,
            manager_id=agreement.manager_id,
            manager_email=email,
            field_office_id=agreement.field_office_id,
        )


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def load_officers(
    session: Session,
    inputs: ComplianceInputs,
    manager_id: str | None,
    trained_before: date | None = None,
    field_office_id: str | None = None,
) -> None:
    """Officers the training rules apply to. With `trained_before`, authorized officers whose
    latest course is on or after it are left out: the caller knows none of them can be due yet
    (the rules still decide for every officer loaded)."""
    # Correlated per officer (see `courses.py`), so one manager's officers cost a few hundred
    # index lookups rather than a pass over every record.
    initial = initial_course_on()
    latest = last_course_on()
    statement = _scoped(
        select(
            Officer.id,
            Officer.agreement_id,
            Officer.badge,
            Officer.authority_status,
            Officer.nominated_on,
            Agency.state,
            Agency.name,
            initial.label("initial"),
            latest.label("latest"),
        )
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .join(Agency, Agency.id == Officer.agency_id)
        .where(
            Officer.deleted_at.is_(None),
            Officer.authority_status.in_(
                [AuthorityStatus.AUTHORIZED, AuthorityStatus.NOMINATED, AuthorityStatus.IN_TRAINING]
            ),
        ),
        manager_id,
        field_office_id,
    )
    if manager_id is not None or field_office_id is not None:
        # Implied by the join, but it leads SQLite to start from the scope's agreements (the index
        # on agreement and status) rather than from every authorized officer of the program.
        statement = statement.where(
            Officer.agreement_id.in_(_scoped(select(Agreement.id), manager_id, field_office_id))
        )
    if trained_before is not None:
        statement = statement.where(
            or_(
                Officer.authority_status != AuthorityStatus.AUTHORIZED,
                latest.is_(None),
                latest < trained_before,
            )
        )
    for row in session.execute(statement):
        facts = OfficerFacts(
            row.id, row.authority_status, row.nominated_on, _as_date(row.initial), _as_date(row.latest)
        )
        inputs.officers.append(facts)
        inputs.officer_keys[row.id] = (row.agreement_id, join_key(row.state, row.name, row.badge))


def load_classes(session: Session, inputs: ComplianceInputs, as_of: datetime) -> None:
    taken = (
        select(Enrollment.class_id.label("class_id"), func.count().label("taken"))
        .where(Enrollment.deleted_at.is_(None), Enrollment.result.in_(SEAT_HOLDING_RESULTS))
        .group_by(Enrollment.class_id)
        .subquery()
    )
    statement = (
        select(TrainingClass, taken.c.taken)
        .outerjoin(taken, taken.c.class_id == TrainingClass.id)
        .where(
            TrainingClass.deleted_at.is_(None), TrainingClass.starts_on >= as_of.date() - timedelta(days=1)
        )
        .order_by(TrainingClass.starts_on)
    )
    for session_row, count in session.execute(statement):
        inputs.classes.append(
            ClassFacts(
                session_row.id,
                session_row.location,
                session_row.starts_on,
                session_row.ends_on,
                session_row.seats,
                count or 0,
            )
        )


def _agreement_key(inputs: ComplianceInputs, agreement_id: str) -> str:
    context = inputs.agreement_context.get(agreement_id)
    return context.key if context else ""


def load_open_transfers(
    session: Session,
    inputs: ComplianceInputs,
    manager_id: str | None,
    eligible_by: datetime | None = None,
    field_office_id: str | None = None,
) -> None:
    """Open holds. With `eligible_by`, only those release-eligible by then: the caller knows a
    later one cannot be near its deadline yet (the hold rule still decides for every one loaded).
    """
    statement = _scoped(
        select(
            CustodyTransfer.id,
            CustodyTransfer.agreement_id,
            CustodyTransfer.status,
            CustodyTransfer.release_eligible_at,
            CustodyTransfer.pickup_at,
            CustodyTransfer.subject_ref,
            CustodyTransfer.detainer_issued_at,
        )
        .join(Agreement, Agreement.id == CustodyTransfer.agreement_id)
        .where(CustodyTransfer.deleted_at.is_(None), CustodyTransfer.status.in_(OPEN_HOLD_STATUSES)),
        manager_id,
        field_office_id,
    )
    if eligible_by is not None:
        statement = statement.where(CustodyTransfer.release_eligible_at <= eligible_by)
    for row in session.execute(statement):
        inputs.transfers.append(TransferFacts(row.id, row.status, row.release_eligible_at, row.pickup_at))
        key = join_key(
            _agreement_key(inputs, row.agreement_id), row.subject_ref, instant_key(row.detainer_issued_at)
        )
        inputs.transfer_keys[row.id] = (row.agreement_id, key)


def load_open_findings(
    session: Session, inputs: ComplianceInputs, manager_id: str | None, field_office_id: str | None = None
) -> None:
    statement = _scoped(
        select(
            Finding.id,
            Finding.corrective_due,
            Finding.closed_on,
            Finding.text,
            Inspection.agreement_id,
            Inspection.held_on,
            Inspection.kind,
        )
        .join(Inspection, Inspection.id == Finding.inspection_id)
        .join(Agreement, Agreement.id == Inspection.agreement_id)
        .where(Finding.deleted_at.is_(None), Inspection.deleted_at.is_(None), Finding.closed_on.is_(None)),
        manager_id,
        field_office_id,
    )
    for row in session.execute(statement):
        inputs.findings.append(FindingFacts(row.id, row.corrective_due, row.closed_on))
        key = join_key(
            _agreement_key(inputs, row.agreement_id), row.held_on.isoformat(), row.kind.value, row.text
        )
        inputs.finding_keys[row.id] = (row.agreement_id, key)


def load_complaints(
    session: Session,
    inputs: ComplianceInputs,
    manager_id: str | None,
    field_office_id: str | None = None,
    received_by: datetime | None = None,
) -> None:
    """Complaints, those received by `received_by` when given (a complaint received later did not
    exist yet at that instant)."""
    statement = _scoped(
        select(Complaint)
        .join(Agreement, Agreement.id == Complaint.agreement_id)
        .where(Complaint.deleted_at.is_(None)),
        manager_id,
        field_office_id,
    )
    if received_by is not None:
        statement = statement.where(Complaint.received_at <= received_by)
    for complaint in session.execute(statement).scalars():
        inputs.complaints.append(
            ComplaintFacts(complaint.id, complaint.received_at, complaint.reported_at, complaint.closed_on)
        )
        key = join_key(_agreement_key(inputs, complaint.agreement_id), instant_key(complaint.received_at))
        inputs.complaint_keys[complaint.id] = (complaint.agreement_id, key)


def load_workload(
    session: Session, inputs: ComplianceInputs, as_of: datetime, recent_days: int, manager_id: str | None
) -> None:
    """Active managers and what each agreement of theirs weighs."""
    managers = select(User).where(User.role == Role.MANAGER, User.active.is_(True), User.deleted_at.is_(None))
    if manager_id is not None:
        managers = managers.where(User.id == manager_id)
    for user in session.execute(managers.order_by(User.email)).scalars():
        inputs.managers.append(
            ManagerRow(user.id, user.email, user.name, user.capacity, user.field_office_id)
        )
        inputs.work.setdefault(user.id, [])
    inputs.work.update(agreement_work(session, as_of, recent_days, manager_id))


def work_counts(as_of: datetime, recent_days: int) -> tuple[ScalarSelect[int], ScalarSelect[int]]:
    """Per agreement (correlated), its authorized officers and its transfers of the last
    `recent_days` up to `as_of`, counted through the (agreement, status) and (agreement,
    detainer) indexes."""
    authorized = (
        select(func.count())
        .where(
            Officer.agreement_id == Agreement.id,
            Officer.authority_status == AuthorityStatus.AUTHORIZED,
            Officer.deleted_at.is_(None),
        )
        .correlate(Agreement)
        .scalar_subquery()
    )
    recent = (
        select(func.count())
        .where(
            CustodyTransfer.agreement_id == Agreement.id,
            CustodyTransfer.detainer_issued_at > as_of - timedelta(days=recent_days),
            CustodyTransfer.detainer_issued_at <= as_of,
            CustodyTransfer.deleted_at.is_(None),
        )
        .correlate(Agreement)
        .scalar_subquery()
    )
    return authorized, recent


def agreement_work(
    session: Session, as_of: datetime, recent_days: int, manager_id: str | None = None
) -> dict[str, list[AgreementWork]]:
    """Per manager, the agreements that carry workload with their authorized officers and
    transfers of the last `recent_days` up to `as_of`."""
    authorized, recent = work_counts(as_of, recent_days)
    statement = _scoped(
        select(
            Agreement.id, Agreement.manager_id, Agreement.model, Agreement.status, authorized, recent
        ).where(Agreement.status.in_(WORKLOAD_STATUSES), Agreement.manager_id.is_not(None)),
        manager_id,
    )
    work: dict[str, list[AgreementWork]] = {}
    for agreement_id, owner, model, status, officers, transfers in session.execute(statement):
        work.setdefault(owner, []).append(
            AgreementWork(agreement_id, model, status, officers or 0, transfers or 0)
        )
    return work


def load_rota(
    session: Session, inputs: ComplianceInputs, window_start: datetime, window_end: datetime
) -> None:
    """Shifts, overrides and leave that touch the window, with the people and rotations: what
    the rota as it will be worked, its gaps (and who could take them) and its leave need."""
    zones: dict[str, str] = {}
    for rotation_id, name, zone, code, office_id in session.execute(
        select(Rotation.id, Rotation.name, Rotation.timezone, FieldOffice.code, FieldOffice.id)
        .join(FieldOffice, FieldOffice.id == Rotation.field_office_id)
        .where(Rotation.deleted_at.is_(None))
    ):
        inputs.rotations[rotation_id] = code
        inputs.rotation_names[rotation_id] = name
        inputs.rotation_offices[rotation_id] = office_id
        zones[rotation_id] = zone
    for rotation_id, user_id in session.execute(
        select(RotationMember.rotation_id, RotationMember.user_id)
        .where(RotationMember.deleted_at.is_(None))
        .order_by(RotationMember.rotation_id, RotationMember.position)
    ):
        inputs.members.setdefault(rotation_id, []).append(user_id)
    shifts = session.execute(
        select(Shift).where(
            Shift.deleted_at.is_(None),
            Shift.rotation_id.in_(list(zones)),
            Shift.ends_at > window_start,
            Shift.starts_at < window_end,
        )
    ).scalars()
    for shift in shifts:
        zone = zones[shift.rotation_id]
        inputs.planned_shifts += planned_of([shift], zone)
        inputs.planned_backups += planned_of([shift], zone, OnCallRole.BACKUP)
    overrides = (
        session.execute(
            select(Override)
            .where(
                Override.deleted_at.is_(None),
                Override.rotation_id.in_(list(zones)),
                Override.ends_at > window_start,
                Override.starts_at < window_end,
            )
            .order_by(*APPROVAL_ORDER)
        )
        .scalars()
        .all()
    )
    for override in overrides:
        inputs.covers += covers_of([override], zones[override.rotation_id])
    inputs.unavailable = unavailability_of(overrides)
    inputs.spans = laid_out_span(session, list(zones))
    for leave in session.execute(
        select(Leave).where(
            Leave.deleted_at.is_(None), Leave.ends_at > window_start, Leave.starts_at < window_end
        )
    ).scalars():
        inputs.absences.append(Absence(leave.user_id, leave.starts_at, leave.ends_at, leave.kind.value))
    people = (
        {s.person_id for s in inputs.planned_shifts + inputs.planned_backups}
        | {c.covering_id for c in inputs.covers if c.covering_id}
        | {a.person_id for a in inputs.absences}
        | {p for members in inputs.members.values() for p in members}
    )
    if people:
        for user_id, email, name in session.execute(
            select(User.id, User.email, User.name).where(User.id.in_(people))
        ):
            inputs.people[user_id] = email
            inputs.names[user_id] = name
