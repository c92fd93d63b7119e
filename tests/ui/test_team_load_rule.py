"""The Team page says "over capacity" exactly when the load rule does: at no capacity at all, at
the policy's overload ratio, and in the reassignment preview."""

from __future__ import annotations

from dataclasses import replace

import pytest
from contexts import make_context, settle

from builders import World, seed_world, set_capacity
from pm_desk.domain import rules
from pm_desk.domain.facts import ManagerLoadFacts
from pm_desk.domain.policy import load_policy
from pm_desk.store.database import Database
from pm_desk.ui.pages.team import TeamPage


@pytest.fixture
def world(db: Database) -> World:
    return seed_world(db)


def open_team(qtbot, ctx) -> TeamPage:
    page = TeamPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activate()
    settle(ctx)
    return page


def row_of(page: TeamPage, name: str) -> int:
    return next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == name)


def test_a_manager_with_no_capacity_and_work_is_over_capacity(
    qtbot, db: Database, world: World, tmp_path
) -> None:
    set_capacity(db, world.m1.user_id, 0.0)
    page = open_team(qtbot, make_context(db, world.supervisor_a.email, tmp_path))
    team = {row.name: row for row in page.rows}
    mia = team[world.m1.name]
    assert mia.units > 0 and mia.capacity == 0
    assert mia.overloaded is True
    assert rules.load(ManagerLoadFacts(mia.manager_id, mia.units, mia.capacity), load_policy()) is not None
    assert page.table.item(row_of(page, world.m1.name), 4).text() == "✖ work but no capacity"
    assert "1 over capacity" in page.heading.text()
    assert next(over for name, _load, over in page.chart.bars if name == world.m1.name) is True


def test_the_policys_overload_ratio_decides(qtbot, db: Database, world: World, tmp_path) -> None:
    """A manager at a third of his capacity is over it when the policy says a quarter is enough."""
    policy = load_policy()
    strict = replace(policy, workload=replace(policy.workload, overload_ratio=0.05))
    page = open_team(qtbot, make_context(db, world.supervisor_a.email, tmp_path, strict))
    for row in page.rows:
        expected = rules.load(ManagerLoadFacts(row.manager_id, row.units, row.capacity), strict) is not None
        assert row.overloaded is expected
        shown = page.table.item(row_of(page, row.name), 4).text()
        assert shown.startswith("✖") is expected
    assert any(row.overloaded for row in page.rows)
