"""Reading a set of interchange tables from a folder of CSV files or one XLSX workbook.

Whatever the bytes are, the answer is tables or problems, never an exception: a byte-order
mark and Windows line endings are read as if absent, bytes that are not UTF-8 are reported with
their line, a formula in a workbook cell is reported (never evaluated, never used), extra
columns are ignored with a note, and a missing column stops the import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pm_desk.handling import HANDLING_SHEET
from pm_desk.interchange.cells import UNREADABLE
from pm_desk.interchange.problems import Findings, shown
from pm_desk.interchange.tables import TABLES, TableSpec, table_for

# A cell may hold this much text before the reader gives up on the row; the column checks refuse
# far less, so a 10 MB cell is read, then reported as too long.
MAX_CELL = 64 * 1024 * 1024
_SPACES = re.compile(r"[\s\-]+")


@dataclass
class SourceRow:
    line: int
    cells: dict[str, object]


@dataclass
class SourceTable:
    spec: TableSpec
    source: str  # `agencies.csv`, or `book.xlsx[agencies]`
    rows: list[SourceRow] = field(default_factory=list)


@dataclass
class SourceSet:
    """The tables found at one place, with the problems and notes met reading them."""

    location: str
    tables: dict[str, SourceTable] = field(default_factory=dict)
    findings: Findings = field(default_factory=Findings)

    @property
    def ok(self) -> bool:
        return not self.findings.problems


def header_name(value: object) -> str:
    text = "" if value is None else str(value)
    return _SPACES.sub("_", text.replace("\ufeff", "").strip().lower())


def read_source(path: Path) -> SourceSet:
    """The interchange tables at `path`: a folder of CSV files, one CSV file, or a workbook."""
    found = SourceSet(str(path))
    if path.is_dir():
        _read_folder(path, found)
    elif not path.exists():
        found.findings.problem(str(path), 0, "", "no such file or folder")
    elif path.suffix.lower() == ".xlsx":
        _read_workbook(path, found)
    elif path.suffix.lower() == ".csv":
        spec = table_for(path.name)
        if spec is None:
            found.findings.problem(path.name, 0, "", f"is not one of the interchange tables ({_names()})")
        else:
            _read_csv(path, spec, found)
    else:
        found.findings.problem(
            path.name, 0, "", "is not a folder of CSV files, a CSV file or an .xlsx workbook"
        )
    if found.ok and not found.tables:
        found.findings.problem(str(path), 0, "", f"holds none of the interchange tables ({_names()})")
    return found


def _names() -> str:
    return ", ".join(t.file for t in TABLES)


def _read_folder(folder: Path, found: SourceSet) -> None:
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        found.findings.problem(folder.name, 0, "", f"cannot be read: {_reason(exc)}")
        return
    for path in entries:
        if path.suffix.lower() != ".csv":
            continue
        spec = table_for(path.name)
        if not path.is_file():  # a folder (or a device) named like a table is not that table
            if spec is not None:
                kind = "a folder" if path.is_dir() else "not a regular file"
                found.findings.problem(path.name, 0, "", f"is {kind}, not a CSV file")
            continue
        if spec is None:
            found.findings.note(f"{path.name}: not an interchange table; ignored")
        elif spec.name in found.tables:
            found.findings.problem(path.name, 0, "", f"a second file for the {spec.name} table")
        else:
            _read_csv(path, spec, found)


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _decode(data: bytes, source: str, found: Findings) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        found.problem(
            source,
            line,
            "",
            f"is not UTF-8 text (byte 0x{byte} at position {exc.start:,}); save the file as "
            "CSV UTF-8 and import it again",
        )
        return None


def _read_csv(path: Path, spec: TableSpec, found: SourceSet) -> None:
    source = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        found.findings.problem(source, 0, "", f"cannot be read: {_reason(exc)}")
        return
    text = _decode(data, source, found.findings)
    if text is None:
        return
    previous_limit = csv.field_size_limit(MAX_CELL)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        records = _records(reader, source, found.findings)
        table = _table(spec, source, records, found.findings)
    finally:
        csv.field_size_limit(previous_limit)
    if table is not None:
        found.tables[spec.name] = table


def _records(reader: Any, source: str, findings: Findings) -> Iterator[tuple[int, list[object]]]:
    """(first line, cells) of each record; a broken quote ends the file with a problem."""
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            findings.problem(
                source,
                line,
                "",
                f'cannot be read as CSV from this line on ({exc}): a quote (") is missing or misplaced',
            )
            return
        yield line, list(cells)
        line = reader.line_num + 1


def _table(
    spec: TableSpec, source: str, records: Iterable[tuple[int, list[object]]], findings: Findings
) -> SourceTable | None:
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        findings.problem(source, 1, "", f"is empty; the header row must name: {', '.join(spec.header)}")
        return None
    header_line, header = first
    names = [header_name(h) for h in header]
    if len(names) == 1 and (separator := next((c for c in ";\t|" if c in str(header[0])), None)):
        shown_separator = "a tab" if separator == "\t" else repr(separator)
        findings.problem(
            source,
            header_line,
            "",
            f"its columns are separated by {shown_separator}, not commas: save it as CSV (comma delimited)",
        )
        return None
    positions: dict[str, int] = {}
    ok = True
    for index, name in enumerate(names):
        if not name:
            continue
        if name in positions:
            findings.problem(source, header_line, name, "appears twice in the header")
            ok = False
        positions[name] = index
    missing = [c for c in spec.header if c not in positions]
    for name in missing:
        findings.problem(
            source, header_line, name, f"column is missing (the header must name: {', '.join(spec.header)})"
        )
    extra = [n for n in positions if n not in spec.header]
    if extra:
        findings.note(f"{source}: extra columns ignored: {', '.join(shown(n) for n in extra)}")
    if missing or not ok:
        return None
    table = SourceTable(spec, source)
    wanted = [(c, positions[c]) for c in spec.header]
    for line, cells in iterator:
        if all(_blank(c) for c in cells):
            continue  # an empty line, or the empty trailing rows of a sheet
        row = {name: cells[i] if i < len(cells) else None for name, i in wanted}
        table.rows.append(SourceRow(line, row))
    return table


def _blank(value: object) -> bool:
    return value is None or value is UNREADABLE or (isinstance(value, str) and not value.strip())


def _read_workbook(path: Path, found: SourceSet) -> None:
    from openpyxl import load_workbook

    try:
        # Formulas are read as formulas (never evaluated): each one is reported, not used.
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        found.findings.problem(path.name, 0, "", f"cannot be opened as an .xlsx workbook ({exc})")
        return
    try:
        for sheet in book.worksheets:
            if sheet.title == HANDLING_SHEET:
                continue  # the handling banner of an export, not a table
            spec = table_for(sheet.title)
            if spec is None:
                found.findings.note(
                    f"{path.name}: sheet {sheet.title!r} is not an interchange table; ignored"
                )
                continue
            if spec.name in found.tables:
                found.findings.problem(path.name, 0, "", f"a second sheet for the {spec.name} table")
                continue
            source = f"{path.name}[{sheet.title}]"
            try:
                table = _table(spec, source, _sheet_records(sheet, source, found.findings), found.findings)
            except Exception as exc:  # a damaged sheet inside a readable zip
                found.findings.problem(source, 0, "", f"cannot be read ({exc})")
                continue
            if table is not None:
                found.tables[spec.name] = table
    finally:
        book.close()


def _sheet_records(sheet: Any, source: str, findings: Findings) -> Iterator[tuple[int, list[object]]]:
    names: list[str] | None = None
    for row in sheet.iter_rows():
        cells: list[object] = []
        line = 0
        for index, cell in enumerate(row):
            line = line or getattr(cell, "row", 0) or 0
            column = names[index] if names is not None and index < len(names) else ""
            cells.append(_cell_value(cell, source, column, findings))
        if line:
            if names is None:
                names = [header_name(c) for c in cells]
            yield line, cells


def _cell_value(cell: Any, source: str, column: str, findings: Findings) -> object:
    kind = getattr(cell, "data_type", None)
    value = getattr(cell, "value", None)
    where = f"cell {getattr(cell, 'coordinate', '?')}"
    if kind == "f":
        findings.problem(
            source,
            cell.row,
            column,
            f"{where} holds a formula ({shown(value)}); PM Desk never runs formulas: type the value instead",
        )
        return UNREADABLE
    if kind == "e":
        findings.problem(source, cell.row, column, f"{where} holds the spreadsheet error {value}")
        return UNREADABLE
    return value
