"""The rota as a calendar: a week (7 days) or a month (6 × 7), each day listing who is on call,
with the shift running now highlighted, leave and warnings in the day."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from pm_desk.services.oncall_view import Day
from pm_desk.ui.theme import tone_background, tone_color

DAY_ROLE = Qt.ItemDataRole.UserRole + 20
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_text(cell: Day, zone: str) -> str:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    lines = [cell.day.strftime("%d %b")]
    for shift in cell.shifts:
        start, end = shift.starts_at.astimezone(tz), shift.ends_at.astimezone(tz)
        if start.date() < cell.day and end.date() > cell.day:
            span = ""  # on call all day
        elif start.date() < cell.day:
            span = f" until {end:%H:%M}"
        elif end.date() > cell.day:
            span = f" from {start:%H:%M}"
        else:
            span = f" {start:%H:%M}–{end:%H:%M}"
        marker = "▶ " if shift.current else ""
        cover = " (covering)" if shift.covering else ""
        lines.append(f"{marker}{shift.primary}{cover}{span}")
        if shift.backup and shift.backup != shift.primary:
            lines.append(f"   backup {shift.backup}")
        elif shift.backup:
            lines.append("   no other backup")
    if not cell.shifts:
        lines.append("— nobody —")
    lines += [f"Leave: {name}" for name in cell.leave]
    lines += [f"⚠ {text}" for text in cell.warnings]
    return "\n".join(lines)


class RotaCalendar(QTableWidget):
    day_selected = Signal(object)  # the Day clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(7)
        self.setHorizontalHeaderLabels(list(WEEKDAYS))
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setAccessibleName("On-call calendar")
        self.days: list[Day] = []
        self.currentCellChanged.connect(self._changed)

    def show_days(self, days: list[Day], zone: str, today: date) -> None:
        self.days = days
        rows = (len(days) + 6) // 7
        self.clearContents()
        self.setRowCount(rows)
        for index, cell in enumerate(days):
            item = QTableWidgetItem(day_text(cell, zone))
            item.setData(DAY_ROLE, index)
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if cell.warnings or not cell.shifts:
                item.setForeground(QBrush(tone_color("alarm")))
                background = tone_background("alarm")
                if background is not None:
                    item.setBackground(QBrush(background))
            elif any(s.current for s in cell.shifts):
                background = tone_background("warn")
                if background is not None:
                    item.setBackground(QBrush(background))
            if cell.day == today:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.setItem(index // 7, index % 7, item)
        today_index = next((i for i, c in enumerate(days) if c.day == today), None)
        if today_index is not None:
            self.setCurrentCell(today_index // 7, today_index % 7)

    def _changed(self, row: int, column: int, _prev_row: int, _prev_column: int) -> None:
        index = row * 7 + column
        if 0 <= index < len(self.days):
            self.day_selected.emit(self.days[index])
