"""Who manages what: agreements spread over each office's managers, unevenly, with history.

Each office has a busy manager (one more per ten managers) carrying more than his capacity and
well above the office's average (the audit's overworked manager); the others share the rest by
random weights, so loads differ, and nobody else is overloaded when the office has enough
managers for its caseload.
"""

from __future__ import annotations

import random

from pm_desk.demo.agreements import AgreementPlan
from pm_desk.demo.context import DAY, HOUR, RECORD_COLUMNS, DemoContext
from pm_desk.demo.org import Org, Person
from pm_desk.domain.policy import Policy
from pm_desk.domain.workload import AgreementWork, agreement_units
from pm_desk.store.models import Agreement, Assignment

HANDOVER_REASONS = (
    "Caseload rebalanced by the supervisor",
    "Previous manager reassigned to the new agreements in the area",
    "Previous manager on extended leave",
)
AGREEMENT_COLUMNS = (
    *RECORD_COLUMNS,
    "agency_id",
    "model",
    "status",
    "application_received_on",
    "signed_on",
    "effective_on",
    "expires_on",
    "field_office_id",
    "manager_id",
    "next_steering_committee_on",
    "notes",
    "ice_listed_on",
    "ice_vanished_on",
)
ASSIGNMENT_COLUMNS = (
    *RECORD_COLUMNS,
    "agreement_id",
    "manager_id",
    "starts_at",
    "ends_at",
    "reason",
    "assigned_by",
)


def units_of(plan: AgreementPlan, policy: Policy) -> float:
    work = AgreementWork(plan.id, plan.model, plan.status, plan.authorized, plan.recent_transfers)
    return agreement_units(work, policy)


def assign_managers(
    ctx: DemoContext, org: Org, agreements: list[AgreementPlan], policy: Policy
) -> dict[str, float]:
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
        _share_out(managers, weighted, units, loads, capacity)
        for n, plan in enumerate(p for p in mine if units[p.id] == 0):
            plan.manager = managers[(n + 1) % len(managers)]
        for plan in mine:
            _maybe_history(ctx, rng, plan, managers)
    return loads


def _targets(rng: random.Random, total: float, count: int, capacity: float) -> list[float]:
    """Units each manager of an office should end up with: the busy ones above capacity and
    well above the average (in a small office, nearly all of it), the others by random weights."""
    if count == 1:
        return [total]
    busy_count = 1 + count // 10
    busy = max(capacity * rng.uniform(1.1, 1.35), total / count * rng.uniform(1.5, 1.9))
    busy = min(busy, total * 0.97 / busy_count)
    weights = [rng.uniform(0.6, 1.2) for _ in range(count - busy_count)]
    rest = total - busy * busy_count
    return [busy] * busy_count + [rest * w / sum(weights) for w in weights]


def _share_out(
    managers: list[Person],
    agreements: list[AgreementPlan],
    units: dict[str, float],
    loads: dict[str, float],
    capacity: float,
) -> None:
    """A manager left without an agreement that counts takes the busiest one's smallest, as
    long as the busiest stays over capacity."""
    for manager in managers:
        if loads[manager.id] > 0:
            continue
        busiest = max(managers, key=lambda m: loads[m.id])
        theirs = sorted((p for p in agreements if p.manager is busiest), key=lambda p: (units[p.id], p.id))
        if not theirs or loads[busiest.id] - units[theirs[0].id] <= capacity * 1.02:
            return
        theirs[0].manager = manager
        loads[busiest.id] -= units[theirs[0].id]
        loads[manager.id] += units[theirs[0].id]


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
                plan.id,
                *stamp,
                plan.agency.id,
                plan.model.value,
                plan.status.value,
                fmt.maybe_day(plan.application_day),
                fmt.maybe_day(plan.signed_day),
                fmt.maybe_day(plan.effective_day),
                fmt.maybe_day(plan.expires_day),
                plan.office.id,
                plan.manager.id,
                fmt.maybe_day(next_meeting),
                plan.notes,
                None,  # the demo program is not matched against ICE's published lists
                None,
            )
        )
        supervisor = supervisors[plan.office.index]
        by = supervisor.id if supervisor else None
        first_day = plan.application_day if plan.application_day is not None else ctx.today
        first_at = first_day * DAY + 15 * HOUR
        if plan.previous_manager is not None and plan.handover_at is not None:
            assignments.append(
                (
                    make_id(),
                    *stamp,
                    plan.id,
                    plan.previous_manager.id,
                    fmt.instant(first_at),
                    fmt.instant(plan.handover_at),
                    None,
                    by,
                )
            )
            assignments.append(
                (
                    make_id(),
                    *stamp,
                    plan.id,
                    plan.manager.id,
                    fmt.instant(plan.handover_at),
                    None,
                    rng.choice(HANDOVER_REASONS),
                    by,
                )
            )
        else:
            assignments.append(
                (make_id(), *stamp, plan.id, plan.manager.id, fmt.instant(first_at), None, None, by)
            )
    ctx.writer.write(Agreement, AGREEMENT_COLUMNS, rows)
    ctx.writer.write(Assignment, ASSIGNMENT_COLUMNS, assignments)
