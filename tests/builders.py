"""A small, quiet world written straight into the store, and helpers the service tests share.

`seed_world` writes two field offices with their people, one agreement per manager and an
authorized officer under each, and a training class in the future. At the fixed clock of
`tests/conftest.py` (2026-10-31 12:00 UTC) none of it is due or overdue, so a compliance test
sees exactly the records it adds. The `add_*` helpers add one more record each, attributed to
`test.seed` like the world itself; `snapshot` and `audit_rows` tell what a service call wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy import func, select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import (
    AgencyKind,
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    Course,
    EnrollmentResult,
    EquipmentItem,
    FindingSeverity,
    InspectionKind,
    Role,
    TransferStatus,
)
from pm_desk.domain.keys import normalize_name
from pm_desk.services.actor import actor_from_user
from pm_desk.store.database import Database
from pm_desk.store.models import (
    Agency,
    Agreement,
    Assignment,
    AuditEntry,
    Base,
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
    User,
)
from pm_desk.store.uow import UnitOfWork
from support import ready_to_sign_in

SEED_OPERATION = "test.seed"
# The day the world's agreements were signed and took effect: 152 days before the fixed clock,
# inside the equipment target and far from the steering committee's year.
SIGNED = date(2026, 6, 1)
# The world's officers finished the initial course here: the refresher is due 2027-03-01.
INITIAL_DONE = date(2026, 3, 1)
NOMINATED = date(2025, 12, 1)
CLASS_STARTS = date(2026, 12, 7)
CLASS_ENDS = date(2027, 1, 1)


@dataclass(frozen=True)
class World:
    office_a: str
    office_b: str
    supervisor_a: Actor
    m1: Actor
    m2: Actor
    staff: Actor
    admin: Actor
    supervisor_b: Actor
    manager_b: Actor
    agency_m1: str
    agency_m2: str
    agency_b: str
    agreement_m1: str
    agreement_m2: str
    agreement_b: str
    officer_m1: str
    officer_m2: str
    officer_b: str
    training_class: str


@contextmanager
def seeding(db: Database) -> Iterator[UnitOfWork]:
    """A unit of work attributed to the test seed, committed when the block ends."""
    with db.uow() as uow:
        uow.attribute(None, None, SEED_OPERATION)
        yield uow
        uow.commit()


def _add(uow: UnitOfWork, record: Any) -> str:
    uow.session.add(record)
    uow.session.flush()
    return str(record.id)


def add_user(
    uow: UnitOfWork,
    email: str,
    name: str,
    role: Role,
    office_id: str | None,
    capacity: float | None = None,
) -> User:
    user = User(email=email, name=name, role=role, field_office_id=office_id, capacity=capacity)
    uow.session.add(user)
    uow.session.flush()
    return user


def add_agency_in(uow: UnitOfWork, state: str, name: str, ori: str | None = None) -> str:
    return _add(
        uow,
        Agency(state=state, name=name, name_key=normalize_name(name), ori=ori, kind=AgencyKind.COUNTY),
    )


def add_agreement_in(
    uow: UnitOfWork,
    agency_id: str,
    office_id: str,
    manager_id: str | None,
    model: AgreementModel = AgreementModel.JAIL_ENFORCEMENT,
    status: AgreementStatus = AgreementStatus.ACTIVE,
    signed_on: date | None = SIGNED,
    effective_on: date | None = SIGNED,
    expires_on: date | None = None,
) -> str:
    agreement_id = _add(
        uow,
        Agreement(
            agency_id=agency_id,
            model=model,
            status=status,
            application_received_on=date(2026, 1, 15),
            signed_on=signed_on,
            effective_on=effective_on,
            expires_on=expires_on,
            field_office_id=office_id,
            manager_id=manager_id,
        ),
    )
    if manager_id is not None:
        _add(
            uow,
            Assignment(
                agreement_id=agreement_id,
                manager_id=manager_id,
                starts_at=datetime.combine(signed_on or date(2026, 1, 15), time(0), tzinfo=UTC),
                reason="opened",
            ),
        )
    return agreement_id


def add_officer_in(
    uow: UnitOfWork,
    agreement_id: str,
    badge: str,
    name: str | None = None,
    status: AuthorityStatus = AuthorityStatus.AUTHORIZED,
    nominated_on: date | None = NOMINATED,
    initial_on: date | None = INITIAL_DONE,
) -> str:
    agreement = uow.session.get(Agreement, agreement_id)
    assert agreement is not None
    officer_id = _add(
        uow,
        Officer(
            agreement_id=agreement_id,
            agency_id=agreement.agency_id,
            name=name or f"Officer {badge}",
            badge=badge,
            nominated_on=nominated_on,
            authority_status=status,
        ),
    )
    if initial_on is not None:
        add_training_in(uow, officer_id, Course.INITIAL.value, initial_on)
    return officer_id


def add_training_in(uow: UnitOfWork, officer_id: str, course: str, completed_on: date) -> str:
    return _add(uow, TrainingRecord(officer_id=officer_id, course=course, completed_on=completed_on))


def seed_world(db: Database) -> World:
    with seeding(db) as uow:
        office_a = _add(uow, FieldOffice(code="MIA", name="Miami"))
        office_b = _add(uow, FieldOffice(code="ATL", name="Atlanta"))
        supervisor_a = add_user(uow, "sam.super@ice.example.gov", "Sam Super", Role.SUPERVISOR, office_a)
        m1 = add_user(uow, "mia.one@ice.example.gov", "Mia One", Role.MANAGER, office_a)
        m2 = add_user(uow, "max.two@ice.example.gov", "Max Two", Role.MANAGER, office_a)
        staff = add_user(uow, "sue.staff@ice.example.gov", "Sue Staff", Role.STAFF, office_a)
        admin = add_user(uow, "ada.admin@ice.example.gov", "Ada Admin", Role.ADMIN, None)
        supervisor_b = add_user(uow, "bo.super@ice.example.gov", "Bo Super", Role.SUPERVISOR, office_b)
        manager_b = add_user(uow, "bea.manager@ice.example.gov", "Bea Manager", Role.MANAGER, office_b)
        agency_m1 = add_agency_in(uow, "FL", "Calhoun County Sheriff's Office", "FL0070000")
        agency_m2 = add_agency_in(uow, "FL", "Bay County Sheriff's Office")
        agency_b = add_agency_in(uow, "GA", "Cobb County Sheriff's Office", "GA0330000")
        agreement_m1 = add_agreement_in(uow, agency_m1, office_a, m1.id)
        agreement_m2 = add_agreement_in(uow, agency_m2, office_a, m2.id, AgreementModel.TASK_FORCE)
        agreement_b = add_agreement_in(uow, agency_b, office_b, manager_b.id)
        officer_m1 = add_officer_in(uow, agreement_m1, "C-101", "Carl Deputy")
        officer_m2 = add_officer_in(uow, agreement_m2, "B-201", "Beth Deputy")
        officer_b = add_officer_in(uow, agreement_b, "G-301", "Gus Deputy")
        training_class = _add(
            uow,
            TrainingClass(location="FLETC Charleston", starts_on=CLASS_STARTS, ends_on=CLASS_ENDS, seats=2),
        )
        users = [supervisor_a, m1, m2, staff, admin, supervisor_b, manager_b]
        actors = [actor_from_user(u) for u in users]
    if db.path is not None:
        ready_to_sign_in(db.path)  # its people sign in to commands and the app with the tests' password
    return World(
        office_a,
        office_b,
        *actors,
        agency_m1=agency_m1,
        agency_m2=agency_m2,
        agency_b=agency_b,
        agreement_m1=agreement_m1,
        agreement_m2=agreement_m2,
        agreement_b=agreement_b,
        officer_m1=officer_m1,
        officer_m2=officer_m2,
        officer_b=officer_b,
        training_class=training_class,
    )


# --- one more record, each in its own seed transaction ----------------------------------------


def add_agency(db: Database, state: str, name: str, ori: str | None = None) -> str:
    with seeding(db) as uow:
        return add_agency_in(uow, state, name, ori)


def add_agreement(db: Database, agency_id: str, office_id: str, manager_id: str | None, **kwargs: Any) -> str:
    with seeding(db) as uow:
        return add_agreement_in(uow, agency_id, office_id, manager_id, **kwargs)


def add_officer(db: Database, agreement_id: str, badge: str, **kwargs: Any) -> str:
    with seeding(db) as uow:
        return add_officer_in(uow, agreement_id, badge, **kwargs)


def add_training(db: Database, officer_id: str, course: str, completed_on: date) -> str:
    with seeding(db) as uow:
        return add_training_in(uow, officer_id, course, completed_on)


def add_class(db: Database, starts_on: date, ends_on: date, seats: int, location: str = "FLETC") -> str:
    with seeding(db) as uow:
        return _add(uow, TrainingClass(location=location, starts_on=starts_on, ends_on=ends_on, seats=seats))


def add_enrollment(
    db: Database, officer_id: str, class_id: str, result: EnrollmentResult = EnrollmentResult.ENROLLED
) -> str:
    with seeding(db) as uow:
        officer = uow.session.get(Officer, officer_id)
        assert officer is not None
        if result is EnrollmentResult.ENROLLED and officer.authority_status is AuthorityStatus.NOMINATED:
            officer.authority_status = AuthorityStatus.IN_TRAINING
        return _add(uow, Enrollment(officer_id=officer_id, class_id=class_id, result=result))


def add_order(
    db: Database, agreement_id: str, item: EquipmentItem = EquipmentItem.WORKSTATION, **stages: Any
) -> str:
    with seeding(db) as uow:
        return _add(uow, EquipmentOrder(agreement_id=agreement_id, item=item, quantity=1, **stages))


def add_transfer(
    db: Database,
    agreement_id: str,
    subject_ref: str,
    detainer_issued_at: datetime,
    release_eligible_at: datetime | None = None,
    status: TransferStatus = TransferStatus.DETAINER_LODGED,
    **fields: Any,
) -> str:
    with seeding(db) as uow:
        return _add(
            uow,
            CustodyTransfer(
                agreement_id=agreement_id,
                subject_ref=subject_ref,
                detainer_issued_at=detainer_issued_at,
                release_eligible_at=release_eligible_at,
                status=status,
                **fields,
            ),
        )


def add_inspection(
    db: Database, agreement_id: str, held_on: date, kind: InspectionKind = InspectionKind.SITE_VISIT
) -> str:
    with seeding(db) as uow:
        return _add(uow, Inspection(agreement_id=agreement_id, held_on=held_on, kind=kind))


def add_finding(
    db: Database,
    inspection_id: str,
    text: str,
    corrective_due: date | None = None,
    closed_on: date | None = None,
) -> str:
    with seeding(db) as uow:
        return _add(
            uow,
            Finding(
                inspection_id=inspection_id,
                text=text,
                severity=FindingSeverity.MEDIUM,
                corrective_due=corrective_due,
                closed_on=closed_on,
            ),
        )


def add_complaint(db: Database, agreement_id: str, received_at: datetime, **fields: Any) -> str:
    with seeding(db) as uow:
        return _add(uow, Complaint(agreement_id=agreement_id, received_at=received_at, **fields))


def set_capacity(db: Database, user_id: str, capacity: float) -> None:
    with seeding(db) as uow:
        user = uow.session.get(User, user_id)
        assert user is not None
        user.capacity = capacity


# --- what a call wrote -------------------------------------------------------------------------


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every record table (the audit trail aside), to compare before and after."""
    tables = [t for t in Base.metadata.sorted_tables if t.name != AuditEntry.__tablename__]
    with db.engine.connect() as connection:
        return {
            table.name: sorted(
                (tuple(row) for row in connection.execute(select(table))), key=lambda row: repr(row)
            )
            for table in tables
        }


