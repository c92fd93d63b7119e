"""Tray notifications of reminders: once when one comes due while the app runs, once at start for
those that came due while it was closed; a click opens the record. And the rail's count, Today's
reminders group and the calendar export of the menu."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from pm_desk.domain.enums import ReminderState
from pm_desk.services import reminders
from pm_desk.services.reminder_views import ReminderItem
from pm_desk.settings import Settings
from pm_desk.ui.app import open_main_window
from pm_desk.ui.context import AppContext
from pm_desk.ui.dialogs.reminder_form import export_reminders_calendar
from pm_desk.ui.pages.today import TodayPage
from pm_desk.ui.reminder_alerts import ReminderNotifier
from support import FIXED_NOW, FakeClock

USER = "01a20870-0000-7000-8000-00000000aaaa"


def reminder(ref: str, due: datetime, **fields: object) -> ReminderItem:
    values: dict[str, object] = {
        "ref": ref,
        "title": f"Reminder {ref}",
        "due_at": due,
        "all_day": False,
        "state": ReminderState.OPEN,
        "snoozed_until": None,
        "subject_kind": None,
        "subject_id": None,
        "subject_label": "",
        "derived": False,
    } | fields
    return ReminderItem(**values)


class Notices:
    def __init__(self, notifier: ReminderNotifier) -> None:
        self.seen: list[tuple[str, str, str, str]] = []
        notifier.notified.connect(lambda *args: self.seen.append(args))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.ini")


def test_a_reminder_coming_due_is_announced_once(qtbot, settings: Settings) -> None:
    clock = FakeClock()
    items = [
        reminder("a", FIXED_NOW - timedelta(hours=2)),
        reminder("b", FIXED_NOW + timedelta(minutes=10), subject_kind="officer", subject_id="o-1"),
    ]
    notifier = ReminderNotifier(lambda: items, clock, settings, USER)
    notices = Notices(notifier)
    with qtbot.waitSignal(notifier.missed) as started:
        assert notifier.check() == 1  # the first run: what is due now, once
    assert started.args == [1]
    assert notices.seen == [("reminder", "a", "Reminder due", "Reminder a")]
    assert notifier.check() == 0
    clock.now = FIXED_NOW + timedelta(minutes=11)
    with qtbot.waitSignal(notifier.notified) as due:
        assert notifier.check() == 1
    assert due.args == ["officer", "o-1", "Reminder due", "Reminder b"]
    clock.now += timedelta(minutes=5)
    assert notifier.check() == 0  # not on every tick
    assert len(notices.seen) == 2
    with qtbot.waitSignal(notifier.open_record) as opened:
        notifier.message_clicked()
    assert opened.args == ["officer", "o-1"]
    assert notifier.timer.isActive()


def test_a_snoozed_reminder_is_announced_again_when_its_snooze_ends(qtbot, settings: Settings) -> None:
    clock = FakeClock()
    items = [reminder("a", FIXED_NOW - timedelta(minutes=1))]
    notifier = ReminderNotifier(lambda: items, clock, settings, USER)
    notices = Notices(notifier)
    notifier.check()
    items[0] = reminder(
        "a", items[0].due_at, state=ReminderState.SNOOZED, snoozed_until=FIXED_NOW + timedelta(hours=1)
    )
    clock.now = FIXED_NOW + timedelta(minutes=59)
    assert notifier.check() == 0
    clock.now = FIXED_NOW + timedelta(hours=1, seconds=1)
    assert notifier.check() == 1
    assert [n[2] for n in notices.seen] == ["Reminder due", "Reminder due"]


def test_what_came_due_while_the_app_was_closed_is_shown_once_at_start(qtbot, settings: Settings) -> None:
    closed_at = FIXED_NOW - timedelta(days=1)
    settings.set_reminders_seen_until(USER, closed_at)
    items = [
        reminder("told", closed_at - timedelta(hours=1)),  # announced in the last run
        reminder("night", closed_at + timedelta(hours=8)),
        reminder("morning", FIXED_NOW - timedelta(hours=2)),
        reminder("later", FIXED_NOW + timedelta(hours=2)),
    ]
    notifier = ReminderNotifier(lambda: items, FakeClock(), settings, USER)
    notices = Notices(notifier)
    with qtbot.waitSignal(notifier.missed) as missed:
        notifier.check()
    assert missed.args == [2]
    [(kind, ref, title, message)] = notices.seen
    assert (kind, ref, title) == ("reminder", "night", "While PM Desk was closed")
    assert message == "2 reminders came due: Reminder night; Reminder morning"
    notifier.check()
    assert len(notices.seen) == 1
    assert settings.reminders_seen_until(USER) == FIXED_NOW


def test_many_at_once_are_one_message(settings: Settings) -> None:
    clock = FakeClock()
    items: list[ReminderItem] = []
    notifier = ReminderNotifier(lambda: items, clock, settings, USER)
    notices = Notices(notifier)
    notifier.check()
    items.extend(reminder(str(n), FIXED_NOW + timedelta(minutes=n)) for n in range(1, 6))
    clock.now = FIXED_NOW + timedelta(minutes=10)
    assert notifier.check() == 5
    assert notices.seen == [
        ("reminder", "1", "Reminders due", "5 reminders are due, starting with: Reminder 1")
    ]


def test_the_window_counts_reminders_on_the_rail_and_announces_at_start(
    qtbot, manager_ctx: AppContext, clock: FakeClock
) -> None:
    window = open_main_window(manager_ctx)
    qtbot.addWidget(window)
    page = window.pages["reminders"]
    notifier = window.reminder_notifier
    notices = Notices(notifier)
    items = [window.rail.item(r) for r in range(window.rail.count())]
    rail = next(i for i in items if i.data(Qt.ItemDataRole.UserRole) == "reminders")
    qtbot.waitUntil(lambda: rail.text().startswith("Reminders ("), timeout=5000)
    assert rail.text() == f"Reminders ({page.count()})"
    assert len(notices.seen) == 1 and "reminders are due" in notices.seen[0][3]

    # One comes due while the app runs: announced once; a click opens its record.
    due = reminders.create_reminder(
        manager_ctx.db.uow(),
        manager_ctx.actor,
        reminders.ReminderInput(
            "Call the jail",
            FIXED_NOW + timedelta(minutes=30),
            subject_kind="agreement",
            subject_id=next(i.subject_id for i in page.items if i.subject_kind == "agreement"),
        ),
    )
    manager_ctx.events.changed.emit("reminder", due)
    assert len(notices.seen) == 1
    clock.now = FIXED_NOW + timedelta(minutes=31)
    assert notifier.timer.isActive()  # it checks every few seconds; here, at once
    with qtbot.waitSignal(notifier.notified) as shown:
        notifier.check()
    assert shown.args[2:] == ["Reminder due", "Call the jail"]
    notifier.check()
    assert len(notices.seen) == 2
    notifier.message_clicked()
    assert window.current_page().name == "agreements"
    assert window.current_page().current_id() == shown.args[1]


def test_today_lists_ones_own_reminders_due_today(qtbot, manager_ctx: AppContext) -> None:
    reminder_id = reminders.create_reminder(
        manager_ctx.db.uow(),
        manager_ctx.actor,
        reminders.ReminderInput("Before five", FIXED_NOW + timedelta(hours=3)),
    )
    page = TodayPage(manager_ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    [group] = [g for g in page.model.groups if g.spec.key == "reminders"]
    row = next(r for r in group.rows if r.what == "Before five")
    assert (row.kind, row.record_id, row.status) == ("reminder", reminder_id, "due today")
    overdue = [r for r in group.rows if r.status == "overdue"]
    assert overdue and all(r.tone == "alarm" for r in overdue)


def test_the_menu_exports_the_calendar(qtbot, manager_ctx: AppContext, tmp_path: Path) -> None:
    window = open_main_window(manager_ctx)
    qtbot.addWidget(window)
    actions = {a.objectName(): a for a in window.findChildren(QAction)}
    assert "export_reminders_ics" in actions
    written = export_reminders_calendar(manager_ctx, window, str(tmp_path / "mine.ics"))
    assert written is not None and written.count > 10
    todos = Calendar.from_ical((tmp_path / "mine.ics").read_bytes()).walk("VTODO")
    assert len(todos) == written.count
    assert manager_ctx.settings.last_export_dir == str(tmp_path)
    events = export_reminders_calendar(manager_ctx, window, str(tmp_path / "events.ics"), events=True)
    assert events is not None
    assert len(Calendar.from_ical((tmp_path / "events.ics").read_bytes()).walk("VEVENT")) == events.count
