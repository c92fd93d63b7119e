"""Workload units per agreement and caseload, capacity, and managers needed."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.enums import WORKLOAD_STATUSES, AgreementModel, AgreementStatus
from pm_desk.domain.policy import Policy, PolicyError, apply_policy_text
from pm_desk.domain.workload import (
    AgreementWork,
    agreement_units,
    capacity_of,
    caseload_units,
    managers_needed,
)


def work(
    model: AgreementModel = AgreementModel.JAIL_ENFORCEMENT,
    status: AgreementStatus = AgreementStatus.ACTIVE,
    officers: int = 0,
    transfers: int = 0,
) -> AgreementWork:
    return AgreementWork("agr-1", model, status, officers, transfers)


@pytest.mark.parametrize(
    ("model", "units"),
    [
        (AgreementModel.JAIL_ENFORCEMENT, 1.0),
        (AgreementModel.TASK_FORCE, 1.5),
        (AgreementModel.WARRANT_SERVICE_OFFICER, 0.5),
    ],
)
@pytest.mark.parametrize("status", sorted(WORKLOAD_STATUSES))
def test_units_by_model(policy: Policy, model: AgreementModel, status: AgreementStatus, units: float) -> None:
    assert agreement_units(work(model, status), policy) == units


@pytest.mark.parametrize("status", [s for s in AgreementStatus if s not in WORKLOAD_STATUSES])
def test_agreements_outside_signed_active_suspended_weigh_nothing(
    policy: Policy, status: AgreementStatus
) -> None:
    assert agreement_units(work(AgreementModel.TASK_FORCE, status, officers=40, transfers=90), policy) == 0.0


def test_officers_and_recent_transfers_add_units(policy: Policy) -> None:
    assert agreement_units(work(officers=10), policy) == pytest.approx(1.2)
    assert agreement_units(work(transfers=25), policy) == pytest.approx(1.25)
    assert agreement_units(
        work(AgreementModel.TASK_FORCE, officers=20, transfers=30), policy
    ) == pytest.approx(2.2)


def test_caseload_is_the_sum_of_its_agreements(policy: Policy) -> None:
    caseload = [
        work(AgreementModel.JAIL_ENFORCEMENT, officers=20, transfers=30),  # 1.7
        work(AgreementModel.TASK_FORCE, AgreementStatus.SUSPENDED, officers=5),  # 1.6
        work(AgreementModel.WARRANT_SERVICE_OFFICER, AgreementStatus.SIGNED),  # 0.5
        work(AgreementModel.TASK_FORCE, AgreementStatus.APPLICANT, officers=5),  # 0
    ]
    assert caseload_units(caseload, policy) == pytest.approx(3.8)
    assert caseload_units([], policy) == 0


def test_weights_come_from_the_policy(policy: Policy) -> None:
    heavier = apply_policy_text(
        policy, "[workload]\ntask_force = 2\nper_authorized_officer = 0.1\n", "local.toml"
    )
    assert heavier.workload.task_force == 2.0
    assert isinstance(heavier.workload.task_force, float)
    assert agreement_units(work(AgreementModel.TASK_FORCE, officers=3), heavier) == pytest.approx(2.3)


def test_unknown_model_has_no_units(policy: Policy) -> None:
    with pytest.raises(PolicyError, match="no units"):
        policy.workload.units_for_model("border_patrol")


@pytest.mark.parametrize(("own", "expected"), [(None, 12.0), (8.0, 8.0), (20.5, 20.5), (0.0, 0.0)])
def test_capacity_is_the_managers_own_else_the_default(
    policy: Policy, own: float | None, expected: float
) -> None:
    assert capacity_of(own, policy) == expected


@pytest.mark.parametrize(
    ("units", "capacity", "needed"),
    [
        (0.0, 12.0, 0),
        (0.01, 12.0, 1),
        (12.0, 12.0, 1),
        (12.01, 12.0, 2),
        (24.0, 12.0, 2),
        (0.1 + 0.2, 0.3, 1),  # 1.0000000000000002 is one manager, not two
        (sum([0.02] * 600), 12.0, 1),  # 12.000000000000153 from adding officer weights
    ],
)
def test_managers_needed_rounds_up(units: float, capacity: float, needed: int) -> None:
    assert managers_needed(units, capacity) == needed


@pytest.mark.parametrize("capacity", [0.0, -1.0])
def test_managers_needed_refuses_no_capacity(capacity: float) -> None:
    with pytest.raises(ValueError, match="capacity"):
        managers_needed(5.0, capacity)


@settings(max_examples=300)
@given(
    units=st.floats(0, 10_000, allow_nan=False),
    capacity=st.floats(0.5, 50, allow_nan=False),
)
def test_managers_needed_is_the_least_that_carry_the_units(units: float, capacity: float) -> None:
    needed = managers_needed(units, capacity)
    assert needed >= 0
    # Enough managers, up to the float residue that managers_needed deliberately ignores.
    assert needed * capacity >= units - capacity * 1e-9
    if needed > 0:
        assert (needed - 1) * capacity < units
    assert needed <= math.ceil(units / capacity)
