"""Every write service, table-driven: it is audited under its operation name when allowed, refused
and audited for a role without the permission, refused for staff, and refused on a stale version.

The table is checked against the services themselves, so a new `@write_operation` without a row
here fails `test_every_write_operation_is_in_the_table`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from reminder_cases import reminder_cases
from sqlalchemy import event, update

import pm_desk.services
from builders import (
    NOMINATED,
    SIGNED,
    World,
    add_agency,
    add_class,
    add_complaint,
    add_enrollment,
    add_finding,
    add_inspection,
    add_officer,
    add_order,
    add_transfer,
    audit_rows,
    fetch,
    fork_the_audit_chain,
    refused_without_writing,
    seeding,
)
from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import (
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    EnrollmentResult,
    EquipmentItem,
    InspectionKind,
    LeaveKind,
    OverrideReason,
    RequestState,
    Role,
)
from pm_desk.services import (
    audit_trail,
    caseload,
    complaints,
    equipment,
    filing,
    inspections,
    officers,
    oncall,
    oncall_cover,
    policy,
    reassignment,
    training,
    transfers,
    trash,
    users,
)
from pm_desk.services.errors import Conflict, PermissionDenied
from pm_desk.services.reporting import Generated
from pm_desk.services.reporting_monthly import monthly_report
from pm_desk.store.database import Database
from pm_desk.store.models import (
    Agency,
    Agreement,
    Base,
    Complaint,
    CustodyTransfer,
    EquipmentOrder,
    Finding,
    Inspection,
    Officer,
    Override,
    Rotation,
    RotationMember,
    Shift,
    SwapRequest,
    TrainingClass,
    User,
)

Ids = dict[str, str]
DETAINER = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
RELEASE = datetime(2026, 10, 31, 10, 0, tzinfo=UTC)
PICKUP = datetime(2026, 10, 31, 11, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    operation: str
    allowed: str  # the World attribute of an actor who may
    refused: str  # ... and of one who may not (staff is tried for every case as well)
    call: Callable[[Database, World, Ids, Actor, int | None], Any]
    setup: Callable[[Database, World], Ids] = field(default=lambda db, world: {})
    # The record an edit is made on, for the stale-version check: (model, id from world or ids).
    edits: tuple[type[Any], Callable[[World, Ids], str]] | None = None
    # The action of an operation that writes an audit entry of its own rather than records.
    audit_action: str | None = None

    def __str__(self) -> str:
        return self.operation


def _september_of_m1(db: Database, world: World) -> Any:
    """m1's monthly report of September 2026, a month that is over on the tests' clock."""
    with db.uow() as uow:
        generated = Generated(db.clock(), world.m1.name, world.m1.email)
        return monthly_report(uow, db.policy, world.m1.email, date(2026, 9, 1), generated)


def _officer_input(world: World) -> officers.OfficerInput:
    return officers.OfficerInput(
        world.agreement_m1, "Carl Deputy", "C-101", rank="Sgt", nominated_on=NOMINATED
    )


def _waiting(db: Database, world: World) -> Ids:
    officer_id = add_officer(
        db,
        world.agreement_m1,
        "C-150",
        status=AuthorityStatus.NOMINATED,
        nominated_on=date(2026, 9, 1),
        initial_on=None,
    )
    return {"officer": officer_id}


def _enrolled_in_past_class(db: Database, world: World) -> Ids:
    ids = _waiting(db, world)
    class_id = add_class(db, date(2026, 9, 7), date(2026, 10, 2), seats=24)
    ids["enrollment"] = add_enrollment(db, ids["officer"], class_id)
    return ids


def _order(db: Database, world: World) -> Ids:
    return {"order": add_order(db, world.agreement_m1, requested_on=date(2026, 6, 5))}


def _transfer(db: Database, world: World) -> Ids:
    return {"transfer": add_transfer(db, world.agreement_m1, "BK-1001", DETAINER, RELEASE)}


def _deleted_transfer(db: Database, world: World) -> Ids:
    return {"transfer": add_transfer(db, world.agreement_m1, "BK-1001", DETAINER, RELEASE, deleted_at=PICKUP)}


def _finding(db: Database, world: World) -> Ids:
    inspection_id = add_inspection(db, world.agreement_m1, date(2026, 10, 20))
    return {
        "inspection": inspection_id,
        "finding": add_finding(db, inspection_id, "Log incomplete", corrective_due=date(2026, 11, 30)),
    }


def _complaint(db: Database, world: World) -> Ids:
    return {"complaint": add_complaint(db, world.agreement_m1, datetime(2026, 10, 26, 9, 0, tzinfo=UTC))}


def _forked_chain(db: Database, world: World) -> Ids:
    return {"fork": str(fork_the_audit_chain(db))}


def _gulf(db: Database, world: World) -> Ids:
    return {"agency": add_agency(db, "FL", "Gulf County Sheriff's Office")}


ROTA_START = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)  # 08:00 in New York


def _rota(db: Database, world: World) -> Ids:
    """Mia One and Max Two on a daily rota of Miami, a week of shifts from Monday 2 November;
    Mia asks for cover of her first shift and to swap it with Max's."""
    with seeding(db) as uow:
        rotation = Rotation(field_office_id=world.office_a, name="Miami duty", shift_hours=24,
                            timezone="America/New_York", starts_on=date(2026, 11, 2))  # fmt: skip
        uow.session.add(rotation)
        uow.session.flush()
        for position, member in enumerate((world.m1, world.m2)):
            uow.session.add(
                RotationMember(rotation_id=rotation.id, user_id=member.user_id, position=position)
            )
        shifts = []
        for day in range(7):
            primary, backup = (world.m1, world.m2) if day % 2 == 0 else (world.m2, world.m1)
            start = ROTA_START + timedelta(days=day)
            shift = Shift(rotation_id=rotation.id, starts_at=start, ends_at=start + timedelta(days=1),
                          primary_id=primary.user_id, backup_id=backup.user_id)  # fmt: skip
            uow.session.add(shift)
            shifts.append(shift)
        uow.session.flush()
        first = shifts[0]
        override = Override(rotation_id=rotation.id, shift_id=first.id, covered_user_id=world.m1.user_id,
                            starts_at=first.starts_at, ends_at=first.ends_at, reason=OverrideReason.SICK,
                            requested_by=world.m1.user_id)  # fmt: skip
        swap = SwapRequest(requested_by=world.m1.user_id, with_user_id=world.m2.user_id,
                           shift_id=shifts[2].id, other_shift_id=shifts[3].id)  # fmt: skip
        uow.session.add_all([override, swap])
        uow.session.flush()
        return {"rotation": rotation.id, "shift": shifts[4].id, "override": override.id, "swap": swap.id}


