"""A broken set writes nothing and names every problem as `file:line: column: what is wrong`."""

from __future__ import annotations

from pathlib import Path

import pytest
from tables_support import BAY, CALHOUN, COBB, contains, refused, run, write_table

from builders import World, audit_rows, last_seq, snapshot
from pm_desk.store.database import Database


def test_a_broken_set_is_refused_with_every_problem_listed(
    db: Database, world: World, tmp_path: Path
) -> None:
    folder = tmp_path / "broken"
    write_table(
        folder,
        "agencies",
        [
            {"state": "XX", "name": "Nowhere Police Department"},
            {"state": "FL", "name": "Leon County Sheriff's Office", "ori": "GA0330001", "kind": "prison"},
            {"state": "FL", "name": "Wakulla County Sheriff's Office", "jail_beds": "many"},
            {"state": "FL", "name": ""},
        ],
    )
    write_table(
        folder,
        "agreements",
        [
            {
                "agency_state": "FL",
                "agency_name": "Ghost County Sheriff's Office",
                "model": "task_force",
                "status": "active",
                "signed": "2026-01-01",
                "field_office": "MIA",
            },
            {**CALHOUN, "status": "active", "signed": "2026-02-30", "field_office": "MIA"},
            {
                **BAY,
                "status": "active",
                "signed": "2026-05-01",
                "effective": "2026-05-01",
                "expires": "2026-04-01",
                "field_office": "MIA",
                "manager_email": "nobody@ice.example.gov",
            },
            {**COBB, "status": "", "signed": "2026-05-01", "field_office": "ATL"},
            {
                **COBB,
                "model": "warrant_service",
                "status": "signed",
                "signed": "2026-05-01",
                "field_office": "ATL",
            },
        ],
    )
    write_table(
        folder,
        "officers",
        [
            {**CALHOUN, "badge": "C-900", "name": "Ann Deputy"},
            {**CALHOUN, "badge": "C-900", "name": "Ann Deputy again"},
            {**CALHOUN, "badge": "C-901", "name": ""},
            {**CALHOUN, "badge": "C-902", "name": "Al Deputy", "authority_status": "deputized"},
        ],
    )
    write_table(
        folder,
        "training",
        [{**CALHOUN, "badge": "Z-999", "course": "refresher", "completed_on": "2026-06-01"}],
        header=("agency_state", "agency_name", "badge", "course", "completed_on"),
    )
    write_table(
        folder,
        "equipment",
        [
            {
                **CALHOUN,
                "item": "workstation",
                "quantity": "0",
                "requested": "2026-06-10",
                "ordered": "2026-06-01",
            },
            {**CALHOUN, "item": "printer", "shipped": "2026-06-10", "operational": "2026-06-09"},
        ],
    )
    write_table(
        folder,
        "transfers",
        [
            {
                **CALHOUN,
                "subject_ref": "BK-1",
                "a_number": "A12",
                "detainer_issued_at": "2026-06-01T10:00:00Z",
            },
            {
                **CALHOUN,
                "subject_ref": "BK-2",
                "detainer_issued_at": "2026-06-01T10:00:00",
                "status": "detainer_lodged",
            },
            {
                **CALHOUN,
                "subject_ref": "BK-3",
                "detainer_issued_at": "2026-06-02T10:00:00Z",
                "pickup_at": "2026-06-01T10:00:00Z",
                "status": "transferred",
            },
            {
                **CALHOUN,
                "subject_ref": "BK-4",
                "detainer_issued_at": "2026-06-02T10:00:00Z",
                "status": "awaiting_pickup",
            },
            {**CALHOUN, "subject_ref": "", "detainer_issued_at": "2026-06-02T10:00:00Z"},
        ],
    )
    write_table(
        folder,
        "inspections",
        [
            {**CALHOUN, "date": "2026-06-01", "kind": "audit"},
            {
                **CALHOUN,
                "date": "2026-06-01",
                "kind": "site_visit",
                "finding_text": "Files missing",
                "corrective_due": "2026-05-01",
                "closed_on": "2026-05-02",
            },
            {**CALHOUN, "date": "2026-06-02", "kind": "site_visit", "closed_on": "2026-06-03"},
        ],
    )
    before, seq = snapshot(db), last_seq(db)
    problems = refused(db, world.admin, folder)
    assert snapshot(db) == before and audit_rows(db, after_seq=seq) == []
    contains(
        problems,
        "agencies.csv:2: state: 'XX' is not a US state or territory",
        "agencies.csv:3: ori: must start with the agency's state code FL",
        "agencies.csv:3: kind: 'prison' is not one of: county, municipality, state_agency, other",
        "agencies.csv:4: jail_beds: 'many' is not a whole number",
        "agencies.csv:5: name: is required but empty",
        'agreements.csv:2: agency_name: no agency "Ghost County Sheriff\'s Office" in FL',
        "agreements.csv:3: signed: '2026-02-30' is not a real date",
        "agreements.csv:4: expires: cannot be before it took effect",
        "agreements.csv:4: manager_email: nobody@ice.example.gov is not a user",
        "agreements.csv:5: status: is required but empty",
        "agreements.csv:6: model: 'warrant_service' is not one of: jail_enforcement, task_force, "
        "warrant_service_officer",
        "officers.csv:3: badge: the same officer as line 2",
        "officers.csv:4: name: is required but empty",
        "officers.csv:5: authority_status: 'deputized' is not one of: nominated, in_training, authorized",
        "training.csv:2: badge: no officer with badge 'Z-999' at Calhoun County Sheriff's Office",
        "equipment.csv:2: quantity: must be between 1 and 10,000",
        "equipment.csv:2: ordered: cannot be before the requested date (2026-06-10)",
        "equipment.csv:3: operational: cannot be before the shipped date (2026-06-10)",
        "transfers.csv:2: a_number: the value ending '12' is not an A-number: A followed by 8 or 9 digits",
        "transfers.csv:3: detainer_issued_at: '2026-06-01T10:00:00' has no time zone",
        "transfers.csv:4: pickup_at: cannot be before the detainer was issued",
        "transfers.csv:5: release_eligible_at: a transfer awaiting pickup needs the time local custody ends",
        "transfers.csv:6: subject_ref: is required but empty",
        "inspections.csv:2: kind: 'audit' is not one of: site_visit, file_review",
        "inspections.csv:3: corrective_due: cannot be before the inspection",
        "inspections.csv:3: closed_on: cannot be before the inspection",
        "inspections.csv:4: closed_on: is given for a row without a finding_text",
    )
    # Listed in the order of the tables, then of the lines.
    files = [p.split(":")[0] for p in problems]
    order = [
        "agencies.csv",
        "agreements.csv",
        "officers.csv",
        "training.csv",
        "equipment.csv",
        "transfers.csv",
        "inspections.csv",
    ]
    assert sorted(files, key=order.index) == files


