"""Who manages what: agreements spread over each office's managers, unevenly, with history.

Each office has one busy manager carrying more than his capacity (the audit's overworked
manager); the others share the rest by weights, so loads differ without every one of them
being overloaded when the office has the people for its caseload.
"""

from __future__ import annotations

import random

from pm_desk.demo.agreements import AgreementPlan
from pm_desk.demo.context import DAY, HOUR, RECORD_COLUMNS, DemoContext
from pm_desk.demo.org import Org, Person
from pm_desk.domain.enums import WORKLOAD_STATUSES
from pm_desk.domain.policy import Policy
from pm_desk.domain.workload import AgreementWork, agreement_units
from pm_desk.store.models import Agreement, Assignment

HANDOVER_REASONS = (
    "Caseload rebalanced by the supervisor",
    "Previous manager reassigned to the new agreements in the area",
    "Previous manager on extended leave",
)
AGREEMENT_COLUMNS = (
    *RECORD_COLUMNS, "agency_id", "model", "status", "application_received_on", "signed_on", "effective_on",
    "expires_on", "field_office_id", "manager_id", "next_steering_committee_on", "notes",
)  # fmt: skip
ASSIGNMENT_COLUMNS = (*RECORD_COLUMNS, "agreement_id", "manager_id", "starts_at", "ends_at", "reason", "assigned_by")


def units_of(plan: AgreementPlan, policy: Policy) -> float:
    work = AgreementWork(plan.id, plan.model, plan.status, plan.authorized, plan.recent_transfers)
    return agreement_units(work, policy)


def assign_managers(ctx: DemoContext, org: Org, agreements: list[AgreementPlan], policy: Policy) -> dict[str, float]:
    """Sets each agreement's manager (and some earlier ones); returns the units per manager id."""
    rng = ctx.rng("caseload")
    capacity = policy.workload.default_capacity
    loads: dict[str, float] = {m.id: 0.0 for m in org.managers}
    for office in org.offices:
        mine = [p for p in agreements if p.office is office]
        managers = list(office.managers)
        rng.shuffle(managers)
        units = {p.id: units_of(p, policy) for p in mine}
        total = sum(units.values())
        targets = _targets(rng, total, len(managers), capacity)
        weighted = sorted((p for p in mine if units[p.id] > 0), key=lambda p: (-units[p.id], p.id))
        for plan in weighted:
            best = max(range(len(managers)), key=lambda i: (targets[i] - loads[managers[i].id], -i))
            plan.manager = managers[best]
            loads[plan.manager.id] += units[plan.id]
        for n, plan in enumerate(p for p in mine if units[p.id] == 0):
            plan.manager = managers[(n + 1) % len(managers)]
        for plan in mine:
            _maybe_history(ctx, rng, plan, managers)
    return loads


def _targets(rng: random.Random, total: float, count: int, capacity: float) -> list[float]:
    """Units each manager of an office should end up with: the first above capacity and above
    the average, the others by random weights."""
    if count == 1:
        return [total]
    average = total / count
    busy = min(max(capacity * rng.uniform(1.1, 1.35), average * rng.uniform(1.5, 1.9)), total * 0.9)
    busy_count = 1 + (count // 10)
    weights = [rng.uniform(0.6, 1.2) for _ in range(count - busy_count)]
    rest = max(total - busy * busy_count, 0.0)
    return [busy] * busy_count + [rest * w / sum(weights) for w in weights]


def _maybe_history(ctx: DemoContext, rng: random.Random, plan: AgreementPlan, managers: list[Person]) -> None:
    start = plan.signed_day if plan.signed_day is not None else plan.application_day
    if start is None or len(managers) < 2 or start > ctx.today - 60 or rng.random() > 0.2:
        return
    others = [m for m in managers if m is not plan.manager]
    plan.previous_manager = rng.choice(others)
    handover_day = rng.randint(start + 30, ctx.today - 14)
    plan.handover_at = handover_day * DAY + 14 * HOUR + rng.randrange(0, 6 * HOUR, 60)


def write_agreements(ctx: DemoContext, org: Org, agreements: list[AgreementPlan]) -> None:
    rng = ctx.rng("agreements:rows")
    stamp = ctx.stamp
    fmt = ctx.fmt
    supervisors = {o.index: o.supervisor for o in org.offices}
    rows = []
    assignments = []
    make_id = ctx.ids("assignments")
    for plan in agreements:
        assert plan.manager is not None
        next_meeting = None
        if plan.steering != "none":
            since = plan.last_steering_day if plan.last_steering_day is not None else plan.effective_day
            assert since is not None
            next_meeting = since + 365 if plan.steering != "overdue" else ctx.today + rng.randint(10, 75)
        rows.append(
            (
                plan.id, *stamp, plan.agency.id, plan.model.value, plan.status.value,
                fmt.maybe_day(plan.application_day), fmt.maybe_day(plan.signed_day),
                fmt.maybe_day(plan.effective_day), fmt.maybe_day(plan.expires_day), plan.office.id,
                plan.manager.id, fmt.maybe_day(next_meeting), plan.notes,
            )
        )  # fmt: skip
        supervisor = supervisors[plan.office.index]
        by = supervisor.id if supervisor else None
        first_day = plan.application_day if plan.application_day is not None else ctx.today
        first_at = first_day * DAY + 15 * HOUR
        if plan.previous_manager is not None and plan.handover_at is not None:
            assignments.append(
                (make_id(), *stamp, plan.id, plan.previous_manager.id, fmt.instant(first_at),
                 fmt.instant(plan.handover_at), None, by)
            )  # fmt: skip
            assignments.append(
                (make_id(), *stamp, plan.id, plan.manager.id, fmt.instant(plan.handover_at), None,
                 rng.choice(HANDOVER_REASONS), by)
            )  # fmt: skip
        else:
            assignments.append((make_id(), *stamp, plan.id, plan.manager.id, fmt.instant(first_at), None, None, by))
    ctx.writer.write(Agreement.__table__, AGREEMENT_COLUMNS, rows)
    ctx.writer.write(Assignment.__table__, ASSIGNMENT_COLUMNS, assignments)


def in_workload(plan: AgreementPlan) -> bool:
    return plan.status in WORKLOAD_STATUSES