def _rota_with_gap(db: Database, world: World) -> Ids:
    """The rota above, Mia off sick for her shift of Friday 6 November with nobody in her place."""
    ids = _rota(db, world)
    with seeding(db) as uow:
        sick = Override(rotation_id=ids["rotation"], shift_id=ids["shift"], covered_user_id=world.m1.user_id,
                        starts_at=GAP_START, ends_at=GAP_START + timedelta(days=1),
                        reason=OverrideReason.SICK, state=RequestState.APPROVED,
                        requested_by=world.m1.user_id)  # fmt: skip
        uow.session.add(sick)
    return ids


GAP_START = ROTA_START + timedelta(days=4)


def _rotation_input(world: World, name: str = "Miami duty") -> oncall.RotationInput:
    members = [world.m1.user_id, world.m2.user_id]
    return oncall.RotationInput(world.office_a, name, members, date(2026, 11, 2), shift_hours=24)


ONCALL_CASES = [
    Case("rotation.create", "supervisor_a", "m1",
         lambda db, w, ids, a, v: oncall.create_rotation(db.uow(), a, _rotation_input(w))),
    Case("rotation.update", "supervisor_a", "supervisor_b",
         lambda db, w, ids, a, v: oncall.update_rotation(
             db.uow(), a, ids["rotation"], _rotation_input(w, "Duty"), expected_version=v),
         setup=_rota, edits=(Rotation, lambda w, ids: ids["rotation"])),
    Case("rotation.generate", "supervisor_a", "m1",
         lambda db, w, ids, a, v: oncall.generate_rotation_shifts(db.uow(), a, ids["rotation"], ROTA_START,
                                                                  ROTA_START + timedelta(days=14)),
         setup=_rota),
    Case("oncall.cannot_cover", "m1", "supervisor_b",
         lambda db, w, ids, a, v: oncall_cover.cannot_cover(
             db.uow(), a, ids["shift"], starts_at=ROTA_START + timedelta(days=4)),
         setup=_rota),
    Case("oncall.approve_cover", "supervisor_a", "m1",
         lambda db, w, ids, a, v: oncall_cover.approve_cover(db.uow(), a, ids["override"], w.m2.user_id),
         setup=_rota),
    Case("oncall.decline_cover", "supervisor_a", "m2",
         lambda db, w, ids, a, v: oncall_cover.decline_cover(db.uow(), a, ids["override"]), setup=_rota),
    Case("oncall.leave", "m1", "m2",
         lambda db, w, ids, a, v: oncall_cover.enter_leave(
             db.uow(), a, w.m1.user_id, ROTA_START + timedelta(days=6), ROTA_START + timedelta(days=7),
             LeaveKind.ANNUAL),
         setup=_rota),
    Case("oncall.request_swap", "m1", "supervisor_b",
         lambda db, w, ids, a, v: oncall_cover.request_swap(db.uow(), a, ids["shift"], w.m2.user_id),
         setup=_rota),
    Case("oncall.approve_swap", "supervisor_a", "m2",
         lambda db, w, ids, a, v: oncall_cover.approve_swap(db.uow(), a, ids["swap"]), setup=_rota),
    Case("oncall.holiday_exception", "supervisor_a", "m1",
         lambda db, w, ids, a, v: oncall_cover.holiday_exception(
             db.uow(), a, ids["rotation"], date(2026, 11, 5), w.m2.user_id),
         setup=_rota),
    Case("oncall.decline_swap", "supervisor_a", "m2",
         lambda db, w, ids, a, v: oncall_cover.decline_swap(db.uow(), a, ids["swap"]), setup=_rota),
    Case("oncall.cover_gap", "supervisor_a", "supervisor_b",
         lambda db, w, ids, a, v: oncall_cover.cover_gap(
             db.uow(), a, ids["rotation"], GAP_START, GAP_START + timedelta(days=1), w.m2.user_id),
         setup=_rota_with_gap),
]  # fmt: skip

