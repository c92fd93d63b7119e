"""A year outside 1900–2100 in a table is a problem of its cell, in a CSV file as in a workbook, and
never reaches date arithmetic; a folder named like a table is reported, not skipped."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from tables_support import CALHOUN, contains, refused, write_table

from builders import World, snapshot
from pm_desk.interchange.reading import read_source
from pm_desk.interchange.tables import TABLES_BY_NAME
from pm_desk.store.database import Database

YEARS = "dates lie between 1900 and 2100"
AGREEMENT = {**CALHOUN, "status": "active", "signed": "2026-06-01", "field_office": "MIA"}
TRANSFER = {**CALHOUN, "subject_ref": "BK-7001", "status": "detainer_lodged"}


def test_years_0001_and_9999_in_csv_cells_are_refused(db: Database, world: World, tmp_path: Path) -> None:
    write_table(
        tmp_path,
        "transfers",
        [
            {**TRANSFER, "encounter_date": "0001-01-01", "detainer_issued_at": "9999-12-31T23:59:59Z"},
            {**TRANSFER, "subject_ref": "BK-7002", "detainer_issued_at": "9999-12-31T23:59:59-05:00"},
            {**TRANSFER, "subject_ref": "BK-7003", "detainer_issued_at": "0001-01-01T00:00:00+05:00"},
            {**TRANSFER, "subject_ref": "BK-7004", "detainer_issued_at": "2100-12-31T23:30:00-05:00"},
        ],
    )
    write_table(
        tmp_path,
        "agreements",
        [{**AGREEMENT, "expires": "9999-12-31"}],
    )
    before = snapshot(db)
    problems = refused(db, world.admin, tmp_path)
    assert problems == [
        f"agreements.csv:2: expires: '9999-12-31' is in the year 9999; {YEARS}",
        f"transfers.csv:2: encounter_date: '0001-01-01' is in the year 0001; {YEARS}",
        f"transfers.csv:2: detainer_issued_at: '9999-12-31T23:59:59Z' is in the year 9999; {YEARS}",
        f"transfers.csv:3: detainer_issued_at: '9999-12-31T23:59:59-05:00' is in the year 9999; {YEARS}",
        f"transfers.csv:4: detainer_issued_at: '0001-01-01T00:00:00+05:00' is in the year 0001; {YEARS}",
        f"transfers.csv:5: detainer_issued_at: '2100-12-31T23:30:00-05:00' is in the year 2101; {YEARS}",
    ]
    assert snapshot(db) == before


def test_the_edges_of_the_years_are_read(db: Database, world: World, tmp_path: Path) -> None:
    write_table(
        tmp_path,
        "agreements",
        [{**AGREEMENT, "application_received": "1900-01-01", "expires": "2100-12-31"}],
    )
    write_table(
        tmp_path,
        "training",
        [{**CALHOUN, "badge": "C-101", "course": "refresher", "completed_on": "1899-12-31"}],
    )
    problems = refused(db, world.admin, tmp_path)
    assert problems == [f"training.csv:2: completed_on: '1899-12-31' is in the year 1899; {YEARS}"]


def test_years_outside_the_range_in_workbook_cells_are_refused(
    db: Database, world: World, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "transfers"
    header = list(TABLES_BY_NAME["transfers"].header)
    sheet.append(header)
    row = dict.fromkeys(header)
    row.update(TRANSFER, encounter_date=date(1, 1, 1), detainer_issued_at=datetime(9999, 12, 31, 23, 59, 59))
    sheet.append([row[c] for c in header])
    path = tmp_path / "tables.xlsx"
    book.save(path)
    problems = refused(db, world.admin, path)
    contains(
        problems,
        f"tables.xlsx[transfers]:2: encounter_date: '0001-01-01' is in the year 0001; {YEARS}",
        f"tables.xlsx[transfers]:2: detainer_issued_at: '9999-12-31T23:59:59Z' is in the year 9999; {YEARS}",
    )


def test_a_folder_named_like_a_table_is_reported(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "agreements", [AGREEMENT])
    (tmp_path / "agencies.csv").mkdir()
    (tmp_path / "agencies.csv" / "agencies.csv").write_text("state,name\n", encoding="utf-8")
    (tmp_path / "old.csv").mkdir()  # not a table's name: nothing to say
    assert [str(p) for p in read_source(tmp_path).findings.problems] == [
        "agencies.csv: is a folder, not a CSV file"
    ]
    assert refused(db, world.admin, tmp_path) == ["agencies.csv: is a folder, not a CSV file"]
