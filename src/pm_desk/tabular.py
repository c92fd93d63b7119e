"""Writing tables to CSV and XLSX files the way spreadsheets should receive them.

Text that a spreadsheet would run as a formula (starting with =, +, - or @) is escaped with a
leading apostrophe; dates are real dates in XLSX; the header row is frozen and columns sized.
Files are their owner's only (0600). With a handling banner, a CSV file's first line is the
banner alone, and a sheet's first row (and its printed page header and footer) are the banner:
nothing reads these files back, so the extra line costs no import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pm_desk.handling import open_private, page_header_text

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


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], banner: str | None = None
) -> int:
    count = 0
    with open_private(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        if banner:
            writer.writerow([banner])
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


def add_sheet(
    workbook: Any,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    banner: str | None = None,
) -> int:
    """Append a sheet with a frozen, bold header (under the banner, when there is one), real
    dates and sensible column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    above = 0
    if banner:
        sheet.append([banner])
        sheet.cell(row=1, column=1).font = Font(bold=True)
        sheet.oddHeader.center.text = sheet.oddFooter.center.text = page_header_text(banner)
        above = 1
    sheet.append(list(header))
    for cell in sheet[above + 1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{above + 2}"
    widths = [len(h) for h in header]
    count = 0
    for row in rows:
        values = [xlsx_value(v) for v in row]
        sheet.append(values)
        count += 1
        for i, value in enumerate(values):
            if isinstance(value, datetime):
                sheet.cell(row=above + count + 1, column=i + 1).number_format = "yyyy-mm-dd hh:mm"
                length = 16
            elif isinstance(value, date):
                sheet.cell(row=above + count + 1, column=i + 1).number_format = "yyyy-mm-dd"
                length = 10
            else:
                length = len(str(value)) if value is not None else 0
            if i < len(widths) and length > widths[i]:
                widths[i] = length
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, 8), 60)
    return count


def write_xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    banner: str | None = None,
) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    if banner:
        workbook.properties.subject = workbook.properties.keywords = banner
    total = 0
    for title, header, rows in sheets:
        total += add_sheet(workbook, title, header, rows, banner)
    with open_private(path, "wb") as out:
        workbook.save(out)
    return total
