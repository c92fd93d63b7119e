"""The monthly compliance report of one manager, assembled as plain rows.

Every figure comes from `compliance_results` (measured at the month's last second, or now) or
from a domain rule applied to the month's records (the closed-hold outcome of each transfer
picked up in the month), so the report agrees with Today and `pm-desk compliance`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from pm_desk.domain import rules
from pm_desk.domain.clock import utc_date
from pm_desk.domain.enums import IN_FORCE_STATUSES, Role, TransferStatus
from pm_desk.domain.facts import AgreementFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.workload import capacity_of, caseload_units
from pm_desk.services.compliance import ComplianceItem, compliance_results
from pm_desk.services.errors import NotFound, field_error
from pm_desk.services.reporting import (
    BreachRow,
    Generated,
    Progress,
    ReportPeriod,
    RevocationRow,
    closed_breach,
    month_period,
    no_progress,
    open_breach,
    revocation_rows,
    sort_breaches,
)
from pm_desk.store.queries import compliance as cq
from pm_desk.store.queries import report_oversight as oq
from pm_desk.store.queries import reports as q
from pm_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class Figure:
    """One line of the summary: what is counted, how many, and whether it calls for action."""

    key: str
    label: str
    value: int | float | str
    alarm: bool = False


@dataclass(frozen=True)
class ActionItem:
    """A compliance result other than a revocation or a hold, described for the page."""

    rule: str
    status: str
    what: str
    detail: str


@dataclass
class AgreementMonth:
    agreement: q.AgreementRow
    authorized: int = 0
    refresher_due_soon: int = 0
    refresher_overdue: int = 0
    revocation_due: int = 0
    revoked: list[q.RevokedLine] = field(default_factory=list)
    waiting_initial: int = 0
    equipment: str = ""
    equipment_alarm: bool = False
    detainers_issued: int = 0
    picked_up: int = 0
    picked_up_late: int = 0
    released_no_pickup: int = 0
    open_at_end: int = 0
    open_breached: int = 0
    open_due_soon: int = 0
    breaches: list[BreachRow] = field(default_factory=list)
    inspections: list[oq.InspectionLine] = field(default_factory=list)
    findings: list[tuple[oq.FindingLine, int | None]] = field(default_factory=list)  # (finding, days overdue)
    reminders: list[oq.ReminderLine] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)


@dataclass(frozen=True)
class MonthlyReport:
    period: ReportPeriod
    as_of: datetime
    manager: q.PersonRow
    generated: Generated
    figures: list[Figure]
    revocations: list[RevocationRow]
    breaches: list[BreachRow]
    agreements: list[AgreementMonth]
    revoked: list[q.RevokedLine]
    reminders: list[oq.ReminderLine]  # overdue reminders not about one agreement
    units: float
    capacity: float


def report_manager(uow: UnitOfWork, email: str) -> q.PersonRow:
    """The manager a monthly report is for; a sentence when the email is not one."""
    person = q.person_by_email(uow.session, email)
    if person is None:
        raise NotFound(f"no user with the email {email.strip()!r}")
    if person.role is not Role.MANAGER:
        raise field_error(
            "manager", f"{person.name} is {person.role.value}, not a manager: monthly reports are per manager"
        )
    return person


def monthly_report(
    uow: UnitOfWork,
    policy: Policy,
    manager_email: str,
    month: date,
    generated: Generated,
    progress: Progress = no_progress,
    items: list[ComplianceItem] | None = None,
) -> MonthlyReport:
    """The month of one manager's caseload. `items`, when given, are the program's compliance
    results at the month's instant (several managers' reports share one computation)."""
    session = uow.session
    period = month_period(month)
    as_of = period.as_of(generated.at)
    window_end = period.window_end(generated.at)
    manager = report_manager(uow, manager_email)
    progress("Checking compliance", 0.05)
    if items is None:
        items = compliance_results(uow, policy, as_of, manager.email)
    else:
        items = [i for i in items if i.manager and i.manager.lower() == manager.email.lower()]
    # A complaint received after the month's instant was not yet known then.
    later = oq.complaints_received_after(session, (i.id for i in items if i.rule == "complaint"), as_of)
    items = [i for i in items if i.id not in later]
    progress("Reading the caseload", 0.35)
    rows = q.agreement_rows(session, manager.id)
    by_id = {row.id: row for row in rows}
    months = {row.id: AgreementMonth(row) for row in rows}
    _apply_items(months, items)
    officers = q.officer_lines(session, (i.id for i in items if i.rule == "revocation"))
    revocations = revocation_rows(items, officers, by_id)
    for agreement_id, count in q.authorized_counts(session, manager.id).items():
        if agreement_id in months:
            months[agreement_id].authorized = count
    revoked = q.revocations_done(session, period.start_at, window_end, manager.id)
    for line in revoked:
        if line.agreement_id in months:
            months[line.agreement_id].revoked.append(line)
    _equipment(session, months, manager.id, as_of, policy)
    progress("Reading the month's custody transfers", 0.5)
    breaches = _transfers(uow, policy, months, by_id, items, period, as_of, window_end, manager.id)
    progress("Reading inspections and reminders", 0.75)
    for inspection in oq.inspections_held(session, period.start, utc_date(as_of), manager.id):
        if inspection.agreement_id in months:
            months[inspection.agreement_id].inspections.append(inspection)
    overdue = {i.id: int(i.detail.get("days", 0)) for i in items if i.rule == "finding"}
    for finding in oq.findings_of(session, manager.id):
        if finding.agreement_id in months:
            months[finding.agreement_id].findings.append((finding, overdue.get(finding.id)))
    general: list[oq.ReminderLine] = []
    for reminder in oq.reminders_overdue(session, manager.id, as_of):
        target = months.get(reminder.subject_id or "") if reminder.subject_kind == "agreement" else None
        (target.reminders if target else general).append(reminder)
    work = cq.agreement_work(session, as_of, policy.workload.recent_transfer_days, manager.id)
    units = caseload_units(work.get(manager.id, []), policy)
    capacity = capacity_of(manager.capacity, policy)
    agreements = list(months.values())
    figures = _figures(agreements, items, revocations, breaches, revoked, general, units, capacity)
    progress("Laying out the report", 0.85)
    return MonthlyReport(
        period,
        as_of,
        manager,
        generated,
        figures,
        revocations,
        breaches,
        agreements,
        revoked,
        general,
        units,
        capacity,
    )


def _apply_items(months: dict[str, AgreementMonth], items: list[ComplianceItem]) -> None:
    for item in items:
        month = months.get(item.agreement_id or "")
        if month is None:
            continue
        if item.rule == "refresher":
            if item.status == "overdue":
                month.refresher_overdue += 1
            else:
                month.refresher_due_soon += 1
        elif item.rule == "revocation":
            month.revocation_due += 1
        elif item.rule == "initial_training":
            month.waiting_initial += 1
        elif item.rule == "equipment":
            month.equipment_alarm = True
        elif item.rule in {"renewal", "steering_committee", "complaint", "finding"}:
            month.actions.append(describe(item))


def describe(item: ComplianceItem) -> ActionItem:
    """A rule result in words (renewal, steering committee, complaint, finding)."""
    d, due = item.detail, item.due.isoformat() if item.due is not None else ""
    what = {
        "renewal": "Agreement renewal",
        "steering_committee": "Steering committee meeting",
        "complaint": "Complaint",
        "finding": "Corrective action",
    }.get(item.rule, item.rule.replace("_", " ").capitalize())
    if item.rule == "complaint" and item.status == "report_late":
        text = f"reported to ICE {d.get('hours_late', 0):.1f} h after the 48-hour limit (due {due[:16]}Z)"
        return ActionItem(item.rule, item.status, what, text)
    if item.rule == "complaint":
        return ActionItem(item.rule, item.status, what, f"open {d.get('days', 0)} d past 90 days")
    days = int(d.get("days", 0))
    when = f"{days} d overdue (due {due})" if days > 0 else f"due {due} (in {-days} d)"
    return ActionItem(item.rule, item.status, what, when)


def _equipment(
    session: Session, months: dict[str, AgreementMonth], manager_id: str, as_of: datetime, policy: Policy
) -> None:
    inputs = cq.ComplianceInputs()
    cq.load_agreements(session, inputs, manager_id)
    for facts in inputs.agreements:
        month = months.get(facts.id)
        if month is not None:
            month.equipment = equipment_text(facts, as_of, policy)


def equipment_text(facts: AgreementFacts, as_of: datetime, policy: Policy) -> str:
    """The equipment clock of an agreement in words, with the rule's verdict."""
    if facts.signed_on is None:
        return "not signed"
    if facts.operational_on is not None:
        days = (facts.operational_on - facts.signed_on).days
        return f"operational {facts.operational_on.isoformat()} ({days} d after signing)"
    days = (utc_date(as_of) - facts.signed_on).days
    if facts.status not in IN_FORCE_STATUSES:
        return f"not operational ({facts.status.value})"
    result = rules.equipment(facts, as_of, policy)
    if result is None:
        return f"{days} d since signing"
    mark = f"past {policy.equipment.alarm_days} d" if result.status == "alarm" else "late"
    return f"{days} d since signing ({mark})"


