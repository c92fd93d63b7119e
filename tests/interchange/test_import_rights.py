"""Who may import what: the rows that change something need the right to change them; a refusal
writes nothing but the audited denial."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tables_support import BAY, CALHOUN, COBB, run, write_table

from builders import World, audit_rows, fetch, refused_without_writing
from pm_desk.domain.actor import Actor
from pm_desk.services.imports import ImportDenied, export_interchange, import_tables
from pm_desk.store.database import Database
from pm_desk.store.models import Officer, User


def _officer(agreement: dict[str, str], badge: str, name: str, **extra: str) -> dict[str, str]:
    return {
        **agreement,
        "badge": badge,
        "name": name,
        "nominated": "2025-12-01",
        "authority_status": "authorized",
    } | extra


def _denied(db: Database, actor: Actor, folder: Path) -> list[str]:
    with refused_without_writing(db, ImportDenied, denied=True) as info:
        import_tables(db.uow(), actor, folder)
    return [str(p) for p in info.value.report.problems]


def test_a_manager_imports_his_own_caseload(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "officers", [_officer(CALHOUN, "C-101", "Carl Deputy", rank="Corporal")])
    assert run(db, world.m1, tmp_path).applied
    assert fetch(db, Officer, world.officer_m1).rank == "Corporal"


def test_a_manager_may_not_import_another_caseload(db: Database, world: World, tmp_path: Path) -> None:
    write_table(
        tmp_path,
        "officers",
        [
            _officer(CALHOUN, "C-101", "Carl Deputy", rank="Corporal"),
            _officer(BAY, "B-201", "Beth Deputy", rank="Chief"),
        ],
    )
    problems = _denied(db, world.m1, tmp_path)
    assert problems == [
        "officers.csv:3: Mia One cannot change officers for Bay County Sheriff's Office (task force): "
        "it is in Max Two's caseload, not yours"
    ]
    denial = audit_rows(db, action="denied")[-1]
    assert denial.actor_email == world.m1.email and denial.operation == "import"


def test_a_supervisor_imports_his_field_office_only(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "officers", [_officer(COBB, "G-301", "Gus Deputy", rank="Major")])
    assert "belongs to another field office" in _denied(db, world.supervisor_a, tmp_path)[0]
    assert run(db, world.supervisor_b, tmp_path).applied


def test_staff_import_nothing_that_changes_a_record(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "officers", [_officer(CALHOUN, "C-101", "Carl Deputy", rank="Corporal")])
    assert "Sue Staff is staff and cannot change officers" in _denied(db, world.staff, tmp_path)[0]


@pytest.mark.parametrize("who", ["supervisor_a", "m1"])
def test_only_an_administrator_imports_users(db: Database, world: World, tmp_path: Path, who: str) -> None:
    write_table(
        tmp_path, "users", [{"email": "new.person@ice.example.gov", "name": "New Person", "role": "staff"}]
    )
    actor = getattr(world, who)
    assert "cannot import users (an administrator does)" in _denied(db, actor, tmp_path)[0]
    report = run(db, world.admin, tmp_path)
    assert report.counts["users"]["new"] == 1
    with db.uow() as uow:
        user = uow.session.execute(
            select(User).where(User.email == "new.person@ice.example.gov")
        ).scalar_one()
        assert user.password_hash is None and user.active


def test_a_manager_neither_opens_nor_reassigns_agreements(db: Database, world: World, tmp_path: Path) -> None:
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
            },
            {
                **CALHOUN,
                "model": "task_force",
                "status": "applicant",
                "field_office": "MIA",
                "manager_email": "mia.one@ice.example.gov",
            },
        ],
    )
    problems = _denied(db, world.m1, tmp_path)
    assert problems == [
        "agreements.csv:2: Mia One cannot reassign Calhoun County Sheriff's Office (jail enforcement): "
        "a supervisor reassigns agreements",
        "agreements.csv:3: Mia One is a manager and cannot open agreements (a supervisor does)",
    ]


def test_rows_that_change_nothing_need_no_right(db: Database, world: World, tmp_path: Path) -> None:
    """A manager imports back a whole export of the program: users, other caseloads and all."""
    export_interchange(db.uow(), world.admin, tmp_path)
    write_table(
        tmp_path,
        "officers",
        [
            _officer(CALHOUN, "C-101", "Carl Deputy", rank="Corporal"),
            _officer(BAY, "B-201", "Beth Deputy"),
            _officer(COBB, "G-301", "Gus Deputy"),
        ],
    )
    report = run(db, world.m1, tmp_path)
    assert report.counts["officers"] == {"new": 0, "changed": 1, "unchanged": 2}
    assert report.counts["users"] == {"new": 0, "changed": 0, "unchanged": 7}


def test_a_manager_exports_his_caseload_only(db: Database, world: World, tmp_path: Path) -> None:
    counts = export_interchange(db.uow(), world.m1, tmp_path)
    assert counts["agreements"] == counts["agencies"] == counts["officers"] == 1
    assert counts["users"] == 7
    text = (tmp_path / "officers.csv").read_text(encoding="utf-8")
    assert "Carl Deputy" in text and "Beth Deputy" not in text
