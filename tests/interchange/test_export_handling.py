"""Exports of subject data: the handling banner, A-numbers masked unless a manager or supervisor
asks, owner-only files, and a masked export that imports back without erasing an A-number."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from tables_support import actor, admin_of, refused, run

from builders import audit_rows, snapshot
from pm_desk.demo import DemoSummary
from pm_desk.domain.policy import ReportsPolicy
from pm_desk.services.errors import PermissionDenied
from pm_desk.services.imports import export_interchange
from pm_desk.store.database import Database
from pm_desk.store.models import CustodyTransfer

BANNER = ReportsPolicy().handling_banner


def _a_numbers(database: Database) -> dict[str, str | None]:
    with database.uow() as uow:
        rows = uow.session.execute(select(CustodyTransfer.id, CustodyTransfer.a_number)).all()
    return {row.id: row.a_number for row in rows}


def _transfers(folder: Path) -> list[dict[str, str]]:
    with (folder / "transfers.csv").open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def _write_transfers(folder: Path, rows: list[dict[str, str]]) -> None:
    with (folder / "transfers.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _modes(folder: Path) -> dict[str, str]:
    return {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in folder.iterdir()}


def test_an_export_masks_a_numbers_and_carries_the_banner(small_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    export_interchange(small_db.uow(), admin_of(small_db), folder)
    handling = (folder / "HANDLING.txt").read_text(encoding="utf-8").splitlines()
    assert handling[0] == handling[-1] == BANNER
    assert any("A-numbers are masked" in line for line in handling)
    shown = [row["a_number"] for row in _transfers(folder) if row["a_number"]]
    assert len(shown) > 1000 and all(len(m) == 10 and m.startswith("A•••••") for m in shown)
    everything = b"".join(p.read_bytes() for p in folder.iterdir())
    full = [n for n in _a_numbers(small_db).values() if n]
    assert full and not [n for n in full if n.encode() in everything]


def test_every_file_of_an_export_is_its_owners_only(small_db: Database, tmp_path: Path) -> None:
    folder, book = tmp_path / "tables", tmp_path / "tables.xlsx"
    folder.mkdir(mode=0o755)
    (folder / "transfers.csv").write_text("left from before\n", encoding="utf-8")
    os.chmod(folder / "transfers.csv", 0o644)  # an earlier export's file, readable by anyone
    old = os.umask(0o022)  # the desktop's usual umask: the export must not depend on it
    try:
        export_interchange(small_db.uow(), admin_of(small_db), folder)
        export_interchange(small_db.uow(), admin_of(small_db), book)
        export_interchange(small_db.uow(), admin_of(small_db), tmp_path / "new" / "tables")
    finally:
        os.umask(old)
    modes = _modes(folder)
    assert len(modes) == 11 and set(modes.values()) == {"0o600"}, modes
    assert oct(stat.S_IMODE(book.stat().st_mode)) == "0o600"
    assert set(_modes(tmp_path / "new" / "tables").values()) == {"0o600"}
    assert oct(stat.S_IMODE((tmp_path / "new" / "tables").stat().st_mode)) == "0o700"


def test_only_managers_and_supervisors_export_full_a_numbers(
    small_db: Database, summary: DemoSummary, tmp_path: Path
) -> None:
    for email in (summary.admin_email, summary.staff_email):
        with pytest.raises(PermissionDenied, match="cannot export full A-numbers"):
            export_interchange(small_db.uow(), actor(small_db, email), tmp_path / "no", full_a_numbers=True)
    assert not (tmp_path / "no").exists()
    denials = [e for e in audit_rows(small_db, operation="export") if e.action == "denied"]
    assert len(denials) == 2
    supervisor = actor(small_db, summary.supervisor_emails[0])
    folder = tmp_path / "full"
    export_interchange(small_db.uow(), supervisor, folder, full_a_numbers=True)
    assert "A-numbers are written in full" in (folder / "HANDLING.txt").read_text(encoding="utf-8")
    stored = set(_a_numbers(small_db).values())
    written = [row["a_number"] for row in _transfers(folder) if row["a_number"]]
    assert written and all(number in stored for number in written)


def test_a_masked_export_imports_back_without_erasing_an_a_number(
    small_db: Database, summary: DemoSummary, tmp_path: Path
) -> None:
    supervisor = actor(small_db, summary.supervisor_emails[0])
    folder = tmp_path / "tables"
    export_interchange(small_db.uow(), supervisor, folder)
    before, numbers = snapshot(small_db), _a_numbers(small_db)
    report = run(small_db, supervisor, folder)
    assert "nothing to change" in report.summary()
    assert snapshot(small_db) == before
    rows = _transfers(folder)
    edited = next(i for i, row in enumerate(rows) if row["a_number"] and row["status"] != "transferred")
    rows[edited]["receiving_office"] = "Atlanta ERO staging"
    _write_transfers(folder, rows)
    report = run(small_db, supervisor, folder)
    assert report.counts["transfers"]["changed"] == 1
    assert _a_numbers(small_db) == numbers  # the changed row's A-number too


def test_a_mask_of_another_a_number_is_refused_at_its_line(
    small_db: Database, summary: DemoSummary, tmp_path: Path
) -> None:
    supervisor = actor(small_db, summary.supervisor_emails[0])
    folder = tmp_path / "tables"
    export_interchange(small_db.uow(), supervisor, folder)
    rows = _transfers(folder)
    index = next(i for i, row in enumerate(rows) if row["a_number"])
    tail = rows[index]["a_number"][-4:]
    other = "0000" if tail != "0000" else "1111"
    rows[index]["a_number"] = "A•••••" + other
    _write_transfers(folder, rows)
    before = snapshot(small_db)
    problems = refused(small_db, supervisor, folder)
    assert problems == [
        f"transfers.csv:{index + 2}: a_number: the masked A-number ending {other} is not the stored one "
        f"(ending {tail}): write the full A-number, or the mask the export wrote"
    ]
    assert snapshot(small_db) == before


def test_a_new_transfer_with_a_mask_keeps_only_the_tail(small_export: Path, empty_db: Database) -> None:
    report = run(empty_db, None, small_export)
    assert any("came with a masked A-number: only the last four digits are kept" in n for n in report.notes)
    with empty_db.uow() as uow:
        tails = uow.session.execute(
            select(CustodyTransfer.a_number, CustodyTransfer.a_number_last4).where(
                CustodyTransfer.a_number_last4.is_not(None)
            )
        ).all()
    assert tails and all(number is None for number, _tail in tails)


def test_the_workbook_carries_the_banner_and_imports_back(
    small_db: Database, summary: DemoSummary, tmp_path: Path
) -> None:
    supervisor = actor(small_db, summary.supervisor_emails[0])
    book = tmp_path / "tables.xlsx"
    export_interchange(small_db.uow(), supervisor, book)
    workbook = load_workbook(book)
    assert workbook.sheetnames[0] == "handling"
    assert workbook["handling"]["A1"].value == BANNER
    assert workbook.properties.subject == BANNER
    for sheet in workbook.worksheets[1:]:
        assert sheet.oddHeader.center.text == sheet.oddFooter.center.text == BANNER, sheet.title
    before = snapshot(small_db)
    report = run(small_db, supervisor, book)
    assert "nothing to change" in report.summary()
    assert not [n for n in report.notes if "handling" in n]
    assert snapshot(small_db) == before