def audit_count(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


@dataclass(frozen=True)
class Audited:
    seq: int
    actor_id: str | None
    actor_email: str | None
    operation: str
    action: str
    record_kind: str | None
    record_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def audit_rows(
    db: Database,
    operation: str | None = None,
    action: str | None = None,
    record_id: str | None = None,
    after_seq: int = 0,
) -> list[Audited]:
    statement = select(AuditEntry).where(AuditEntry.seq > after_seq).order_by(AuditEntry.seq)
    if operation is not None:
        statement = statement.where(AuditEntry.operation == operation)
    if action is not None:
        statement = statement.where(AuditEntry.action == action)
    if record_id is not None:
        statement = statement.where(AuditEntry.record_id == record_id)
    with db.uow() as uow:
        return [
            Audited(
                e.seq,
                e.actor_id,
                e.actor_email,
                e.operation,
                e.action,
                e.record_kind,
                e.record_id,
                json.loads(e.before) if e.before else None,
                json.loads(e.after) if e.after else None,
            )
            for e in uow.session.execute(statement).scalars()
        ]


def last_seq(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(select(func.coalesce(func.max(AuditEntry.seq), 0))).scalar_one())


def fetch(db: Database, model: type[Any], record_id: str) -> Any:
    """A detached copy of one record as stored now."""
    with db.uow() as uow:
        found = uow.session.get(model, record_id)
        assert found is not None, f"no {model.__name__} {record_id}"
        uow.session.expunge(found)
        return found


def count(db: Database, model: type[Any]) -> int:
    with db.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(model)).scalar_one())


