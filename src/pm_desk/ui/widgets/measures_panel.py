"""The program's performance measures, month by month, each with a small chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from pm_desk.services import reads
from pm_desk.services.performance import MonthMeasures
from pm_desk.ui.jobs import Job, JobRunner
from pm_desk.ui.theme import tone_color

MEASURES = (
    ("agreements_in_force", "Agreements in force", "{:.0f}"),
    ("officers_authorized", "Officers authorized", "{:.0f}"),
    ("refresher_compliance", "Refresher compliance", "{:.0%}"),
    ("revocations_due", "Revocations due", "{:.0f}"),
    ("revocations_done", "Revocations done", "{:.0f}"),
    ("equipment_median_days", "Equipment: median days to operational", "{:.0f}"),
    ("hold_breaches", "Hold breaches", "{:.0f}"),
)


class Sparkline(QWidget):
    def __init__(self, title: str, values: list[float | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.values = title, values
        self.setMinimumSize(220, 90)
        self.setAccessibleName(title)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawText(QRectF(4, 2, self.width() - 8, 16), Qt.AlignmentFlag.AlignLeft, self.title)
        points = [(i, v) for i, v in enumerate(self.values) if v is not None]
        if not points:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "no data")
            return
        low = min(v for _i, v in points)
        high = max(v for _i, v in points)
        span = (high - low) or 1.0
        area = QRectF(6, 22, self.width() - 12, self.height() - 30)
        step = area.width() / max(len(self.values) - 1, 1)
        line = [
            QPointF(area.left() + i * step, area.bottom() - (v - low) / span * area.height())
            for i, v in points
        ]
        pen = QPen(tone_color("ok") or self.palette().color(self.foregroundRole()))
        pen.setWidthF(2.0)
        painter.setPen(pen)
        painter.drawPolyline(line)


class MeasuresPanel(QWidget):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status = QLabel("Computing the last twelve months…", self)
        self.table = QTableWidget(0, 1 + len(MEASURES), self)
        self.table.setHorizontalHeaderLabels(["Month", *[title for _k, title, _f in MEASURES]])
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Performance measures by month")
        self.charts = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(self.charts)
        layout.addWidget(self.table, 1)
        self.rows: list[MonthMeasures] = []
        self._jobs = JobRunner(self)

    def load(self) -> None:
        """Computed in the background (a few seconds on a large program); the page stays live."""
        self.status.setText("Computing the last twelve months…")
        job = Job(self._compute)
        job.signals.result.connect(self.show_rows)
        job.signals.error.connect(
            lambda message: self.status.setText(f"Could not compute the measures: {message}")
        )
        self._jobs.start(job)

    def _compute(self, _report: Any) -> list[MonthMeasures]:
        return self.ctx.read(reads.performance_measures)

    def show_rows(self, rows: list[MonthMeasures]) -> None:
        self.rows = rows
        self.status.setText("The last twelve months, from the records (the current month up to now).")
        self.table.setRowCount(len(rows))
        for r, month in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(month.month.strftime("%Y-%m")))
            for c, (key, _title, fmt) in enumerate(MEASURES, start=1):
                value = getattr(month, key)
                self.table.setItem(r, c, QTableWidgetItem("—" if value is None else fmt.format(value)))
        self.table.resizeColumnsToContents()
        while self.charts.count():
            item = self.charts.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for i, (key, title, fmt) in enumerate(MEASURES):
            values = [getattr(m, key) for m in rows]
            latest = next((v for v in reversed(values) if v is not None), None)
            heading = f"{title}: {fmt.format(latest)}" if latest is not None else title
            self.charts.addWidget(Sparkline(heading, values, self), i // 4, i % 4)