def _transfers(
    uow: UnitOfWork,
    policy: Policy,
    months: dict[str, AgreementMonth],
    by_id: dict[str, q.AgreementRow],
    items: list[ComplianceItem],
    period: ReportPeriod,
    as_of: datetime,
    window_end: datetime,
    manager_id: str,
) -> list[BreachRow]:
    session = uow.session
    breaches: list[BreachRow] = []
    for line in q.transfers_ended(session, period.start_at, window_end, manager_id):
        month = months.get(line.agreement_id)
        if month is None:
            continue
        if line.status is TransferStatus.RELEASED_NO_PICKUP:
            month.released_no_pickup += 1
            continue
        month.picked_up += 1
        breach = closed_breach(line, by_id.get(line.agreement_id), policy)
        if breach is not None:
            month.picked_up_late += 1
            breaches.append(breach)
    holds = [i for i in items if i.rule == "hold"]
    lines = q.transfer_lines(session, (i.id for i in holds if i.status == "breached"))
    for item in holds:
        month = months.get(item.agreement_id or "")
        if month is None:
            continue
        if item.status == "due_soon":
            month.open_due_soon += 1
        elif item.id in lines:
            month.open_breached += 1
            breaches.append(open_breach(item, lines[item.id], by_id.get(month.agreement.id)))
    for agreement_id, count in q.detainers_issued(session, period.start_at, window_end, manager_id).items():
        if agreement_id in months:
            months[agreement_id].detainers_issued = count
    for agreement_id, count in q.open_holds(session, as_of, manager_id).items():
        if agreement_id in months:
            months[agreement_id].open_at_end = count
    breaches = sort_breaches(breaches)
    for breach in breaches:
        months[breach.agreement_id].breaches.append(breach)
    return breaches


