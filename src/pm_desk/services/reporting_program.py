"""The program (headquarters) report of a month, assembled as plain rows.

The figures are the program's compliance results at the month's instant, the workload
arithmetic of the domain, and the closed-hold rule applied to every pickup of the last twelve
months, read as a stream and counted as it goes: memory stays flat at a million transfers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from pm_desk.domain import rules
from pm_desk.domain.clock import utc_date
from pm_desk.domain.enums import IN_FORCE_STATUSES, AgreementModel, AgreementStatus
from pm_desk.domain.facts import ManagerLoadFacts, TransferFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules.agreements import equipment_buckets
from pm_desk.domain.rules.staffing import load_ratio
from pm_desk.domain.rules.statuses import EquipmentStatus, HoldStatus, RefresherStatus, Rule
from pm_desk.domain.workload import capacity_of, caseload_units
from pm_desk.services.compliance import compliance_results
from pm_desk.services.reporting import (
    Generated,
    Progress,
    ReportPeriod,
    RevocationRow,
    month_period,
    no_progress,
    previous_months,
    revocation_rows,
)
from pm_desk.store.queries import compliance as cq
from pm_desk.store.queries import report_program as pq
from pm_desk.store.queries import reports as q
from pm_desk.store.uow import UnitOfWork

TREND_MONTHS = 12
# Days from signing to operational (or, while not yet operational, to the report's instant).


@dataclass(frozen=True)
class ManagerLoad:
    name: str
    email: str
    office: str
    agreements: int
    units: float
    capacity: float
    overloaded: bool

    @property
    def load(self) -> float:
        return load_ratio(self.units, self.capacity)


@dataclass
class OfficeCompliance:
    office: str
    authorized: int = 0
    refresher_due_soon: int = 0
    refresher_overdue: int = 0
    revocation_due: int = 0
    revoked_in_month: int = 0
    picked_up: int = 0
    picked_up_late: int = 0
    open_breached: int = 0
    equipment_alarm: int = 0


@dataclass(frozen=True)
class MonthHolds:
    month: date
    picked_up: int
    late: int


@dataclass
class AgreementBreaches:
    agreement: str
    manager: str
    late: int = 0
    still_open: int = 0
    max_hours_over: float = 0.0


@dataclass(frozen=True)
class ProgramReport:
    period: ReportPeriod
    as_of: datetime
    generated: Generated
    models: list[AgreementModel]
    by_status: list[tuple[AgreementStatus, dict[AgreementModel, int]]]
    managers: list[ManagerLoad]
    equipment_buckets: list[tuple[str, int, int]]  # label, operational, not yet operational
    equipment_signed: int
    equipment_past_alarm: int
    offices: list[OfficeCompliance]
    revocations: list[RevocationRow]
    hold_trend: list[MonthHolds]
    breaches_by_agreement: list[AgreementBreaches]
    activity: list[pq.ActivityMonth]
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def total(self) -> OfficeCompliance:
        total = OfficeCompliance("Program")
        for office in self.offices:
            for name in vars(total):
                if name != "office":
                    setattr(total, name, getattr(total, name) + getattr(office, name))
        return total


def program_report(
    uow: UnitOfWork, policy: Policy, month: date, generated: Generated, progress: Progress = no_progress
) -> ProgramReport:
    session = uow.session
    period = month_period(month)
    as_of = period.as_of(generated.at)
    window_end = period.window_end(generated.at)
    progress("Checking compliance across the program", 0.05)
    items = compliance_results(uow, policy, as_of)
    progress("Reading agreements and managers", 0.3)
    agreements = {row.id: row for row in q.agreement_rows(session)}
    offices = {o.id: OfficeCompliance(o.name) for o in pq.field_offices(session)}

    def office_of(agreement_id: str | None) -> OfficeCompliance | None:
        row = agreements.get(agreement_id or "")
        return offices.get(row.field_office_id) if row else None

    for office_id, count in pq.authorized_by_office(session).items():
        if office_id in offices:
            offices[office_id].authorized = count
    for office_id, count in pq.revoked_by_office(session, period.start_at, window_end).items():
        if office_id in offices:
            offices[office_id].revoked_in_month = count
    breaches: dict[str, AgreementBreaches] = {}

    def breach_line(agreement_id: str) -> AgreementBreaches:
        row = agreements[agreement_id]
        return breaches.setdefault(
            agreement_id, AgreementBreaches(row.title, row.manager_name or "unassigned")
        )

    for item in items:
        office = office_of(item.agreement_id)
        if office is None:
            continue
        if item.rule is Rule.REFRESHER:
            if item.status is RefresherStatus.OVERDUE:
                office.refresher_overdue += 1
            else:
                office.refresher_due_soon += 1
        elif item.rule is Rule.REVOCATION:
            office.revocation_due += 1
        elif item.rule is Rule.EQUIPMENT and item.status is EquipmentStatus.ALARM:
            office.equipment_alarm += 1
        elif (
            item.rule is Rule.HOLD and item.status is HoldStatus.BREACHED and item.agreement_id in agreements
        ):
            office.open_breached += 1
            line = breach_line(item.agreement_id)
            line.still_open += 1
            line.max_hours_over = max(line.max_hours_over, float(item.detail.get("hours_over", 0.0)))
    officers = q.officer_lines(session, (i.id for i in items if i.rule is Rule.REVOCATION))
    revocations = revocation_rows(items, officers, agreements)
    progress("Reading a year of custody transfers", 0.4)
    months = previous_months(period.start, TREND_MONTHS)
    trend = {m: [0, 0] for m in months}
    start = month_period(months[0]).start_at
    for pickup in pq.pickups(session, start, window_end):
        outcome = rules.closed_hold_outcome(
            TransferFacts(pickup.id, pickup.status, pickup.release_eligible_at, pickup.pickup_at), policy
        )
        when = utc_date(pickup.pickup_at).replace(day=1)
        counts = trend.get(when)
        if counts is None or outcome is None:
            continue
        counts[0] += 1
        counts[1] += outcome.breached
        if when == period.start:
            office = office_of(pickup.agreement_id)
            if office is not None:
                office.picked_up += 1
                office.picked_up_late += outcome.breached
            if outcome.breached and pickup.agreement_id in agreements:
                line = breach_line(pickup.agreement_id)
                line.late += 1
                line.max_hours_over = max(line.max_hours_over, outcome.hours_over)
    progress("Counting workload and equipment", 0.7)
    managers = manager_loads(uow, policy, as_of)
    buckets, signed, past = _equipment(uow, as_of, policy)
    models = list(AgreementModel)
    by_status: dict[AgreementStatus, dict[AgreementModel, int]] = {
        s: dict.fromkeys(models, 0) for s in AgreementStatus
    }
    for status, model, count in pq.status_model_counts(session):
        by_status[status][model] += count
    activity = pq.activity_by_month(session, months[0], months[-1])
    progress("Laying out the report", 0.8)
    return ProgramReport(
        period=period,
        as_of=as_of,
        generated=generated,
        models=models,
        by_status=list(by_status.items()),
        managers=managers,
        equipment_buckets=buckets,
        equipment_signed=signed,
        equipment_past_alarm=past,
        offices=sorted(offices.values(), key=lambda o: o.office),
        revocations=revocations,
        hold_trend=[MonthHolds(m, *trend[m]) for m in months],
        breaches_by_agreement=sorted(
            breaches.values(), key=lambda b: (-(b.late + b.still_open), -b.max_hours_over, b.agreement)
        ),
        activity=[activity.get(m, pq.ActivityMonth(m, 0, 0, 0, 0)) for m in months],
        counts=Counter((i.rule, i.status) for i in items),
    )


def manager_loads(uow: UnitOfWork, policy: Policy, as_of: datetime) -> list[ManagerLoad]:
    """Every active manager's workload units against his capacity (the `load` rule), most
    loaded first."""
    work = cq.agreement_work(uow.session, as_of, policy.workload.recent_transfer_days)
    out: list[ManagerLoad] = []
    for m in q.active_managers(uow.session):
        units = caseload_units(work.get(m.id, []), policy)
        capacity = capacity_of(m.capacity, policy)
        overloaded = rules.load(ManagerLoadFacts(m.id, units, capacity), policy) is not None
        out.append(
            ManagerLoad(
                m.name, m.email, m.field_office or "", len(work.get(m.id, [])), units, capacity, overloaded
            )
        )
    out.sort(key=lambda m: (-m.load, m.name))
    return out


def _equipment(
    uow: UnitOfWork, as_of: datetime, policy: Policy
) -> tuple[list[tuple[str, int, int]], int, int]:
    """Days from signing to operational of every signed or active agreement (to the report's
    instant while not yet operational), in buckets; and how many took or are past the alarm."""
    inputs = cq.ComplianceInputs()
    cq.load_agreements(uow.session, inputs, None)
    buckets = equipment_buckets(policy)
    operational = [0] * len(buckets)
    waiting = [0] * len(buckets)
    signed = past = 0
    today = utc_date(as_of)
    for facts in inputs.agreements:
        if facts.status not in IN_FORCE_STATUSES or facts.signed_on is None or facts.signed_on > today:
            continue
        signed += 1
        end = (
            facts.operational_on
            if facts.operational_on is not None and facts.operational_on <= today
            else None
        )
        done = end is not None
        days = ((end or today) - facts.signed_on).days
        past += days > policy.equipment.alarm_days
        index = next(i for i, (low, high) in enumerate(buckets) if high is None or days <= high)
        (operational if done else waiting)[index] += 1
    labels = [f"{low}–{high} d" if high is not None else f"over {low - 1} d" for low, high in buckets]
    return list(zip(labels, operational, waiting, strict=True)), signed, past
