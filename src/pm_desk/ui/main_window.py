"""The main window: navigation rail, the page, the status bar and the menus. It only assembles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from pm_desk import __version__
from pm_desk.ui.context import AppContext
from pm_desk.ui.menus import build_menus
from pm_desk.ui.notifier import HoldNotifier
from pm_desk.ui.pages.agreements import AgreementsPage
from pm_desk.ui.pages.base import Page
from pm_desk.ui.pages.complaints import ComplaintsPage
from pm_desk.ui.pages.equipment import EquipmentPage
from pm_desk.ui.pages.inspections import InspectionsPage
from pm_desk.ui.pages.officers import OfficersPage
from pm_desk.ui.pages.oncall import OnCallPage
from pm_desk.ui.pages.today import TodayPage
from pm_desk.ui.pages.training import TrainingPage
from pm_desk.ui.pages.transfers import TransfersPage
from pm_desk.ui.status_bar import StatusBar

PAGE_CLASSES: tuple[type[Page], ...] = (
    TodayPage,
    AgreementsPage,
    OfficersPage,
    TrainingPage,
    EquipmentPage,
    TransfersPage,
    InspectionsPage,
    ComplaintsPage,
    OnCallPage,
)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"PM Desk — {ctx.actor.name}")
        self.setMinimumSize(QSize(1000, 640))
        self.rail = QListWidget(self)
        self.rail.setAccessibleName("Navigation")
        self.rail.setObjectName("rail")
        self.rail.setFixedWidth(170)
        self.rail.setSpacing(2)
        self.stack = QStackedWidget(self)
        self.pages: dict[str, Page] = {}
        for page_class in PAGE_CLASSES:
            page = page_class(ctx, self)
            self.pages[page.name] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(page.title)
            item.setData(Qt.ItemDataRole.UserRole, page.name)
            item.setSizeHint(QSize(160, 36))
            self.rail.addItem(item)
        self.rail.currentRowChanged.connect(self._show_row)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = StatusBar(ctx, self)
        self.setStatusBar(self.status)
        build_menus(self)
        ctx.events.navigate.connect(self.open_record)
        today = self.pages["today"]
        assert isinstance(today, TodayPage)
        today.model.modelReset.connect(self._update_hold_counts)
        self.notifier = HoldNotifier(self, self.windowIcon())
        self.notifier.open_record.connect(self._open_from_notification)
        today.model.modelReset.connect(lambda: self.notifier.update(today.model.groups))
        today.activate()  # the status bar's hold counts come from Today
        geometry = ctx.settings.geometry("main_window")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        self.show_page(ctx.settings.last_page if ctx.settings.last_page in self.pages else "today")

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
        for page in self.pages.values():
            if kind in page.kinds:
                self.show_page(page.name)
                page.open_record(kind, record_id)
                return

    def _open_from_notification(self, kind: str, record_id: str) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.open_record(kind, record_id)

    def _update_hold_counts(self) -> None:
        today = self.pages["today"]
        assert isinstance(today, TodayPage)
        counts = today.counts()
        self.status.show_holds(counts.get("hold_due_soon", 0), counts.get("hold_breached", 0))

    # -- state -------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.set_geometry("main_window", self.saveGeometry())
        for page in self.pages.values():
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
            f"<b>Policy override:</b> {paths.policy_file}<br>"
            f"<b>Backups:</b> {paths.backup_dir}<br>"
            f"<b>Log:</b> {paths.log_file}</p>"
        )

    def page_for(self, name: str) -> Any:
        return self.pages[name]