CASES = [
    *ONCALL_CASES,
    *reminder_cases(Case),
    Case(
        "policy.change",
        "admin",
        "supervisor_a",
        lambda db, w, ids, a, v: policy.change_policy(db.uow(), a, {"hold.hours": 36}),
    ),
    Case(
        "agency.create",
        "m1",
        "admin",
        lambda db, w, ids, a, v: caseload.create_agency(
            db.uow(), a, caseload.AgencyInput("FL", "Gulf County SO")
        ),
    ),
    Case(
        "agency.update",
        "m1",
        "m2",
        lambda db, w, ids, a, v: caseload.update_agency(
            db.uow(),
            a,
            w.agency_m1,
            caseload.AgencyInput("FL", "Calhoun County Sheriff's Office", ori="FL0070000", county="Calhoun"),
            expected_version=v,
        ),
        edits=(Agency, lambda w, ids: w.agency_m1),
    ),
    Case(
        "agreement.create",
        "supervisor_a",
        "m1",
        lambda db, w, ids, a, v: caseload.create_agreement(
            db.uow(),
            a,
            caseload.AgreementInput(ids["agency"], AgreementModel.TASK_FORCE, manager_id=w.m1.user_id),
        ),
        setup=_gulf,
    ),
    Case(
        "agreement.update",
        "m1",
        "m2",
        lambda db, w, ids, a, v: caseload.update_agreement(
            db.uow(),
            a,
            w.agreement_m1,
            caseload.AgreementInput(
                w.agency_m1,
                AgreementModel.JAIL_ENFORCEMENT,
                AgreementStatus.ACTIVE,
                date(2026, 1, 15),
                SIGNED,
                SIGNED,
                notes="Renewal talks started",
            ),
            expected_version=v,
        ),
        edits=(Agreement, lambda w, ids: w.agreement_m1),
    ),
    Case(
        "agreement.reassign",
        "supervisor_a",
        "supervisor_b",
        lambda db, w, ids, a, v: reassignment.reassign_agreements(
            db.uow(), a, [w.agreement_m1], w.m2.user_id, "Mia One on leave"
        ),
    ),
    Case(
        "officer.create",
        "m1",
        "m2",
        lambda db, w, ids, a, v: officers.create_officer(
            db.uow(), a, officers.OfficerInput(w.agreement_m1, "Dana Jailer", "C-102")
        ),
    ),
    Case(
        "officer.update",
        "m1",
        "supervisor_b",
        lambda db, w, ids, a, v: officers.update_officer(
            db.uow(), a, w.officer_m1, _officer_input(w), expected_version=v
        ),
        edits=(Officer, lambda w, ids: w.officer_m1),
    ),
    Case(
        "officer.change_authority",
        "m1",
        "m2",
        lambda db, w, ids, a, v: officers.change_authority(
            db.uow(), a, w.officer_m1, AuthorityStatus.SUSPENDED, "inquiry", expected_version=v
        ),
        edits=(Officer, lambda w, ids: w.officer_m1),
    ),
    Case(
        "officer.revoke",
        "m1",
        "m2",
        lambda db, w, ids, a, v: officers.revoke_authority(
            db.uow(), a, w.officer_m1, "refresher overdue", expected_version=v
        ),
        edits=(Officer, lambda w, ids: w.officer_m1),
    ),
    Case(
        "training_class.create",
        "supervisor_a",
        "m1",
        lambda db, w, ids, a, v: training.create_class(
            db.uow(), a, "FLETC", date(2027, 2, 1), date(2027, 2, 26), 24
        ),
    ),
    Case(
        "training_class.update",
        "admin",
        "m2",
        lambda db, w, ids, a, v: training.update_class(
            db.uow(),
            a,
            w.training_class,
            "FLETC Glynco",
            date(2026, 12, 7),
            date(2027, 1, 1),
            20,
            expected_version=v,
        ),
        edits=(TrainingClass, lambda w, ids: w.training_class),
    ),
    Case(
        "enrollment.create",
        "m1",
        "m2",
        lambda db, w, ids, a, v: training.enroll_officer(db.uow(), a, ids["officer"], w.training_class),
        setup=_waiting,
    ),
    Case(
        "enrollment.result",
        "m1",
        "supervisor_b",
        lambda db, w, ids, a, v: training.record_enrollment_result(
            db.uow(), a, ids["enrollment"], EnrollmentResult.COMPLETED
        ),
        setup=_enrolled_in_past_class,
    ),
    Case(
        "training_record.create",
        "m1",
        "m2",
        lambda db, w, ids, a, v: training.record_training(
            db.uow(), a, w.officer_m1, "refresher", date(2026, 10, 15)
        ),
    ),
    Case(
        "equipment.create",
        "m1",
        "m2",
        lambda db, w, ids, a, v: equipment.create_order(
            db.uow(),
            a,
            equipment.EquipmentInput(w.agreement_m1, EquipmentItem.PRINTER, requested_on=date(2026, 6, 5)),
        ),
    ),
    Case(
        "equipment.update",
        "m1",
        "supervisor_b",
        lambda db, w, ids, a, v: equipment.update_order(
            db.uow(),
            a,
            ids["order"],
            equipment.EquipmentInput(
                w.agreement_m1, EquipmentItem.WORKSTATION, 4, requested_on=date(2026, 6, 5)
            ),
            expected_version=v,
        ),
        setup=_order,
        edits=(EquipmentOrder, lambda w, ids: ids["order"]),
    ),
    Case(
        "equipment.advance",
        "m1",
        "m2",
        lambda db, w, ids, a, v: equipment.advance_stage(db.uow(), a, ids["order"], date(2026, 6, 20)),
        setup=_order,
    ),
    Case(
        "transfer.create",
        "m1",
        "m2",
        lambda db, w, ids, a, v: transfers.create_transfer(
            db.uow(), a, transfers.TransferInput(w.agreement_m1, "BK-2002", DETAINER)
        ),
    ),
    Case(
        "transfer.update",
        "m1",
        "supervisor_b",
        lambda db, w, ids, a, v: transfers.update_transfer(
            db.uow(),
            a,
            ids["transfer"],
            transfers.TransferInput(
                w.agreement_m1, "BK-1001", DETAINER, RELEASE, receiving_office="ERO Miami"
            ),
            expected_version=v,
        ),
        setup=_transfer,
        edits=(CustodyTransfer, lambda w, ids: ids["transfer"]),
    ),
    Case(
        "transfer.await_pickup",
        "m1",
        "m2",
        lambda db, w, ids, a, v: transfers.mark_awaiting_pickup(db.uow(), a, ids["transfer"]),
        setup=_transfer,
    ),
    Case(
        "transfer.pickup",
        "m1",
        "m2",
        lambda db, w, ids, a, v: transfers.record_pickup(db.uow(), a, ids["transfer"], PICKUP),
        setup=_transfer,
    ),
    Case(
        "transfer.release",
        "m1",
        "m2",
        lambda db, w, ids, a, v: transfers.record_release(db.uow(), a, ids["transfer"], PICKUP),
        setup=_transfer,
    ),
    Case(
        "transfer.cancel",
        "m1",
        "m2",
        lambda db, w, ids, a, v: transfers.cancel_transfer(db.uow(), a, ids["transfer"], "detainer lifted"),
        setup=_transfer,
    ),
    Case(
        "transfer.event",
        "m1",
        "m2",
        lambda db, w, ids, a, v: transfers.record_event(
            db.uow(), a, ids["transfer"], "citizenship_claim", PICKUP, "claims birth in Texas"
        ),
        setup=_transfer,
    ),
    Case(
        "inspection.create",
        "m1",
        "supervisor_b",
        lambda db, w, ids, a, v: inspections.create_inspection(
            db.uow(), a, w.agreement_m1, date(2026, 10, 20), InspectionKind.SITE_VISIT
        ),
    ),
    Case(
        "inspection.update",
        "m1",
        "m2",
        lambda db, w, ids, a, v: inspections.update_inspection(
            db.uow(),
            a,
            ids["inspection"],
            date(2026, 10, 20),
            InspectionKind.FILE_REVIEW,
            "files",
            expected_version=v,
        ),
        setup=_finding,
        edits=(Inspection, lambda w, ids: ids["inspection"]),
    ),
    Case(
        "finding.create",
        "m1",
        "m2",
        lambda db, w, ids, a, v: inspections.add_finding(
            db.uow(), a, ids["inspection"], inspections.FindingInput("No refresher log")
        ),
        setup=_finding,
    ),
    Case(
        "finding.update",
        "m1",
        "supervisor_b",
        lambda db, w, ids, a, v: inspections.update_finding(
            db.uow(),
            a,
            ids["finding"],
            inspections.FindingInput("Log incomplete", corrective_due=date(2026, 12, 15)),
            expected_version=v,
        ),
        setup=_finding,
        edits=(Finding, lambda w, ids: ids["finding"]),
    ),
    Case(
        "finding.close",
        "m1",
        "m2",
        lambda db, w, ids, a, v: inspections.close_finding(db.uow(), a, ids["finding"]),
        setup=_finding,
    ),
    Case(
        "complaint.create",
        "m1",
        "m2",
        lambda db, w, ids, a, v: complaints.create_complaint(
            db.uow(), a, complaints.ComplaintInput(w.agreement_m1, datetime(2026, 10, 27, 9, 0, tzinfo=UTC))
        ),
    ),
    Case(
        "complaint.update",
        "m1",
        "supervisor_b",
        lambda db, w, ids, a, v: complaints.update_complaint(
            db.uow(),
            a,
            ids["complaint"],
            complaints.ComplaintInput(
                w.agreement_m1, datetime(2026, 10, 26, 9, 0, tzinfo=UTC), outcome="unfounded"
            ),
            expected_version=v,
        ),
        setup=_complaint,
        edits=(Complaint, lambda w, ids: ids["complaint"]),
    ),
    Case(
        "audit.reanchor",
        "admin",
        "supervisor_a",
        lambda db, w, ids, a, v: audit_trail.reanchor_chain(db.uow(), a, "two writers at once"),
        setup=_forked_chain,
        audit_action="reanchor",
    ),
    Case(
        "record.delete",
        "m1",
        "m2",
        lambda db, w, ids, a, v: trash.delete_record(db.uow(), a, "transfer", ids["transfer"]),
        setup=_transfer,
    ),
    Case(
        "record.restore",
        "m1",
        "supervisor_b",
        lambda db, w, ids, a, v: trash.restore_record(db.uow(), a, "transfer", ids["transfer"]),
        setup=_deleted_transfer,
    ),
    Case(
        "report.file",
        "m1",
        "m2",
        lambda db, w, ids, a, v: filing.file_monthly_report(db.uow(), a, db.policy, _september_of_m1(db, w)),
    ),
    Case(
        "user.create",
        "admin",
        "supervisor_a",
        lambda db, w, ids, a, v: users.create_user(
            db.uow(), a, users.UserInput("nia.new@ice.example.gov", "Nia New", Role.MANAGER, w.office_a)
        ),
    ),
    Case(
        "user.update",
        "admin",
        "supervisor_a",
        lambda db, w, ids, a, v: users.update_user(
            db.uow(),
            a,
            w.m2.user_id,
            users.UserInput(w.m2.email, w.m2.name, Role.MANAGER, w.office_a, capacity=8),
            expected_version=v,
        ),
        edits=(User, lambda w, ids: w.m2.user_id),
    ),
]
EDIT_CASES = [c for c in CASES if c.edits is not None]
MODELS_BY_KIND = {
    m.class_.record_kind: m.class_ for m in Base.registry.mappers if hasattr(m.class_, "record_kind")
}


