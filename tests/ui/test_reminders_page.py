"""The Reminders page on the `small` demo, driven as a manager would: groups, search, the monthly
reminder on the third Tuesday (picker, snooze, complete, next one), bulk actions with undo, a
reminder about a record, and double-click to open the record."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from contexts import settle
from driving import fill, with_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from pm_desk.domain.enums import ReminderState
from pm_desk.services import reminders
from pm_desk.services.reminder_views import ReminderItem, reminder_items
from pm_desk.ui.context import AppContext
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.dialogs.reminder_form import RepeatField
from pm_desk.ui.dialogs.repeat_picker import RepeatPicker
from pm_desk.ui.models.reminders_model import ITEM_ROLE
from pm_desk.ui.pages.officers import OfficersPage
from pm_desk.ui.pages.reminders import RemindersPage
from support import FIXED_NOW, FakeClock


@pytest.fixture
def page(qtbot, manager_ctx: AppContext) -> RemindersPage:
    page = RemindersPage(manager_ctx)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.activate()
    settle(manager_ctx)
    return page


def groups(page: RemindersPage) -> dict[str, list[ReminderItem]]:
    return {g.key: g.rows for g in page.model.groups}


def select(page: RemindersPage, refs: list[str]) -> None:
    page.view.clearSelection()
    for ref in refs:
        assert page._select(ref, clear=False), f"{ref} is not shown"


def local_wall(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A wall time of this computer, as the form reads it."""
    return datetime(year, month, day, hour, minute).astimezone().astimezone(UTC)


def test_overdue_first_then_today_this_week_and_later(page: RemindersPage) -> None:
    shown = groups(page)
    keys = list(shown)
    assert keys[0] == "overdue"
    assert set(keys) <= {"overdue", "today", "week", "later"}
    assert len(shown["overdue"]) > 10  # the demo caseload's deadlines, typed by nobody
    assert any(not i.derived for i in page.items)  # and the manager's own reminders
    for key, rows in shown.items():
        assert all(r.bucket(FIXED_NOW, page.zone) == key for r in rows)
    first = page.model.index(0, 0)
    assert page.model.data(first).endswith(f"Overdue ({len(shown['overdue'])})")
    assert page.count() == len(shown["overdue"]) + len(shown.get("today", []))


def test_search_and_grouping_by_record_kind(qtbot, page: RemindersPage) -> None:
    officer_item = next(i for i in page.items if i.subject_kind == "officer")
    name = officer_item.subject_label.split(" (")[0]
    page.search.setText(name)
    qtbot.waitUntil(
        lambda: all(name in i.subject_label for g in page.model.groups for i in g.rows), timeout=2000
    )
    assert officer_item.ref in {i.ref for g in page.model.groups for i in g.rows}
    page.search.clear()
    page.group_by.setCurrentIndex(page.group_by.findData("kind"))
    titles = [g.title for g in page.model.groups]
    assert "Officers" in titles and "Agreements" in titles
    assert all(i.subject_kind == "officer" for i in groups(page)["officer"])
    assert all(i.subject_kind is None for i in groups(page).get("", []))


