"""Every row of every table checked on its own: cells read into values, then the rules that
relate the cells of one row (dates in order, an A-number's shape, what a status needs).

The rules are the domain's, shared with the services (`pm_desk.domain.validation`: the date
orders of agreements, equipment stages, transfers and findings, the limits of numbers; and
`ori_problem`, `is_valid_a_number`). Dates are only compared with each other, never with this
computer's clock: an import carries history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Any

from pm_desk.domain.enums import Course, FindingSeverity, TransferStatus
from pm_desk.domain.keys import clean_name, is_valid_a_number, masked_tail, normalize_name, ori_problem
from pm_desk.domain.validation import (
    A_NUMBER_SHAPE,
    Problem,
    agreement_date_problems,
    capacity_problem,
    equipment_stage_problems,
    field_office_problem,
    finding_date_problems,
    jail_beds_problem,
    quantity_problem,
    transfer_time_problems,
)
from pm_desk.interchange.cells import ALREADY_REPORTED, instant_second, parser_for
from pm_desk.interchange.problems import Findings
from pm_desk.interchange.reading import SourceTable
from pm_desk.interchange.tables import TableSpec

MAX_STRETCH = timedelta(days=366)
# Agency names repeat on every row that names the agency: clean and normalize each one once.
_clean = lru_cache(maxsize=100_000)(clean_name)
normalized_name = lru_cache(maxsize=100_000)(normalize_name)


@dataclass(slots=True)
class Row:
    line: int
    values: dict[str, Any]
    ok: bool = True


@dataclass
class CheckedTable:
    spec: TableSpec
    source: str
    rows: list[Row] = field(default_factory=list)

    def valid(self) -> list[Row]:
        return [r for r in self.rows if r.ok]


Add = Callable[[str, str], None]


def row_key(spec: TableSpec, values: dict[str, Any]) -> tuple[Any, ...] | None:
    """The natural key of a row as compared (names normalized, instants to the second); None when
    a key cell could not be read."""
    parts: list[Any] = []
    for name in spec.key:
        value = values.get(name)
        if value is None:
            if name == "finding_text":
                parts.append("")
                continue
            return None
        if name in {"agency_name", "rotation", "field_office"} or (
            name == "name" and spec.name == "agencies"
        ):
            value = normalized_name(value)
        elif name in {"detainer_issued_at", "starts_at"}:
            value = instant_second(value)
        parts.append(value)
    return tuple(parts)


def _agency_name_columns(spec: TableSpec) -> tuple[str, ...]:
    return ("name",) if spec.name == "agencies" else ("agency_name",) if "agency_name" in spec.header else ()


def check_table(table: SourceTable, findings: Findings) -> CheckedTable:
    spec = table.spec
    checked = CheckedTable(spec, table.source)
    rule = _RULES.get(spec.name)  # a table whose cells say everything has no rule across them
    parsers = [(column.name, parser_for(column)) for column in spec.columns]
    names = _agency_name_columns(spec)
    first_line: dict[tuple[Any, ...], int] = {}
    for source_row in table.rows:
        row = Row(source_row.line, {})
        failed: set[str] = set()

        def add(column: str, message: str, row: Row = row, failed: set[str] = failed) -> None:
            if column in failed:
                return  # a cell that could not be read is not judged again by the row's rules
            findings.problem(table.source, row.line, column, message)
            row.ok = False

        cells = source_row.cells
        values = row.values
        for name, parse in parsers:
            value, problem = parse(cells.get(name))
            if problem is not None:
                if problem == ALREADY_REPORTED:
                    row.ok = False
                else:
                    add(name, problem)
                failed.add(name)
            values[name] = value
        for name in names:
            if values[name] is not None:
                values[name] = _clean(values[name])
        if rule is not None:
            rule(values, add)
        key = row_key(spec, values)
        if key is not None and spec.name == "inspections":
            # Two inspections of one kind on one day are told apart by their summaries.
            key = (*key, values["summary"] or "")
        if key is not None:
            if key in first_line:
                add(
                    spec.key[-1],
                    f"the same {spec.noun} as line {first_line[key]} ({', '.join(spec.key)} repeat)",
                )
            else:
                first_line[key] = row.line
        checked.rows.append(row)
    return checked


def _add_all(add: Add, found: Iterable[Problem]) -> None:
    """The domain's problems: its field names are the tables' column names."""
    for problem in found:
        add(problem.field, problem.message)


def _users(values: dict[str, Any], add: Add) -> None:
    if values["email"]:
        values["email"] = values["email"].lower()
    if why := field_office_problem(values["role"], bool(values["field_office"])):
        add("field_office", why)
    if why := capacity_problem(values["capacity"]):
        add("capacity", why)


def _agencies(values: dict[str, Any], add: Add) -> None:
    ori = values["ori"]
    if ori is not None:
        values["ori"] = ori = ori.upper()
        if values["state"] and (why := ori_problem(ori, values["state"])):
            add("ori", why)
    if why := jail_beds_problem(values["jail_beds"]):
        add("jail_beds", why)


def _agreements(values: dict[str, Any], add: Add) -> None:
    if values["manager_email"]:
        values["manager_email"] = values["manager_email"].lower()
    dates = agreement_date_problems(
        values["status"],
        application_received=values["application_received"],
        signed=values["signed"],
        effective=values["effective"],
        expires=values["expires"],
    )
    _add_all(add, dates)


def _training(values: dict[str, Any], add: Add) -> None:
    course = values["course"]
    if course is not None:
        known = {c.value for c in Course}
        values["course"] = course.lower() if course.lower() in known else " ".join(course.split())


def _equipment(values: dict[str, Any], add: Add) -> None:
    """Stages in order: none dated before an earlier one. Unlike the editor, which records the
    stages as they happen, a table may leave an earlier stage empty (an order known only to be
    operational is still operational)."""
    if values["quantity"] is None:
        values["quantity"] = 1
    elif why := quantity_problem(values["quantity"]):
        add("quantity", why)
    _add_all(add, equipment_stage_problems(values))


def _transfers(values: dict[str, Any], add: Add) -> None:
    a_number = values["a_number"]
    values["a_number_tail"] = None
    if a_number is not None:
        values["a_number"] = a_number = a_number.upper().replace("-", "").replace(" ", "")
        # A masked A-number (an export without full A-numbers) names the stored one, by its tail.
        if (tail := masked_tail(a_number)) is not None:
            values["a_number"], values["a_number_tail"] = None, tail
        elif not is_valid_a_number(a_number):
            # Not quoted whole: a nearly right A-number is subject data all the same.
            add("a_number", f"the value ending {a_number[-2:]!r} is not an A-number: {A_NUMBER_SHAPE}")
    eligible, pickup = values["release_eligible_at"], values["pickup_at"]
    times = transfer_time_problems(
        encounter_on=values["encounter_date"],
        detainer_issued_at=values["detainer_issued_at"],
        release_eligible_at=eligible,
        pickup_at=pickup,
    )
    _add_all(add, times)
    status = values["status"]
    if status is TransferStatus.TRANSFERRED and pickup is None:
        add("pickup_at", "a transfer that is transferred needs the time of the pickup")
    if status is not TransferStatus.TRANSFERRED and status is not None and pickup is not None:
        add("status", f"a transfer with a pickup time is transferred, not {status.value}")
    if status is TransferStatus.AWAITING_PICKUP and eligible is None:
        add("release_eligible_at", "a transfer awaiting pickup needs the time local custody ends")


def _inspections(values: dict[str, Any], add: Add) -> None:
    if not values["finding_text"]:
        for name in ("finding_severity", "corrective_due", "closed_on"):
            if values[name] is not None:
                add(name, "is given for a row without a finding_text")
        return
    if values["finding_severity"] is None:
        values["finding_severity"] = FindingSeverity.MEDIUM
    dates = finding_date_problems(
        values["date"], corrective_due=values["corrective_due"], closed_on=values["closed_on"]
    )
    _add_all(add, dates)


def _stretch(values: dict[str, Any], add: Add, what: str) -> None:
    """[starts_at, ends_at): the end after the start, and within a year of it."""
    start, end = values["starts_at"], values["ends_at"]
    if start is None or end is None:
        return
    if end <= start:
        add("ends_at", f"is not after starts_at: {what} is the half-open interval [starts_at, ends_at)")
    elif end - start > MAX_STRETCH:
        add("ends_at", f"is more than a year after starts_at: not {what}")


def _oncall_shifts(values: dict[str, Any], add: Add) -> None:
    for name in ("primary_email", "backup_email"):
        if values[name]:
            values[name] = values[name].lower()
    _stretch(values, add, "an on-call shift")
    if values["backup_email"] and values["backup_email"] == values["primary_email"]:
        add("backup_email", "is the primary: the backup stands by for someone else")


def _leave(values: dict[str, Any], add: Add) -> None:
    if values["email"]:
        values["email"] = values["email"].lower()
    _stretch(values, add, "on-call leave")


_RULES: dict[str, Callable[[dict[str, Any], Add], None]] = {
    "users": _users,
    "agencies": _agencies,
    "agreements": _agreements,
    "training": _training,
    "equipment": _equipment,
    "transfers": _transfers,
    "inspections": _inspections,
    "oncall_shifts": _oncall_shifts,
    "leave": _leave,
}
