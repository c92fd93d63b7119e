"""A manager's load against his capacity."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pm_desk.domain.facts import ManagerLoadFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import load


@pytest.mark.parametrize(
    ("units", "capacity", "expected_load"),
    [
        (0.0, 12.0, None),
        (11.99, 12.0, None),
        (12.0, 12.0, None),  # exactly 100 % is full, not overloaded
        (12.01, 12.0, 1.0008),
        (18.0, 12.0, 1.5),
        (6.5, 6.0, 1.0833),
    ],
)
def test_overload_is_above_100_percent(
    policy: Policy, units: float, capacity: float, expected_load: float | None
) -> None:
    result = load(ManagerLoadFacts("usr-1", units, capacity), policy)
    if expected_load is None:
        assert result is None
    else:
        assert result is not None
        assert (result.rule, result.status, result.record, result.record_id, result.due) == (
            "load",
            "overload",
            "user",
            "usr-1",
            None,
        )
        assert result.detail == {"units": units, "capacity": capacity, "load": expected_load}


def test_no_capacity_with_work_is_an_overload(policy: Policy) -> None:
    result = load(ManagerLoadFacts("usr-1", 0.5, 0.0), policy)
    assert result is not None
    assert result.detail["load"] == float("inf")


def test_no_capacity_and_no_work_is_not(policy: Policy) -> None:
    assert load(ManagerLoadFacts("usr-1", 0.0, 0.0), policy) is None


def test_overload_ratio_comes_from_the_policy(policy: Policy) -> None:
    lenient = replace(policy, workload=replace(policy.workload, overload_ratio=1.25))
    assert load(ManagerLoadFacts("usr-1", 15.0, 12.0), lenient) is None
    assert load(ManagerLoadFacts("usr-1", 15.01, 12.0), lenient) is not None
