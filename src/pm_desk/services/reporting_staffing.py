"""The staffing analysis (DESIGN.md, Workload units): units per field office and for the program,
the managers they need at the policy's capacity per manager (rounded up) against the managers
there are, now and with the applicant pipeline signed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pm_desk.domain.enums import AgreementStatus
from pm_desk.domain.policy import Policy
from pm_desk.domain.workload import (
    AgreementWork,
    agreement_units,
    capacity_of,
    caseload_units,
    managers_needed,
)
from pm_desk.services.reporting import Generated, Progress, no_progress
from pm_desk.services.reporting_program import ManagerLoad, manager_loads
from pm_desk.store.queries import report_program as pq
from pm_desk.store.queries import reports as q
from pm_desk.store.uow import UnitOfWork


@dataclass
class OfficeStaffing:
    office: str
    agreements: int = 0
    units: float = 0.0
    managers: int = 0
    capacity: float = 0.0  # what the managers there can carry, each at his own capacity
    pipeline_agreements: int = 0
    pipeline_units: float = 0.0
    needed: int = 0
    needed_with_pipeline: int = 0

    @property
    def gap(self) -> int:
        return self.needed - self.managers

    @property
    def gap_with_pipeline(self) -> int:
        return self.needed_with_pipeline - self.managers


@dataclass(frozen=True)
class StaffingReport:
    as_of: datetime
    generated: Generated
    capacity_per_manager: float
    offices: list[OfficeStaffing]
    total: OfficeStaffing
    managers: list[ManagerLoad] = field(default_factory=list)
    unassigned_agreements: int = 0


def staffing_report(
    uow: UnitOfWork, policy: Policy, generated: Generated, progress: Progress = no_progress
) -> StaffingReport:
    """Any role may read it. Units follow the policy's weights; an agreement in the pipeline is
    weighed as if signed, with no officers or transfers yet."""
    session = uow.session
    as_of = generated.at
    per_manager = policy.workload.default_capacity
    progress("Weighing every agreement", 0.1)
    offices = {o.id: OfficeStaffing(o.name) for o in pq.field_offices(session)}
    unassigned = 0
    works: dict[str, list[AgreementWork]] = {office_id: [] for office_id in offices}
    for row in pq.office_work(session, as_of, policy.workload.recent_transfer_days):
        works.setdefault(row.field_office_id, []).append(row.work)
        unassigned += row.manager_id is None
    for office_id, office_works in works.items():
        office = offices.setdefault(office_id, OfficeStaffing(office_id))
        office.agreements = len(office_works)
        office.units = caseload_units(office_works, policy)
    for office_id, model in pq.pipeline(session):
        office = offices.setdefault(office_id, OfficeStaffing(office_id))
        office.pipeline_agreements += 1
        office.pipeline_units += agreement_units(
            AgreementWork("", model, AgreementStatus.SIGNED, 0, 0), policy
        )
    progress("Counting managers", 0.5)
    for manager in q.active_managers(session):
        home = offices.get(manager.field_office_id or "")
        if home is not None:
            home.managers += 1
            home.capacity += capacity_of(manager.capacity, policy)
    total = OfficeStaffing("Program")
    for office in offices.values():
        office.needed = managers_needed(office.units, per_manager)
        office.needed_with_pipeline = managers_needed(office.units + office.pipeline_units, per_manager)
        for name in ("agreements", "units", "managers", "capacity", "pipeline_agreements", "pipeline_units"):
            setattr(total, name, getattr(total, name) + getattr(office, name))
    total.needed = managers_needed(total.units, per_manager)
    total.needed_with_pipeline = managers_needed(total.units + total.pipeline_units, per_manager)
    progress("Measuring each manager's load", 0.7)
    managers = manager_loads(uow, policy, as_of)
    return StaffingReport(
        as_of,
        generated,
        per_manager,
        sorted(offices.values(), key=lambda o: (-o.gap_with_pipeline, o.office)),
        total,
        managers,
        unassigned,
    )
