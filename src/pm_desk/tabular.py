"""Writing tables to CSV and XLSX files the way spreadsheets should receive them.

Text that a spreadsheet would run as a formula (starting with =, +, - or @) is escaped with a
leading apostrophe; dates are real dates in XLSX; the header row is frozen and columns sized.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text that no spreadsheet will evaluate."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return safe_text(str(value))


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_value(v) for v in row])
            count += 1
    return count


def xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: write the local wall time the person saw.
        return value.astimezone().replace(tzinfo=None)
    if isinstance(value, str):
        return safe_text(value)
    return value


def add_sheet(workbook: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Append a sheet with a frozen, bold header, real dates and sensible column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(h) for h in header]
    count = 0
    for row in rows:
        values = [xlsx_value(v) for v in row]
        sheet.append(values)
        count += 1
        for i, value in enumerate(values):
            if isinstance(value, datetime):
                sheet.cell(row=count + 1, column=i + 1).number_format = "yyyy-mm-dd hh:mm"
                length = 16
            elif isinstance(value, date):
                sheet.cell(row=count + 1, column=i + 1).number_format = "yyyy-mm-dd"
                length = 10
            else:
                length = len(str(value)) if value is not None else 0
            if i < len(widths) and length > widths[i]:
                widths[i] = length
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, 8), 60)
    return count


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    total = 0
    for title, header, rows in sheets:
        total += add_sheet(workbook, title, header, rows)
    workbook.save(path)
    return total