def _figures(
    agreements: list[AgreementMonth],
    items: list[ComplianceItem],
    revocations: list[RevocationRow],
    breaches: list[BreachRow],
    revoked: list[q.RevokedLine],
    reminders: list[oq.ReminderLine],
    units: float,
    capacity: float,
) -> list[Figure]:
    """The summary, in two halves: caseload, officers and oversight; then transfers and the rest.
    A figure that calls for action is marked (`alarm`)."""
    n = Counter((i.rule, i.status) for i in items)
    late = sum(1 for b in breaches if not b.still_open)
    reminders_total = len(reminders) + sum(len(a.reminders) for a in agreements)
    load = units / capacity if capacity else 0.0
    rows: list[tuple[str, str, int | float | str, bool]] = [
        ("agreements", "Agreements in the caseload", len(agreements), False),
        ("agreements_in_force", "Agreements signed or active",
         sum(1 for a in agreements if a.agreement.status in IN_FORCE_STATUSES), False),
        ("authorized", "Authorized officers", sum(a.authorized for a in agreements), False),
        ("revocation_due", "Officers due for revocation", len(revocations), bool(revocations)),
        ("revoked", "Authority revoked this month", len(revoked), False),
        ("refresher_overdue", "Refreshers overdue", n["refresher", "overdue"],
         bool(n["refresher", "overdue"])),
        ("refresher_due_soon", "Refreshers due within 30 days", n["refresher", "due_soon"], False),
        ("waiting_initial", "Officers waiting for initial training", n["initial_training", "waiting"], False),
        ("equipment_alarm", "Agreements past 200 days without equipment", n["equipment", "alarm"],
         bool(n["equipment", "alarm"])),
        ("equipment_late", "Agreements past 180 days without equipment", n["equipment", "late"], False),
        ("inspections", "Inspections held this month", sum(len(a.inspections) for a in agreements), False),
        ("findings_open", "Findings open", sum(len(a.findings) for a in agreements), False),
        ("findings_overdue", "Findings past their corrective due date", n["finding", "overdue"],
         bool(n["finding", "overdue"])),
        ("detainers", "Detainers issued this month", sum(a.detainers_issued for a in agreements), False),
        ("picked_up", "Transfers completed this month", sum(a.picked_up for a in agreements), False),
        ("hold_breaches", "Hold breaches this month", len(breaches), bool(breaches)),
        ("picked_up_late", "  picked up after the deadline", late, False),
        ("open_breached", "  still open past the deadline", len(breaches) - late, False),
        ("released", "Released without pickup this month",
         sum(a.released_no_pickup for a in agreements), False),
        ("open_holds", "Holds open at the end of the period", sum(a.open_at_end for a in agreements), False),
        ("complaints_late", "Complaints reported late", n["complaint", "report_late"], False),
        ("complaints_overdue", "Complaints open past 90 days", n["complaint", "resolution_overdue"], False),
        ("renewals", "Renewals overdue or due within 90 days",
         n["renewal", "overdue"] + n["renewal", "due_soon"], bool(n["renewal", "overdue"])),
        ("steering", "Steering committees overdue", n["steering_committee", "overdue"], False),
        ("reminders", "Reminders overdue", reminders_total, bool(reminders_total)),
        ("load", "Workload units (capacity)", f"{units:.2f} / {capacity:.1f} ({load:.0%})",
         bool(n["load", "overload"])),
    ]  # fmt: skip
    return [Figure(*row) for row in rows]
