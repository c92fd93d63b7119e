"""The Reminders list: groups (overdue, today, this week, later; or by record kind), each row a
reminder, personal or derived. A person has tens to a few hundred reminders, so the model holds
them all; searching filters them in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from pm_desk.domain.enums import ReminderState
from pm_desk.domain.reminders import BUCKET_TITLES, BUCKETS
from pm_desk.services.reminder_views import ReminderItem
from pm_desk.ui.models.grouped_tree import GroupedTreeModel, Index
from pm_desk.ui.theme import TONE_MARKS, tone_color

ITEM_ROLE = Qt.ItemDataRole.UserRole + 20  # the ReminderItem of a row
COLUMNS = ("Reminder", "Due", "About", "Repeats", "State")

KIND_TITLES = {
    "officer": "Officers",
    "agreement": "Agreements",
    "transfer": "Custody transfers",
    "finding": "Findings",
    "complaint": "Complaints",
    "inspection": "Inspections",
    "equipment_order": "Equipment",
    "training_class": "Training classes",
    "shift": "On-call shifts",
    "rotation": "On-call rotations",
    "user": "People",
    "agency": "Agencies",
    "": "No record",
}
BUCKET_TONES = {"overdue": "alarm", "today": "warn", "week": "", "later": ""}
GROUP_BY = ("due", "kind")


@dataclass
class ReminderGroup:
    key: str
    title: str
    tone: str
    rows: list[ReminderItem] = field(default_factory=list)


def matches(item: ReminderItem, words: list[str]) -> bool:
    text = " ".join(
        filter(None, (item.title, item.subject_label, item.notes, item.repeat, item.rule, item.status))
    ).lower()
    return all(word in text for word in words)


def group_items(
    items: list[ReminderItem], now: datetime, zone: str, by: str = "due", search: str = ""
) -> list[ReminderGroup]:
    """The groups to show, in order, leaving out empty ones; closed reminders go last."""
    words = search.lower().split()
    shown = [i for i in items if matches(i, words)]
    closed = ReminderGroup("closed", "Done and dismissed", "muted", [i for i in shown if not i.is_open])
    shown = [i for i in shown if i.is_open]
    if by == "kind":
        groups = {k: ReminderGroup(k, t, "") for k, t in KIND_TITLES.items()}
        for item in shown:
            key = item.subject_kind or ""
            fallback = ReminderGroup(key, key.replace("_", " ").capitalize(), "")
            groups.setdefault(key, fallback).rows.append(item)
        ordered = list(groups.values())
    else:
        buckets = {b: ReminderGroup(b, BUCKET_TITLES[b], BUCKET_TONES[b]) for b in BUCKETS}
        for item in shown:
            buckets[item.bucket(now, zone)].rows.append(item)
        ordered = list(buckets.values())
    return [g for g in [*ordered, closed] if g.rows]


class RemindersModel(GroupedTreeModel):
    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.groups: list[ReminderGroup] = []
        self.now: datetime | None = None
        self.zone = "UTC"

    def set_groups(self, groups: list[ReminderGroup], now: datetime, zone: str) -> None:
        self.beginResetModel()
        self.groups, self.now, self.zone = groups, now, zone
        self.endResetModel()

    def item(self, index: Index) -> ReminderItem | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self.groups[int(index.internalId()) - 1].rows[index.row()]

    def find(self, ref: str) -> QModelIndex:
        for g, group in enumerate(self.groups):
            for r, item in enumerate(group.rows):
                if item.ref == ref:
                    return self.index(r, 0, self.index(g, 0))
        return QModelIndex()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)

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
            return self._group_data(self.groups[index.row()], index.column(), role)
        item = self.groups[int(index.internalId()) - 1].rows[index.row()]
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in {1, 4}:
            return tone_color(self._tone(item))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            hint = "open its record" if item.subject_kind else "edit it"
            extra = f"\n{item.notes}" if item.notes else ""
            if item.derived:
                extra += "\nFrom the compliance rules: it goes away when the record is fixed."
            return f"{item.full_title}{extra}\nDouble-click or press Enter to {hint}."
        return None

    def _group_data(self, group: ReminderGroup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and column == 0:
            mark = TONE_MARKS.get(group.tone, "")
            return f"{mark} {group.title} ({len(group.rows)})".strip()
        if role == Qt.ItemDataRole.ForegroundRole:
            return tone_color(group.tone or None)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _tone(self, item: ReminderItem) -> str | None:
        if not item.is_open:
            return "muted"
        if self.now is not None and item.bucket(self.now, self.zone) == "overdue":
            return "alarm"
        return "warn" if item.state is ReminderState.SNOOZED else None

    def _text(self, item: ReminderItem, column: int) -> str:
        if column == 0:
            return item.title
        if column == 1:
            when = item.due_at.astimezone()
            return when.strftime("%a %Y-%m-%d") if item.all_day else when.strftime("%a %Y-%m-%d %H:%M")
        if column == 2:
            return item.subject_label or ("" if item.subject_kind else "—")
        if column == 3:
            return item.repeat
        if item.state is ReminderState.SNOOZED and item.snoozed_until is not None:
            return f"Snoozed until {item.snoozed_until.astimezone().strftime('%a %d %b %H:%M')}"
        return {
            ReminderState.OPEN: "Open",
            ReminderState.DONE: "Done",
            ReminderState.DISMISSED: "Dismissed",
        }.get(item.state, str(item.state))
