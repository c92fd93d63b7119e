"""A bar chart of each manager's load against his capacity, drawn with QPainter: overloaded bars
in the alarm colour with their percentage written on them (colour and text)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from pm_desk.ui.theme import tone_color


class LoadChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float]] = []  # (name, load as a fraction of capacity)
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Load per manager")

    def set_bars(self, bars: list[tuple[str, float]]) -> None:
        self.bars = bars
        self.setToolTip("\n".join(f"{name}: {load:.0%}" for name, load in bars))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(8, 8, -8, -8)
        label_width = min(180, rect.width() // 3)
        if not self.bars:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No managers")
            return
        scale = max(max(load for _n, load in self.bars), 1.2)
        row = rect.height() / len(self.bars)
        plot_left = rect.left() + label_width + 8
        plot_width = rect.width() - label_width - 100
        ok, alarm = tone_color("ok") or QColor("green"), tone_color("alarm") or QColor("red")
        for i, (name, load) in enumerate(self.bars):
            top = rect.top() + i * row
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(QRectF(rect.left(), top, label_width, row), Qt.AlignmentFlag.AlignVCenter
                             | Qt.AlignmentFlag.AlignRight, name)  # fmt: skip
            width = plot_width * load / scale
            bar = QRectF(plot_left, top + row * 0.2, width, row * 0.6)
            color = alarm if load > 1.0 else ok
            painter.fillRect(bar, color)
            painter.drawText(QRectF(plot_left + width + 4, top, 96, row), Qt.AlignmentFlag.AlignVCenter,
                             f"{load:.0%}" + (" over" if load > 1.0 else ""))  # fmt: skip
        capacity_x = plot_left + plot_width / scale
        pen = QPen(self.palette().color(self.foregroundRole()))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(int(capacity_x), rect.top(), int(capacity_x), rect.bottom())
        painter.drawText(int(capacity_x) + 3, rect.top() + 12, "capacity")