def test_a_missing_required_reference_is_one_problem_not_a_cascade(
    db: Database, world: World, tmp_path: Path
) -> None:
    """Rows naming an agency whose own row is broken do not repeat its problem."""
    folder = tmp_path / "cascade"
    write_table(
        folder, "agencies", [{"state": "FL", "name": "Leon County Sheriff's Office", "jail_beds": "-5"}]
    )
    leon = {"agency_state": "FL", "agency_name": "Leon County Sheriff's Office", "model": "task_force"}
    write_table(folder, "agreements", [{**leon, "status": "applicant", "field_office": "MIA"}])
    write_table(folder, "officers", [{**leon, "badge": "L-1", "name": "Lee Deputy"}])
    problems = refused(db, world.admin, folder)
    assert problems == ["agencies.csv:2: jail_beds: must be between 0 and 100,000"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"status": "active"}, "signed: an agreement that is active needs its signed date"),
        (
            {"status": "signed", "signed": "2026-01-01", "application_received": "2026-02-01"},
            "signed: cannot be before the application was received",
        ),
        (
            {"status": "signed", "signed": "2026-03-01", "effective": "2026-02-01"},
            "effective: cannot be before it was signed",
        ),
        (
            {"status": "applicant", "manager_email": "sam.super@ice.example.gov"},
            "manager_email: sam.super@ice.example.gov is supervisor, not a program manager",
        ),
        (
            {"status": "applicant", "manager_email": "bea.manager@ice.example.gov", "field_office": "MIA"},
            "manager_email: Bea Manager works in another field office than MIA",
        ),
        ({"status": "applicant"}, "field_office: is required when no manager_email is given"),
        (
            {"status": "applicant", "field_office": "LAX"},
            "field_office: no field office 'LAX' (known: ATL, MIA)",
        ),
        (
            {"status": "applicant", "manager_email": "not-an-email"},
            "manager_email: 'not-an-email' is not an email",
        ),
    ],
)
def test_agreement_rules(
    db: Database, world: World, tmp_path: Path, row: dict[str, str], message: str
) -> None:
    write_table(tmp_path, "agreements", [{**BAY, **row}])
    contains(refused(db, world.supervisor_a, tmp_path), f"agreements.csv:2: {message}")


