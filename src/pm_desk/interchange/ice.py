"""Reading ICE's published lists of participating and pending 287(g) agencies.

The lists are spreadsheets with the columns `STATE, LAW ENFORCEMENT AGENCY, TYPE, COUNTY,
SUPPORT TYPE, SIGNED, MOA, ADDENDUM` (pending lists stop at `SUPPORT TYPE`), messy as published:
trailing spaces, curly and straight apostrophes for one agency, `#N/A` and `N/A` for "no county",
an empty block of trailing rows, dates typed as text (`05/082025`), `link pending` for links.
Each row is read into an `IceRow` or reported as unreadable with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pm_desk.domain.enums import AgencyKind, AgreementModel
from pm_desk.domain.keys import clean_name, normalize_name, state_code
from pm_desk.domain.validation import MAX_AGENCY_NAME, too_long, year_problem
from pm_desk.interchange.problems import RowProblem, shown

STATE, AGENCY, TYPE, COUNTY, SUPPORT, SIGNED = (
    "STATE",
    "LAW ENFORCEMENT AGENCY",
    "TYPE",
    "COUNTY",
    "SUPPORT TYPE",
    "SIGNED",
)
REQUIRED = (STATE, AGENCY, SUPPORT)
_NO_COUNTY = {"", "#N/A", "N/A", "NA", "NONE", "-"}
_KINDS = {
    "county": AgencyKind.COUNTY,
    "municipality": AgencyKind.MUNICIPALITY,
    "city": AgencyKind.MUNICIPALITY,
    "state agency": AgencyKind.STATE_AGENCY,
    "state": AgencyKind.STATE_AGENCY,
}
_MODELS = {
    "jail enforcement": AgreementModel.JAIL_ENFORCEMENT,
    "task force": AgreementModel.TASK_FORCE,
    "warrant service officer": AgreementModel.WARRANT_SERVICE_OFFICER,
    "warrant service": AgreementModel.WARRANT_SERVICE_OFFICER,
}
_US_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}|[0-9]{2})")
_FILE_DATE = re.compile(r"([0-9]{2})([0-9]{2})(20[0-9]{2})")


class IceListError(Exception):
    """A file that is not one of ICE's lists at all (not a row of it: the whole file)."""


@dataclass(frozen=True)
class IceRow:
    line: int
    state: str
    name: str  # as stored: trimmed, spaces collapsed, apostrophes straight
    kind: AgencyKind | None
    county: str | None
    model: AgreementModel
    signed_on: date | None

    @property
    def key(self) -> tuple[str, str, AgreementModel]:
        return self.state, normalize_name(self.name), self.model


@dataclass
class IceList:
    source: str
    pending: bool
    listed_on: date | None  # from the file's name, when it carries one
    rows: list[IceRow] = field(default_factory=list)
    unreadable: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def list_date(name: str) -> date | None:
    """The date in a name like `participatingAgencies07162025am.xlsx` (month, day, year)."""
    for match in _FILE_DATE.finditer(name):
        month, day, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def read_ice_list(path: Path, pending: bool | None) -> IceList:
    """Every row of the list at `path`. `pending` None: a list without SIGNED is a pending list."""
    from openpyxl import load_workbook

    if not path.is_file():
        raise IceListError(f"{path}: no such file")
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise IceListError(f"{path.name} cannot be opened as an .xlsx workbook ({exc})") from None
    try:
        rows = [list(row) for row in book.worksheets[0].iter_rows()] if book.worksheets else []
    except Exception as exc:
        raise IceListError(f"{path.name} cannot be read ({exc})") from None
    finally:
        book.close()
    return _parse(path.name, rows, pending)


