"""Workload units and the staffing arithmetic of DESIGN.md (weights from the policy)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from pm_desk.domain.enums import WORKLOAD_STATUSES, AgreementModel, AgreementStatus
from pm_desk.domain.policy import Policy


@dataclass(frozen=True, slots=True)
class AgreementWork:
    """What one agreement weighs: its model and status, authorized officers, recent transfers."""

    agreement_id: str
    model: AgreementModel
    status: AgreementStatus
    authorized_officers: int
    recent_transfers: int


def agreement_units(work: AgreementWork, policy: Policy) -> float:
    if work.status not in WORKLOAD_STATUSES:
        return 0.0
    weights = policy.workload
    return (
        weights.units_for_model(work.model.value)
        + weights.per_authorized_officer * work.authorized_officers
        + weights.per_recent_transfer * work.recent_transfers
    )


def caseload_units(works: Iterable[AgreementWork], policy: Policy) -> float:
    return sum(agreement_units(w, policy) for w in works)


def capacity_of(own_capacity: float | None, policy: Policy) -> float:
    return own_capacity if own_capacity is not None else policy.workload.default_capacity


def managers_needed(units: float, capacity_per_manager: float) -> int:
    """Managers needed to carry `units`, rounded up; a tiny float residue does not add one."""
    if capacity_per_manager <= 0:
        raise ValueError("capacity per manager must be above zero")
    return max(0, math.ceil(round(units / capacity_per_manager, 9)))
