"""System-tray notifications: a hold that comes due or is breached is announced once, while
the app runs; clicking the message opens the transfer."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from pm_desk.services.today import TodayGroup


class HoldNotifier(QObject):
    # kind, id, title, message: emitted once per hold and state (also without a tray to show it).
    notified = Signal(str, str, str, str)
    open_record = Signal(str, str)

    GROUPS = {
        "hold_breached": "Hold breached",
        "hold_due_soon": "Hold due soon",
        "oncall_holds": "On call: hold",
    }

    def __init__(self, parent: QWidget | None = None, icon: object = None) -> None:
        super().__init__(parent)
        self._seen: set[tuple[str, str]] = set()
        self._last: tuple[str, str] | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self)
            if icon is not None:
                self.tray.setIcon(icon)  # type: ignore[arg-type]
            self.tray.setToolTip("PM Desk")
            self.tray.messageClicked.connect(self._clicked)
            self.tray.show()

    def update(self, groups: list[TodayGroup]) -> int:
        """Announce the holds not announced before in their current state; returns how many."""
        announced = 0
        for group in groups:
            title = self.GROUPS.get(group.spec.key)
            if title is None:
                continue
            for row in group.rows:
                key = (row.record_id, group.spec.key)
                if key in self._seen:
                    continue
                self._seen.add(key)
                message = f"{row.what} — {row.detail or row.status}"
                self._last = (row.kind, row.record_id)
                self.notified.emit(row.kind, row.record_id, title, message)
                if self.tray is not None:
                    icon = (
                        QSystemTrayIcon.MessageIcon.Critical
                        if group.spec.key == "hold_breached"
                        else QSystemTrayIcon.MessageIcon.Warning
                    )
                    self.tray.showMessage(title, message, icon, 15_000)
                announced += 1
        return announced

    def forget_click(self, *_args: object) -> None:
        """Another notifier (reminders) showed the latest message: a click on it is not ours."""
        self._last = None

    def _clicked(self) -> None:
        if self._last is not None:
            self.open_record.emit(*self._last)