def service_operations() -> set[str]:
    found = set()
    for module_info in pkgutil.iter_modules(pm_desk.services.__path__):
        module = importlib.import_module(f"pm_desk.services.{module_info.name}")
        for value in vars(module).values():
            if callable(value) and isinstance(getattr(value, "operation", None), str):
                found.add(value.operation)
    return found


def test_every_write_operation_is_in_the_table() -> None:
    operations = [c.operation for c in CASES]
    assert len(operations) == len(set(operations))
    assert set(operations) == service_operations()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_allowed_write_is_stamped_and_audited_under_its_operation(
    db: Database, world: World, case: Case
) -> None:
    ids = case.setup(db, world)
    actor: Actor = getattr(world, case.allowed)
    case.call(db, world, ids, actor, 1)  # the version every setup leaves

    entries = audit_rows(db, operation=case.operation)
    assert entries, f"{case.operation} wrote no audit entry"
    if case.audit_action is not None:  # an entry of its own, about no record
        [entry] = entries
        assert (entry.action, entry.actor_id, entry.actor_email) == (
            case.audit_action,
            actor.user_id,
            actor.email,
        )
        assert entry.after and entry.record_id is None
        return
    assert {e.action for e in entries} <= {"create", "update", "delete"}
    for entry in entries:
        assert (entry.actor_id, entry.actor_email) == (actor.user_id, actor.email)
        assert entry.after
        if entry.action in {"update", "delete"}:
            assert entry.before is not None
            assert set(entry.before) == set(entry.after)
            assert entry.before != entry.after
        record = fetch(db, MODELS_BY_KIND[entry.record_kind], entry.record_id)
        assert record.updated_by == actor.user_id
        assert record.version == (1 if entry.action == "create" else 2)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_role_without_the_permission_is_refused_and_audited(db: Database, world: World, case: Case) -> None:
    ids = case.setup(db, world)
    actor: Actor = getattr(world, case.refused)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        case.call(db, world, ids, actor, None)
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.actor_id, denial.actor_email) == (
        case.operation,
        actor.user_id,
        actor.email,
    )
    assert denial.after == {"reason": str(refused.value), "role": actor.role.value}
    assert str(refused.value).startswith(actor.name)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_staff_write_nothing(db: Database, world: World, case: Case) -> None:
    ids = case.setup(db, world)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        case.call(db, world, ids, world.staff, None)
    assert str(refused.value).startswith("Sue Staff is staff and cannot ")
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.actor_id) == (case.operation, world.staff.user_id)


