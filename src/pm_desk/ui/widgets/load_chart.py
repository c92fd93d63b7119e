"""A bar chart of each manager's load against his capacity, drawn with QPainter: overloaded bars
in the alarm colour with their percentage written on them (colour and text)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from pm_desk.domain.words import load_percent
from pm_desk.ui.theme import tone_color


class LoadChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float]] = []  # (name, load as a fraction of capacity)
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Load per manager")

    def set_bars(self, bars: list[tuple[str, float, bool]]) -> None:
        """(name, load, over capacity by the load rule) per manager."""
        self.bars = bars
        self.setToolTip("\n".join(f"{name}: {load_percent(load)}" for name, load, _over in bars))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(8, 8, -8, -8)
        label_width = min(180, rect.width() // 3)
        if not self.bars:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No managers")
            return
        finite = [load for _n, load, _o in self.bars if load != float("inf")]
        scale = max(max(finite, default=0.0), 1.2)
        row = rect.height() / len(self.bars)
        plot_left = rect.left() + label_width + 8
        plot_width = rect.width() - label_width - 100
        ok, alarm = tone_color("ok") or QColor("green"), tone_color("alarm") or QColor("red")
        for i, (name, load, over) in enumerate(self.bars):
            top = rect.top() + i * row
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(QRectF(rect.left(), top, label_width, row), Qt.AlignmentFlag.AlignVCenter
                             | Qt.AlignmentFlag.AlignRight, name)  # fmt: skip
            width = plot_width * min(load, scale) / scale
            bar = QRectF(plot_left, top + row * 0.2, width, row * 0.6)
            painter.fillRect(bar, alarm if over else ok)
            painter.drawText(QRectF(plot_left + width + 4, top, 96, row), Qt.AlignmentFlag.AlignVCenter,
                             load_percent(load) + (" over" if over else ""))  # fmt: skip
        capacity_x = plot_left + plot_width / scale
        pen = QPen(self.palette().color(self.foregroundRole()))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(int(capacity_x), rect.top(), int(capacity_x), rect.bottom())
        painter.drawText(int(capacity_x) + 3, rect.top() + 12, "capacity")