def status_changes(db: Database, officer_id: str) -> list[OfficerStatusChange]:
    with db.uow() as uow:
        rows = (
            uow.session.execute(
                select(OfficerStatusChange)
                .where(OfficerStatusChange.officer_id == officer_id)
                .order_by(OfficerStatusChange.changed_at, OfficerStatusChange.created_at)
            )
            .scalars()
            .all()
        )
        uow.session.expunge_all()
        return list(rows)


@contextmanager
def refused_without_writing(
    db: Database, expected: type[BaseException], denied: bool = False
) -> Iterator[pytest.ExceptionInfo[Any]]:
    """The block raises `expected` and leaves every record as it was; a refusal for permission
    adds exactly one audit entry, action `denied`, and anything else adds none."""
    before = snapshot(db)
    seq = last_seq(db)
    with pytest.raises(expected) as info:
        yield info
    assert snapshot(db) == before
    written = audit_rows(db, after_seq=seq)
    assert [e.action for e in written] == (["denied"] if denied else [])


def version_of(db: Database, kind: str, record_id: str) -> int:
    """The stored version of a record: what a person who opened it now would save against."""
    from pm_desk.domain.enums import RecordKind
    from pm_desk.store.models.registry import model_for

    with db.uow() as uow:
        record = uow.session.get(model_for(RecordKind(kind)), record_id)
        assert record is not None, f"no {kind} {record_id}"
        return int(record.version)


def fork_the_audit_chain(db: Database) -> int:
    """Append an intact audit entry that follows the entry before the head, as a writer of an
    older version did when it read the head while another write was under way: the chain forks
    there. Returns the new entry's seq."""
    from pm_desk.store.audit_log import GENESIS_HASH, entry_hash
    from pm_desk.store.models import new_id

    with db.engine.begin() as connection:
        head = connection.execute(select(func.max(AuditEntry.seq))).scalar() or 0
        before_head = connection.execute(
            select(AuditEntry.hash).where(AuditEntry.seq < head).order_by(AuditEntry.seq.desc()).limit(1)
        ).scalar()
        prev = before_head or GENESIS_HASH
        row: dict[str, Any] = {
            "id": new_id(),
            "at": db.clock(),
            "actor_id": None,
            "actor_email": "older.version@example.gov",
            "operation": "agency.create",
            "action": "create",
            "record_kind": "agency",
            "record_id": new_id(),
            "before": None,
            "after": json.dumps({"name": "Written beside another write"}),
            "prev_hash": prev,
        }
        row["hash"] = entry_hash(prev, row)
        connection.execute(AuditEntry.__table__.insert(), [row])
        return int(connection.execute(select(func.max(AuditEntry.seq))).scalar_one())