def test_a_monthly_reminder_on_the_third_tuesday_snoozed_completed_and_the_next_one(
    qtbot, page: RemindersPage, manager_ctx: AppContext, clock: FakeClock
) -> None:
    """The check of issue 8, through the page: the picker, the Snooze menu, Complete, Undo."""

    def pick_third_tuesday(dialog: QDialog) -> None:
        assert isinstance(dialog, RepeatPicker)
        dialog.mode.setCurrentIndex(dialog.mode.findData("monthly"))
        dialog.by_weekday.setChecked(True)
        dialog.nth.setCurrentIndex(dialog.nth.findData(3))
        dialog.weekday.setCurrentIndex(1)
        assert dialog.summary.text().startswith("Monthly on the third Tuesday. Next: Tue 17 Nov 2026 09:30")
        dialog.buttons.accepted.emit()

    def fill_and_save(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        fill(dialog, title="Field office managers' call", due_at="2026-11-02 09:30")
        repeat = dialog.fields["rrule"]
        assert isinstance(repeat, RepeatField)
        with_dialog(repeat.pick, pick_third_tuesday)
        assert repeat.text.text() == "Monthly on the third Tuesday"
        assert dialog.save()

    with_dialog(page.new_record, fill_and_save)
    settle(page.ctx)
    [item] = [i for i in page.items if i.title == "Field office managers' call"]
    assert (item.due_at, item.repeat) == (local_wall(2026, 11, 17, 9, 30), "Monthly on the third Tuesday")
    assert page.selected_refs() == [item.ref]

    clock.now = item.due_at + timedelta(minutes=5)
    page.load()
    settle(page.ctx)
    select(page, [item.ref])
    next(a for a in page.snooze_menu.actions() if a.objectName() == "snooze_1h").trigger()
    settle(manager_ctx)
    snoozed = next(i for i in page.items if i.ref == item.ref)
    assert (snoozed.state, snoozed.snoozed_until) == (ReminderState.SNOOZED, clock.now + timedelta(hours=1))
    assert "Snoozed until" in page.model.data(page.model.find(item.ref).siblingAtColumn(4))

    select(page, [item.ref])
    assert page.complete_selected()
    settle(manager_ctx)
    following = next(i for i in page.items if i.ref == item.ref)
    assert (following.state, following.due_at) == (ReminderState.OPEN, local_wall(2026, 12, 15, 9, 30))
    assert following.bucket(clock.now, page.zone) == "later"
    assert "Undo" in page.message.label.text()

    manager_ctx.undo_stack.undo()  # Edit → Undo: the occurrence is back, still snoozed
    settle(manager_ctx)
    back = next(i for i in page.items if i.ref == item.ref)
    assert (back.state, back.due_at) == (ReminderState.SNOOZED, item.due_at)


def test_bulk_complete_and_snooze_of_derived_reminders(
    page: RemindersPage, manager_ctx: AppContext, clock: FakeClock
) -> None:
    overdue = groups(page)["overdue"]
    chosen = [i.ref for i in overdue if i.derived][:3]
    select(page, chosen)
    assert page.selection_label.text() == "3 selected"
    assert not page.edit_button.isEnabled()  # a derived reminder changes with its record only
    assert page.complete_selected()
    settle(manager_ctx)
    assert not set(chosen) & {i.ref for i in page.items}
    page.show_closed.setChecked(True)
    settle(manager_ctx)
    closed = {i.ref: i.state for i in groups(page)["closed"]}
    assert all(closed[ref] is ReminderState.DONE for ref in chosen)

    manager_ctx.undo_stack.undo()

    settle(manager_ctx)
    assert set(chosen) <= {i.ref for i in page.items if i.is_open}

    select(page, chosen[:2])
    until = FIXED_NOW + timedelta(days=2)
    assert page.snooze_selected(None, until)
    settle(manager_ctx)
    snoozed = {i.ref: i for i in page.items}
    assert all(snoozed[r].snoozed_until == until for r in chosen[:2])
    assert all(snoozed[r].bucket(clock.now, page.zone) == "week" for r in chosen[:2])


def test_nothing_selected_says_so(page: RemindersPage) -> None:
    page.view.clearSelection()
    assert not page.complete_selected()
    assert "Select one or more" in page.message.label.text()


def test_double_click_opens_the_record_or_edits_a_reminder_about_nothing(
    qtbot, page: RemindersPage, manager_ctx: AppContext
) -> None:
    derived = next(i for i in page.items if i.derived and i.subject_kind == "officer")
    index = page.model.find(derived.ref)
    with qtbot.waitSignal(manager_ctx.events.navigate) as opened:
        page.view.activated.emit(index)
    assert tuple(opened.args) == ("officer", derived.subject_id)

    mine = next(i for i in page.items if not i.derived and i.subject_kind is None)

    def rename(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        assert dialog.fields["title"].value() == mine.title
        fill(dialog, title="Renamed")
        assert dialog.save()

    with_dialog(lambda: page.view.activated.emit(page.model.find(mine.ref)), rename)
    settle(page.ctx)
    assert next(i for i in page.items if i.ref == mine.ref).title == "Renamed"
    manager_ctx.undo_stack.undo()
    settle(manager_ctx)
    assert next(i for i in page.items if i.ref == mine.ref).title == mine.title


def test_a_bad_rule_is_refused_next_to_the_repeat_field(page: RemindersPage) -> None:
    seen: dict[str, object] = {}

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        fill(dialog, title="Odd", due_at="2026-11-02 09:30", rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")
        seen["saved"] = dialog.save()
        seen["problem"] = dialog.fields["rrule"].error.text()
        fill(dialog, rrule=None)
        seen["saved again"] = dialog.save()

    with_dialog(page.new_record, handle)
    settle(page.ctx)
    assert seen["saved"] is False
    assert "never happens" in str(seen["problem"])
    assert seen["saved again"] is True


def test_remind_me_on_any_record(qtbot, manager_ctx: AppContext) -> None:
    officers = OfficersPage(manager_ctx)
    qtbot.addWidget(officers)
    officers.resize(1400, 800)
    officers.show()
    officers.activate()
    officers.list.select_row(0)
    officer_id = officers.list.current_id()
    assert officer_id

    def button() -> list[QPushButton]:
        return [
            b for b in officers.detail.findChildren(QPushButton) if b.text() == "Remind me…" and b.isVisible()
        ]

    qtbot.waitUntil(lambda: len(button()) == 1, timeout=2000)

    def save(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        assert "subject_id" not in dialog.fields  # the record is already chosen
        fill(dialog, title="Ask about the background check")
        assert dialog.save()

    with_dialog(lambda: qtbot.mouseClick(button()[0], Qt.MouseButton.LeftButton), save)
    settle(manager_ctx)
    with manager_ctx.db.uow() as uow:
        items = reminder_items(uow, manager_ctx.policy, manager_ctx.actor, FIXED_NOW, "UTC")
    [mine] = [i for i in items if i.title == "Ask about the background check"]
    assert mine.record == ("officer", officer_id)
    assert officers.message.isVisible() and "Reminder saved" in officers.message.label.text()


def test_someone_elses_reminder_never_shows(page: RemindersPage, supervisor_ctx: AppContext) -> None:
    created = reminders.create_reminder(
        supervisor_ctx.db.uow(), supervisor_ctx.actor, reminders.ReminderInput("Supervisor's own", FIXED_NOW)
    )
    page.load()
    settle(page.ctx)
    assert created not in {i.ref for i in page.items}
    assert not page.model.find(created).isValid()
    shown = page.model.index(0, 0, page.model.index(0, 0))
    assert isinstance(shown.data(ITEM_ROLE), ReminderItem)


def test_the_view_exports_to_csv_as_shown(qtbot, page: RemindersPage, tmp_path: Path) -> None:
    page.search.setText("refresher")
    page.regroup()  # at once, not after the typing pause
    shown = [i for g in page.model.groups for i in g.rows]
    assert 0 < len(shown) < len(page.items)
    target = page.export("csv", str(tmp_path / "mine"))
    assert target == tmp_path / "mine.csv"
    with target.open(encoding="utf-8") as handle:
        assert handle.readline().strip() == page.ctx.policy.reports.handling_banner
        rows = list(csv.DictReader(handle))
    assert [r["Reminder"] for r in rows] == [i.title for i in shown]
    assert list(rows[0]) == ["Group", "Reminder", "Due", "About", "Repeats", "State"]
    assert {r["Group"] for r in rows} <= {"Overdue", "Today", "This week", "Later"}


def test_dismiss_asks_first_and_can_be_undone(page: RemindersPage, manager_ctx: AppContext) -> None:
    mine = next(i for i in page.items if not i.derived)
    select(page, [mine.ref])

    def answer(button: QMessageBox.StandardButton) -> Callable[[QDialog], None]:
        def handle(box: QDialog) -> None:
            assert isinstance(box, QMessageBox)
            assert box.text() == "Dismiss this reminder?"
            box.done(button)

        return handle

    with_dialog(page.dismiss_selected, answer(QMessageBox.StandardButton.Cancel))
    settle(page.ctx)
    assert mine.ref in {i.ref for i in page.items}
    with_dialog(page.dismiss_selected, answer(QMessageBox.StandardButton.Yes))
    settle(page.ctx)
    settle(manager_ctx)
    assert mine.ref not in {i.ref for i in page.items}
    manager_ctx.undo_stack.undo()
    settle(manager_ctx)
    assert mine.ref in {i.ref for i in page.items if i.is_open}


def test_snooze_until_a_time_picked_in_the_dialog(page: RemindersPage, manager_ctx: AppContext) -> None:
    """Snooze → Until…: a time more than a year ahead is refused next to the field, a time tomorrow
    is taken and the reminder waits until then."""
    mine = next(i for i in page.items if not i.derived and i.is_open)
    select(page, [mine.ref])
    tomorrow = (FIXED_NOW + timedelta(days=1)).replace(minute=0)

    def pick(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        fill(dialog, until=local_text(FIXED_NOW + timedelta(days=400)))
        assert not dialog.save()
        assert dialog.fields["until"].error.text() == "snooze for at most a year"
        fill(dialog, until=local_text(tomorrow))
        assert dialog.save()

    with_dialog(lambda: page.snooze_selected(None), pick)
    settle(manager_ctx)
    snoozed = next(i for i in page.items if i.ref == mine.ref)
    assert (snoozed.state, snoozed.snoozed_until) == (ReminderState.SNOOZED, tomorrow)


def local_text(instant: datetime) -> str:
    return instant.astimezone().strftime("%Y-%m-%d %H:%M")
