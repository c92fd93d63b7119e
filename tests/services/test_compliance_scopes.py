"""A field office's compliance read for its own agreements only, and the hold results alone, give
exactly what the program's results say for them (Today relies on both at a million transfers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from builders import World, add_complaint, add_finding, add_inspection, add_transfer
from pm_desk.domain.enums import TransferStatus
from pm_desk.domain.policy import Policy
from pm_desk.domain.scope import office_scope
from pm_desk.services.compliance import ComplianceItem, _office_of, compliance_results, hold_results
from pm_desk.store.database import Database
from pm_desk.store.queries import compliance as queries

BASE = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)


@pytest.fixture
def busy(db: Database, world: World) -> Database:
    """Holds, findings and complaints in both field offices' agreements."""
    for n, agreement in enumerate((world.agreement_m1, world.agreement_m2, world.agreement_b)):
        add_transfer(db, agreement, f"B-{n}-1", BASE - timedelta(days=3), BASE - timedelta(hours=50))
        add_transfer(db, agreement, f"B-{n}-2", BASE - timedelta(days=1), BASE - timedelta(hours=44))
        add_transfer(
            db,
            agreement,
            f"B-{n}-3",
            BASE - timedelta(days=2),
            BASE - timedelta(hours=20),
            TransferStatus.AWAITING_PICKUP,
        )
        inspection = add_inspection(db, agreement, date(2026, 9, 1))
        add_finding(db, inspection, f"Finding {n}", corrective_due=date(2026, 10, 1))
        add_complaint(db, agreement, BASE - timedelta(days=100))
    return db


def program_items_of_office(
    db: Database, policy: Policy, as_of: datetime, office: str
) -> list[ComplianceItem]:
    """What the field office's results were before the reads were narrowed: the program's,
    kept by the office of each item's record."""
    with db.uow() as uow:
        everything = compliance_results(uow, policy, as_of)
        inputs = queries.ComplianceInputs()
        queries.load_agreements(uow.session, inputs, None)
        queries.load_workload(uow.session, inputs, as_of, policy.workload.recent_transfer_days, None)
        queries.load_rota(uow.session, inputs, as_of - timedelta(days=30), as_of + timedelta(days=30))
    return [item for item in everything if _office_of(item, inputs) == office]


@pytest.mark.parametrize("days", [0, 1, 200, 400])
def test_a_field_office_gets_the_programs_results_for_its_records(
    busy: Database, world: World, policy: Policy, days: int
) -> None:
    as_of = BASE + timedelta(days=days)
    for office in (world.office_a, world.office_b):
        with busy.uow() as uow:
            scoped = compliance_results(uow, policy, as_of, office_scope(office))
        expected = program_items_of_office(busy, policy, as_of, office)
        assert [i for i in scoped if i.agreement_id] == [i for i in expected if i.agreement_id]
        assert {i.rule for i in scoped if i.agreement_id} >= (
            {"hold", "finding"} if days < 2 else {"finding"}
        )


@pytest.mark.parametrize("hours", [-30, 0, 5, 30])
def test_hold_results_are_the_hold_rule_of_compliance_results(
    busy: Database, world: World, policy: Policy, hours: int
) -> None:
    as_of = BASE + timedelta(hours=hours)
    for office in (None, world.office_a, world.office_b):
        with busy.uow() as uow:
            everything = compliance_results(uow, policy, as_of, office_scope(office))
            holds = hold_results(uow, policy, as_of, field_office_id=office)
        assert holds == [i for i in everything if i.rule == "hold"]
        assert [i.detail for i in holds] == [i.detail for i in everything if i.rule == "hold"]
    with busy.uow() as uow:
        assert len(hold_results(uow, policy, BASE)) >= 6  # both offices' breached and due-soon holds
