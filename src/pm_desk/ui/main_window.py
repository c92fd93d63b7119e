"""The main window: navigation rail, the page, the status bar and the menus. It only assembles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pm_desk import __version__
from pm_desk.ui.context import AppContext
from pm_desk.ui.idle_lock import IdleLock
from pm_desk.ui.menus import build_menus
from pm_desk.ui.notifier import HoldNotifier
from pm_desk.ui.page_book import PageBook
from pm_desk.ui.pages.agreements import AgreementsPage
from pm_desk.ui.pages.base import Page
from pm_desk.ui.pages.complaints import ComplaintsPage
from pm_desk.ui.pages.equipment import EquipmentPage
from pm_desk.ui.pages.inspections import InspectionsPage
from pm_desk.ui.pages.officers import OfficersPage
from pm_desk.ui.pages.oncall import OnCallPage
from pm_desk.ui.pages.reminders import RemindersPage
from pm_desk.ui.pages.reports import ReportsPage
from pm_desk.ui.pages.team import TeamPage
from pm_desk.ui.pages.today import TodayPage
from pm_desk.ui.pages.training import TrainingPage
from pm_desk.ui.pages.transfers import TransfersPage
from pm_desk.ui.reminder_alerts import ReminderNotifier
from pm_desk.ui.status_bar import StatusBar
from pm_desk.ui.theme import tone_background, tone_color

PAGE_CLASSES: tuple[type[Page], ...] = (
    TodayPage,
    AgreementsPage,
    OfficersPage,
    TrainingPage,
    EquipmentPage,
    TransfersPage,
    InspectionsPage,
    ComplaintsPage,
    RemindersPage,
    OnCallPage,
    ReportsPage,
    TeamPage,
)

REMINDERS_FIRST_READ_MS = 300


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.signing_out = False  # closed to sign in again (as someone else, or after the idle lock)
        self.restore_from: Path | None = None  # closed to put this backup back (ui.app does it)
        self.idle_lock: IdleLock | None = None  # set by the session once the window is up
        self.setWindowTitle(f"PM Desk — {ctx.actor.name}")
        self.setMinimumSize(QSize(1000, 640))
        self.rail = QListWidget(self)
        self.rail.setAccessibleName("Navigation")
        self.rail.setObjectName("rail")
        self.rail.setFixedWidth(200)
        self.rail.setSpacing(2)
        self.stack = QStackedWidget(self)
        self.pages = PageBook(PAGE_CLASSES, self._build_page)
        for name in self.pages:
            item = QListWidgetItem(self.pages.title(name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setSizeHint(QSize(190, 36))
            self.rail.addItem(item)
        self.rail.currentRowChanged.connect(self._show_row)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        if ctx.access is not None and ctx.access.plaintext:
            column.addWidget(plaintext_warning())
        layout = QHBoxLayout()
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(self.stack, 1)
        column.addLayout(layout, 1)
        self.setCentralWidget(central)
        self.status = StatusBar(ctx, self)
        self.setStatusBar(self.status)
        build_menus(self)
        ctx.events.navigate.connect(self.open_record)
        ctx.events.failed.connect(lambda message: self.status.showMessage(f"✖ {message}", 15_000))
        today = self.pages["today"]
        assert isinstance(today, TodayPage)
        today.model.modelReset.connect(self._update_hold_counts)
        self.notifier = HoldNotifier(self, self.windowIcon())
        self.notifier.open_record.connect(self._open_from_notification)
        today.model.modelReset.connect(lambda: self.notifier.update(today.model.groups))
        today.activate()  # the status bar's hold counts come from Today
        self._install_reminders(ctx)
        geometry = ctx.settings.geometry("main_window")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        self.show_page(ctx.settings.last_page if ctx.settings.last_page in self.pages else "today")

    def _build_page(self, page_class: type[Page]) -> Page:
        page = page_class(self.ctx, self)
        self.stack.addWidget(page)
        return page

    # -- navigation -------------------------------------------------------------------------------
    def show_page(self, name: str) -> Page:
        names = list(self.pages)
        self.rail.setCurrentRow(names.index(name))
        return self.pages[name]

    def _show_row(self, row: int) -> None:
        name = list(self.pages)[row]
        page = self.pages[name]
        self.stack.setCurrentWidget(page)
        page.activate()
        self.ctx.settings.last_page = name

    def current_page(self) -> Page:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Page)
        return widget

    def open_record(self, kind: str, record_id: str) -> None:
        """Open a record where it lives (from Today, a related list, a notification)."""
        name = self.pages.page_for_kind(kind)
        if name is not None:
            self.show_page(name).open_record(kind, record_id)

    def _open_from_notification(self, kind: str, record_id: str) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.open_record(kind, record_id)

    def _install_reminders(self, ctx: AppContext) -> None:
        """The rail's count of reminders due and their tray notifications (sharing the tray)."""
        page = self.pages["reminders"]
        assert isinstance(page, RemindersPage)
        page.count_changed.connect(self._show_reminder_count)
        self.reminder_notifier = ReminderNotifier(
            lambda: page.items, ctx.now, ctx.settings, ctx.actor.user_id, self.notifier.tray, self
        )
        self.reminder_notifier.open_record.connect(self._open_from_notification)
        self.reminder_notifier.notified.connect(self.notifier.forget_click)
        self.notifier.notified.connect(self.reminder_notifier.forget_click)
        page.items_loaded.connect(self.reminder_notifier.check)
        # Read once the window is up: the count and what came due while the app was closed.
        QTimer.singleShot(REMINDERS_FIRST_READ_MS, page, page.refresh)

    def _show_reminder_count(self, count: int) -> None:
        for row in range(self.rail.count()):
            item = self.rail.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == "reminders":
                item.setText(f"{RemindersPage.title} ({count})" if count else RemindersPage.title)
                item.setToolTip(f"{count} reminders overdue or due today" if count else "No reminders due")

    def _update_hold_counts(self) -> None:
        today = self.pages["today"]
        assert isinstance(today, TodayPage)
        counts = today.counts()
        self.status.show_holds(counts.get("hold_due_soon", 0), counts.get("hold_breached", 0))

    # -- session -----------------------------------------------------------------------------------
    def sign_out(self) -> None:
        """Close everything and go back to the sign-in window (what is not saved is dropped)."""
        self.signing_out = True
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        QTimer.singleShot(0, self.close)

    def ask_restore(self) -> None:
        """File → Restore from backup…: choose one; the window closes the database for it."""
        from pm_desk.services.backups import backups_of
        from pm_desk.ui.dialogs.restore import RestoreDialog

        dialog = RestoreDialog(backups_of(self.ctx.db), self)
        if dialog.exec() and dialog.chosen is not None:
            self.restore_from = dialog.chosen
            self.signing_out = False
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()
            QTimer.singleShot(0, self.close)

    # -- state -------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.set_geometry("main_window", self.saveGeometry())
        for page in self.pages.made():
            page.save_state()
        super().closeEvent(event)

    def about_text(self) -> str:
        paths = self.ctx.paths
        return (
            f"<h3>PM Desk {__version__}</h3>"
            "<p>The 287(g) program manager's desktop workbench.</p>"
            f"<p><b>Database:</b> {paths.database}<br>"
            f"<b>Data folder:</b> {paths.data_dir}<br>"
            f"<b>Settings:</b> {paths.settings_file}<br>"
            f"<b>Backups:</b> {paths.backup_dir}<br>"
            f"<b>Log:</b> {paths.log_file}</p>"
        )

    def page_for(self, name: str) -> Any:
        return self.pages[name]


def plaintext_warning() -> QLabel:
    """The strip over a database that is not encrypted yet: its subject data lie in clear on disk."""
    bar = QLabel(
        "⚠ This database is not encrypted: anyone who copies the file reads its A-numbers and names. "
        "An administrator encrypts it with <code>pm-desk encrypt</code> (quit PM Desk first)."
    )
    bar.setObjectName("plaintextWarning")
    bar.setAccessibleName("Warning: database not encrypted")
    bar.setWordWrap(True)
    bar.setContentsMargins(12, 6, 12, 6)
    background, color = tone_background("warn"), tone_color("warn")
    if background is not None and color is not None:
        bar.setStyleSheet(f"background: {background.name()}; color: {color.name()}; font-weight: bold;")
    return bar
