"""Export, import into an empty database, export again: the same files, the same records.

The `small` demo program is the data set: every kind of record the tables carry, with its
breaches, lapses and late equipment, goes out and comes back unchanged. Its administrator's
export masks A-numbers (only managers and supervisors may export them in full): the new database
knows each subject's A-number by its last four digits, and exports the same masks again.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select
from tables_support import admin_of, run

from builders import audit_rows, last_seq, snapshot
from pm_desk.domain.policy import load_policy
from pm_desk.interchange.tables import TABLES, Kind
from pm_desk.services.compliance import compliance_results
from pm_desk.services.imports import export_interchange
from pm_desk.services.maintenance import hold_deadlines_are_current
from pm_desk.store.audit_log import iter_chain_problems
from pm_desk.store.database import Database
from pm_desk.store.models import AuditEntry, CustodyTransfer, Officer, OfficerStatusChange
from support import FIXED_NOW

# Rules fed by records the interchange tables do not carry (on-call rota, complaints, classes).
OUTSIDE_THE_TABLES = {"fatigue", "gap", "complaint", "initial_training"}


def _same_files(first: Path, second: Path) -> None:
    for spec in TABLES:
        assert (second / spec.file).read_bytes() == (first / spec.file).read_bytes(), spec.file


def test_export_import_export_gives_identical_files(
    small_export: Path, empty_db: Database, tmp_path: Path
) -> None:
    report = run(empty_db, None, small_export)
    assert report.applied and report.setup and report.ok
    assert report.counts["transfers"] == {"new": 2000, "changed": 0, "unchanged": 0}
    again = tmp_path / "again"
    export_interchange(empty_db.uow(), admin_of(empty_db), again)
    _same_files(small_export, again)


def _results(database: Database) -> list[tuple[object, ...]]:
    with database.uow() as uow:
        items = compliance_results(uow, load_policy(), FIXED_NOW)
    rows = [item.as_output() for item in items]
    return sorted(
        (r["rule"], r["status"], r["record"], r["key"], r["due"], r["manager"])
        for r in rows
        if r["rule"] not in OUTSIDE_THE_TABLES
    )


def test_the_imported_program_gives_the_same_compliance_results(
    small_db: Database, small_export: Path, empty_db: Database
) -> None:
    run(empty_db, None, small_export)
    expected = _results(small_db)
    assert {r[0] for r in expected} >= {"refresher", "revocation", "equipment", "hold", "renewal", "finding"}
    assert _results(empty_db) == expected


def test_the_derived_columns_and_histories_are_written(small_export: Path, empty_db: Database) -> None:
    run(empty_db, None, small_export)
    with empty_db.uow() as uow:
        transfers = uow.session.execute(select(CustodyTransfer)).scalars().all()
        tails = 0
        for transfer in transfers:
            if transfer.release_eligible_at is not None:
                assert transfer.hold_deadline_at is not None
                hours = (transfer.hold_deadline_at - transfer.release_eligible_at).total_seconds() / 3600
                assert hours == 48
            assert transfer.a_number is None  # the export masked them: the tail alone came in
            if transfer.a_number_last4 is not None:
                assert transfer.a_number_last4.isdigit() and len(transfer.a_number_last4) == 4
            tails += transfer.a_number_last4 is not None
        assert tails > 1000
        officers = uow.session.execute(select(func.count()).select_from(Officer)).scalar_one()
        histories = uow.session.execute(select(func.count()).select_from(OfficerStatusChange)).scalar_one()
        assert histories == officers == 150
        assert hold_deadlines_are_current(uow.session.connection(), uow.policy)


def test_importing_the_export_again_changes_nothing(small_db: Database, small_export: Path) -> None:
    before, seq = snapshot(small_db), last_seq(small_db)
    report = run(small_db, admin_of(small_db), small_export)
    assert report.records_written == 0 and not report.applied
    assert all(c["new"] == c["changed"] == 0 for c in report.counts.values())
    assert "nothing to change" in report.summary()
    assert snapshot(small_db) == before
    assert audit_rows(small_db, after_seq=seq) == []


def test_a_second_import_into_the_new_database_changes_nothing(
    small_export: Path, empty_db: Database
) -> None:
    run(empty_db, None, small_export)
    before, seq = snapshot(empty_db), last_seq(empty_db)
    report = run(empty_db, admin_of(empty_db), small_export)
    assert report.records_written == 0
    assert snapshot(empty_db) == before and last_seq(empty_db) == seq


def test_one_import_entry_with_counts_and_one_entry_per_record(
    small_export: Path, empty_db: Database
) -> None:
    report = run(empty_db, None, small_export)
    entries = audit_rows(empty_db, operation="import")
    assert entries[0].action == "import" and entries[0].record_id is None
    assert entries[0].after is not None
    assert entries[0].after["tables"]["officers"] == {"new": 150, "changed": 0, "unchanged": 0}
    assert len(entries) == 1 + report.records_written
    created = [e for e in entries[1:] if e.record_kind == "transfer"]
    assert len(created) == 2000 and all(e.action == "create" for e in created)
    assert created[0].after is not None and created[0].after["detainer_issued_at"].endswith("Z")
    with empty_db.engine.connect() as connection:
        assert list(iter_chain_problems(connection)) == []
        assert connection.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == len(entries)


def test_a_workbook_round_trip(
    small_db: Database, small_export: Path, empty_db: Database, tmp_path: Path
) -> None:
    book = tmp_path / "tables.xlsx"
    counts = export_interchange(small_db.uow(), admin_of(small_db), book)
    assert counts["transfers"] == 2000
    run(empty_db, None, book)
    again = tmp_path / "again"
    export_interchange(empty_db.uow(), admin_of(empty_db), again)
    _same_files(small_export, again)


def test_the_workbook_has_a_sheet_per_table_a_frozen_header_and_real_dates(
    small_db: Database, tmp_path: Path
) -> None:
    book = tmp_path / "tables.xlsx"
    export_interchange(small_db.uow(), admin_of(small_db), book)
    workbook = load_workbook(book)
    assert workbook.sheetnames == ["handling", *(spec.name for spec in TABLES)]
    for spec in TABLES:
        sheet = workbook[spec.name]
        assert sheet.freeze_panes == "A2"
        header = [cell.value for cell in sheet[1]]
        assert header == list(spec.header)
        assert all(cell.font.bold for cell in sheet[1])
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(8 <= (w or 0) <= 60 for w in widths)
        row = next(sheet.iter_rows(min_row=2, max_row=2), None)
        if row is None:
            continue
        for column, cell in zip(spec.columns, row, strict=True):
            if cell.value is None:
                continue
            if column.kind is Kind.DATE:
                assert isinstance(cell.value, datetime | date) and cell.is_date, (spec.name, column.name)
            elif column.kind is Kind.INSTANT:
                assert isinstance(cell.value, datetime) and "UTC" in cell.number_format
            elif column.kind is Kind.INT:
                assert isinstance(cell.value, int)
