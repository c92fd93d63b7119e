"""Upsert by natural key: changed rows update (version bumped, audited), equal rows are left
untouched, rows absent from a file are left alone, and a deleted record named again comes back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from tables_support import BAY, CALHOUN, refused, run, write_table

from builders import World, audit_rows, fetch, last_seq, snapshot, status_changes
from pm_desk.domain.enums import AuthorityStatus
from pm_desk.services.trash import delete_record
from pm_desk.store.database import Database
from pm_desk.store.models import Agency, Agreement, Assignment, EquipmentOrder, Officer


def _officer_rows(**changes: str) -> list[dict[str, str]]:
    return [
        {
            **CALHOUN,
            "badge": "C-101",
            "name": "Carl Deputy",
            "nominated": "2025-12-01",
            "authority_status": "authorized",
            **changes,
        },
        {
            **BAY,
            "badge": "B-201",
            "name": "Beth Deputy",
            "nominated": "2025-12-01",
            "authority_status": "authorized",
        },
    ]


def test_a_changed_row_updates_its_record_once(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "officers", _officer_rows(rank="Sergeant"))
    before_carl, before_beth = fetch(db, Officer, world.officer_m1), fetch(db, Officer, world.officer_m2)
    seq = last_seq(db)
    report = run(db, world.supervisor_a, tmp_path)
    assert report.counts["officers"] == {"new": 0, "changed": 1, "unchanged": 1}
    carl, beth = fetch(db, Officer, world.officer_m1), fetch(db, Officer, world.officer_m2)
    assert carl.rank == "Sergeant" and carl.version == before_carl.version + 1
    assert carl.updated_by == world.supervisor_a.user_id
    assert beth.version == before_beth.version and beth.updated_at == before_beth.updated_at
    entries = audit_rows(db, after_seq=seq)
    assert [(e.action, e.record_kind) for e in entries] == [("import", None), ("update", "officer")]
    assert entries[1].before == {"rank": None} and entries[1].after == {"rank": "Sergeant"}
    assert entries[1].actor_email == world.supervisor_a.email and entries[1].operation == "import"
    assert entries[0].after is not None and entries[0].after["tables"]["officers"]["changed"] == 1


def test_the_same_file_twice_changes_nothing_the_second_time(
    db: Database, world: World, tmp_path: Path
) -> None:
    write_table(tmp_path, "officers", _officer_rows(rank="Sergeant"))
    run(db, world.supervisor_a, tmp_path)
    before, seq = snapshot(db), last_seq(db)
    report = run(db, world.supervisor_a, tmp_path)
    assert report.counts["officers"] == {"new": 0, "changed": 0, "unchanged": 2}
    assert snapshot(db) == before and last_seq(db) == seq


def test_rows_absent_from_a_file_are_left_alone(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "officers", _officer_rows()[:1])
    before = fetch(db, Officer, world.officer_b)
    run(db, world.admin, tmp_path)
    after = fetch(db, Officer, world.officer_b)
    assert (after.version, after.updated_at, after.name) == (before.version, before.updated_at, before.name)


def test_a_dry_run_writes_nothing(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "officers", _officer_rows(rank="Sergeant"))
    before, seq = snapshot(db), last_seq(db)
    report = run(db, world.supervisor_a, tmp_path, dry_run=True)
    assert report.counts["officers"]["changed"] == 1 and not report.applied
    assert "dry run" in report.summary()
    assert snapshot(db) == before and last_seq(db) == seq


def test_an_authority_change_is_kept_in_the_officer_history(
    db: Database, world: World, tmp_path: Path
) -> None:
    write_table(tmp_path, "officers", _officer_rows(authority_status="revoked"))
    run(db, world.supervisor_a, tmp_path)
    history = status_changes(db, world.officer_m1)
    assert history[-1].from_status is AuthorityStatus.AUTHORIZED
    assert history[-1].to_status is AuthorityStatus.REVOKED and history[-1].reason == "imported"


def test_a_new_manager_closes_one_assignment_and_opens_another(
    db: Database, world: World, tmp_path: Path
) -> None:
    write_table(
        tmp_path,
        "agreements",
        [
            {
                **CALHOUN,
                "status": "active",
                "application_received": "2026-01-15",
                "signed": "2026-06-01",
                "effective": "2026-06-01",
                "field_office": "MIA",
                "manager_email": "max.two@ice.example.gov",
            }
        ],
    )
    report = run(db, world.supervisor_a, tmp_path)
    assert report.counts["agreements"]["changed"] == 1
    assert fetch(db, Agreement, world.agreement_m1).manager_id == world.m2.user_id
    with db.uow() as uow:
        history = uow.session.execute(
            select(Assignment)
            .where(Assignment.agreement_id == world.agreement_m1)
            .order_by(Assignment.starts_at)
        ).scalars()
        rows = [(a.manager_id, a.ends_at is None) for a in history]
    assert rows == [(world.m1.user_id, False), (world.m2.user_id, True)]


def test_a_deleted_record_named_again_is_restored(db: Database, world: World, tmp_path: Path) -> None:
    delete_record(db.uow(), world.supervisor_a, "officer", world.officer_m1)
    write_table(tmp_path, "officers", _officer_rows())
    seq = last_seq(db)
    report = run(db, world.supervisor_a, tmp_path)
    assert report.counts["officers"]["changed"] == 1
    assert fetch(db, Officer, world.officer_m1).deleted_at is None
    assert [e.action for e in audit_rows(db, after_seq=seq, record_id=world.officer_m1)] == ["restore"]


def test_names_spelled_differently_are_one_agency(db: Database, world: World, tmp_path: Path) -> None:
    write_table(
        tmp_path,
        "agencies",
        [
            {
                "state": "florida",
                "name": "  calhoun  county sheriff’s office ",
                "ori": "fl0070000",
                "kind": "County",
            }
        ],
    )
    report = run(db, world.admin, tmp_path)
    assert report.counts["agencies"] == {"new": 0, "changed": 1, "unchanged": 0}
    agency = fetch(db, Agency, world.agency_m1)
    assert agency.name == "calhoun county sheriff's office" and agency.ori == "FL0070000"
    with db.uow() as uow:
        assert len(uow.session.execute(select(Agency).where(Agency.state == "FL")).all()) == 2


def test_a_new_agency_s_ori_may_not_be_another_agency_s(db: Database, world: World, tmp_path: Path) -> None:
    write_table(
        tmp_path, "agencies", [{"state": "FL", "name": "Leon County Sheriff's Office", "ori": "FL0070000"}]
    )
    assert refused(db, world.admin, tmp_path) == [
        "agencies.csv:2: ori: FL0070000 is already the ORI of Calhoun County Sheriff's Office"
    ]


def test_training_rows_add_records_and_never_repeat_them(db: Database, world: World, tmp_path: Path) -> None:
    rows = [
        {**CALHOUN, "badge": "C-101", "course": "refresher", "completed_on": "2026-09-01"},
        {**CALHOUN, "badge": "C-101", "course": "initial", "completed_on": "2026-03-01"},
    ]
    write_table(tmp_path, "training", rows)
    report = run(db, world.m1, tmp_path)
    assert report.counts["training"] == {"new": 1, "changed": 0, "unchanged": 1}
    assert run(db, world.m1, tmp_path).counts["training"] == {"new": 0, "changed": 0, "unchanged": 2}


def test_an_officer_row_may_leave_the_model_to_the_records(
    db: Database, world: World, tmp_path: Path
) -> None:
    rows = _officer_rows(rank="Captain")
    rows[0]["model"] = ""
    write_table(tmp_path, "officers", rows)
    assert run(db, world.supervisor_a, tmp_path).counts["officers"]["changed"] == 1
    assert fetch(db, Officer, world.officer_m1).agreement_id == world.agreement_m1


def test_an_order_may_be_known_only_as_operational(db: Database, world: World, tmp_path: Path) -> None:
    """Stages must be in order, but a table may leave earlier ones empty."""
    write_table(tmp_path, "equipment", [{**CALHOUN, "item": "workstation", "operational": "2026-07-01"}])
    report = run(db, world.m1, tmp_path)
    assert report.counts["equipment"] == {"new": 1, "changed": 0, "unchanged": 0}
    with db.uow() as uow:
        order = uow.session.execute(select(EquipmentOrder)).scalar_one()
    assert (order.quantity, order.requested_on, order.operational_on) == (1, None, date(2026, 7, 1))
