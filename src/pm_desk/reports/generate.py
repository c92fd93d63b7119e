"""One entry point for every report: what to print (a request) in, the PDF and its name out.

The command line and the Reports page both call `generate_report`, so a report printed from
either is the same report. It only reads; the progress callback may raise to cancel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy
from pm_desk.services.errors import field_error
from pm_desk.services.filing import FilingCheck, check_filing
from pm_desk.services.permissions import can_see_subject_details
from pm_desk.services.reporting import Generated, Progress, no_progress
from pm_desk.services.reporting_monthly import MonthlyReport
from pm_desk.store.database import Database

T = TypeVar("T")
KINDS = ("monthly", "agreement", "program", "staffing", "oncall")
KIND_TITLES = {
    "monthly": "Monthly compliance (per manager)",
    "agreement": "Agreement packet",
    "program": "Program compliance (HQ)",
    "staffing": "Staffing analysis",
    "oncall": "On-call rota",
}


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    month: date | None = None  # monthly, program: the first day of the month
    manager_email: str | None = None  # monthly
    agreement_id: str | None = None  # agreement
    date_from: date | None = None  # oncall
    date_to: date | None = None  # oncall


@dataclass(frozen=True)
class ReportOutput:
    pdf: bytes
    filename: str  # a suggested file name
    title: str
    # A filed month regenerated: whether it still matches (monthly only).
    filing: FilingCheck | None = None
    monthly: MonthlyReport | None = None  # kept so that the month can be filed as previewed


def generated_by(actor: Actor | None, at: datetime, fallback: str = "PM Desk") -> Generated:
    if actor is None:
        return Generated(at, fallback, None, False)
    return Generated(at, actor.name, actor.email, can_see_subject_details(actor))


def generate_report(
    db: Database,
    policy: Policy,
    request: ReportRequest,
    generated: Generated,
    progress: Progress = no_progress,
) -> ReportOutput:
    """The PDF of `request` (a read of the database; raises ServiceError with a sentence)."""
    if request.kind == "monthly":
        return _monthly(db, policy, request, generated, progress)
    if request.kind == "program":
        from pm_desk.reports.program import render_program
        from pm_desk.services.reporting_program import program_report

        month = _required(request.month, "month")
        with db.uow() as uow:
            report = program_report(uow, policy, month, generated, progress)
        pdf = render_program(report, policy, progress)
        return ReportOutput(pdf, f"program-{month:%Y-%m}.pdf", f"Program report, {report.period.label}")
    if request.kind == "staffing":
        from pm_desk.reports.staffing import render_staffing
        from pm_desk.services.reporting_staffing import staffing_report

        with db.uow() as uow:
            staffing = staffing_report(uow, policy, generated, progress)
        pdf = render_staffing(staffing, policy, progress)
        return ReportOutput(pdf, f"staffing-{generated.at:%Y-%m-%d}.pdf", "Staffing analysis")
    if request.kind == "oncall":
        from pm_desk.reports.oncall import render_oncall
        from pm_desk.services.reporting_oncall import oncall_report

        start, end = _required(request.date_from, "from"), _required(request.date_to, "to")
        with db.uow() as uow:
            oncall = oncall_report(uow, policy, start, end, generated, progress)
        pdf = render_oncall(oncall, policy, progress)
        return ReportOutput(pdf, f"oncall-{start.isoformat()}-{end.isoformat()}.pdf", "On-call rota")
    if request.kind == "agreement":
        from pm_desk.reports.agreement import render_agreement
        from pm_desk.services.reporting_agreement import agreement_report

        agreement_id = _required(request.agreement_id, "agreement")
        with db.uow() as uow:
            packet = agreement_report(uow, policy, agreement_id, generated, progress)
        pdf = render_agreement(packet, policy, progress)
        name = "".join(c if c.isalnum() else "-" for c in packet.agreement.agency.lower()).strip("-")
        return ReportOutput(pdf, f"agreement-{name}-{packet.agreement.model.value}.pdf", "Agreement packet")
    raise field_error("kind", f"unknown report {request.kind!r} (known: {', '.join(KINDS)})")


def _monthly(
    db: Database, policy: Policy, request: ReportRequest, generated: Generated, progress: Progress
) -> ReportOutput:
    from pm_desk.reports.monthly import render_monthly
    from pm_desk.services.reporting_monthly import monthly_report

    month = _required(request.month, "month")
    email = _required(request.manager_email, "manager")
    with db.uow() as uow:
        report = monthly_report(uow, policy, email, month, generated, progress)
        filing = check_filing(uow, report)
    pdf = render_monthly(report, policy, filing, progress)
    local = report.manager.email.split("@", 1)[0]
    return ReportOutput(
        pdf,
        f"monthly-{month:%Y-%m}-{local}.pdf",
        f"Monthly report, {report.manager.name}, {report.period.label}",
        filing,
        report,
    )


def _required(value: T | None, name: str) -> T:
    if value is None:
        raise field_error(name, "required for this report")
    return value
