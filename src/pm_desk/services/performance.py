"""The program's performance measures month by month, from the records and the same rules as
everything else: agreements in force, officers authorized, refresher compliance, revocations due
against done, equipment days to operational, hold breaches. Reads only."""

from __future__ import annotations

import bisect
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from pm_desk.domain import rules
from pm_desk.domain.enums import AgreementStatus, AuthorityStatus, Course, TransferStatus
from pm_desk.domain.facts import OfficerFacts, TransferFacts
from pm_desk.domain.rules.statuses import RefresherStatus
from pm_desk.store.models import (
    Agreement,
    CustodyTransfer,
    EquipmentOrder,
    OfficerStatusChange,
    TrainingRecord,
)
from pm_desk.store.uow import UnitOfWork

ENDED = {AgreementStatus.TERMINATED, AgreementStatus.EXPIRED}
IN_FORCE_OR_ENDED = {AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED, *ENDED}


@dataclass(frozen=True)
class MonthMeasures:
    month: date  # first day of the month
    agreements_in_force: int
    officers_authorized: int
    refresher_compliance: float | None  # share of authorized, trained officers not overdue
    revocations_due: int  # at the month's end
    revocations_done: int  # authority revoked during the month
    equipment_median_days: float | None  # signing to operational, agencies operational that month
    hold_breaches: int  # transfers picked up after their deadline, by month of pickup


def _month_starts(today: date, months: int) -> list[date]:
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def performance_measures(uow: UnitOfWork, months: int = 12) -> list[MonthMeasures]:
    """The last `months` months, oldest first; the current month is measured up to now."""
    now = uow.now()
    policy = uow.policy
    session = uow.session
    starts = _month_starts(now.date(), months)
    ends = [
        min(datetime.combine(_next_month(s), datetime.min.time(), tzinfo=UTC) - timedelta(seconds=1), now)
        for s in starts
    ]
    # Agreements: in force at a month's end if signed by then and not yet ended; an agreement that
    # ended (terminated, expired) keeps no end date, so its last change stands for it.
    agreements = session.execute(
        select(Agreement.status, Agreement.signed_on, Agreement.updated_at).where(
            Agreement.deleted_at.is_(None), Agreement.status.in_(IN_FORCE_OR_ENDED)
        )
    ).all()
    # Officers' authority over time, from their status history; revocations done, by month.
    times: dict[str, list[datetime]] = defaultdict(list)
    statuses: dict[str, list[AuthorityStatus]] = defaultdict(list)
    revoked_in: dict[date, int] = defaultdict(int)
    for officer_id, at, status in session.execute(
        select(OfficerStatusChange.officer_id, OfficerStatusChange.changed_at, OfficerStatusChange.to_status)
        .where(OfficerStatusChange.deleted_at.is_(None))
        .order_by(OfficerStatusChange.officer_id, OfficerStatusChange.changed_at)
    ):
        times[officer_id].append(at)
        statuses[officer_id].append(status)
        if status is AuthorityStatus.REVOKED:
            revoked_in[date(at.year, at.month, 1)] += 1
    initials: dict[str, list[date]] = defaultdict(list)
    completions: dict[str, list[date]] = defaultdict(list)
    for officer_id, course, completed in session.execute(
        select(TrainingRecord.officer_id, TrainingRecord.course, TrainingRecord.completed_on).where(
            TrainingRecord.deleted_at.is_(None),
            TrainingRecord.course.in_([Course.INITIAL.value, Course.REFRESHER.value]),
        )
    ):
        completions[officer_id].append(completed)
        if course == Course.INITIAL.value:
            initials[officer_id].append(completed)
    for dates in (*initials.values(), *completions.values()):
        dates.sort()
    operational = _operational_days(uow)
    breaches = _breaches_by_month(uow, datetime.combine(starts[0], datetime.min.time(), tzinfo=UTC))
    out = []
    for start, end in zip(starts, ends, strict=True):
        day = end.date()
        in_force = sum(
            1
            for status, signed, updated in agreements
            if signed is not None and signed <= day and not (status in ENDED and updated <= end)
        )
        authorized = due = compliant = trained = 0
        for officer_id, changed in times.items():
            index = bisect.bisect_right(changed, end) - 1
            if index < 0 or statuses[officer_id][index] is not AuthorityStatus.AUTHORIZED:
                continue
            authorized += 1
            initial = _latest_by(initials.get(officer_id, []), day)
            latest = _latest_by(completions.get(officer_id, []), day)
            facts = OfficerFacts(officer_id, AuthorityStatus.AUTHORIZED, None, initial, latest)
            if rules.refresher_due(facts, policy) is None:
                continue
            trained += 1
            refresher = rules.refresher(facts, end, policy)
            compliant += refresher is None or refresher.status is not RefresherStatus.OVERDUE
            due += rules.revocation(facts, end, policy) is not None
        days = operational.get(start, [])
        out.append(
            MonthMeasures(
                start,
                in_force,
                authorized,
                round(compliant / trained, 4) if trained else None,
                due,
                revoked_in.get(start, 0),
                float(statistics.median(days)) if days else None,
                breaches.get(start, 0),
            )
        )
    return out


def _latest_by(dates: list[date], day: date) -> date | None:
    index = bisect.bisect_right(dates, day) - 1
    return dates[index] if index >= 0 else None


def _operational_days(uow: UnitOfWork) -> dict[date, list[int]]:
    """Per month, the days from signing to operational of agreements that became operational
    then (operational: every order has its date; the latest of them)."""
    rows = uow.session.execute(
        select(
            Agreement.signed_on,
            func.count(),
            func.count(EquipmentOrder.operational_on),
            func.max(EquipmentOrder.operational_on),
        )
        .join(EquipmentOrder, EquipmentOrder.agreement_id == Agreement.id)
        .where(Agreement.deleted_at.is_(None), EquipmentOrder.deleted_at.is_(None))
        .group_by(Agreement.id)
    ).all()
    out: dict[date, list[int]] = defaultdict(list)
    for signed, orders, done, last in rows:
        if signed is None or not orders or orders != done or last is None:
            continue
        last_day = last if isinstance(last, date) else date.fromisoformat(str(last))
        out[date(last_day.year, last_day.month, 1)].append((last_day - signed).days)
    return out


def _breaches_by_month(uow: UnitOfWork, since: datetime) -> dict[date, int]:
    """Closed breaches by month of pickup, by the closed-hold rule."""
    out: dict[date, int] = defaultdict(int)
    rows = uow.session.execute(
        select(CustodyTransfer.id, CustodyTransfer.release_eligible_at, CustodyTransfer.pickup_at).where(
            CustodyTransfer.deleted_at.is_(None),
            CustodyTransfer.status == TransferStatus.TRANSFERRED,
            CustodyTransfer.pickup_at >= since,
            CustodyTransfer.pickup_at
            > CustodyTransfer.hold_deadline_at,  # a cache of the rule, checked below
        )
    )
    for transfer_id, eligible, pickup in rows:
        outcome = rules.closed_hold_outcome(
            TransferFacts(transfer_id, TransferStatus.TRANSFERRED, eligible, pickup), uow.policy
        )
        if outcome is not None and outcome.breached:
            out[date(outcome.pickup_at.year, outcome.pickup_at.month, 1)] += 1
    return out
