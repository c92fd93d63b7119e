"""The Today list: groups of what needs the person now, each row a record to open.

Rows come from the Today read model (`pm_desk.services.today`: the same results as `pm-desk
compliance`, and the reminders due); hold rows carry their deadline so the countdown ticks every
second without recomputing anything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt

from pm_desk.services.today import TodayGroup, TodayRow
from pm_desk.services.views import countdown
from pm_desk.ui.models.grouped_tree import GroupedTreeModel, Index
from pm_desk.ui.theme import TONE_MARKS, tone_color

RECORD_ROLE = Qt.ItemDataRole.UserRole + 10  # (kind, id)
GAP_ROLE = Qt.ItemDataRole.UserRole + 11  # the on-call gap a row is about (GapRef), if any
COLUMNS = ("What", "Due", "Status", "Detail")


class TodayModel(GroupedTreeModel):
    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.groups: list[TodayGroup] = []
        self.now = datetime.now(UTC)

    def set_groups(self, groups: list[TodayGroup], now: datetime) -> None:
        self.beginResetModel()
        self.groups = [g for g in groups if g.rows]
        self.now = now
        self.endResetModel()

    def tick(self, now: datetime) -> None:
        """Move the countdowns on: only the status cells of hold rows change."""
        self.now = now
        for g, group in enumerate(self.groups):
            if group.spec.countdown and group.rows:
                parent = self.index(g, 0)
                self.dataChanged.emit(self.index(0, 2, parent), self.index(len(group.rows) - 1, 2, parent))

    def counts(self) -> dict[str, int]:
        return {g.spec.key: len(g.rows) for g in self.groups}

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            group = self.groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                mark = TONE_MARKS.get(group.spec.tone, "")
                return f"{mark} {group.spec.title} ({len(group.rows)})"
            if role == Qt.ItemDataRole.ForegroundRole:
                return tone_color(group.spec.tone)
            if role == Qt.ItemDataRole.FontRole:
                from PySide6.QtGui import QFont

                font = QFont()
                font.setBold(True)
                return font
            return None
        row = self.groups[int(index.internalId()) - 1].rows[index.row()]
        if role == RECORD_ROLE:
            return (row.kind, row.record_id)
        if role == GAP_ROLE:
            return row.gap
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2:
            return tone_color(row.tone)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return f"{row.what}\nDouble-click or press Enter to open it."
        return None

    def _text(self, row: TodayRow, column: int) -> str:
        if column == 0:
            return row.what
        if column == 1:
            if isinstance(row.due, datetime):
                return row.due.astimezone().strftime("%Y-%m-%d %H:%M")
            return row.due.isoformat() if row.due else ""
        if column == 2:
            if row.deadline is not None:
                seconds = (row.deadline - self.now).total_seconds()
                return f"OVER by {countdown(seconds)}" if seconds < 0 else f"{countdown(seconds)} left"
            return row.status
        return row.detail
