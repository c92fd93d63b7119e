"""Moving agreements from one manager to another, with the loads before and after, one
transaction per move, and an undo for as long as the dialog is open."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain import rules
from pm_desk.domain.facts import ManagerLoadFacts
from pm_desk.domain.rules.staffing import load_ratio
from pm_desk.domain.words import load_percent
from pm_desk.services.reassignment import Reassigned, balance_caseloads, reassign_agreements
from pm_desk.services.team import TeamRow
from pm_desk.ui.local_zone import local_zone


class ReassignDialog(QDialog):
    """`agreements` are (id, label, units) of the manager `source`; `team` gives every manager's
    units and capacity for the preview."""

    def __init__(
        self,
        ctx: Any,
        source: TeamRow,
        agreements: list[tuple[str, str, float]],
        team: list[TeamRow],
        preselect_all: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = source
        self.team = {row.manager_id: row for row in team}
        self.units = {agreement_id: units for agreement_id, _label, units in agreements}
        self.moved: list[Reassigned] = []
        self.setWindowTitle(f"Move agreements of {source.name}")
        self.setMinimumWidth(720)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Agreements to move")
        for agreement_id, text, units in agreements:
            item = QListWidgetItem(f"{text} — {units:.2f} units")
            item.setData(Qt.ItemDataRole.UserRole, agreement_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if preselect_all else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.target = QComboBox(self)
        self.target.setAccessibleName("Move to")
        for row in sorted(team, key=lambda r: r.load):
            if row.manager_id != source.manager_id:
                self.target.addItem(f"{row.name} ({row.load:.0%} loaded)", row.manager_id)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("why: leave, rebalancing, a new manager…")
        self.reason.setAccessibleName("Reason (required)")
        self.note = QPlainTextEdit(self)
        self.note.setFixedHeight(60)
        self.note.setAccessibleName("Handoff note")
        self.returns = QCheckBox("Move back on", self)
        self.returns.setToolTip("You get a reminder that morning to move these agreements back")
        self.return_date = QDateEdit(self)
        self.return_date.setCalendarPopup(True)
        self.return_date.setDisplayFormat("yyyy-MM-dd")
        self.return_date.setAccessibleName("Move back on")
        self.return_date.setEnabled(False)
        self.returns.toggled.connect(self.return_date.setEnabled)
        self.set_return(None, False)
        back = QHBoxLayout()
        back.addWidget(self.returns)
        back.addWidget(self.return_date)
        back.addStretch(1)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName("Loads before and after")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Agreements:", self.list)
        form.addRow("Move to:", self.target)
        form.addRow("Reason *:", self.reason)
        form.addRow("Handoff note:", self.note)
        form.addRow("For a leave:", back)
        self.move_button = QPushButton("Move")
        self.undo_button = QPushButton("Undo the move")
        self.undo_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.move_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.move_button.clicked.connect(self.move)
        self.undo_button.clicked.connect(self.undo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.list.itemChanged.connect(lambda _i: self.update_preview())
        self.target.currentIndexChanged.connect(lambda _i: self.update_preview())
        self.update_preview()

    def set_return(self, day: date | None, checked: bool) -> None:
        """Offer a return date (the end of the manager's leave, else a week from today)."""
        today = self.ctx.now().astimezone(ZoneInfo(local_zone())).date()
        day = day if day and day > today else today + timedelta(days=7)
        self.return_date.setMinimumDate(QDate(today.year, today.month, today.day).addDays(1))
        self.return_date.setDate(QDate(day.year, day.month, day.day))
        self.returns.setChecked(checked)

    def returns_at(self) -> datetime | None:
        """9:00 local time on the chosen day, when the supervisor's reminder falls due."""
        if not self.returns.isChecked():
            return None
        day = self.return_date.date().toPython()
        assert isinstance(day, date)
        return datetime.combine(day, time(9), ZoneInfo(local_zone()))

    def chosen(self) -> list[str]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def update_preview(self) -> None:
        target = self.team.get(self.target.currentData() or "")
        moving = sum(self.units[a] for a in self.chosen())
        if target is None:
            self.preview.setText("No other manager in this field office.")
            return
        lines = []
        for row, delta in ((self.source, -moving), (target, moving)):
            after = row.units + delta
            over = rules.load(ManagerLoadFacts(row.manager_id, after, row.capacity), self.ctx.policy)
            warning = "  ✖ over capacity" if over is not None else ""
            load_after = load_percent(load_ratio(after, row.capacity))
            change = f"{row.units:.2f} → {after:.2f} units ({load_percent(row.load)} → {load_after})"
            lines.append(f"{row.name}: {change}{warning}")
        self.preview.setText("\n".join(lines))
        self.move_button.setEnabled(bool(self.chosen()) and not self.moved)

    def move(self) -> bool:
        self.error.setText("")
        outcome = self.ctx.op(
            reassign_agreements, self.chosen(), self.target.currentData(), self.reason.text(),
            self.note.toPlainText() or None, True, self.returns_at(),
        ).changes("agreement", "").trigger(self.move_button).run_and_wait()  # fmt: skip
        if not outcome.ok or outcome.value is None:
            self.error.setText(outcome.message[:1].upper() + outcome.message[1:])
            return False
        self.moved = outcome.value
        back = self.returns_at()
        count = "1 agreement" if len(self.moved) == 1 else f"{len(self.moved)} agreements"
        also = f" You will be reminded on {back:%Y-%m-%d} to move them back." if back and self.moved else ""
        self.preview.setText(self.preview.text() + f"\n✓ Moved {count}.{also}")
        self.move_button.setEnabled(False)
        self.undo_button.setEnabled(bool(self.moved))
        return True

    def undo(self) -> bool:
        """Put every moved agreement back with its former manager (new history, none erased)."""
        by_manager: dict[str, list[str]] = {}
        for move in self.moved:
            if move.from_manager_id:
                by_manager.setdefault(move.from_manager_id, []).append(move.agreement_id)
        outcome = (
            self.ctx.op(balance_caseloads, by_manager, "undo of a move", with_handoff=False)
            .changes("agreement", "")
            .trigger(self.undo_button)
            .run_and_wait()
        )
        if not outcome.ok:
            self.error.setText(outcome.message)
            return False
        self.moved = []
        self.undo_button.setEnabled(False)
        self.move_button.setEnabled(bool(self.chosen()))
        self.preview.setText(self.preview.text() + "\n↶ Move undone.")
        return True
