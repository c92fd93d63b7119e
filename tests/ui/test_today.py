"""Today: its counts are those of `pm-desk compliance` for the same user and day."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
from contexts import make_context

from builders import seed_world
from pm_desk.cli import main
from pm_desk.domain.rules import catalog
from pm_desk.ui.context import AppContext
from pm_desk.ui.models.today_model import RECORD_ROLE
from pm_desk.ui.pages.today import TodayPage
from support import FIXED_NOW


def compliance_counts(
    capsys: pytest.CaptureFixture[str], db_path: str, email: str, *extra: str
) -> Counter[str]:
    """What the command line says to `email`, grouped the way Today groups it."""
    code = main(
        ["--db", db_path, "--as-user", email, "compliance", "--as-of", "2026-10-31T12:00:00Z", *extra]
    )
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    counts: Counter[str] = Counter()
    for row in rows:
        counts[catalog.group_of(SimpleNamespace(rule=row["rule"], status=row["status"])).key] += 1
    return counts


def today_counts(page: TodayPage) -> Counter[str]:
    counts = Counter(page.counts())
    counts.pop("reminders", None)
    counts.pop("oncall_holds", None)  # the holds of others that an on-call person covers
    counts.pop("rota", None)  # the manager's own rota warnings (gaps are a rotation's, not his)
    return +counts


def test_manager_today_counts_equal_the_compliance_command(qtbot, manager_ctx: AppContext, capsys) -> None:
    page = TodayPage(manager_ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    email = manager_ctx.actor.email
    expected = compliance_counts(capsys, manager_ctx.paths.database, email, "--manager", email)
    assert today_counts(page) == expected
    assert sum(expected.values()) > 10  # the demo caseload has real work on it


def test_supervisor_today_covers_the_field_office(qtbot, supervisor_ctx: AppContext, capsys) -> None:
    page = TodayPage(supervisor_ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    program = compliance_counts(capsys, supervisor_ctx.paths.database, supervisor_ctx.actor.email)
    # The small program is one field office: the supervisor's Today is the whole program.
    assert today_counts(page) == program


def test_hold_countdown_ticks_without_recomputing(qtbot, manager_ctx: AppContext, clock) -> None:
    page = TodayPage(manager_ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    row_of = {g.spec.key: i for i, g in enumerate(page.model.groups)}
    assert "hold_due_soon" in row_of
    group = page.model.index(row_of["hold_due_soon"], 0)
    cell = page.model.index(0, 2, group)
    before = cell.data()
    assert before.endswith("left")
    clock.now = FIXED_NOW + timedelta(seconds=5)
    with qtbot.waitSignal(page.model.dataChanged, timeout=3000):
        pass  # the page's one-second timer moves the countdown
    assert cell.data() != before
    assert page.ticker.isActive()


def test_a_row_opens_its_record(qtbot, manager_ctx: AppContext) -> None:
    page = TodayPage(manager_ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    group = page.model.index(0, 0)
    row = page.model.index(0, 0, group)
    with qtbot.waitSignal(manager_ctx.events.navigate) as opened:
        page.view.activated.emit(row)
    assert tuple(opened.args) == row.data(RECORD_ROLE)


def test_a_caseload_with_nothing_due_says_so(qtbot, db, tmp_path) -> None:
    world = seed_world(db)  # one agreement, trained officers: nothing is due for Mia One
    ctx = make_context(db, world.m1.email, tmp_path)
    page = TodayPage(ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    assert page.model.rowCount() == 0
    assert page.empty.isVisible()
    assert "Nothing needs you right now" in page.empty.text()
