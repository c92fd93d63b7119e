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
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.statuses import (
    ComplaintStatus,
    EquipmentStatus,
    FindingStatus,
    HoldStatus,
    InitialTrainingStatus,
    LoadStatus,
    RefresherStatus,
    RenewalStatus,
    RevocationStatus,
    Rule,
    Status,
    SteeringCommitteeStatus,
)
from pm_desk.domain.scope import caseload_of
from pm_desk.domain.words import days
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

    rule: Rule
    status: Status
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
        items = compliance_results(uow, policy, as_of, caseload_of(manager.id))
    else:
        items = [i for i in items if i.manager and i.manager.lower() == manager.email.lower()]
    # A complaint received after the month's instant was not yet known then.
    later = oq.complaints_received_after(session, (i.id for i in items if i.rule is Rule.COMPLAINT), as_of)
    items = [i for i in items if i.id not in later]
    progress("Reading the caseload", 0.35)
    rows = q.agreement_rows(session, manager.id)
    by_id = {row.id: row for row in rows}
    months = {row.id: AgreementMonth(row) for row in rows}
    _apply_items(months, items, policy)
    officers = q.officer_lines(session, (i.id for i in items if i.rule is Rule.REVOCATION))
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
    overdue = {i.id: int(i.detail.get("days", 0)) for i in items if i.rule is Rule.FINDING}
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
    figures = _figures(agreements, items, revocations, breaches, revoked, general, units, capacity, policy)
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


# What each rule's results add to an agreement's month; the rest are listed as actions.
_COUNTERS: dict[tuple[Rule, Status], str] = {
    (Rule.REFRESHER, RefresherStatus.OVERDUE): "refresher_overdue",
    (Rule.REFRESHER, RefresherStatus.DUE_SOON): "refresher_due_soon",
    (Rule.REVOCATION, RevocationStatus.REVOCATION_DUE): "revocation_due",
    (Rule.INITIAL_TRAINING, InitialTrainingStatus.WAITING): "waiting_initial",
}
_ACTIONS = frozenset({Rule.RENEWAL, Rule.STEERING_COMMITTEE, Rule.COMPLAINT, Rule.FINDING})


def _apply_items(months: dict[str, AgreementMonth], items: list[ComplianceItem], policy: Policy) -> None:
    for item in items:
        month = months.get(item.agreement_id or "")
        if month is None:
            continue
        counter = _COUNTERS.get((item.rule, item.status))
        if counter is not None:
            setattr(month, counter, getattr(month, counter) + 1)
        elif item.rule is Rule.EQUIPMENT:
            month.equipment_alarm = True
        elif item.rule in _ACTIONS:
            month.actions.append(describe(item, policy))


def describe(item: ComplianceItem, policy: Policy) -> ActionItem:
    """A rule result in words, as the catalog explains it (renewal, committee, complaint, finding)."""
    what = catalog.rule_spec(item.rule).noun
    return ActionItem(item.rule, item.status, what, catalog.entry_of(item).explanation(item.result, policy))


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
    mark = f"past {policy.equipment.alarm_days} d" if result.status is EquipmentStatus.ALARM else "late"
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
    holds = [i for i in items if i.rule is Rule.HOLD]
    lines = q.transfer_lines(session, (i.id for i in holds if i.status is HoldStatus.BREACHED))
    for item in holds:
        month = months.get(item.agreement_id or "")
        if month is None:
            continue
        if item.status is HoldStatus.DUE_SOON:
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
    policy: Policy,
) -> list[Figure]:
    """The summary, in two halves: caseload, officers and oversight; then transfers and the rest.
    A figure that calls for action is marked (`alarm`); a rule's figure is labelled by the
    catalog, from the policy in force."""
    n = Counter((i.rule, i.status) for i in items)
    late = sum(1 for b in breaches if not b.still_open)
    reminders_total = len(reminders) + sum(len(a.reminders) for a in agreements)
    load = units / capacity if capacity else 0.0

    def counted_label(rule: Rule, status: Status) -> str:
        label = catalog.entry(rule, status).counted
        assert label is not None, (rule, status)
        return label(policy)

    def counted(key: str, rule: Rule, status: Status, alarm: bool = False) -> tuple[str, str, int, bool]:
        return key, counted_label(rule, status), n[rule, status], alarm and bool(n[rule, status])

    renewals = n[Rule.RENEWAL, RenewalStatus.OVERDUE] + n[Rule.RENEWAL, RenewalStatus.DUE_SOON]
    rows: list[tuple[str, str, int | float | str, bool]] = [
        ("agreements", "Agreements in the caseload", len(agreements), False),
        ("agreements_in_force", "Agreements signed or active",
         sum(1 for a in agreements if a.agreement.status in IN_FORCE_STATUSES), False),
        ("authorized", "Authorized officers", sum(a.authorized for a in agreements), False),
        ("revocation_due", counted_label(Rule.REVOCATION, RevocationStatus.REVOCATION_DUE),
         len(revocations), bool(revocations)),
        ("revoked", "Authority revoked this month", len(revoked), False),
        counted("refresher_overdue", Rule.REFRESHER, RefresherStatus.OVERDUE, alarm=True),
        counted("refresher_due_soon", Rule.REFRESHER, RefresherStatus.DUE_SOON),
        counted("waiting_initial", Rule.INITIAL_TRAINING, InitialTrainingStatus.WAITING),
        counted("equipment_alarm", Rule.EQUIPMENT, EquipmentStatus.ALARM, alarm=True),
        counted("equipment_late", Rule.EQUIPMENT, EquipmentStatus.LATE),
        ("inspections", "Inspections held this month", sum(len(a.inspections) for a in agreements), False),
        ("findings_open", "Findings open", sum(len(a.findings) for a in agreements), False),
        counted("findings_overdue", Rule.FINDING, FindingStatus.OVERDUE, alarm=True),
        ("detainers", "Detainers issued this month", sum(a.detainers_issued for a in agreements), False),
        ("picked_up", "Transfers completed this month", sum(a.picked_up for a in agreements), False),
        ("hold_breaches", "Hold breaches this month", len(breaches), bool(breaches)),
        ("picked_up_late", "  picked up after the deadline", late, False),
        ("open_breached", "  still open past the deadline", len(breaches) - late, False),
        ("released", "Released without pickup this month",
         sum(a.released_no_pickup for a in agreements), False),
        ("open_holds", "Holds open at the end of the period", sum(a.open_at_end for a in agreements), False),
        counted("complaints_late", Rule.COMPLAINT, ComplaintStatus.REPORT_LATE),
        counted("complaints_overdue", Rule.COMPLAINT, ComplaintStatus.RESOLUTION_OVERDUE),
        ("renewals", f"Renewals overdue or due within {days(policy.renewal.due_soon_days)}",
         renewals, bool(n[Rule.RENEWAL, RenewalStatus.OVERDUE])),
        counted("steering", Rule.STEERING_COMMITTEE, SteeringCommitteeStatus.OVERDUE),
        ("reminders", "Reminders overdue", reminders_total, bool(reminders_total)),
        ("load", "Workload units (capacity)", f"{units:.2f} / {capacity:.1f} ({load:.0%})",
         bool(n[Rule.LOAD, LoadStatus.OVERLOAD])),
    ]  # fmt: skip
    return [Figure(*row) for row in rows]
