"""The detail panel: the selected record's fields, its related records and its actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain.enums import label
from pm_desk.store.queries.details import Detail, Section
from pm_desk.ui.formatting import display
from pm_desk.ui.theme import tone_color, tone_of_status


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return display(value, "instant")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return label(value.value)
    return str(value)


class DetailPanel(QScrollArea):
    """Read-only picture of one record; the page adds the buttons that act on it."""

    section_activated = Signal(str, str)  # kind, id of a related record (double-clicked)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(300)
        self.setAccessibleName("Details")
        self.detail: Detail | None = None
        self.reveal_subject = False
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._body)
        self.show_empty("Select a record to see its details.")

    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)  # gone from the panel now, not at the next event loop pass
                widget.deleteLater()
            elif item.layout() is not None:
                _delete_layout(item.layout())

    def show_empty(self, message: str) -> None:
        self.detail = None
        self._clear()
        hint = QLabel(message)
        hint.setWordWrap(True)
        hint.setEnabled(False)
        self._layout.addWidget(hint)

    def show_detail(
        self, detail: Detail, actions: list[tuple[str, Callable[[], None]]] | None = None
    ) -> None:
        self.detail = detail
        self._clear()
        title = QLabel(f"<b>{_html(detail.title)}</b>")
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 15pt;")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        subtitle = QLabel(_html(detail.subtitle))
        subtitle.setWordWrap(True)
        self._layout.addWidget(title)
        self._layout.addWidget(subtitle)
        if actions:
            grid = QGridLayout()
            grid.setSpacing(6)
            for i, (text, handler) in enumerate(actions):
                button = QPushButton(text)
                button.setAccessibleName(text.replace("&", ""))
                button.clicked.connect(handler)
                grid.addWidget(button, i // 2, i % 2)
            wrapper = QWidget()
            wrapper.setLayout(grid)
            self._layout.addWidget(wrapper)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name, value, kind in detail.fields:
            if kind == "subject" and not self.reveal_subject:
                text = "hidden" if value else ""
            elif kind == "subject":
                text = _cell_text(value)
            else:
                text = (
                    _cell_text(value)
                    if kind in {"text", "date"}
                    else display(value, kind, self.reveal_subject)
                )
            field = QLabel(_html(text) if text else "<i>—</i>")
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if kind == "status":
                color = tone_color(tone_of_status(value))
                if color is not None:
                    field.setStyleSheet(f"color: {color.name()}; font-weight: bold;")
            form.addRow(f"{name}:", field)
        holder = QWidget()
        holder.setLayout(form)
        self._layout.addWidget(holder)
        for section in detail.sections:
            self._layout.addWidget(self._section(section))
        self._layout.addStretch(1)

    def _section(self, section: Section) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 8, 0, 0)
        heading = QLabel(f"<b>{_html(section.title)}</b> ({len(section.rows)})")
        layout.addWidget(heading)
        if not section.rows:
            none = QLabel("none")
            none.setEnabled(False)
            layout.addWidget(none)
            return box
        # A handful of related rows: an item widget is right here (lists of thousands use models).
        table = QTableWidget(len(section.rows), len(section.headers))
        table.setHorizontalHeaderLabels(list(section.headers))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAccessibleName(section.title)
        for r, row in enumerate(section.rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(_cell_text(value)))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        height = table.horizontalHeader().height() + sum(
            table.rowHeight(r) for r in range(min(len(section.rows), 8))
        )
        table.setFixedHeight(height + 4)
        if section.ids and section.kind:
            table.cellDoubleClicked.connect(
                lambda r, _c, s=section: self.section_activated.emit(s.kind, s.ids[r])
            )
        table.setProperty("section_kind", section.kind)
        table.setProperty("section_ids", section.ids)
        layout.addWidget(table)
        return box

    def section_table(self, title: str) -> QTableWidget | None:
        for table in self._body.findChildren(QTableWidget):
            if table.accessibleName() == title:
                return table
        return None


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


def _delete_layout(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _delete_layout(item.layout())
