"""Agreements: model, status and the dates every rule reads (signed, effective, expiry, equipment,
steering committee), planned so that every rule has records on both sides of its thresholds."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from pm_desk.demo.agencies import AgencyPlan
from pm_desk.demo.context import DemoContext
from pm_desk.demo.org import OfficePlan, Person
from pm_desk.domain.enums import AgencyKind, AgreementModel, AgreementStatus

JEM, TF, WSO = (
    AgreementModel.JAIL_ENFORCEMENT,
    AgreementModel.TASK_FORCE,
    AgreementModel.WARRANT_SERVICE_OFFICER,
)
S = AgreementStatus

MODEL_WEIGHTS = {
    AgencyKind.COUNTY: ((TF, 0.42), (WSO, 0.38), (JEM, 0.20)),
    AgencyKind.MUNICIPALITY: ((TF, 0.95), (WSO, 0.05)),
    AgencyKind.STATE_AGENCY: ((TF, 0.85), (JEM, 0.15)),
    AgencyKind.OTHER: ((TF, 1.0),),
}
STATUS_WEIGHTS = (
    (S.ACTIVE, 0.72),
    (S.SIGNED, 0.08),
    (S.SUSPENDED, 0.03),
    (S.APPLICANT, 0.07),
    (S.PENDING_SIGNATURE, 0.05),
    (S.TERMINATED, 0.05),
)
STEERING_WEIGHTS = (("current", 0.8), ("due_soon", 0.07), ("overdue", 0.13))


@dataclass(frozen=True)
class Scenario:
    """A situation the demo must show whatever its size: one agreement is made to fit it."""

    status: AgreementStatus
    signed_ago: tuple[int, int] | None = None
    equipment: str | None = None  # "open" or "operational"
    expires_in: tuple[int, int] | None = None
    steering: str | None = None


SCENARIOS = (
    Scenario(S.ACTIVE, (215, 250), equipment="open"),  # equipment alarm
    Scenario(S.SIGNED, (183, 198)),  # equipment late
    Scenario(S.SIGNED, (30, 150)),  # equipment clock running, not late yet
    Scenario(S.ACTIVE, (1500, 3000), "operational", expires_in=(20, 80), steering="due_soon"),
    Scenario(S.ACTIVE, (1200, 2500), "operational", expires_in=(-40, -5), steering="overdue"),
    Scenario(S.ACTIVE, (900, 2000), "operational", steering="current"),
    Scenario(S.SUSPENDED),
    Scenario(S.APPLICANT),
    Scenario(S.PENDING_SIGNATURE),
    Scenario(S.TERMINATED),
)


@dataclass(slots=True)
class AgreementPlan:
    id: str
    agency: AgencyPlan
    model: AgreementModel
    status: AgreementStatus
    application_day: int | None = None
    signed_day: int | None = None
    effective_day: int | None = None
    expires_day: int | None = None
    # When a suspended or terminated agreement stopped working (told in its notes).
    ended_day: int | None = None
    equipment: str = "none"  # "none", "open" (not operational yet) or "operational"
    operational_day: int | None = None
    steering: str = "none"  # "none", "first_year", "current", "due_soon" or "overdue"
    last_steering_day: int | None = None
    notes: str | None = None
    manager: Person | None = None
    previous_manager: Person | None = None
    handover_at: int | None = None
    authorized: int = 0
    recent_transfers: int = 0
    transfer_times: list[int] = field(default_factory=list)

    @property
    def office(self) -> OfficePlan:
        return self.agency.office


def _weighted(rng: random.Random, pairs: tuple[tuple[object, float], ...]) -> object:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _models(rng: random.Random, agency: AgencyPlan, count: int) -> list[AgreementModel]:
    pairs = MODEL_WEIGHTS[agency.kind]
    if count > 1 and len(pairs) < count:
        pairs = MODEL_WEIGHTS[AgencyKind.COUNTY]
    chosen: list[AgreementModel] = []
    while len(chosen) < count:
        left = tuple((m, w) for m, w in pairs if m not in chosen)
        chosen.append(_weighted(rng, left))  # type: ignore[arg-type]
    return chosen


def plan_agreements(ctx: DemoContext, agencies: list[AgencyPlan], count: int) -> list[AgreementPlan]:
    rng = ctx.rng("agreements")
    make_id = ctx.ids("agreements")
    doubles = count - len(agencies)
    # Sheriff's offices are the ones that hold two agreements; other agencies only if need be.
    counties = [i for i, a in enumerate(agencies) if a.kind is AgencyKind.COUNTY]
    others = [i for i, a in enumerate(agencies) if a.kind is not AgencyKind.COUNTY]
    rng.shuffle(counties)
    rng.shuffle(others)
    with_two = set((counties + others)[:doubles])
    plans: list[AgreementPlan] = []
    for index, agency in enumerate(agencies):
        n = 2 if index in with_two else 1
        for model in _models(rng, agency, n):
            plans.append(AgreementPlan(make_id(), agency, model, S.ACTIVE))
    order = list(range(len(plans)))
    rng.shuffle(order)
    # The scenarios go to agreements picked at random (all of them when there are enough).
    forced = dict(zip(order, SCENARIOS, strict=False))
    for index, plan in enumerate(plans):
        scenario = forced.get(index) or Scenario(_weighted(rng, STATUS_WEIGHTS))  # type: ignore[arg-type]
        _fill_dates(ctx, rng, plan, scenario)
    return plans


def _fill_dates(ctx: DemoContext, rng: random.Random, plan: AgreementPlan, scenario: Scenario) -> None:
    today = ctx.today
    plan.status = status = scenario.status
    if status is S.APPLICANT:
        plan.application_day = today - rng.randint(5, 240)
        return
    if status is S.PENDING_SIGNATURE:
        plan.application_day = today - rng.randint(60, 400)
        return
    if scenario.signed_ago is not None:
        ago = rng.randint(*scenario.signed_ago)
    elif status is S.ACTIVE:
        # The program doubled in a year: four in ten active agreements are less than a year old.
        ago = rng.randint(30, 365) if rng.random() < 0.4 else 366 + min(int(rng.expovariate(1 / 900)), 4000)
    elif status is S.SIGNED:
        ago = rng.randint(5, 260)
    elif status is S.SUSPENDED:
        ago = rng.randint(400, 3000)
    else:
        ago = rng.randint(600, 4000)
    plan.signed_day = signed = today - ago
    plan.application_day = signed - rng.randint(30, 250)
    if status is not S.SIGNED:
        plan.effective_day = min(signed + rng.randint(0, 30), today - 1)
    if status in (S.SUSPENDED, S.TERMINATED):
        assert plan.effective_day is not None
        plan.ended_day = rng.randint(plan.effective_day + 200, today - 30)
        when = ctx.fmt.day(plan.ended_day)
        plan.notes = (
            f"Suspended on {when} pending the review of a sustained complaint."
            if status is S.SUSPENDED
            else f"Terminated at the agency's request on {when}."
        )
    _plan_equipment(rng, plan, scenario, ago)
    _plan_expiry(ctx, rng, plan, scenario, ago)
    _plan_steering(ctx, rng, plan, scenario)


def _plan_equipment(rng: random.Random, plan: AgreementPlan, scenario: Scenario, ago: int) -> None:
    assert plan.signed_day is not None
    wanted = scenario.equipment
    if wanted is None:
        if plan.status is S.SIGNED or ago < 60:
            wanted = "open"
        elif plan.status is S.ACTIVE and ago <= 400:
            wanted = "open" if rng.random() < 0.35 else "operational"
        else:
            wanted = "operational"
    plan.equipment = wanted
    if wanted == "operational":
        # The audit found more than half of new agreements waited over 200 days.
        longest = min(ago - 1, 330)
        plan.operational_day = plan.signed_day + rng.randint(min(60, longest), longest)


def _plan_expiry(
    ctx: DemoContext, rng: random.Random, plan: AgreementPlan, scenario: Scenario, ago: int
) -> None:
    if scenario.expires_in is not None:
        plan.expires_day = ctx.today + rng.randint(*scenario.expires_in)
    elif plan.status in (S.ACTIVE, S.SUSPENDED) and ago > 2 * 365 and rng.random() < 0.15:
        # Most agreements are open-ended; some older ones were signed for a term.
        low, high = rng.choice(((5, 88), (-60, -1), (120, 900)))
        plan.expires_day = ctx.today + rng.randint(low, high)


def _plan_steering(ctx: DemoContext, rng: random.Random, plan: AgreementPlan, scenario: Scenario) -> None:
    """The latest steering-committee meeting: recent, nearly a year ago, or missed."""
    effective = plan.effective_day
    if plan.status is not S.ACTIVE or effective is None:
        return
    today = ctx.today
    if effective > today - 380:
        plan.steering = "first_year"  # the first meeting is due on the first anniversary
        return
    wanted = scenario.steering or str(_weighted(rng, STEERING_WEIGHTS))
    back = {"current": (20, 330), "due_soon": (336, 364), "overdue": (370, 520)}[wanted]
    last: int | None = today - rng.randint(*back)
    first_possible = effective + 300
    if last is not None and last < first_possible:
        # Too young for that history: no meeting yet (overdue), or the first one recently.
        last = None if wanted == "overdue" else rng.randint(first_possible, today - 20)
    plan.last_steering_day = last
    due = (last if last is not None else effective) + 365
    plan.steering = "overdue" if today > due else "due_soon" if today >= due - 30 else "current"
