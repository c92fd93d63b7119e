"""A manager's load against his capacity."""

from __future__ import annotations

from pm_desk.domain.facts import ManagerLoadFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult


def load(manager: ManagerLoadFacts, policy: Policy) -> RuleResult | None:
    if manager.capacity <= 0:
        ratio = float("inf") if manager.units > 0 else 0.0
    else:
        ratio = manager.units / manager.capacity
    if ratio <= policy.workload.overload_ratio:
        return None
    return RuleResult(
        "load",
        "overload",
        "user",
        manager.user_id,
        None,
        {"units": round(manager.units, 2), "capacity": manager.capacity, "load": round(ratio, 4)},
    )