def _parse(source: str, rows: list[list[Any]], pending: bool | None) -> IceList:
    header_at, columns = _header(rows)
    if header_at is None:
        raise IceListError(f"{source} is not one of ICE's lists: no header row names {', '.join(REQUIRED)}")
    has_signed = SIGNED in columns
    if pending is True and has_signed:
        raise IceListError(
            f"{source} has a SIGNED column: it is a list of participating agencies; leave out --pending"
        )
    found = IceList(source, pending=bool(pending) or not has_signed, listed_on=list_date(source))
    if pending is None and not has_signed:
        found.notes.append(f"{source} has no SIGNED column: read as a list of pending applications")
    seen: dict[tuple[str, str, AgreementModel], int] = {}
    blank = 0
    for cells in rows[header_at + 1 :]:
        line = _line(cells)
        values = {name: _value(cells, index) for name, index in columns.items()}
        if all(_empty(v) for v in values.values()):
            blank += 1
            continue
        row = _row(found, line, values)
        if row is None:
            continue
        if row.key in seen:
            found.unreadable.append(
                RowProblem(source, line, AGENCY, f"the same agency and model as line {seen[row.key]}")
            )
            continue
        seen[row.key] = line
        found.rows.append(row)
    if blank:
        found.notes.append(f"{blank} empty rows skipped")
    return found


def _header(rows: list[list[Any]]) -> tuple[int | None, dict[str, int]]:
    for index, cells in enumerate(rows[:20]):
        names = {_cell_text(c.value).upper(): i for i, c in enumerate(cells) if _cell_text(c.value)}
        if all(name in names for name in REQUIRED):
            return index, {n: names[n] for n in (STATE, AGENCY, TYPE, COUNTY, SUPPORT, SIGNED) if n in names}
    return None, {}


def _line(cells: list[Any]) -> int:
    return next((c.row for c in cells if getattr(c, "row", None)), 0)


def _value(cells: list[Any], index: int) -> Any:
    if index >= len(cells):
        return None
    cell = cells[index]
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        return _Formula(str(cell.value))
    if kind == "e":
        return str(cell.value)  # `#N/A` and the like: read as the text they show
    return cell.value


@dataclass(frozen=True)
class _Formula:
    text: str


def _cell_text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _row(found: IceList, line: int, values: dict[str, Any]) -> IceRow | None:
    def unreadable(column: str, message: str) -> None:
        found.unreadable.append(RowProblem(found.source, line, column, message))

    for column, value in values.items():
        if isinstance(value, _Formula):
            unreadable(column, f"holds a formula ({shown(value.text)}); formulas are never run")
            return None
    state_text, name_text = _cell_text(values.get(STATE)), _cell_text(values.get(AGENCY))
    if not state_text:
        unreadable(STATE, "is empty")
        return None
    state = state_code(state_text)
    if state is None:
        unreadable(STATE, f"{shown(state_text)} is not a US state or territory")
        return None
    name = clean_name(name_text)
    if not name:
        unreadable(AGENCY, "is empty")
        return None
    if len(name) > MAX_AGENCY_NAME:
        unreadable(AGENCY, too_long(len(name), MAX_AGENCY_NAME))
        return None
    model = _model(_cell_text(values.get(SUPPORT)))
    if model is None:
        unreadable(
            SUPPORT, f"{shown(_cell_text(values.get(SUPPORT)))} is not a 287(g) model ({_model_names()})"
        )
        return None
    signed_on = None
    if not found.pending:
        signed_on, why = _signed(values.get(SIGNED))
        if why is not None:
            unreadable(SIGNED, why)
            return None
    county = _cell_text(values.get(COUNTY))
    return IceRow(
        line,
        state,
        name,
        _KINDS.get(_cell_text(values.get(TYPE)).lower(), AgencyKind.OTHER if values.get(TYPE) else None),
        None if county.upper() in _NO_COUNTY else county[:200],
        model,
        signed_on,
    )


def _model(text: str) -> AgreementModel | None:
    words = text.lower().replace("_", " ").replace("-", " ")
    words = re.sub(r"\b(model|program)\b", "", words)
    return _MODELS.get(" ".join(words.split()))


def _model_names() -> str:
    return "Jail Enforcement Model, Task Force Model, Warrant Service Officer"


def _signed(value: Any) -> tuple[date | None, str | None]:
    day, why = _signed_day(value)
    if day is not None and (problem := year_problem(day)):
        typed = day.isoformat() if isinstance(value, date) else _cell_text(value)
        return None, f"{shown(typed)} {problem}"
    return day, why


def _signed_day(value: Any) -> tuple[date | None, str | None]:
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = _cell_text(value)
    if not text:
        return None, "is empty: a participating agency's agreement has a signed date"
    match = _US_DATE.fullmatch(text)
    if match is not None:
        month, day, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        try:
            return date(year, month, day), None
        except ValueError:
            pass
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, f"{shown(text)} is not a date like 07/16/2025"
