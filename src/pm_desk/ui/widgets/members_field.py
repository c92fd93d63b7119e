"""Choosing the members of a rotation, in the order they take their turns (drag to reorder)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from pm_desk.ui.widgets.fields import Field


class MembersField(Field):
    def __init__(self, label: str, people: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(label, True, parent)
        self.editor = QListWidget(self)
        self.editor.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.editor.setFixedHeight(150)
        for user_id, name in people:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, user_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked)
            self.editor.addItem(item)
        self.editor.itemChanged.connect(lambda _item: self._edited())
        self.editor.model().rowsMoved.connect(lambda *_: self._edited())
        self._finish(self.editor)

    def set_value(self, value: list[str] | None) -> None:
        wanted = list(value or [])
        items = [self.editor.takeItem(0) for _ in range(self.editor.count())]
        items.sort(
            key=lambda i: (
                wanted.index(i.data(Qt.ItemDataRole.UserRole))
                if i.data(Qt.ItemDataRole.UserRole) in wanted
                else len(wanted)
            )
        )
        for item in items:
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.editor.addItem(item)

    def value(self) -> list[str] | None:
        chosen = [
            self.editor.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.editor.count())
            if self.editor.item(i).checkState() == Qt.CheckState.Checked
        ]
        return chosen or None
