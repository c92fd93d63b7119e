"""The staffing analysis with a what-if: managers needed against managers present, per field
office and for the program, at a chosen capacity per manager and with N more agreements."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from pm_desk.domain.workload import managers_needed
from pm_desk.services.reporting import Generated
from pm_desk.services.reporting_staffing import StaffingReport, staffing_report
from pm_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class WhatIf:
    capacity_per_manager: float
    extra_agreements: int
    extra_units: float  # the extra agreements weighed like the program's average agreement today
    needed: int
    needed_with_pipeline: int
    managers: int


def staffing_analysis(
    uow: UnitOfWork, as_of: datetime, by: str, capacity_per_manager: float | None = None
) -> StaffingReport:
    """The staffing report's figures at the policy's capacity per manager, or at another one."""
    policy = uow.policy
    if capacity_per_manager is not None:
        policy = replace(policy, workload=replace(policy.workload, default_capacity=capacity_per_manager))
    return staffing_report(uow, policy, Generated(as_of, by, None))


def what_if(report: StaffingReport, extra_agreements: int) -> WhatIf:
    total = report.total
    average = total.units / total.agreements if total.agreements else 0.0
    extra_units = average * extra_agreements
    capacity = report.capacity_per_manager
    return WhatIf(
        capacity,
        extra_agreements,
        round(extra_units, 2),
        managers_needed(total.units + extra_units, capacity),
        managers_needed(total.units + total.pipeline_units + extra_units, capacity),
        total.managers,
    )
