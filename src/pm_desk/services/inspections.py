"""Inspections, their findings and corrective actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import FindingSeverity, InspectionKind
from pm_desk.domain.validation import MAX_LONG_TEXT, finding_date_problems
from pm_desk.services.errors import Problems, field_error
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_agreement_write
from pm_desk.services.records import (
    add_problems,
    check_not_future,
    check_text,
    check_version,
    check_years,
    clean_text,
    load,
)
from pm_desk.store.models import Agreement, Finding, Inspection
from pm_desk.store.uow import UnitOfWork


@write_operation("inspection.create")
def create_inspection(
    uow: UnitOfWork,
    actor: Actor,
    agreement_id: str,
    held_on: date,
    kind: InspectionKind,
    summary: str | None = None,
) -> str:
    agreement = load(uow, Agreement, agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, "record inspections")
    problems = Problems()
    problems.require("held_on", held_on, "date")
    check_not_future(problems, "held_on", held_on, uow.now().date())
    check_years(problems, held_on=held_on)
    check_text(problems, "summary", summary, MAX_LONG_TEXT)
    problems.raise_if_any()
    inspection = Inspection(
        agreement_id=agreement_id, held_on=held_on, kind=kind, summary=clean_text(summary)
    )
    uow.session.add(inspection)
    uow.session.flush()
    return inspection.id


@write_operation("inspection.update")
def update_inspection(
    uow: UnitOfWork,
    actor: Actor,
    inspection_id: str,
    held_on: date,
    kind: InspectionKind,
    summary: str | None,
    expected_version: int | None = None,
) -> int:
    inspection = load(uow, Inspection, inspection_id, "inspection")
    require_agreement_write(
        uow, actor, load(uow, Agreement, inspection.agreement_id, "agreement"), "change inspections"
    )
    check_version(inspection, expected_version, "inspection")
    problems = Problems()
    problems.require("held_on", held_on, "date")
    check_not_future(problems, "held_on", held_on, uow.now().date())
    check_years(problems, held_on=held_on)
    check_text(problems, "summary", summary, MAX_LONG_TEXT)
    problems.raise_if_any()
    inspection.held_on, inspection.kind, inspection.summary = held_on, kind, clean_text(summary)
    uow.session.flush()
    return inspection.version


@dataclass
class FindingInput:
    text: str
    severity: FindingSeverity = FindingSeverity.MEDIUM
    corrective_action: str | None = None
    corrective_due: date | None = None
    closed_on: date | None = None


def _finding_values(uow: UnitOfWork, inspection: Inspection, data: FindingInput) -> dict[str, object]:
    problems = Problems()
    problems.require("text", data.text, "finding")
    check_text(problems, "text", data.text, MAX_LONG_TEXT)
    check_text(problems, "corrective_action", data.corrective_action, MAX_LONG_TEXT)
    dates = finding_date_problems(
        inspection.held_on, corrective_due=data.corrective_due, closed_on=data.closed_on
    )
    add_problems(problems, dates)
    check_not_future(problems, "closed_on", data.closed_on, uow.now().date())
    check_years(problems, corrective_due=data.corrective_due, closed_on=data.closed_on)
    problems.raise_if_any()
    return {
        "text": data.text.strip(),
        "severity": data.severity,
        "corrective_action": clean_text(data.corrective_action),
        "corrective_due": data.corrective_due,
        "closed_on": data.closed_on,
    }


def _inspection_for_write(uow: UnitOfWork, actor: Actor, inspection_id: str, doing: str) -> Inspection:
    inspection = load(uow, Inspection, inspection_id, "inspection")
    require_agreement_write(uow, actor, load(uow, Agreement, inspection.agreement_id, "agreement"), doing)
    return inspection


@write_operation("finding.create")
def add_finding(uow: UnitOfWork, actor: Actor, inspection_id: str, data: FindingInput) -> str:
    inspection = _inspection_for_write(uow, actor, inspection_id, "record findings")
    finding = Finding(inspection_id=inspection_id, **_finding_values(uow, inspection, data))
    uow.session.add(finding)
    uow.session.flush()
    return finding.id


@write_operation("finding.update")
def update_finding(
    uow: UnitOfWork, actor: Actor, finding_id: str, data: FindingInput, expected_version: int | None = None
) -> int:
    finding = load(uow, Finding, finding_id, "finding")
    inspection = _inspection_for_write(uow, actor, finding.inspection_id, "change findings")
    check_version(finding, expected_version, "finding")
    for key, value in _finding_values(uow, inspection, data).items():
        setattr(finding, key, value)
    uow.session.flush()
    return finding.version


@write_operation("finding.close")
def close_finding(uow: UnitOfWork, actor: Actor, finding_id: str, closed_on: date | None = None) -> None:
    """The corrective action is done: close the finding (today unless told)."""
    finding = load(uow, Finding, finding_id, "finding")
    inspection = _inspection_for_write(uow, actor, finding.inspection_id, "close findings")
    if finding.closed_on is not None:
        raise field_error("closed_on", f"the finding was already closed on {finding.closed_on.isoformat()}")
    day = closed_on or uow.now().date()
    problems = Problems()
    check_not_future(problems, "closed_on", day, uow.now().date())
    check_years(problems, closed_on=day)
    add_problems(problems, finding_date_problems(inspection.held_on, closed_on=day))
    problems.raise_if_any()
    finding.closed_on = day
