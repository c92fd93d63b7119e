"""Hostile and careless input: each gets a clear message or is handled, never a traceback, and
nothing is written from a set that has a problem."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from tables_support import contains, refused, run, write_table

from builders import World, fetch, snapshot
from pm_desk.domain.keys import normalize_name
from pm_desk.interchange.cells import escape, unescape
from pm_desk.interchange.reading import read_source
from pm_desk.interchange.tables import AGENCIES
from pm_desk.services.imports import ImportRefused, export_interchange
from pm_desk.store.database import Database
from pm_desk.store.models import Agency

LEON = {"state": "FL", "name": "Leon County Sheriff's Office", "kind": "county"}


def test_a_byte_order_mark_and_windows_line_endings_are_read(
    db: Database, world: World, tmp_path: Path
) -> None:
    path = write_table(
        tmp_path,
        "agencies",
        [LEON, {**LEON, "name": "Wakulla County Sheriff's Office"}],
        bom=True,
        newline="\r\n",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbfstate,") and b"\r\n" in path.read_bytes()
    report = run(db, world.admin, tmp_path)
    assert report.counts["agencies"]["new"] == 2


def test_a_quoted_cell_may_hold_line_breaks_and_lines_are_counted_right(
    db: Database, world: World, tmp_path: Path
) -> None:
    rows = [{**LEON, "address": "1 Main St\r\nSuite 2"}, {"state": "ZZ", "name": "Bad"}]
    write_table(tmp_path, "agencies", rows, newline="\r\n")
    assert refused(db, world.admin, tmp_path) == [
        "agencies.csv:4: state: 'ZZ' is not a US state or territory (use the two-letter code, like FL)"
    ]


def test_extra_columns_are_ignored_with_a_note(db: Database, world: World, tmp_path: Path) -> None:
    write_table(
        tmp_path, "agencies", [{**LEON, "remarks": "call first"}], header=(*AGENCIES.header, "Remarks")
    )
    report = run(db, world.admin, tmp_path)
    assert report.applied and report.notes == ["agencies.csv: extra columns ignored: 'remarks'"]


def test_missing_columns_stop_the_import(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "agencies", [LEON], header=("state", "name", "kind"))
    problems = refused(db, world.admin, tmp_path)
    assert problems[0] == (
        "agencies.csv:1: ori: column is missing (the header must name: state, name, ori, kind, county, "
        "address, phone, jail_beds)"
    )
    assert len(problems) == 5


def test_a_header_naming_a_column_twice_is_refused(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "agencies", [LEON], header=(*AGENCIES.header, "name"))
    assert refused(db, world.admin, tmp_path) == ["agencies.csv:1: name: appears twice in the header"]


def test_a_ten_megabyte_cell_is_reported_not_echoed(db: Database, world: World, tmp_path: Path) -> None:
    huge = "x" * (10 * 1024 * 1024)
    write_table(tmp_path, "agencies", [{**LEON, "name": huge}])
    problems = refused(db, world.admin, tmp_path)
    assert problems == ["agencies.csv:2: name: is 10,485,760 characters long; at most 300 fit"]


def test_bytes_that_are_not_utf8_are_reported_with_their_line(
    db: Database, world: World, tmp_path: Path
) -> None:
    (tmp_path / "agencies.csv").write_bytes(
        b"state,name,ori,kind,county,address,phone,jail_beds\r\n"
        b"FL,Leon,,county,,,,\r\n"
        b"FL,Caf\xe9 Police,,,,,,\r\n"
    )
    problems = refused(db, world.admin, tmp_path)
    assert problems == [
        "agencies.csv:3: is not UTF-8 text (byte 0xe9 at position 79); "
        "save the file as CSV UTF-8 and import it again"
    ]


def test_nul_characters_an_empty_file_and_a_stray_quote(db: Database, world: World, tmp_path: Path) -> None:
    write_table(tmp_path, "agencies", [{**LEON, "county": "Le\x00on"}])
    (tmp_path / "officers.csv").write_text("", encoding="utf-8")
    (tmp_path / "training.csv").write_text(
        'agency_state,agency_name,badge,course,completed_on\nFL,"Calhoun,C-1,initial,2026-01-01\n',
        encoding="utf-8",
    )
    problems = refused(db, world.admin, tmp_path)
    contains(
        problems,
        "agencies.csv:2: county: contains a NUL character",
        "officers.csv:1: is empty; the header row must name: agency_state",
    )
    assert problems[-1] == (
        'training.csv:2: cannot be read as CSV from this line on (unexpected end of data): a quote (") is '
        "missing or misplaced"
    )


def test_a_folder_without_tables_and_things_that_are_not_tables(
    db: Database, world: World, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "budget.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    source = read_source(tmp_path)
    assert [str(p) for p in source.findings.problems] == [
        f"{tmp_path}: holds none of the interchange tables (users.csv, agencies.csv, agreements.csv, "
        "officers.csv, training.csv, equipment.csv, transfers.csv, inspections.csv, oncall_shifts.csv, "
        "leave.csv)"
    ]
    assert source.findings.notes == ["budget.csv: not an interchange table; ignored"]
    assert refused(db, world.admin, tmp_path / "missing")[0].endswith("missing: no such file or folder")
    garbage = tmp_path / "tables.xlsx"
    garbage.write_bytes(b"PK\x03\x04 this is not really a workbook")
    assert "cannot be opened as an .xlsx workbook" in refused(db, world.admin, garbage)[0]


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "agencies"
    sheet.append(list(AGENCIES.header))
    for row in rows:
        sheet.append(row)
    book.create_sheet("Summary").append(["not a table"])
    book.save(path)
    return path


def test_formulas_in_a_workbook_are_reported_never_run(db: Database, world: World, tmp_path: Path) -> None:
    book = _workbook(
        tmp_path / "tables.xlsx",
        [
            ["FL", '=HYPERLINK("http://evil","Leon")', None, "county"],
            ["FL", "Wakulla", None, "county", None, None, None, "=1/0"],
        ],
    )
    before = snapshot(db)
    with pytest.raises(ImportRefused) as info:
        run(db, world.admin, book)
    report = info.value.report
    assert [str(p) for p in report.problems] == [
        'tables.xlsx[agencies]:2: name: cell B2 holds a formula (\'=HYPERLINK("http://evil","Leon")\'); '
        "PM Desk never runs formulas: type the value instead",
        "tables.xlsx[agencies]:3: jail_beds: cell H3 holds a formula ('=1/0'); PM Desk never runs formulas: "
        "type the value instead",
    ]
    assert report.notes == ["tables.xlsx: sheet 'Summary' is not an interchange table; ignored"]
    assert snapshot(db) == before


def test_spreadsheet_errors_and_typed_cells_in_a_workbook(db: Database, world: World, tmp_path: Path) -> None:
    book = _workbook(tmp_path / "tables.xlsx", [["FL", "Leon", None, "county", "#N/A", None, 5551234, 120.0]])
    problems = refused(db, world.admin, book)
    assert problems == ["tables.xlsx[agencies]:2: county: cell E2 holds the spreadsheet error #N/A"]
    book = _workbook(tmp_path / "fixed.xlsx", [["FL", "Leon", None, "county", None, None, 5551234, 120.0]])
    assert run(db, world.admin, book).applied


@pytest.mark.parametrize(
    "name", ["=SUM(A1:A9)", "+1 Sheriff", "-Office", "@cmd", "'=quoted already", "'plain"]
)
def test_text_that_would_run_as_a_formula_is_escaped_and_comes_back(
    db: Database, world: World, tmp_path: Path, name: str
) -> None:
    assert unescape(escape(name)) == name
    with db.uow() as uow:
        agency = uow.session.get(Agency, world.agency_m1)
        assert agency is not None
        agency.name, agency.name_key = name, normalize_name(name)
        uow.commit()
    folder = tmp_path / "out"
    export_interchange(db.uow(), world.admin, folder)
    with (folder / "agencies.csv").open(encoding="utf-8", newline="") as source:
        cells = [row[1] for row in csv.reader(source)]
    written = next(c for c in cells if c.endswith(name))
    assert not written.startswith(("=", "+", "-", "@"))
    book = tmp_path / "out.xlsx"
    export_interchange(db.uow(), world.admin, book)
    values = [row[1] for row in load_workbook(book)["agencies"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, str) and not v.startswith(("=", "+", "-", "@")) for v in values)
    run(db, world.admin, folder)
    assert fetch(db, Agency, world.agency_m1).name == name


def test_a_file_saved_with_semicolons_gets_a_hint(db: Database, world: World, tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_text("state;name;ori;kind\nFL;Leon;;county\n", encoding="utf-8")
    assert refused(db, world.admin, tmp_path) == [
        "agencies.csv:1: its columns are separated by ';', not commas: save it as CSV (comma delimited)"
    ]
