"""Every rule result that is not ok, for a scope: a manager's caseload, a field office, the program.

This is the one source of truth that `pm-desk compliance`, the Today page, reminders and the
reports share: they all call `compliance_results`. Which rules run on which records, and what
their results are called, comes from the rule catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pm_desk.domain import rules
from pm_desk.domain.clock import utc_date
from pm_desk.domain.enums import RecordKind
from pm_desk.domain.facts import (
    AgreementFacts,
    ComplaintFacts,
    FindingFacts,
    ManagerLoadFacts,
    OfficerFacts,
    TransferFacts,
)
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult, iso_due
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.statuses import Rule, Status
from pm_desk.domain.rules.training import next_class_with_seats
from pm_desk.domain.scope import PROGRAM, Scope
from pm_desk.domain.workload import capacity_of, caseload_units
from pm_desk.services.compliance_rota import add_rota
from pm_desk.store.queries import compliance as q
from pm_desk.store.uow import UnitOfWork

OUTPUT_FIELDS = ("rule", "status", "record", "id", "key", "due", "manager")


@dataclass(frozen=True)
class ComplianceItem:
    rule: Rule
    status: Status
    record: RecordKind
    id: str
    key: str
    due: date | datetime | None
    manager: str | None
    agreement_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def of(
        cls, result: RuleResult, key: str, manager: str | None, agreement_id: str | None
    ) -> ComplianceItem:
        return cls(
            result.rule,
            result.status,
            result.record,
            result.record_id,
            key,
            result.due,
            manager,
            agreement_id,
            result.detail,
        )

    @property
    def result(self) -> RuleResult:
        """The rule's own result this item carries (what the catalog's texts are built from)."""
        return RuleResult(self.rule, self.status, self.record, self.id, self.due, self.detail)

    def as_output(self) -> dict[str, str | None]:
        """The object of `pm-desk compliance --format json`."""
        return {
            "rule": self.rule,
            "status": self.status,
            "record": self.record,
            "id": self.id,
            "key": self.key,
            "due": iso_due(self.due),
            "manager": self.manager,
        }


def compliance_results(
    uow: UnitOfWork, policy: Policy, as_of: datetime, scope: Scope = PROGRAM
) -> list[ComplianceItem]:
    """Every result that is not ok in `scope`: the program, one manager's caseload, or one field
    office. Open `uow` must be usable for reads; nothing is written."""
    as_of = as_of.astimezone(UTC)
    session = uow.session
    manager_id, office = scope.manager_id, scope.field_office_id
    inputs = q.ComplianceInputs()
    # A field office's records are read for its agreements only; people and rota items are read
    # for the program and filtered at the end (a manager's load counts all his agreements).
    q.load_agreements(session, inputs, manager_id, office)
    # Narrow the reads to records that can possibly be due (a deadline is never earlier than its
    # start plus the policy's span); the rules below decide for each record read.
    refresher_window = policy.refresher.interval_days - policy.refresher.due_soon_days
    q.load_officers(
        session,
        inputs,
        manager_id,
        trained_before=utc_date(as_of) - timedelta(days=refresher_window - 1),
        field_office_id=office,
    )
    q.load_classes(session, inputs, as_of)
    q.load_open_transfers(
        session, inputs, manager_id, eligible_by=_eligible_by(as_of, policy), field_office_id=office
    )
    q.load_open_findings(session, inputs, manager_id, office)
    q.load_complaints(session, inputs, manager_id, office, received_by=as_of)
    q.load_workload(session, inputs, as_of, policy.workload.recent_transfer_days, manager_id)
    window_start = as_of - timedelta(days=policy.oncall.max_consecutive_primary_days + 1)
    window_end = as_of + timedelta(days=policy.oncall.lookahead_days)
    q.load_rota(session, inputs, window_start, window_end)

    items: list[ComplianceItem] = []

    def add(
        result: RuleResult | None, agreement_id: str | None, key: str, manager: str | None = None
    ) -> None:
        if result is None:
            return
        if manager is None and agreement_id is not None:
            context = inputs.agreement_context.get(agreement_id)
            manager = context.manager_email if context else None
        items.append(ComplianceItem.of(result, key, manager, agreement_id))

    context = catalog.CheckContext(as_of, policy, next_class_with_seats(inputs.classes, as_of))
    subjects = _subjects(inputs, policy)
    for spec in catalog.RULES:
        if spec.facts is None or spec.check is None:
            continue
        for facts, agreement_id, key, manager in subjects.get(spec.facts, ()):
            for result in spec.check(facts, context):
                add(result, agreement_id, key, manager)
    manager_email = inputs.people.get(manager_id) if manager_id is not None else None
    add_rota(inputs, policy, as_of, window_end, manager_id is not None, manager_email, add)
    if office is not None:
        items = [i for i in items if _office_of(i, inputs) == office]
    items.sort(key=lambda i: (i.rule, i.key, i.status, i.id))
    return items


Subject = tuple[Any, str | None, str, str | None]  # facts, agreement id, key, manager's email


def _subjects(inputs: q.ComplianceInputs, policy: Policy) -> dict[type, list[Subject]]:
    """The records read, grouped by the facts a rule is checked on."""

    def keyed(facts: list[Any], keys: dict[str, tuple[str, str]]) -> list[Subject]:
        return [(f, *keys[f.id], None) for f in facts]

    managers: list[Subject] = []
    for manager in inputs.managers:
        units = caseload_units(inputs.work.get(manager.id, []), policy)
        facts = ManagerLoadFacts(manager.id, units, capacity_of(manager.capacity, policy))
        managers.append((facts, None, manager.email, manager.email))
    return {
        OfficerFacts: keyed(inputs.officers, inputs.officer_keys),
        AgreementFacts: [(a, a.id, inputs.agreement_context[a.id].key, None) for a in inputs.agreements],
        TransferFacts: keyed(inputs.transfers, inputs.transfer_keys),
        FindingFacts: keyed(inputs.findings, inputs.finding_keys),
        ComplaintFacts: keyed(inputs.complaints, inputs.complaint_keys),
        ManagerLoadFacts: managers,
    }


def _eligible_by(as_of: datetime, policy: Policy) -> datetime:
    """Open holds whose release-eligible time is after this cannot be due yet."""
    return as_of + timedelta(hours=policy.hold.due_soon_hours - policy.hold.hours + 1)


def hold_results(
    uow: UnitOfWork, policy: Policy, as_of: datetime, field_office_id: str | None = None
) -> list[ComplianceItem]:
    """The `hold` results alone, for the program or one field office: what `compliance_results`
    gives for that rule, read without the other rules' records (the person on call watches these
    every minute). Open `uow` must be usable for reads; nothing is written."""
    as_of = as_of.astimezone(UTC)
    inputs = q.ComplianceInputs()
    q.load_agreements(uow.session, inputs, None, field_office_id)
    q.load_open_transfers(
        uow.session,
        inputs,
        None,
        eligible_by=_eligible_by(as_of, policy),
        field_office_id=field_office_id,
    )
    items: list[ComplianceItem] = []
    for transfer in inputs.transfers:
        result = rules.hold(transfer, as_of, policy)
        if result is None:
            continue
        agreement_id, key = inputs.transfer_keys[transfer.id]
        context = inputs.agreement_context.get(agreement_id)
        manager = context.manager_email if context else None
        items.append(ComplianceItem.of(result, key, manager, agreement_id))
    items.sort(key=lambda i: (i.rule, i.key, i.status, i.id))
    return items


def _office_of(item: ComplianceItem, inputs: q.ComplianceInputs) -> str | None:
    if item.agreement_id is not None:
        context = inputs.agreement_context.get(item.agreement_id)
        return context.field_office_id if context else None
    if item.record is RecordKind.USER:
        return next((m.field_office_id for m in inputs.managers if m.id == item.id), None)
    if item.record is RecordKind.ROTATION:
        return inputs.rotation_offices.get(item.id)
    if item.record is RecordKind.SHIFT:
        rotation_id = inputs.shift_rotations.get(item.id)
        return inputs.rotation_offices.get(rotation_id) if rotation_id else None
    return None