# --- stale edits --------------------------------------------------------------------------------


def someone_else_edits(db: Database, model: type[Any], record_id: str) -> None:
    """Another writer (another laptop, through sync) changed the record: its version went up."""
    table = model.__table__
    with db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == record_id).values(version=table.c.version + 1))


@pytest.mark.parametrize("case", EDIT_CASES, ids=str)
def test_an_edit_made_on_an_older_version_is_a_conflict(db: Database, world: World, case: Case) -> None:
    assert case.edits is not None
    ids = case.setup(db, world)
    model, record_id_of = case.edits
    record_id = record_id_of(world, ids)
    someone_else_edits(db, model, record_id)
    assert fetch(db, model, record_id).version == 2

    with refused_without_writing(db, Conflict) as refused:
        case.call(db, world, ids, getattr(world, case.allowed), 1)
    message = str(refused.value)
    assert "was changed by someone else since you opened it (now version 2, yours 1)" in message
    assert message.endswith("reload it and make your change again")


@pytest.mark.parametrize("case", EDIT_CASES, ids=str)
def test_an_edit_made_on_the_current_version_goes_through(db: Database, world: World, case: Case) -> None:
    assert case.edits is not None
    ids = case.setup(db, world)
    model, record_id_of = case.edits
    record_id = record_id_of(world, ids)
    someone_else_edits(db, model, record_id)
    case.call(db, world, ids, getattr(world, case.allowed), 2)
    assert fetch(db, model, record_id).version == 3


def test_a_change_stored_between_read_and_write_is_a_conflict(db: Database, world: World) -> None:
    """Another writer commits between the service's read and its write: the optimistic version
    check of the store catches it and the service answers with a Conflict, writing nothing."""
    table = Officer.__table__

    def concurrent_edit(session: Any, flush_context: Any, instances: Any) -> None:
        session.connection().execute(
            update(table).where(table.c.id == world.officer_m1).values(version=table.c.version + 1)
        )

    event.listen(db.session_factory, "before_flush", concurrent_edit, once=True)
    try:
        with refused_without_writing(db, Conflict) as refused:
            seen = fetch(db, Officer, world.officer_m1).version
            officers.revoke_authority(db.uow(), world.m1, world.officer_m1, "refresher overdue", seen)
    finally:
        if event.contains(db.session_factory, "before_flush", concurrent_edit):
            event.remove(db.session_factory, "before_flush", concurrent_edit)
    assert str(refused.value) == (
        "someone else changed this record since you opened it; reload it and make your change again"
    )
    assert fetch(db, Officer, world.officer_m1).authority_status is AuthorityStatus.AUTHORIZED
