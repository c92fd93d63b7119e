"""Every row of every table checked on its own: cells read into values, then the rules that
relate the cells of one row (dates in order, an A-number's shape, what a status needs).

The rules are the services' own where they exist (`validate_stages`, `ori_problem`,
`is_valid_a_number`, the date orders of agreements, transfers and findings). Dates are only
compared with each other, never with this computer's clock: an import carries history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from pm_desk.domain.enums import (
    EQUIPMENT_STAGES,
    AgreementStatus,
    Course,
    FindingSeverity,
    Role,
    TransferStatus,
)
from pm_desk.domain.keys import clean_name, is_valid_a_number, normalize_name, ori_problem
from pm_desk.interchange.cells import ALREADY_REPORTED, instant_second, parser_for
from pm_desk.interchange.problems import Findings, shown
from pm_desk.interchange.reading import SourceTable
from pm_desk.interchange.tables import TableSpec

# Agency names repeat on every row that names the agency: clean and normalize each one once.
_clean = lru_cache(maxsize=100_000)(clean_name)
normalized_name = lru_cache(maxsize=100_000)(normalize_name)
STAGES = EQUIPMENT_STAGES
_SIGNED_STATUSES = {AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED}


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
        if name == "agency_name" or (name == "name" and spec.name == "agencies"):
            value = normalized_name(value)
        elif name == "detainer_issued_at":
            value = instant_second(value)
        parts.append(value)
    return tuple(parts)


def _agency_name_columns(spec: TableSpec) -> tuple[str, ...]:
    return ("name",) if spec.name == "agencies" else ("agency_name",) if "agency_name" in spec.header else ()


def check_table(table: SourceTable, findings: Findings) -> CheckedTable:
    spec = table.spec
    checked = CheckedTable(spec, table.source)
    rule = _RULES[spec.name]
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


def _order(add: Add, values: dict[str, Any], earlier: str, later: str, message: str) -> None:
    first, second = values.get(earlier), values.get(later)
    if first is not None and second is not None and second < first:
        add(later, message)


def _users(values: dict[str, Any], add: Add) -> None:
    if values["email"]:
        values["email"] = values["email"].lower()
    role = values["role"]
    if role in {Role.MANAGER, Role.SUPERVISOR} and not values["field_office"]:
        add("field_office", f"a {role.value} belongs to a field office")
    capacity = values["capacity"]
    if capacity is not None and not 0 < capacity <= 100:
        add("capacity", "must be above 0 and at most 100 workload units")


def _agencies(values: dict[str, Any], add: Add) -> None:
    ori = values["ori"]
    if ori is not None:
        values["ori"] = ori = ori.upper()
        if values["state"] and (why := ori_problem(ori, values["state"])):
            add("ori", why)
    beds = values["jail_beds"]
    if beds is not None and not 0 <= beds <= 100_000:
        add("jail_beds", "must be between 0 and 100,000")


def _agreements(values: dict[str, Any], add: Add) -> None:
    if values["manager_email"]:
        values["manager_email"] = values["manager_email"].lower()
    status = values["status"]
    if status in _SIGNED_STATUSES and values["signed"] is None:
        add("signed", f"an agreement that is {status.value} needs its signed date")
    _order(add, values, "application_received", "signed", "cannot be before the application was received")
    _order(add, values, "signed", "effective", "cannot be before it was signed")
    start = values["effective"] or values["signed"]
    if start is not None and values["expires"] is not None and values["expires"] < start:
        add("expires", "cannot be before it took effect")


def _officers(values: dict[str, Any], add: Add) -> None:
    pass


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
    elif not 1 <= values["quantity"] <= 10_000:
        add("quantity", "must be between 1 and 10,000")
    previous: tuple[str, date] | None = None
    for stage in STAGES:
        day = values[stage]
        if day is None:
            continue
        if previous is not None and day < previous[1]:
            add(stage, f"cannot be before the {previous[0]} date ({previous[1].isoformat()})")
        previous = (stage, day)


def _transfers(values: dict[str, Any], add: Add) -> None:
    a_number = values["a_number"]
    if a_number is not None:
        values["a_number"] = a_number = a_number.upper().replace("-", "").replace(" ", "")
        if not is_valid_a_number(a_number):
            add("a_number", f"{shown(a_number)} is not an A-number: A followed by 8 or 9 digits")
    encounter = values["encounter_date"]
    issued, eligible, pickup = (
        values["detainer_issued_at"],
        values["release_eligible_at"],
        values["pickup_at"],
    )
    if encounter and issued and issued.date() < encounter:
        add("detainer_issued_at", "cannot be before the encounter")
    if encounter and eligible and eligible.date() < encounter:
        add("release_eligible_at", "cannot be before the encounter")
    if issued and pickup and pickup < issued:
        add("pickup_at", "cannot be before the detainer was issued")
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
    _order(add, values, "date", "corrective_due", "cannot be before the inspection")
    _order(add, values, "date", "closed_on", "cannot be before the inspection")


_RULES: dict[str, Callable[[dict[str, Any], Add], None]] = {
    "users": _users,
    "agencies": _agencies,
    "agreements": _agreements,
    "officers": _officers,
    "training": _training,
    "equipment": _equipment,
    "transfers": _transfers,
    "inspections": _inspections,
}