def test_a_clean_set_is_written_in_one_transaction(db: Database, world: World, tmp_path: Path) -> None:
    leon = {
        "agency_state": "FLORIDA",
        "agency_name": " Leon  County Sheriff’s Office ",
        "model": "Task Force",
    }
    write_table(
        tmp_path, "agencies", [{"state": "Florida", "name": "Leon County Sheriff's Office", "kind": "county"}]
    )
    write_table(
        tmp_path,
        "agreements",
        [
            {
                **leon,
                "status": "active",
                "signed": "2026-03-01",
                "effective": "2026-03-15",
                "field_office": "mia",
                "manager_email": "MIA.ONE@ice.example.gov",
            }
        ],
    )
    write_table(
        tmp_path,
        "officers",
        [{**leon, "badge": "L-7", "name": "Lou  Deputy", "authority_status": "Authorized"}],
    )
    write_table(
        tmp_path,
        "training",
        [{**leon, "badge": "L-7", "course": "Initial", "completed_on": "2026-04-01"}],
        header=("agency_state", "agency_name", "badge", "course", "completed_on"),
    )
    write_table(
        tmp_path,
        "transfers",
        [
            {
                **leon,
                "subject_ref": "BK-77",
                "a_number": "a-123456789",
                "detainer_issued_at": "2026-10-30T08:00:00-04:00",
                "release_eligible_at": "2026-10-30T20:00:00Z",
                "status": "awaiting pickup",
            }
        ],
    )
    report = run(db, world.supervisor_a, tmp_path)
    assert report.applied
    assert report.counts["agencies"]["new"] == report.counts["agreements"]["new"] == 1
    from sqlalchemy import select

    from pm_desk.store.models import Agency, Agreement, Assignment, CustodyTransfer, Officer, TrainingRecord

    with db.uow() as uow:
        agency = uow.session.execute(
            select(Agency).where(Agency.name_key == "leon county sheriff's office")
        ).scalar_one()
        assert (agency.state, agency.name) == ("FL", "Leon County Sheriff's Office")
        agreement = uow.session.execute(
            select(Agreement).where(Agreement.agency_id == agency.id)
        ).scalar_one()
        assert agreement.manager_id == world.m1.user_id and agreement.field_office_id == world.office_a
        assignment = uow.session.execute(
            select(Assignment).where(Assignment.agreement_id == agreement.id)
        ).scalar_one()
        assert assignment.manager_id == world.m1.user_id and assignment.ends_at is None
        assert assignment.starts_at.isoformat() == "2026-03-01T00:00:00+00:00"  # since it was signed
        officer = uow.session.execute(
            select(Officer).where(Officer.agreement_id == agreement.id)
        ).scalar_one()
        assert (officer.name, officer.authority_status.value) == ("Lou Deputy", "authorized")
        training = uow.session.execute(
            select(TrainingRecord).where(TrainingRecord.officer_id == officer.id)
        ).scalar_one()
        assert training.course == "initial"
        transfer = uow.session.execute(
            select(CustodyTransfer).where(CustodyTransfer.agreement_id == agreement.id)
        ).scalar_one()
        assert transfer.a_number == "A123456789" and transfer.a_number_last4 == "6789"
        assert transfer.detainer_issued_at.isoformat() == "2026-10-30T12:00:00+00:00"
        assert (
            transfer.hold_deadline_at is not None
            and transfer.hold_deadline_at.isoformat() == "2026-11-01T20:00:00+00:00"
        )
