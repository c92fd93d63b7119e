"""A manager's load against his capacity."""

from __future__ import annotations

from pm_desk.domain.enums import RecordKind
from pm_desk.domain.facts import ManagerLoadFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules.statuses import LoadStatus, Rule


def load_ratio(units: float, capacity: float) -> float:
    """Units carried per unit of capacity; any work at all is an infinite load on no capacity."""
    if capacity <= 0:
        return float("inf") if units > 0 else 0.0
    return units / capacity


def load(manager: ManagerLoadFacts, policy: Policy) -> RuleResult | None:
    ratio = load_ratio(manager.units, manager.capacity)
    if ratio <= policy.workload.overload_ratio:
        return None
    return RuleResult(
        Rule.LOAD,
        LoadStatus.OVERLOAD,
        RecordKind.USER,
        manager.user_id,
        None,
        {"units": round(manager.units, 2), "capacity": manager.capacity, "load": round(ratio, 4)},
    )
