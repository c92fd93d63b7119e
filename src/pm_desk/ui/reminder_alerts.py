"""Tray notifications of reminders: each one is announced once when it comes due while the app
runs (again only if snoozed to a later time); clicking the message opens its record. At start,
the reminders that came due while the app was closed are announced together, once: the instant
up to which a person has been told is kept in the settings, per user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from pm_desk.services.reminder_views import ReminderItem
from pm_desk.settings import Settings

CHECK_MS = 15_000
# More reminders than this coming due at one check are announced in one message.
AT_ONCE = 3


class ReminderNotifier(QObject):
    # kind, id, title, message: emitted once per reminder and due time (also without a tray).
    notified = Signal(str, str, str, str)
    # At start: how many reminders came due while the app was closed (emitted once, if any).
    missed = Signal(int)
    open_record = Signal(str, str)

    def __init__(
        self,
        items: Callable[[], list[ReminderItem]],
        clock: Callable[[], datetime],
        settings: Settings,
        user_id: str,
        tray: QSystemTrayIcon | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._items, self._clock = items, clock
        self._settings, self._user_id = settings, user_id
        self._seen: set[tuple[str, datetime]] = set()
        self._started = False
        self._last: tuple[str, str] | None = None
        self.tray = tray
        if tray is not None:
            tray.messageClicked.connect(self.message_clicked)
        self.timer = QTimer(self, interval=CHECK_MS)
        self.timer.timeout.connect(self.check)

    def check(self) -> int:
        """Announce what came due since the last check (the first time: since the last run);
        returns how many reminders were announced."""
        now = self._clock()
        due = [i for i in self._items() if i.is_open and i.effective_due <= now]
        fresh = [i for i in due if (i.ref, i.effective_due) not in self._seen]
        self._seen.update((i.ref, i.effective_due) for i in fresh)
        if not self._started:
            self._started = True
            self.timer.start()
            told_until = self._settings.reminders_seen_until(self._user_id)
            fresh = [i for i in fresh if told_until is None or i.effective_due > told_until]
            if fresh:
                self._announce_missed(fresh, first_run=told_until is None)
        elif len(fresh) > AT_ONCE:
            message = f"{len(fresh)} reminders are due, starting with: {fresh[0].full_title}"
            self._show(fresh[0], "Reminders due", message, ("reminder", fresh[0].ref))
        else:
            for item in fresh:
                self._show(item, "Reminder due", item.full_title)
        self._settings.set_reminders_seen_until(self._user_id, now)
        return len(fresh)

    def _announce_missed(self, items: list[ReminderItem], first_run: bool) -> None:
        count = len(items)
        if count == 1:
            # One reminder: its own message, and a click opens its record.
            title = "Reminder due" if first_run else "Came due while PM Desk was closed"
            self._show(items[0], title, items[0].full_title)
        else:
            title = "Reminders due" if first_run else "While PM Desk was closed"
            names = "; ".join(i.full_title for i in items[:AT_ONCE]) + ("…" if count > AT_ONCE else "")
            verb = "are due" if first_run else "came due"
            # Several: a click opens the Reminders page on the first of them.
            self._show(items[0], title, f"{count} reminders {verb}: {names}", ("reminder", items[0].ref))
        self.missed.emit(count)

    def _show(
        self, item: ReminderItem, title: str, message: str, target: tuple[str, str] | None = None
    ) -> None:
        self._last = target or item.record
        self.notified.emit(self._last[0], self._last[1], title, message)
        if self.tray is not None:
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 15_000)

    def forget_click(self, *_args: object) -> None:
        """Another notifier showed the latest message: a click on it is not ours."""
        self._last = None

    def message_clicked(self) -> None:
        """The tray message was clicked: open what it was about."""
        if self._last is not None:
            self.open_record.emit(*self._last)
