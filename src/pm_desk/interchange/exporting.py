"""Exporting the interchange tables: one CSV file per table, or one sheet per table in a workbook.

Rows are sorted by their natural key as written, so two databases holding the same records give
byte-identical files. Workbooks get a bold, frozen header, sized columns, real dates and UTC
date-times; text a spreadsheet would run as a formula is escaped in both forms.

The handling banner goes where the importer does not read it, so an export imports back: a
`HANDLING.txt` beside the CSV files; in a workbook, a first sheet `handling`, the printed page
header of every sheet and the document properties. A-numbers are masked (`A•••••1234`) unless
the export asks for them in full; the importer takes a mask as "the stored A-number".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from pm_desk.domain.keys import mask_from_tail
from pm_desk.domain.policy import ReportsPolicy
from pm_desk.domain.scope import PROGRAM, Scope
from pm_desk.handling import HANDLING_FILE, HANDLING_SHEET, handling_lines, open_private, page_header_text
from pm_desk.interchange.cells import csv_text, xlsx_value
from pm_desk.interchange.tables import LEAVE_WORDS, TABLES, TableSpec
from pm_desk.store.models import (
    Agency,
    Agreement,
    CustodyTransfer,
    EquipmentOrder,
    FieldOffice,
    Finding,
    Inspection,
    Leave,
    Officer,
    Rotation,
    Shift,
    TrainingRecord,
    User,
)
from pm_desk.store.queries.listing import restrict
from pm_desk.tabular import write_csv

INSTANT_FORMAT = 'yyyy-mm-dd hh:mm:ss "UTC"'
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class ExportScope:
    """Which agreements an export covers (the person's scope), whether subject A-numbers are
    written in full (else masked), and the handling banner the files carry."""

    scope: Scope = PROGRAM
    a_numbers: bool = False
    banner: str = ReportsPolicy().handling_banner


def _live(*models: Any) -> list[Any]:
    return [m.deleted_at.is_(None) for m in models]


def _scoped(statement: Select, export: ExportScope) -> Select:
    return restrict(statement, export.scope)


def table_rows(session: Session, spec: TableSpec, scope: ExportScope) -> list[list[Any]]:
    """The rows of one table, as values in the order of its columns, sorted by natural key."""
    statement = _STATEMENTS[spec.name](scope)
    rows = [list(row) for row in session.execute(statement)]
    if spec.name == "transfers":
        index = spec.header.index("a_number")
        for row in rows:
            last4 = row.pop()  # a transfer may be known by its A-number's tail only
            if not scope.a_numbers or row[index] is None:
                row[index] = mask_from_tail(last4) or None
    if spec.name == "leave":
        index = spec.header.index("kind")
        for row in rows:
            row[index] = LEAVE_WORDS[row[index]]
    positions = [spec.header.index(k) for k in spec.key]
    rows.sort(key=lambda row: [csv_text(row[i]) for i in positions])
    return rows


def _users(scope: ExportScope) -> Select:
    return (
        select(User.email, User.name, User.role, FieldOffice.code, User.capacity)
        .outerjoin(FieldOffice, FieldOffice.id == User.field_office_id)
        .where(*_live(User))
    )


def _agencies(scope: ExportScope) -> Select:
    statement = select(
        Agency.state,
        Agency.name,
        Agency.ori,
        Agency.kind,
        Agency.county,
        Agency.address,
        Agency.phone,
        Agency.jail_beds,
    ).where(*_live(Agency))
    if scope.scope.is_program:
        return statement
    covered = _scoped(select(Agreement.agency_id).where(*_live(Agreement)), scope)
    return statement.where(Agency.id.in_(covered))


def _agreements(scope: ExportScope) -> Select:
    manager = aliased(User)
    statement = (
        select(
            Agency.state,
            Agency.name,
            Agreement.model,
            Agreement.status,
            Agreement.application_received_on,
            Agreement.signed_on,
            Agreement.effective_on,
            Agreement.expires_on,
            FieldOffice.code,
            manager.email,
        )
        .join(Agency, Agency.id == Agreement.agency_id)
        .outerjoin(FieldOffice, FieldOffice.id == Agreement.field_office_id)
        .outerjoin(manager, manager.id == Agreement.manager_id)
        .where(*_live(Agreement, Agency))
    )
    return _scoped(statement, scope)


def _officers(scope: ExportScope) -> Select:
    statement = (
        select(
            Agency.state,
            Agency.name,
            Agreement.model,
            Officer.badge,
            Officer.name,
            Officer.rank,
            Officer.email,
            Officer.nominated_on,
            Officer.authority_status,
        )
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .where(*_live(Officer, Agreement, Agency))
    )
    return _scoped(statement, scope)


def _training(scope: ExportScope) -> Select:
    statement = (
        select(Agency.state, Agency.name, Officer.badge, TrainingRecord.course, TrainingRecord.completed_on)
        .join(Officer, Officer.id == TrainingRecord.officer_id)
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .where(*_live(TrainingRecord, Officer, Agreement, Agency))
    )
    return _scoped(statement, scope)


def _equipment(scope: ExportScope) -> Select:
    order = EquipmentOrder
    statement = (
        select(
            Agency.state,
            Agency.name,
            Agreement.model,
            order.item,
            order.quantity,
            order.requested_on,
            order.ordered_on,
            order.shipped_on,
            order.delivered_on,
            order.operational_on,
        )
        .join(Agreement, Agreement.id == order.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .where(*_live(order, Agreement, Agency))
    )
    return _scoped(statement, scope)


def _transfers(scope: ExportScope) -> Select:
    transfer = CustodyTransfer
    statement = (
        select(
            Agency.state,
            Agency.name,
            Agreement.model,
            transfer.subject_ref,
            transfer.a_number,
            transfer.encounter_on,
            transfer.detainer_issued_at,
            transfer.release_eligible_at,
            transfer.pickup_at,
            transfer.receiving_office,
            transfer.status,
            transfer.a_number_last4,
        )
        .join(Agreement, Agreement.id == transfer.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .where(*_live(transfer, Agreement, Agency))
    )
    return _scoped(statement, scope)


def _inspections(scope: ExportScope) -> Select:
    statement = (
        select(
            Agency.state,
            Agency.name,
            Agreement.model,
            Inspection.held_on,
            Inspection.kind,
            Inspection.summary,
            Finding.severity,
            Finding.text,
            Finding.corrective_due,
            Finding.closed_on,
        )
        .join(Agreement, Agreement.id == Inspection.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id)
        .outerjoin(Finding, (Finding.inspection_id == Inspection.id) & Finding.deleted_at.is_(None))
        .where(*_live(Inspection, Agreement, Agency))
    )
    return _scoped(statement, scope)


def _office_of(scope: ExportScope) -> Any:
    """The field office whose rota the scope covers: a supervisor's, or a manager's own."""
    if scope.scope.field_office_id is not None:
        return scope.scope.field_office_id
    return select(User.field_office_id).where(User.id == scope.scope.manager_id).scalar_subquery()


def _oncall_shifts(scope: ExportScope) -> Select:
    """The rotations' shifts as planned (covers are approvals, not part of the table)."""
    primary, backup = aliased(User), aliased(User)
    statement = (
        select(FieldOffice.code, Rotation.name, Shift.starts_at, Shift.ends_at, primary.email, backup.email)
        .join(Rotation, Rotation.id == Shift.rotation_id)
        .join(FieldOffice, FieldOffice.id == Rotation.field_office_id)
        .join(primary, primary.id == Shift.primary_id)
        .outerjoin(backup, backup.id == Shift.backup_id)
        .where(*_live(Shift, Rotation))
    )
    if scope.scope.is_program:
        return statement
    return statement.where(Rotation.field_office_id == _office_of(scope))


def _leave(scope: ExportScope) -> Select:
    """Leave: everyone's for the program, a field office's people for its supervisor, a
    manager's own."""
    statement = (
        select(User.email, Leave.starts_at, Leave.ends_at, Leave.kind)
        .join(User, User.id == Leave.user_id)
        .where(*_live(Leave))
    )
    if scope.scope.is_program:
        return statement
    if scope.scope.manager_id is not None:
        return statement.where(Leave.user_id == scope.scope.manager_id)
    return statement.where(User.field_office_id == scope.scope.field_office_id)


_STATEMENTS = {
    "users": _users,
    "agencies": _agencies,
    "agreements": _agreements,
    "officers": _officers,
    "training": _training,
    "equipment": _equipment,
    "transfers": _transfers,
    "inspections": _inspections,
    "oncall_shifts": _oncall_shifts,
    "leave": _leave,
}


def export_tables(session: Session, target: Path, scope: ExportScope) -> dict[str, int]:
    """Write every table to `target` (a folder of CSV files, or an .xlsx workbook); rows per table."""
    tables = [(spec, table_rows(session, spec, scope)) for spec in TABLES]
    note = handling_lines(scope.banner, scope.a_numbers)
    if target.suffix.lower() == ".xlsx":
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_workbook(target, tables, note)
    else:
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open_private(target / HANDLING_FILE, encoding="utf-8", newline="\n") as out:
            out.write("\n".join(note) + "\n")
        for spec, rows in tables:
            write_csv(target / spec.file, spec.header, ([csv_text(v) for v in row] for row in rows))
    return {spec.name: len(rows) for spec, rows in tables}


def write_workbook(
    path: Path, tables: Sequence[tuple[TableSpec, list[list[Any]]]], note: Sequence[str] = ()
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from pm_desk.interchange.tables import Kind

    book = Workbook(write_only=True)
    banner = note[0] if note else ""
    if note:
        book.properties.subject = book.properties.keywords = banner
        cover = book.create_sheet(HANDLING_SHEET)
        cover.column_dimensions["A"].width = 100
        for line in note:
            cover.append([line])
    for spec, rows in tables:
        sheet = book.create_sheet(spec.name)
        sheet.freeze_panes = "A2"
        if banner:
            sheet.oddHeader.center.text = sheet.oddFooter.center.text = page_header_text(banner)
        formats = [
            INSTANT_FORMAT if c.kind is Kind.INSTANT else DATE_FORMAT if c.kind is Kind.DATE else None
            for c in spec.columns
        ]
        for index, width in enumerate(_widths(spec, rows, formats), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        bold = Font(bold=True)
        header = []
        for name in spec.header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            values: list[Any] = []
            for value, number_format in zip(row, formats, strict=True):
                value = xlsx_value(value)
                if number_format is not None and value is not None:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = number_format
                    values.append(cell)
                else:
                    values.append(value)
            sheet.append(values)
    # The file is opened before the workbook's writers start, so a target that cannot be written
    # (a folder, a read-only place) fails here, not inside them with a half-written sheet.
    with open_private(path, "wb") as out:
        book.save(out)


def _widths(spec: TableSpec, rows: list[list[Any]], formats: list[str | None]) -> list[float]:
    widths = [float(len(name)) for name in spec.header]
    for row in rows[:2000]:
        for index, value in enumerate(row):
            if formats[index] == INSTANT_FORMAT:
                length = 23
            elif formats[index] == DATE_FORMAT:
                length = 10
            else:
                length = len(csv_text(value))
            widths[index] = max(widths[index], float(length))
    return [min(max(w + 2, 8), 60) for w in widths]
