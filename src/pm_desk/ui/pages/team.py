"""The Team page: every manager of the field office with his load and what is pressing in his
caseload; moving agreements between managers; a suggested balance. Supervisors act, others read."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain.enums import Role
from pm_desk.domain.scope import scope_of
from pm_desk.domain.words import load_percent
from pm_desk.services import reads
from pm_desk.services.reassignment import balance_caseloads
from pm_desk.services.team import TeamRow
from pm_desk.ui.dialogs.reassign_dialog import ReassignDialog
from pm_desk.ui.local_zone import local_zone
from pm_desk.ui.pages.base import Page
from pm_desk.ui.theme import tone_color
from pm_desk.ui.widgets.load_chart import LoadChart
from pm_desk.ui.widgets.measures_panel import MeasuresPanel
from pm_desk.ui.widgets.message_bar import MessageBar
from pm_desk.ui.widgets.staffing_panel import StaffingPanel

COLUMNS = (
    "Manager",
    "Agreements",
    "Units",
    "Capacity",
    "Load",
    "Open holds",
    "Late items",
    "Away",
    "On call",
)


class TeamPage(Page):
    name = "team"
    title = "Team"
    kinds = ("user",)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.supervisor = ctx.actor.role is Role.SUPERVISOR
        self.rows: list[TeamRow] = []
        self.heading = QLabel("<h2>Team</h2>")
        self.suggest_button = QPushButton("Suggest balance…")
        self.suggest_button.clicked.connect(self.suggest)
        self.move_button = QPushButton("Move agreements…")
        self.move_button.clicked.connect(lambda: self.move(False))
        self.move_all_button = QPushButton("Move everything (leave)…")
        self.move_all_button.clicked.connect(lambda: self.move(True))
        for button in (self.suggest_button, self.move_button, self.move_all_button):
            button.setVisible(self.supervisor)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        for button in (self.suggest_button, self.move_button, self.move_all_button):
            top.addWidget(button)
        self.message = MessageBar(self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Managers")
        self.table.currentCellChanged.connect(lambda row, *_: self.show_manager(row))
        self.chart = LoadChart(self)
        self.caseload = QListWidget(self)
        self.caseload.setAccessibleName("Caseload of the selected manager")
        self.caseload.setWordWrap(True)
        self.caseload.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.caseload.itemDoubleClicked.connect(
            lambda item: self.ctx.events.navigate.emit("agreement", item.data(Qt.ItemDataRole.UserRole))
        )
        self.caseload_title = QLabel("Select a manager to see his caseload.")
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.chart, 1)
        right_layout.addWidget(self.caseload_title)
        right_layout.addWidget(self.caseload, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([900, 420])
        self.staffing = StaffingPanel(ctx, self)
        self.measures = MeasuresPanel(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(split, "Managers")
        self.tabs.addTab(self.staffing, "Staffing")
        self.tabs.addTab(self.measures, "Performance")
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self._select_when_shown: str | None = None
        ctx.events.changed.connect(lambda *_: self.refresh())

    def _tab_shown(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.staffing:
            self.staffing.load()
        elif widget is self.measures and not self.measures.rows:
            self.measures.load()

    def office(self) -> str | None:
        return scope_of(self.ctx.actor, whole_office=True).field_office_id

    def load(self) -> None:
        ctx, office, now = self.ctx, self.office(), self.ctx.now()
        self.read_in_background(lambda: ctx.read(reads.team, office, now), self.show_rows)

    def show_rows(self, rows: list[TeamRow]) -> None:
        self.rows = rows
        overloaded = sum(r.overloaded for r in self.rows)
        self.heading.setText(
            f"<h2>Team</h2> {len(self.rows)} managers, {overloaded} over capacity"
            if self.rows else "<h2>Team</h2> no managers"
        )  # fmt: skip
        self.table.setRowCount(len(self.rows))
        alarm = tone_color("alarm")
        for r, row in enumerate(self.rows):
            over = row.overloaded
            load = load_percent(row.load)
            values = (
                row.name,
                str(row.agreements),
                f"{row.units:.2f}",
                f"{row.capacity:.1f}",
                ("✖ work but no capacity" if row.capacity <= 0 else f"✖ {load} over capacity")
                if over
                else load,
                str(row.open_holds),
                str(row.late_items),
                "on leave" if row.on_leave else "",
                "on call now" if row.on_call else "",
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 4 and over and alarm is not None:
                    item.setForeground(alarm)
                if c in {1, 2, 3, 5, 6}:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.chart.set_bars([(row.name, row.load, row.overloaded) for row in self.rows])
        if self.rows:
            self.table.setCurrentCell(0, 0)
        self._select_manager()

    def open_record(self, kind: str, record_id: str) -> None:
        """Select a manager (a reminder about him, a link from elsewhere), now or once the team
        has been read."""
        self.activate()
        self.tabs.setCurrentIndex(0)
        self._select_when_shown = record_id
        self._select_manager()

    def _select_manager(self) -> None:
        for r, row in enumerate(self.rows):
            if row.manager_id == self._select_when_shown:
                self.table.setCurrentCell(r, 0)
                self._select_when_shown = None
                return

    def selected(self) -> TeamRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def caseload_of(self, manager: TeamRow) -> list[tuple[str, str, float]]:
        return self.ctx.read(reads.caseload_lines, manager.manager_id, self.ctx.now())

    def show_manager(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        manager, ctx, now = self.rows[row], self.ctx, self.ctx.now()
        self.read_in_background(
            lambda: ctx.read(reads.caseload_lines, manager.manager_id, now),
            lambda agreements: self._show_caseload(manager, agreements),
        )

    def _show_caseload(self, manager: TeamRow, agreements: list[tuple[str, str, float]]) -> None:
        self.caseload_title.setText(
            f"<b>{manager.name}</b>: {len(agreements)} agreements, {manager.units:.2f} units"
        )
        self.caseload.clear()
        for agreement_id, text, units in agreements:
            item = QListWidgetItem(f"{text} — {units:.2f} units")
            item.setData(Qt.ItemDataRole.UserRole, agreement_id)
            self.caseload.addItem(item)

    def move(self, everything: bool) -> None:
        manager = self.selected()
        if manager is None:
            self.message.show_message("select a manager first", "warn", seconds=6)
            return
        dialog = ReassignDialog(self.ctx, manager, self.caseload_of(manager), self.rows, everything, self)
        if everything:
            dialog.reason.setText(f"{manager.name} on leave")
            back = self.ctx.read(reads.leave_end, manager.manager_id, self.ctx.now())
            dialog.set_return(back.astimezone(ZoneInfo(local_zone())).date() if back else None, True)
        dialog.exec()
        self.load()

    def suggest(self) -> None:
        suggested = self.ctx.read(reads.suggested_balance, self.office(), self.ctx.now())
        names = {row.manager_id: row.name for row in self.rows}
        if not suggested:
            self.message.show_message(
                "no moves would help: everyone is under capacity, or nobody has room", "ok", seconds=8
            )
            return
        dialog = QDialog(self)
        dialog.setWindowTitle("Suggested balance")
        listing = QListWidget(dialog)
        listing.setAccessibleName("Suggested moves")
        for move, what in suggested:
            who = f"{names.get(move.from_manager, '?')} → {names.get(move.to_manager, '?')}"
            text = f"{what} ({move.units:.2f} units): {who}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, move)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            listing.addItem(item)
        intro = QLabel(
            f"{len(suggested)} moves bring every manager under capacity where it can be done, never moving "
            "work onto someone already full. Untick any you do not want."
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Make these moves")
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(intro)
        layout.addWidget(listing)
        layout.addWidget(buttons)
        dialog.resize(640, 400)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.apply_moves([listing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listing.count())
                          if listing.item(i).checkState() == Qt.CheckState.Checked])  # fmt: skip

    def apply_moves(self, moves: list[Any]) -> None:
        by_target: dict[str, list[str]] = {}
        for move in moves:
            by_target.setdefault(move.to_manager, []).append(move.agreement_id)
        count = len(moves)
        self.ctx.op(balance_caseloads, by_target, "balance caseloads").owner(self).changes(
            "agreement", ""
        ).failure(lambda message: self.message.show_message(message, "alarm")).tell(
            f"{count} agreements moved to balance the office.",
            lambda message: self.message.show_message(message, "ok", seconds=8),
        ).success(lambda _moved: self.load()).run()


def _load_words(row: TeamRow) -> str:
    """An overload in words: by how much, or that there is work and no capacity for it."""
    return "✖ work but no capacity" if row.capacity <= 0 else f"✖ {load_percent(row.load)} over capacity"
