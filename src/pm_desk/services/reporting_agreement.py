"""The agreement packet: one agreement's full picture now, and its history.

Each officer's standing, each complaint's clocks, the equipment clock and every open rule result
come from the domain rules and `compliance_results`; the transfers of the last twelve months are
read as a stream and counted with the closed-hold rule.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import pm_desk.store.queries.report_oversight as oq
import pm_desk.store.queries.reports as q
from pm_desk.domain import rules
from pm_desk.domain.clock import utc_date
from pm_desk.domain.enums import TransferStatus
from pm_desk.domain.facts import ComplaintFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.standing import officer_standing
from pm_desk.domain.rules.statuses import ComplaintStatus, HoldStatus, Rule, Severity
from pm_desk.domain.scope import PROGRAM, Scope, caseload_of
from pm_desk.services.compliance import compliance_results
from pm_desk.services.errors import NotFound
from pm_desk.services.reporting import (
    BreachRow,
    Generated,
    Progress,
    closed_breach,
    month_period,
    no_progress,
    open_breach,
    previous_months,
    sort_breaches,
)
from pm_desk.services.reporting_monthly import ActionItem, describe, equipment_text
from pm_desk.store.queries import compliance as cq
from pm_desk.store.queries import report_agreement as aq
from pm_desk.store.uow import UnitOfWork

# Results the packet shows in their own sections (officers, custody transfers), not as actions.
_SHOWN_ELSEWHERE = frozenset({Rule.HOLD, Rule.REFRESHER, Rule.REVOCATION, Rule.INITIAL_TRAINING})


@dataclass(frozen=True)
class OfficerStanding:
    name: str
    badge: str
    rank: str | None
    status: str
    initial_on: date | None
    latest_on: date | None
    refresher_due: date | None
    standing: str
    alarm: bool


@dataclass(frozen=True)
class TransferMonth:
    month: date
    issued: int
    picked_up: int
    late: int
    released: int


@dataclass(frozen=True)
class AgreementPacket:
    as_of: datetime
    generated: Generated
    agreement: q.AgreementRow
    agency: aq.AgencyFacts
    equipment: str
    managers: list[aq.HistoryRow]
    officers: list[OfficerStanding]
    authority_history: list[aq.HistoryRow]
    orders: list[aq.OrderRow]
    transfer_months: list[TransferMonth]
    breaches: list[BreachRow]
    inspections: list[oq.InspectionLine]
    findings: list[oq.FindingLine]
    complaints: list[tuple[aq.ComplaintRow, str]]
    actions: list[ActionItem]
    record_history: list[aq.HistoryRow]


def agreement_report(
    uow: UnitOfWork, policy: Policy, agreement_id: str, generated: Generated, progress: Progress = no_progress
) -> AgreementPacket:
    """Any role may read it."""
    session = uow.session
    as_of = generated.at
    rows = q.agreement_rows(session, agreement_id=agreement_id)
    agency = aq.agency_facts(session, agreement_id)
    if not rows or agency is None:
        raise NotFound(f"no agreement with the id {agreement_id!r}")
    agreement = rows[0]
    progress("Checking compliance", 0.1)
    items = [
        i
        for i in compliance_results(uow, policy, as_of, _caseload(agreement.manager_id))
        if i.agreement_id == agreement_id
    ]
    inputs = cq.ComplianceInputs()
    cq.load_agreements(session, inputs, agreement.manager_id)
    facts = next((f for f in inputs.agreements if f.id == agreement_id), None)
    progress("Reading officers", 0.3)
    officers = [_standing(o, as_of, policy) for o in aq.officers(session, agreement_id)]
    officers.sort(key=lambda o: (not o.alarm, o.name))
    progress("Reading a year of custody transfers", 0.5)
    months = previous_months(utc_date(as_of), 12)
    start = month_period(months[0]).start_at
    counts: Counter[tuple[date, str]] = Counter()
    breaches: list[BreachRow] = []
    for line in q.transfers_ended(session, start, as_of, agreement_id=agreement_id):
        ended = line.pickup_at if line.status is TransferStatus.TRANSFERRED else line.released_at
        month = utc_date(ended).replace(day=1) if ended else months[0]
        if line.status is TransferStatus.RELEASED_NO_PICKUP:
            counts[month, "released"] += 1
            continue
        counts[month, "picked_up"] += 1
        breach = closed_breach(line, agreement, policy)
        if breach is not None:
            counts[month, "late"] += 1
            breaches.append(breach)
    for month in months:
        period = month_period(month)
        issued = q.detainers_issued(session, period.start_at, period.end_at, agreement.manager_id)
        counts[month, "issued"] = issued.get(agreement_id, 0)
    holds = [i for i in items if i.rule is Rule.HOLD and i.status is HoldStatus.BREACHED]
    lines = q.transfer_lines(session, (i.id for i in holds))
    breaches += [open_breach(i, lines[i.id], agreement) for i in holds if i.id in lines]
    progress("Reading inspections, complaints and history", 0.7)
    complaints = [(c, _complaint_state(c, as_of, policy)) for c in aq.complaints(session, agreement_id)]
    return AgreementPacket(
        as_of=as_of,
        generated=generated,
        agreement=agreement,
        agency=agency,
        equipment=equipment_text(facts, as_of, policy) if facts else "",
        managers=aq.assignments(session, agreement_id),
        officers=officers,
        authority_history=aq.authority_history(session, agreement_id),
        orders=aq.orders(session, agreement_id),
        transfer_months=[
            TransferMonth(
                m, counts[m, "issued"], counts[m, "picked_up"], counts[m, "late"], counts[m, "released"]
            )
            for m in months
        ],
        breaches=sort_breaches(breaches),
        inspections=oq.inspections_held(session, date.min, utc_date(as_of), agreement_id=agreement_id)[::-1],
        findings=oq.findings_of(session, agreement_id=agreement_id, open_only=False),
        complaints=complaints,
        actions=[describe(i, policy) for i in items if i.rule not in _SHOWN_ELSEWHERE],
        record_history=aq.record_history(session, agreement_id),
    )


def _standing(officer: aq.OfficerRow, as_of: datetime, policy: Policy) -> OfficerStanding:
    f = officer.facts
    standing = officer_standing(f, as_of, policy)
    return OfficerStanding(
        officer.name,
        officer.badge,
        officer.rank,
        f.authority_status.value.replace("_", " "),
        f.initial_completed_on,
        f.latest_completed_on,
        rules.refresher_due(f, policy),
        standing.text,
        standing.severity is Severity.LATE,
    )


def _caseload(manager_id: str | None) -> Scope:
    return caseload_of(manager_id) if manager_id is not None else PROGRAM


def _complaint_state(c: aq.ComplaintRow, as_of: datetime, policy: Policy) -> str:
    results = rules.complaint(ComplaintFacts(c.id, c.received_at, c.reported_at, c.closed_on), as_of, policy)
    words = [
        f"reported {r.detail.get('hours_late')} h late"
        if r.status is ComplaintStatus.REPORT_LATE
        else catalog.entry_of(r).explanation(r, policy)
        for r in results
    ]
    if c.closed_on is not None:
        words.append(f"closed {c.closed_on.isoformat()}")
    return "; ".join(words) or "open, within its clocks"
