"""Columns of the lists that come from the rules, computed on each fetched page.

The store sorts and pages the rows; these functions add what only the rules can say (training
state, refresher due, the equipment clock, time left on a hold, the complaint clocks), so a list
shows exactly what compliance, Today and the reports say about the same record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pm_desk.domain import rules
from pm_desk.domain.clock import utc_date
from pm_desk.domain.enums import (
    EQUIPMENT_STAGES,
    OPEN_HOLD_STATUSES,
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    TransferStatus,
)
from pm_desk.domain.facts import AgreementFacts, ComplaintFacts, FindingFacts, OfficerFacts, TransferFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.cases import complaint_report_due
from pm_desk.domain.rules.standing import officer_standing
from pm_desk.domain.rules.statuses import ComplaintStatus, HoldStatus


@dataclass(frozen=True, slots=True)
class Cell:
    """A computed value: its text, how alarming it is, and a value to sort or count by."""

    text: str
    tone: str | None = None  # None, "ok", "warn", "alarm", "muted"
    value: Any = None
    # A cell that changes with the clock (a countdown): gives the cell for another instant.
    live: Callable[[datetime], Cell] | None = field(default=None, compare=False)

    def at(self, now: datetime) -> Cell:
        return self.live(now) if self.live is not None else self


Row = Sequence[Any]
Deriver = Callable[[Row, dict[str, int], datetime, Policy], tuple[Cell, ...]]


def duration_text(hours: float) -> str:
    """`5 h 12 min`, `2 d 3 h`; negative durations read as overdue by the caller."""
    minutes = int(abs(hours) * 60)
    days, rest = divmod(minutes, 24 * 60)
    h, m = divmod(rest, 60)
    if days:
        return f"{days} d {h} h"
    if h:
        return f"{h} h {m:02d} min"
    return f"{m} min"


def _officer(row: Row, at: dict[str, int], as_of: datetime, policy: Policy) -> tuple[Cell, ...]:
    facts = OfficerFacts(
        row[0],
        AuthorityStatus(row[at["authority"]]),
        row[at["nominated_on"]],
        _date(row[at["initial_on"]]),
        _date(row[at["latest_on"]]),
    )
    standing = officer_standing(facts, as_of, policy)
    due = rules.refresher_due(facts, policy)
    due_cell = Cell(due.isoformat() if due else "", None, due)
    text = standing.text[:1].upper() + standing.text[1:]
    tone = standing.severity.tone if standing.severity else "ok" if standing.current else "muted"
    return Cell(text, tone, standing.rank), due_cell


def _queue(row: Row, at: dict[str, int], as_of: datetime, policy: Policy) -> tuple[Cell, ...]:
    nominated = row[at["nominated_on"]]
    if nominated is None:
        return (Cell("", None, None),)
    days = (utc_date(as_of) - nominated).days
    wait = policy.initial_training
    tone = "alarm" if days > wait.wait_late_days else "warn" if days > wait.wait_warn_days else None
    return (Cell(f"{days} d", tone, days),)


def _equipment(row: Row, at: dict[str, int], as_of: datetime, policy: Policy) -> tuple[Cell, ...]:
    signed = row[at["signed_on"]]
    operational = row[at["operational_on"]]
    next_stage = next((s for s in EQUIPMENT_STAGES if row[at[f"{s}_on"]] is None), None)
    stage_cell = Cell(next_stage or "operational", None if next_stage else "ok", next_stage)
    if signed is None:
        return Cell("not signed", "muted", None), stage_cell
    if operational is not None:
        days = (operational - signed).days
        return Cell(
            f"{days} d to operational", "alarm" if days > policy.equipment.alarm_days else "ok", days
        ), stage_cell
    facts = AgreementFacts(
        row[0],
        AgreementStatus(row[at["agreement_status"]]),
        AgreementModel.JAIL_ENFORCEMENT,
        signed,
        None,
        None,
        None,
        None,
    )
    result = rules.equipment(facts, as_of, policy)
    days = (utc_date(as_of) - signed).days
    if result is None:
        return Cell(f"{days} d", None, days), stage_cell
    entry = catalog.entry_of(result)
    return Cell(f"{days} d ({entry.word(policy)})", entry.severity.tone, days), stage_cell


def countdown(seconds: float) -> str:
    """`05:12:08` under a day, `2 d 3 h` beyond: a hold's time left as it ticks."""
    if abs(seconds) >= 86_400:
        return duration_text(abs(seconds) / 3600)
    whole = int(abs(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def hold_cell(facts: TransferFacts, now: datetime, policy: Policy) -> Cell:
    """Time left on an open hold, or how far over, by the hold rule at `now` (ticks live)."""
    assert facts.release_eligible_at is not None
    deadline = rules.hold_deadline(facts.release_eligible_at, policy)
    left = (deadline - now.astimezone(UTC)).total_seconds()
    result = rules.hold(facts, now, policy)
    live: Callable[[datetime], Cell] = lambda later: hold_cell(facts, later, policy)  # noqa: E731
    tone = catalog.entry_of(result).severity.tone if result is not None else None
    if result is not None and result.status is HoldStatus.BREACHED:
        return Cell(f"OVER by {countdown(left)}", tone, left / 3600, live)
    return Cell(f"{countdown(left)} left", tone, left / 3600, live)


def hold_standing(facts: TransferFacts, now: datetime, policy: Policy) -> str:
    """Where a transfer's hold stands, by the hold rules: time left, how far over, or in time."""
    if facts.release_eligible_at is None:
        return f"no release-eligible time yet: the {policy.hold.hours}-hour clock has not started"
    outcome = rules.closed_hold_outcome(facts, policy)
    if outcome is not None:
        if outcome.breached:
            return f"BREACHED: picked up {duration_text(outcome.hours_over)} after the deadline"
        return "picked up within the hold"
    if facts.status in OPEN_HOLD_STATUSES:
        return hold_cell(facts, now, policy).text
    return "closed"


def _transfer(row: Row, at: dict[str, int], as_of: datetime, policy: Policy) -> tuple[Cell, ...]:
    eligible = row[at["release_eligible_at"]]
    status = TransferStatus(row[at["status"]])
    if eligible is None:
        return (Cell("no release time yet", "muted", None),)
    facts = TransferFacts(row[0], status, eligible, row[at["pickup_at"]])
    outcome = rules.closed_hold_outcome(facts, policy)
    if outcome is not None:
        if outcome.breached:
            return (Cell(f"breached by {duration_text(outcome.hours_over)}", "alarm", -outcome.hours_over),)
        return (Cell("picked up in time", "ok", None),)
    if status not in OPEN_HOLD_STATUSES:
        return (Cell("—", "muted", None),)
    return (hold_cell(facts, as_of, policy),)


def _complaint(row: Row, at: dict[str, int], as_of: datetime, policy: Policy) -> tuple[Cell, ...]:
    received, reported, closed = row[at["received_at"]], row[at["reported_at"]], row[at["closed_on"]]
    facts = ComplaintFacts(row[0], received, reported, closed)
    results = {r.status: r for r in rules.complaint(facts, as_of, policy)}
    due = complaint_report_due(received, policy)
    if ComplaintStatus.REPORT_LATE in results:
        late = results[ComplaintStatus.REPORT_LATE].detail["hours_late"]
        report = Cell(f"late by {duration_text(late)}", "alarm", late)
    elif reported is not None:
        report = Cell("reported in time", "ok", None)
    else:
        left = (due - as_of.astimezone(UTC)).total_seconds() / 3600
        report = Cell(f"{duration_text(left)} to report", "warn", left)
    if closed is not None:
        resolution = Cell(f"closed {closed.isoformat()}", "ok", None)
    elif ComplaintStatus.RESOLUTION_OVERDUE in results:
        days = results[ComplaintStatus.RESOLUTION_OVERDUE].detail["days"]
        resolution = Cell(f"overdue by {days} d", "alarm", None)
    else:
        days_open = (utc_date(as_of) - utc_date(received)).days
        resolution = Cell(f"open {days_open} d of {policy.complaint.resolution_days}", None, days_open)
    return report, resolution


def _inspection(row: Row, at: dict[str, int], as_of: datetime, policy: Policy) -> tuple[Cell, ...]:
    open_findings, next_due = row[at["open_findings"]], _date(row[at["next_due"]])
    if not open_findings:
        return (
            Cell(
                "all closed" if row[at["findings"]] else "no findings", "ok" if row[at["findings"]] else None
            ),
        )
    overdue = rules.finding(FindingFacts(row[0], next_due, None), as_of)
    if overdue is not None:
        return (Cell(f"overdue {overdue.detail['days']} d", "alarm", next_due),)
    return (Cell(f"{open_findings} open", "warn", next_due),)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


DERIVERS: dict[str, Deriver] = {
    "officers": _officer,
    "training_queue": _queue,
    "equipment": _equipment,
    "transfers": _transfer,
    "complaints": _complaint,
    "inspections": _inspection,
}


def derive(
    list_name: str, rows: Sequence[Row], positions: dict[str, int], as_of: datetime, policy: Policy
) -> list[tuple[Cell, ...]]:
    """The derived cells of each row, in the order of the list's derived columns."""
    deriver = DERIVERS.get(list_name)
    if deriver is None:
        return [() for _ in rows]
    return [deriver(row, positions, as_of, policy) for row in rows]
