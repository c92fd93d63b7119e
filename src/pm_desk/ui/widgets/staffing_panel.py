"""The staffing analysis on screen: managers needed against present, per field office and for the
program, with a what-if for the capacity per manager and for more agreements."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pm_desk.services import reads
from pm_desk.services.staffing import what_if
from pm_desk.ui.theme import tone_color

COLUMNS = (
    "Field office",
    "Agreements",
    "Units",
    "Managers",
    "Needed",
    "Short",
    "Pipeline",
    "Needed with pipeline",
)


class StaffingPanel(QWidget):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.capacity = QDoubleSpinBox(self)
        self.capacity.setRange(1.0, 100.0)
        self.capacity.setSingleStep(0.5)
        self.capacity.setValue(ctx.policy.workload.default_capacity)
        self.capacity.setAccessibleName("Capacity per manager (units)")
        self.extra = QSpinBox(self)
        self.extra.setRange(0, 10_000)
        self.extra.setAccessibleName("More agreements")
        self.capacity.valueChanged.connect(lambda _v: self.load())
        self.extra.valueChanged.connect(lambda _v: self.show_what_if())
        form = QFormLayout()
        form.addRow("Capacity per manager (workload units):", self.capacity)
        form.addRow("What if the program had this many more agreements:", self.extra)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Staffing summary")
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Staffing by field office")
        w = ctx.policy.workload
        note = QLabel(
            "Workload units by the policy's weights: "
            f"jail enforcement {w.jail_enforcement:g}, task force {w.task_force:g}, "
            f"warrant service {w.warrant_service_officer:g} per agreement, "
            f"plus {w.per_authorized_officer:g} per authorized officer "
            f"and {w.per_recent_transfer:g} per transfer of the last {w.recent_transfer_days} days. "
            "Managers needed = units ÷ capacity, rounded up; "
            "the pipeline counts applicant and pending agreements as if signed."
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        top = QHBoxLayout()
        top.addLayout(form)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.report: Any = None

    def load(self) -> None:
        self.report = self.ctx.read(
            reads.staffing_analysis, self.ctx.now(), self.ctx.actor.name, self.capacity.value()
        )
        rows = [*self.report.offices, self.report.total]
        self.table.setRowCount(len(rows))
        alarm = tone_color("alarm")
        for r, office in enumerate(rows):
            short = office.gap
            values = (
                office.office,
                str(office.agreements),
                f"{office.units:.1f}",
                str(office.managers),
                str(office.needed),
                f"✖ {short} short" if short > 0 else ("" if short == 0 else f"{-short} spare"),
                f"{office.pipeline_agreements} ({office.pipeline_units:.1f} units)",
                str(office.needed_with_pipeline),
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 5 and short > 0 and alarm is not None:
                    item.setForeground(alarm)
                if office is self.report.total:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if c in {1, 2, 3, 4}:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.show_what_if()

    def show_what_if(self) -> None:
        if self.report is None:
            return
        result = what_if(self.report, self.extra.value())
        total = self.report.total
        text = (
            f"The program carries {total.units:.1f} units with {total.managers} managers: at "
            f"{result.capacity_per_manager:g} units each it needs {total.needed} now and "
            f"{total.needed_with_pipeline} once the pipeline is signed."
        )
        if result.extra_agreements:
            text += (
                f" With {result.extra_agreements} more agreements (about {result.extra_units:.1f} units) it "
                f"would need {result.needed}, or {result.needed_with_pipeline} with the pipeline."
            )
        self.summary.setText(text)
