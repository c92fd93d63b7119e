"""The team view and the staffing analysis, against hand computations from the policy weights;
reassignment is all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from builders import World, add_agency, add_agreement, audit_rows, set_capacity
from pm_desk.domain.enums import AgreementModel, AgreementStatus
from pm_desk.services.errors import NotFound, PermissionDenied
from pm_desk.services.reassignment import reassign_agreements
from pm_desk.services.staffing import staffing_analysis, what_if
from pm_desk.services.team import suggested_moves, team
from pm_desk.store.database import Database
from pm_desk.store.models import Agreement, Assignment, Reminder
from support import FIXED_NOW


def loaded(
    db: Database, world: World, count: int, model: AgreementModel = AgreementModel.TASK_FORCE
) -> list[str]:
    ids = []
    for n in range(count):
        agency = add_agency(db, "FL", f"Test Agency {model.value} {n}")
        ids.append(add_agreement(db, agency, world.office_a, world.m1.user_id, model=model))
    return ids


def test_team_rows_follow_the_policy_weights(db: Database, world: World) -> None:
    """Mia One: the world's jail agreement (1.0 + 0.02 for its authorized officer) and six task
    forces (1.5 each) = 10.02 units; at a capacity of 8 she is over."""
    loaded(db, world, 6)
    set_capacity(db, world.m1.user_id, 8.0)
    with db.uow() as uow:
        rows = {row.email: row for row in team(uow, world.office_a, FIXED_NOW)}
    mia = rows[world.m1.email]
    assert (mia.agreements, mia.units, mia.capacity) == (7, 10.02, 8.0)
    assert mia.load == pytest.approx(10.02 / 8)
    assert rows[world.m2.email].units == pytest.approx(1.5 + 0.02)  # Max: one task force, one officer
    assert next(iter(rows)) == world.m1.email  # the most loaded first


def test_suggested_moves_bring_everyone_under_capacity(db: Database, world: World) -> None:
    loaded(db, world, 6)
    set_capacity(db, world.m1.user_id, 8.0)
    with db.uow() as uow:
        moves = suggested_moves(uow, world.office_a, FIXED_NOW)
        rows = {row.manager_id: row for row in team(uow, world.office_a, FIXED_NOW)}
    assert moves and all(
        m.from_manager == world.m1.user_id and m.to_manager == world.m2.user_id for m in moves
    )
    moved = sum(m.units for m in moves)
    assert rows[world.m1.user_id].units - moved <= 8.0
    assert rows[world.m2.user_id].units + moved <= rows[world.m2.user_id].capacity


def test_reassignment_is_all_or_nothing(db: Database, world: World) -> None:
    ids = loaded(db, world, 3)
    before = audit_rows(db)
    with pytest.raises(NotFound):
        reassign_agreements(
            db.uow(), world.supervisor_a, [*ids, "no-such-agreement"], world.m2.user_id, "balance"
        )
    with db.uow() as uow:
        owners = {a.manager_id for a in uow.session.scalars(select(Agreement).where(Agreement.id.in_(ids)))}
        handoffs = uow.session.scalars(select(Reminder)).all()
    assert owners == {world.m1.user_id}
    assert handoffs == []
    assert audit_rows(db) == before


def test_a_manager_cannot_move_his_own_agreements_away(db: Database, world: World) -> None:
    ids = loaded(db, world, 1)
    with pytest.raises(PermissionDenied):
        reassign_agreements(db.uow(), world.m1, ids, world.m2.user_id, "too much work")


def test_the_new_manager_gets_a_handoff_with_the_checklist(db: Database, world: World) -> None:
    [agreement_id] = loaded(db, world, 1)
    reassign_agreements(db.uow(), world.supervisor_a, [agreement_id], world.m2.user_id, "leave",
                        "Sheriff prefers calls in the morning")  # fmt: skip
    with db.uow() as uow:
        [handoff] = uow.session.scalars(select(Reminder)).all()
        history = uow.session.scalars(select(Assignment).where(Assignment.agreement_id == agreement_id)).all()
    assert handoff.owner_id == world.m2.user_id and handoff.subject_id == agreement_id
    assert "Note: Sheriff prefers calls in the morning" in (handoff.notes or "")
    assert "Open holds: 0" in (handoff.notes or "")
    assert sorted(a.ends_at is None for a in history) == [False, True]  # one closed, one open


def test_staffing_is_units_over_capacity_rounded_up(db: Database, world: World) -> None:
    """The world: office A has Mia (jail 1.02) and Max (task force 1.52), office B Bea (jail 1.02);
    plus three applicants in A (task force 1.5 each as if signed)."""
    for n in range(3):
        agency = add_agency(db, "FL", f"Applicant {n}")
        add_agreement(db, agency, world.office_a, None, model=AgreementModel.TASK_FORCE,
                      status=AgreementStatus.APPLICANT, signed_on=None, effective_on=None)  # fmt: skip
    with db.uow() as uow:
        report = staffing_analysis(uow, FIXED_NOW, "Sam Super")
        small = staffing_analysis(uow, FIXED_NOW, "Sam Super", capacity_per_manager=1.0)
    total = report.total
    assert total.units == pytest.approx(1.02 + 1.52 + 1.02)
    assert (total.managers, total.needed) == (3, 1)  # 3.56 units at 12 each
    assert total.pipeline_agreements == 3 and total.pipeline_units == pytest.approx(4.5)
    assert total.needed_with_pipeline == 1  # 8.06 units at 12
    assert (small.total.needed, small.total.needed_with_pipeline) == (4, 9)  # ceil(3.56), ceil(8.06)
    more = what_if(report, 30)  # 30 more agreements at the average of 1.19 units: 35.6 + 3.56
    assert more.extra_units == pytest.approx(30 * 3.56 / 3, rel=1e-3)
    assert more.needed == 4  # ceil((3.56 + 35.6) / 12)
