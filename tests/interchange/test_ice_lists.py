"""ICE's own published lists, on the real snapshots of May and July 2025 (tests/data/ice/)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from tables_support import ICE_DATA

from builders import World, audit_rows, snapshot
from pm_desk.domain.enums import PIPELINE_STATUSES, AgreementModel, AgreementStatus
from pm_desk.domain.keys import normalize_name
from pm_desk.interchange.ice import read_ice_list
from pm_desk.services.errors import PermissionDenied
from pm_desk.services.ice_lists import IceImportRefused, IceReport, import_ice_list
from pm_desk.services.reporting import Generated
from pm_desk.services.reporting_staffing import staffing_report
from pm_desk.store.database import Database
from pm_desk.store.models import Agency, Agreement
from support import FIXED_NOW

MAY = ICE_DATA / "participatingAgencies05162025am.xlsx"
JULY = ICE_DATA / "participatingAgencies07162025am.xlsx"
PENDING_MAY = ICE_DATA / "pendingAgencies05152025am.xlsx"
PENDING_JULY = ICE_DATA / "pendingAgencies07142025am.xlsx"


def _import(db: Database, world: World, path: Path, **options: object) -> IceReport:
    return import_ice_list(db.uow(), world.admin, path, field_office_code="MIA", **options)  # type: ignore[arg-type]


def _agreement_keys(db: Database) -> set[tuple[str, str, AgreementModel]]:
    with db.uow() as uow:
        rows = uow.session.execute(
            select(Agency.state, Agency.name_key, Agreement.model).join(
                Agency, Agency.id == Agreement.agency_id
            )
        )
        return {(state, key, model) for state, key, model in rows}


def test_reading_the_list_as_published() -> None:
    found = read_ice_list(MAY, None)
    assert not found.pending and found.listed_on == date(2025, 5, 16)
    assert len(found.rows) == 570
    assert [str(p) for p in found.unreadable] == [
        "participatingAgencies05162025am.xlsx:545: SIGNED: '05/082025' is not a date like 07/16/2025"
    ]
    assert found.notes == ["14 empty rows skipped"]
    names = {row.name for row in found.rows}
    assert all(name == name.strip() and "’" not in name for name in names)
    assert {row.county for row in found.rows} & {"#N/A", "N/A"} == set()
    pending = read_ice_list(PENDING_MAY, None)
    assert pending.pending and len(pending.rows) == 92 and all(r.signed_on is None for r in pending.rows)


def test_every_readable_row_lands_as_an_agency_and_an_agreement(db: Database, world: World) -> None:
    report = _import(db, world, MAY)
    rows = read_ice_list(MAY, None).rows
    assert report.applied and not report.not_placed
    assert len(report.new) + len(report.changed) + report.unchanged == len(rows) == 570
    assert len(report.unreadable) == 1 and "'05/082025'" in str(report.unreadable[0])
    assert {row.key for row in rows} <= _agreement_keys(db)
    with db.uow() as uow:
        listed = uow.session.execute(
            select(func.count()).select_from(Agreement).where(Agreement.ice_listed_on == date(2025, 5, 16))
        ).scalar_one()
        assert listed == 570
        signed = uow.session.execute(
            select(Agreement.status, Agreement.signed_on, Agreement.manager_id)
            .join(Agency, Agency.id == Agreement.agency_id)
            .where(
                Agency.name_key == "colbert county sheriff's office", Agreement.model == "jail_enforcement"
            )
        ).one()
        assert signed == (AgreementStatus.SIGNED, date(2025, 5, 8), None)


def test_an_agency_spelled_two_ways_is_one_agency(db: Database, world: World) -> None:
    _import(db, world, MAY)
    spellings = {
        row.name for row in read_ice_list(MAY, None).rows if "galveston county sheriff" in row.name.lower()
    }
    assert spellings == {"Galveston County Sheriff's Office"}  # read straight, trimmed
    with db.uow() as uow:
        agencies = uow.session.execute(
            select(Agency.id).where(
                Agency.state == "TX", Agency.name_key == normalize_name("Galveston County Sheriff’s Office ")
            )
        ).all()
        assert len(agencies) == 1
        models = uow.session.execute(
            select(Agreement.model).where(Agreement.agency_id == agencies[0][0])
        ).all()
        assert len(models) == 2


def test_the_later_list_reports_what_is_new_changed_and_gone(db: Database, world: World) -> None:
    _import(db, world, MAY)
    report = _import(db, world, JULY)
    assert report.applied and not report.not_placed
    assert len(report.new) > 200 and report.changed and report.vanished
    assert any("Boca Raton Police Department — task force" in v for v in report.vanished)
    assert any(
        "Melbourne Beach Police Department — task force: signed 2025-05-13 → 2025-04-14" in c
        for c in report.changed
    )
    assert [str(p).split(": ", 1)[1] for p in report.unreadable] == [
        "SIGNED: '5025-07-07' is in the year 5025; dates lie between 1900 and 2100",
        "SIGNED: '7/72025' is not a date like 07/16/2025",
        "SIGNED: '05/082025' is not a date like 07/16/2025",
    ]
    lines = report.lines()
    assert lines[0] == "ICE participating list of 2025-07-16 (participatingAgencies07162025am.xlsx)"
    assert f"vanished since the last list: {len(report.vanished)}" in lines
    with db.uow() as uow:
        gone = uow.session.execute(
            select(Agreement)
            .join(Agency, Agency.id == Agreement.agency_id)
            .where(Agency.name_key == "boca raton police department")
        ).scalar_one()
        assert gone.ice_vanished_on == date(2025, 7, 16) and gone.deleted_at is None
        assert gone.status is AgreementStatus.SIGNED
    again = _import(db, world, JULY)
    assert not again.new and not again.changed and not again.vanished
    assert again.unchanged == len(read_ice_list(JULY, None).rows)


def test_pending_rows_are_applicants_and_feed_the_staffing_pipeline(db: Database, world: World) -> None:
    def pipeline() -> int:
        with db.uow() as uow:
            generated = Generated(FIXED_NOW, "test", None)
            return staffing_report(uow, uow.policy, generated).total.pipeline_agreements

    before = pipeline()
    report = _import(db, world, PENDING_JULY)
    assert len(report.new) == 38 and report.applied
    with db.uow() as uow:
        statuses = (
            uow.session.execute(select(Agreement.status).where(Agreement.ice_listed_on == date(2025, 7, 14)))
            .scalars()
            .all()
        )
    assert len(statuses) == 38 and set(statuses) == {AgreementStatus.APPLICANT}
    assert set(statuses) <= PIPELINE_STATUSES
    assert pipeline() == before + 38


def test_a_pending_applicant_that_signs_moves_out_of_the_pipeline(db: Database, world: World) -> None:
    _import(db, world, PENDING_MAY)
    report = _import(db, world, MAY)
    assert any("status applicant → signed" in c for c in report.changed)


def test_a_dry_run_writes_nothing(db: Database, world: World) -> None:
    before = snapshot(db)
    report = _import(db, world, MAY, dry_run=True)
    assert len(report.new) == 570 and not report.applied
    assert report.lines()[-1] == "dry run: nothing was written"
    assert snapshot(db) == before


def test_lists_are_imported_in_order(db: Database, world: World) -> None:
    _import(db, world, JULY)
    with pytest.raises(IceImportRefused, match="older than the last participating list imported"):
        _import(db, world, MAY)


def test_a_supervisor_places_rows_in_his_field_office_only(db: Database, world: World) -> None:
    report = import_ice_list(db.uow(), world.supervisor_a, MAY)
    assert report.not_placed
    assert all("GA is covered by field office ATL, not yours" in line for line in report.not_placed)
    with db.uow() as uow:
        offices = set(
            uow.session.execute(
                select(Agreement.field_office_id).where(Agreement.ice_listed_on.is_not(None))
            ).scalars()
        )
    assert offices == {world.office_a}


def test_without_a_field_office_for_a_state_rows_are_not_placed(db: Database, world: World) -> None:
    report = import_ice_list(db.uow(), world.admin, MAY, dry_run=True)
    assert any(
        "no field office has agreements in AL yet: pass --field-office CODE" in line
        for line in report.not_placed
    )


def test_managers_and_staff_may_not_import_lists(db: Database, world: World) -> None:
    before = snapshot(db)
    with pytest.raises(PermissionDenied, match="Mia One is a manager and cannot import ICE's lists"):
        import_ice_list(db.uow(), world.m1, MAY)
    assert snapshot(db) == before
    assert audit_rows(db, action="denied")[-1].operation == "ice.import"


def test_files_that_are_not_lists(db: Database, world: World, tmp_path: Path) -> None:
    with pytest.raises(IceImportRefused, match="leave out --pending"):
        import_ice_list(db.uow(), world.admin, MAY, pending=True)
    text = tmp_path / "list.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(IceImportRefused, match=r"cannot be opened as an \.xlsx workbook"):
        import_ice_list(db.uow(), world.admin, text)
    book = Workbook()
    book.active.append(["NAME", "CITY"])
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(
        IceImportRefused, match="no header row names STATE, LAW ENFORCEMENT AGENCY, SUPPORT TYPE"
    ):
        import_ice_list(db.uow(), world.admin, tmp_path / "other.xlsx")
