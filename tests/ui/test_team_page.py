"""The Team page as a supervisor uses it on the `small` demo: loads, a move with its preview and
undo, the suggested balance, the staffing what-if and the performance measures."""

from __future__ import annotations

from contexts import settle
from driving import with_dialog
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QListWidget
from sqlalchemy import select

from pm_desk.store.models import Agreement, Reminder
from pm_desk.ui.dialogs.reassign_dialog import ReassignDialog
from pm_desk.ui.pages.team import TeamPage


def open_team(qtbot, ctx) -> TeamPage:
    page = TeamPage(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.activate()
    settle(ctx)  # the page reads on the database worker
    return page


def test_supervisor_sees_every_manager_with_load_in_colour_and_words(qtbot, supervisor_ctx) -> None:
    page = open_team(qtbot, supervisor_ctx)
    assert page.table.rowCount() == 4
    loads = [page.table.item(r, 4).text() for r in range(4)]
    assert loads[0].startswith("✖") and "over capacity" in loads[0]  # the demo's busiest manager
    assert (
        page.table.item(0, 4).foreground().color().name() != page.table.item(1, 4).foreground().color().name()
    )
    assert [name for name, _load, _over in page.chart.bars] == [
        page.table.item(r, 0).text() for r in range(4)
    ]
    assert page.caseload.count() > 0


def test_move_with_preview_then_undo_in_the_dialog(qtbot, supervisor_ctx) -> None:
    page = open_team(qtbot, supervisor_ctx)
    busiest = page.rows[0]
    agreements = page.caseload_of(busiest)
    dialog = ReassignDialog(supervisor_ctx, busiest, agreements, page.rows)
    qtbot.addWidget(dialog)
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    assert busiest.name in dialog.preview.text() and "→" in dialog.preview.text()
    assert not dialog.move()  # no reason yet
    assert "reason" in dialog.error.text().lower()
    dialog.reason.setText("balance the office")
    assert dialog.move()
    moved_id = dialog.moved[0].agreement_id
    target = dialog.moved[0].to_manager_id
    with supervisor_ctx.db.uow() as uow:
        assert uow.session.get(Agreement, moved_id).manager_id == target
        handoff = uow.session.execute(select(Reminder).where(Reminder.subject_id == moved_id)).scalar_one()
        assert handoff.owner_id == target and handoff.title.startswith("Handoff:")
    assert dialog.undo()
    with supervisor_ctx.db.uow() as uow:
        assert uow.session.get(Agreement, moved_id).manager_id == busiest.manager_id


def test_move_everything_for_a_leave_with_a_return_reminder(qtbot, supervisor_ctx) -> None:
    page = open_team(qtbot, supervisor_ctx)
    page.table.setCurrentCell(1, 0)
    away = page.rows[1]
    got: dict[str, object] = {}

    def move_with_return(dialog: QDialog) -> None:
        assert isinstance(dialog, ReassignDialog)
        assert dialog.returns.isChecked() and dialog.return_date.isEnabled()
        ticked = [dialog.list.item(i).checkState() for i in range(dialog.list.count())]
        assert ticked and set(ticked) == {Qt.CheckState.Checked}
        assert dialog.reason.text() == f"{away.name} on leave"
        dialog.return_date.setDate(QDate(2026, 12, 7))
        assert dialog.move()
        assert "reminded on 2026-12-07" in dialog.preview.text()
        got["due"], got["moved"] = dialog.returns_at(), len(dialog.moved)
        dialog.accept()

    with_dialog(lambda: page.move(True), move_with_return)
    settle(page.ctx)
    assert got["moved"] == away.agreements
    with supervisor_ctx.db.uow() as uow:
        reminder = uow.session.execute(
            select(Reminder).where(
                Reminder.subject_id == away.manager_id, Reminder.title.startswith("Move back")
            )
        ).scalar_one()
        assert (reminder.owner_id, reminder.due_at) == (supervisor_ctx.actor.user_id, got["due"])
    assert [r.agreements for r in page.rows if r.manager_id == away.manager_id] == [0]
    page.open_record("user", away.manager_id)
    selected = page.selected()
    assert selected is not None and selected.manager_id == away.manager_id


def test_manager_sees_the_team_but_cannot_move(qtbot, manager_ctx) -> None:
    page = open_team(qtbot, manager_ctx)
    assert page.table.rowCount() == 4
    assert not page.move_button.isVisibleTo(page)
    assert not page.suggest_button.isVisibleTo(page)


def test_suggested_balance_applies_the_ticked_moves(qtbot, supervisor_ctx) -> None:
    page = open_team(qtbot, supervisor_ctx)
    busiest_name, before = page.rows[0].name, page.rows[0].load

    def accept(dialog: QDialog) -> None:
        listing = dialog.findChild(QListWidget)
        assert listing is not None and listing.count() >= 1
        dialog.accept()

    with_dialog(page.suggest, accept)
    settle(page.ctx)
    settle(supervisor_ctx)
    page.load()
    settle(page.ctx)
    busiest = next(r for r in page.rows if r.name == busiest_name)
    assert busiest.load < before
    assert all(r.load <= 1.0 for r in page.rows if r.name != busiest_name)  # nobody pushed over
    assert "moved to balance the office" in page.message.label.text()


def test_staffing_what_if_and_performance(qtbot, supervisor_ctx) -> None:
    page = open_team(qtbot, supervisor_ctx)
    page.tabs.setCurrentWidget(page.staffing)
    assert page.staffing.table.rowCount() == 2  # Miami and the program
    page.staffing.capacity.setValue(2.0)
    assert "at 2 units each it needs" in page.staffing.summary.text()
    page.staffing.extra.setValue(50)
    assert "With 50 more agreements" in page.staffing.summary.text()
    page.tabs.setCurrentWidget(page.measures)
    qtbot.waitUntil(lambda: page.measures.table.rowCount() == 12, timeout=10_000)
    assert page.measures.table.item(11, 0).text() == "2026-10"
