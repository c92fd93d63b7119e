"""The audit trail after a working day of service calls, refusals among them: every write and
every denial is there, in order, and the hash chain verifies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import text

from builders import World, audit_rows, version_of
from pm_desk.domain.enums import AuthorityStatus, EquipmentItem, InspectionKind, Role
from pm_desk.services.caseload import AgencyInput, create_agency
from pm_desk.services.equipment import EquipmentInput, advance_stage, create_order
from pm_desk.services.errors import Conflict, PermissionDenied, ValidationError
from pm_desk.services.inspections import FindingInput, add_finding, close_finding, create_inspection
from pm_desk.services.officers import OfficerInput, change_authority, create_officer, revoke_authority
from pm_desk.services.reassignment import reassign_agreements
from pm_desk.services.training import enroll_officer
from pm_desk.services.transfers import TransferInput, create_transfer, record_pickup
from pm_desk.services.users import UserInput, create_user
from pm_desk.store.audit_log import GENESIS_HASH, iter_chain_problems
from pm_desk.store.database import Database


def chain_problems(db: Database) -> list[tuple[int, str]]:
    with db.engine.connect() as connection:
        return [(p.seq, p.what) for p in iter_chain_problems(connection)]


def working_day(db: Database, world: World, clock) -> None:
    """Writes, denials, validation errors and a conflict, as a day at the desk brings them."""
    start = clock.now
    officer_id = create_officer(
        db.uow(),
        world.m1,
        OfficerInput(world.agreement_m1, "Dana Jailer", "C-102", nominated_on=date(2026, 10, 1)),
    )
    with pytest.raises(PermissionDenied):
        revoke_authority(
            db.uow(),
            world.m2,
            world.officer_m1,
            "not mine",
            expected_version=version_of(db, "officer", world.officer_m1),
        )
    enroll_officer(db.uow(), world.m1, officer_id, world.training_class)
    with pytest.raises(ValidationError):
        create_officer(db.uow(), world.m1, OfficerInput(world.agreement_m1, "Dup", "C-101"))
    clock.now = start + timedelta(minutes=5)
    order_id = create_order(
        db.uow(),
        world.m1,
        EquipmentInput(world.agreement_m1, EquipmentItem.PRINTER, requested_on=date(2026, 6, 5)),
    )
    advance_stage(db.uow(), world.m1, order_id, date(2026, 6, 20))
    with pytest.raises(PermissionDenied):
        create_agency(db.uow(), world.staff, AgencyInput("FL", "Gulf County Sheriff's Office"))
    transfer_id = create_transfer(
        db.uow(),
        world.m1,
        TransferInput(world.agreement_m1, "BK-1", datetime(2026, 10, 30, 9, 0, tzinfo=UTC)),
    )
    record_pickup(db.uow(), world.m1, transfer_id, datetime(2026, 10, 31, 11, 0, tzinfo=UTC))
    with pytest.raises(ValidationError):
        record_pickup(db.uow(), world.m1, transfer_id, datetime(2026, 10, 31, 11, 30, tzinfo=UTC))
    clock.now = start + timedelta(hours=1)
    inspection_id = create_inspection(
        db.uow(), world.m1, world.agreement_m1, date(2026, 10, 20), InspectionKind.SITE_VISIT
    )
    finding_id = add_finding(db.uow(), world.m1, inspection_id, FindingInput("Log incomplete"))
    close_finding(db.uow(), world.m1, finding_id)
    with pytest.raises(Conflict):
        change_authority(
            db.uow(), world.m1, world.officer_m1, AuthorityStatus.SUSPENDED, "inquiry", expected_version=7
        )
    with pytest.raises(PermissionDenied):
        reassign_agreements(db.uow(), world.m1, [world.agreement_m1], world.m2.user_id, "I'd like a break")
    reassign_agreements(
        db.uow(), world.supervisor_a, [world.agreement_m1], world.m2.user_id, "Mia One on leave"
    )
    with pytest.raises(PermissionDenied):
        create_user(db.uow(), world.supervisor_a, UserInput("nia@ice.example.gov", "Nia", Role.STAFF))
    create_user(
        db.uow(), world.admin, UserInput("nia@ice.example.gov", "Nia New", Role.STAFF, world.office_a)
    )
    revoke_authority(
        db.uow(),
        world.m2,
        world.officer_m1,
        "refresher overdue",
        expected_version=version_of(db, "officer", world.officer_m1),
    )  # m2's caseload now


def test_chain_verifies_after_writes_and_denials(db: Database, world: World, clock) -> None:
    working_day(db, world, clock)
    assert chain_problems(db) == []

    entries = audit_rows(db)
    denials = [(e.operation, e.actor_email) for e in entries if e.action == "denied"]
    assert denials == [
        ("officer.revoke", world.m2.email),
        ("agency.create", world.staff.email),
        ("agreement.reassign", world.m1.email),
        ("user.create", world.supervisor_a.email),
    ]
    operations = list(dict.fromkeys(e.operation for e in entries if e.operation != "test.seed"))
    assert operations == [
        "officer.create",
        "officer.revoke",
        "enrollment.create",
        "equipment.create",
        "equipment.advance",
        "agency.create",
        "transfer.create",
        "transfer.pickup",
        "inspection.create",
        "finding.create",
        "finding.close",
        "agreement.reassign",
        "user.create",
    ]
    # Refused validation and the conflict wrote nothing: no entry names the duplicate officer.
    assert not any(e.after and e.after.get("name") == "Dup" for e in entries)


def test_chain_links_every_entry_to_the_one_before(db: Database, world: World, clock) -> None:
    working_day(db, world, clock)
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT seq, prev_hash, hash FROM audit_entries ORDER BY seq")).all()
    assert rows[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(rows))
    assert len({r.hash for r in rows}) == len(rows)


def test_an_edited_denial_breaks_the_chain(db: Database, world: World, clock) -> None:
    working_day(db, world, clock)
    [first_denial, *_] = audit_rows(db, action="denied")
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_entries SET after = :after WHERE seq = :seq"),
            {"after": '{"reason": "nothing happened", "role": "manager"}', "seq": first_denial.seq},
        )
    assert chain_problems(db) == [
        (first_denial.seq, "its content does not match its hash (the entry was edited)")
    ]
