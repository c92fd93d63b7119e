"""Every compliance rule run over a store's rows, read back with plain queries.

The demo tests use this to show that the generated program exercises each rule; it builds the
rules' facts straight from the tables, the way the store's queries will.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, func, select

from pm_desk.domain import rules
from pm_desk.domain.enums import (
    SEAT_HOLDING_RESULTS,
    AuthorityStatus,
    Course,
    InspectionKind,
    RequestState,
    Role,
)
from pm_desk.domain.facts import (
    AgreementFacts,
    ClassFacts,
    ComplaintFacts,
    FindingFacts,
    ManagerLoadFacts,
    OfficerFacts,
    ShiftFacts,
    TransferFacts,
)
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules.training import next_class_with_seats
from pm_desk.domain.workload import AgreementWork, agreement_units, capacity_of
from pm_desk.store.models import (
    Agreement,
    Complaint,
    CustodyTransfer,
    Enrollment,
    EquipmentOrder,
    Finding,
    Inspection,
    Officer,
    Override,
    Shift,
    TrainingClass,
    TrainingRecord,
    User,
)


def officer_facts(connection: Connection) -> list[OfficerFacts]:
    initial: dict[str, date] = dict(
        connection.execute(
            select(TrainingRecord.officer_id, func.max(TrainingRecord.completed_on))
            .where(TrainingRecord.course == Course.INITIAL.value)
            .group_by(TrainingRecord.officer_id)
        ).all()
    )
    latest: dict[str, date] = dict(
        connection.execute(
            select(TrainingRecord.officer_id, func.max(TrainingRecord.completed_on))
            .where(TrainingRecord.course.in_([Course.INITIAL.value, Course.REFRESHER.value]))
            .group_by(TrainingRecord.officer_id)
        ).all()
    )
    rows = connection.execute(select(Officer.id, Officer.authority_status, Officer.nominated_on)).all()
    return [OfficerFacts(i, s, n, initial.get(i), latest.get(i)) for i, s, n in rows]


def class_facts(connection: Connection) -> list[ClassFacts]:
    taken: dict[str, int] = dict(
        connection.execute(
            select(Enrollment.class_id, func.count())
            .where(Enrollment.result.in_(list(SEAT_HOLDING_RESULTS)))
            .group_by(Enrollment.class_id)
        ).all()
    )
    rows = connection.execute(
        select(
            TrainingClass.id,
            TrainingClass.location,
            TrainingClass.starts_on,
            TrainingClass.ends_on,
            TrainingClass.seats,
        )
    ).all()
    return [ClassFacts(*row, taken.get(row[0], 0)) for row in rows]


def agreement_facts(connection: Connection) -> list[AgreementFacts]:
    orders: dict[str, list[date | None]] = defaultdict(list)
    for agreement_id, operational in connection.execute(
        select(EquipmentOrder.agreement_id, EquipmentOrder.operational_on)
    ):
        orders[agreement_id].append(operational)
    steering: dict[str, date] = dict(
        connection.execute(
            select(Inspection.agreement_id, func.max(Inspection.held_on))
            .where(Inspection.kind == InspectionKind.STEERING_COMMITTEE)
            .group_by(Inspection.agreement_id)
        ).all()
    )
    facts = []
    for row in connection.execute(
        select(
            Agreement.id, Agreement.status, Agreement.model, Agreement.signed_on, Agreement.effective_on,
            Agreement.expires_on,
        )
    ):  # fmt: skip
        mine = orders.get(row.id, [])
        done = [d for d in mine if d is not None]
        operational = max(done) if mine and len(done) == len(mine) else None
        facts.append(AgreementFacts(*row, operational, steering.get(row.id)))
    return facts


def transfer_facts(connection: Connection) -> list[TransferFacts]:
    rows = connection.execute(
        select(
            CustodyTransfer.id,
            CustodyTransfer.status,
            CustodyTransfer.release_eligible_at,
            CustodyTransfer.pickup_at,
        )
    ).all()
    return [TransferFacts(*row) for row in rows]


def manager_loads(connection: Connection, as_of: datetime, policy: Policy) -> list[ManagerLoadFacts]:
    authorized: Counter[str] = Counter(
        dict(
            connection.execute(
                select(Officer.agreement_id, func.count())
                .where(Officer.authority_status == AuthorityStatus.AUTHORIZED)
                .group_by(Officer.agreement_id)
            ).all()
        )
    )
    since = as_of - timedelta(days=policy.workload.recent_transfer_days)
    recent: Counter[str] = Counter(
        dict(
            connection.execute(
                select(CustodyTransfer.agreement_id, func.count())
                .where(
                    CustodyTransfer.detainer_issued_at > since, CustodyTransfer.detainer_issued_at <= as_of
                )
                .group_by(CustodyTransfer.agreement_id)
            ).all()
        )
    )
    units: dict[str | None, float] = defaultdict(float)
    for agreement_id, manager_id, model, status in connection.execute(
        select(Agreement.id, Agreement.manager_id, Agreement.model, Agreement.status)
    ):
        work = AgreementWork(agreement_id, model, status, authorized[agreement_id], recent[agreement_id])
        units[manager_id] += agreement_units(work, policy)
    managers = connection.execute(select(User.id, User.capacity).where(User.role == Role.MANAGER)).all()
    return [ManagerLoadFacts(i, units[i], capacity_of(c, policy)) for i, c in managers]


def worked_shifts(connection: Connection) -> dict[str, list[ShiftFacts]]:
    """Primary shifts per rotation as they will be worked: approved overrides applied."""
    overrides: dict[str, list[tuple[datetime, datetime, str | None, str]]] = defaultdict(list)
    for row in connection.execute(
        select(
            Override.shift_id, Override.starts_at, Override.ends_at, Override.covering_user_id, Override.id
        )
        .where(Override.state == RequestState.APPROVED)
        .order_by(Override.starts_at)
    ):
        overrides[row.shift_id].append((row.starts_at, row.ends_at, row.covering_user_id, row.id))
    by_rotation: dict[str, list[ShiftFacts]] = defaultdict(list)
    for shift in connection.execute(
        select(Shift.id, Shift.rotation_id, Shift.primary_id, Shift.starts_at, Shift.ends_at)
    ):
        pieces = [(shift.starts_at, shift.ends_at)]
        for cover_start, cover_end, covering, override_id in overrides.get(shift.id, []):
            cut = []
            for start, end in pieces:
                if cover_end <= start or cover_start >= end:
                    cut.append((start, end))
                    continue
                if start < cover_start:
                    cut.append((start, cover_start))
                if cover_end < end:
                    cut.append((cover_end, end))
            pieces = cut
            if covering is not None:
                by_rotation[shift.rotation_id].append(
                    ShiftFacts(override_id, shift.rotation_id, covering, cover_start, cover_end)
                )
        for n, (start, end) in enumerate(pieces):
            by_rotation[shift.rotation_id].append(
                ShiftFacts(f"{shift.id}:{n}", shift.rotation_id, shift.primary_id, start, end)
            )
    return by_rotation


def all_results(connection: Connection, as_of: datetime, policy: Policy) -> list[RuleResult]:
    """Every rule's not-ok results over the whole store, as of `as_of`."""
    results: list[RuleResult | None] = []
    next_class = next_class_with_seats(class_facts(connection), as_of)
    for officer in officer_facts(connection):
        results += [
            rules.refresher(officer, as_of, policy),
            rules.revocation(officer, as_of, policy),
            rules.initial_training(officer, as_of, next_class),
        ]
    for agreement in agreement_facts(connection):
        results += [
            rules.equipment(agreement, as_of, policy),
            rules.renewal(agreement, as_of, policy),
            rules.steering_committee(agreement, as_of, policy),
        ]
    results += [rules.hold(t, as_of, policy) for t in transfer_facts(connection)]
    for finding in connection.execute(select(Finding.id, Finding.corrective_due, Finding.closed_on)):
        results.append(rules.finding(FindingFacts(*finding), as_of))
    for complaint in connection.execute(
        select(Complaint.id, Complaint.received_at, Complaint.reported_at, Complaint.closed_on)
    ):
        results += rules.complaint(ComplaintFacts(*complaint), as_of, policy)
    results += [rules.load(m, policy) for m in manager_loads(connection, as_of, policy)]
    window_end = as_of + timedelta(days=policy.oncall.lookahead_days)
    for rotation_id, shifts in worked_shifts(connection).items():
        ahead = [s for s in shifts if s.ends_at > as_of and s.starts_at < window_end]
        results += rules.fatigue(ahead, policy)
        results += rules.gaps(rotation_id, shifts, as_of, window_end)
    return [r for r in results if r is not None]
