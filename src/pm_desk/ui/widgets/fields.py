"""Form fields that say what is wrong next to themselves, as the person types.

Each field has `value()` (the parsed value or None), `problem()` (why the text cannot be used,
or None) and shows an error line under itself. Nothing typed is ever cleared by an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from pm_desk.timeparse import TimeParseError, parse_date


class Field(QWidget):
    changed = Signal()

    def __init__(self, label: str, required: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.required = required
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setVisible(False)
        self._server_problem: str | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)

    def _finish(self, editor: QWidget) -> None:
        self._layout.addWidget(editor)
        self._layout.addWidget(self.error)
        editor.setAccessibleName(self.label + (" (required)" if self.required else ""))
        self.setFocusProxy(editor)

    # Subclasses implement these two.
    def value(self) -> Any:
        raise NotImplementedError

    def parse_problem(self) -> str | None:
        return None

    def is_empty(self) -> bool:
        return self.value() is None

    def problem(self) -> str | None:
        parse = self.parse_problem()
        if parse:
            return parse
        if self.required and self.is_empty():
            return f"{self.label} is required"
        return self._server_problem

    def set_server_problem(self, message: str | None) -> None:
        """A problem the service found on save; cleared when the person edits the field."""
        self._server_problem = message
        self.show_problem()

    def show_problem(self) -> None:
        message = self.problem()
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def _edited(self) -> None:
        self._server_problem = None
        self.show_problem()
        self.changed.emit()


class TextField(Field):
    def __init__(
        self,
        label: str,
        required: bool = False,
        max_length: int = 200,
        multiline: bool = False,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(label, required, parent)
        self.max_length = max_length
        self.multiline = multiline
        if multiline:
            self.editor: QLineEdit | QPlainTextEdit = QPlainTextEdit(self)
            self.editor.setTabChangesFocus(True)
            self.editor.setFixedHeight(70)
            self.editor.textChanged.connect(self._edited)
        else:
            self.editor = QLineEdit(self)
            self.editor.textChanged.connect(lambda _t: self._edited())
            self.editor.setPlaceholderText(placeholder)
        self._finish(self.editor)

    def text(self) -> str:
        return self.editor.toPlainText() if isinstance(self.editor, QPlainTextEdit) else self.editor.text()

    def set_value(self, value: str | None) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(value or "")
        else:
            self.editor.setText(value or "")

    def value(self) -> str | None:
        text = self.text().strip()
        return text or None

    def parse_problem(self) -> str | None:
        length = len(self.text())
        if length > self.max_length:
            return f"{self.label} is {length:,} characters long; at most {self.max_length:,} fit"
        return None


class DateField(Field):
    """An optional date typed as 2026-10-31, with a calendar popup."""

    def __init__(self, label: str, required: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(label, required, parent)
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.editor = QLineEdit(row)
        self.editor.setPlaceholderText("YYYY-MM-DD")
        self.editor.textChanged.connect(lambda _t: self._edited())
        self.button = QToolButton(row)
        self.button.setText("▾")
        self.button.setAccessibleName(f"Pick {label} from a calendar")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.button)
        self.calendar = QCalendarWidget(menu)
        self.calendar.clicked.connect(self._picked)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.button.setMenu(menu)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.button)
        self._finish(row)
        self.setFocusProxy(self.editor)
        self.editor.setAccessibleName(label + (" (required)" if required else ""))

    def _sync_calendar(self) -> None:
        current = self.value()
        if current is not None:
            self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))

    def _picked(self, day: QDate) -> None:
        self.editor.setText(day.toString("yyyy-MM-dd"))
        self.button.menu().close()

    def set_value(self, value: date | None) -> None:
        self.editor.setText(value.isoformat() if value else "")

    def value(self) -> date | None:
        text = self.editor.text().strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except TimeParseError:
            return None

    def is_empty(self) -> bool:
        return not self.editor.text().strip()

    def parse_problem(self) -> str | None:
        text = self.editor.text().strip()
        if text and self.value() is None:
            return f"{text!r} is not a date like 2026-10-31"
        return None


class DateTimeField(Field):
    """An instant typed in local time as 2026-10-31 14:05 (stored in UTC); with `zone`, in that
    time zone's wall time (a rotation's), whatever this computer's zone is."""

    def __init__(
        self, label: str, required: bool = False, parent: QWidget | None = None, zone: str | None = None
    ) -> None:
        super().__init__(label, required, parent)
        self.zone = ZoneInfo(zone) if zone else None
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.editor = QLineEdit(row)
        self.editor.setPlaceholderText(f"YYYY-MM-DD HH:MM ({zone or 'local'} time)")
        self.editor.textChanged.connect(lambda _t: self._edited())
        now = QToolButton(row)
        now.setText("Now")
        now.setAccessibleName(f"Set {label} to now")
        now.clicked.connect(lambda: self.set_value(datetime.now(UTC)))
        layout.addWidget(self.editor, 1)
        layout.addWidget(now)
        self._finish(row)
        self.setFocusProxy(self.editor)
        self.editor.setAccessibleName(label + (" (required)" if required else ""))

    def set_value(self, value: datetime | None) -> None:
        self.editor.setText(value.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if value else "")

    def value(self) -> datetime | None:
        text = self.editor.text().strip().replace("T", " ")
        if not text:
            return None
        for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
            try:
                naive = datetime.strptime(text, pattern)
            except ValueError:
                continue
            if self.zone is not None:
                return naive.replace(tzinfo=self.zone).astimezone(UTC)  # the zone's wall time
            return naive.astimezone().astimezone(UTC)  # read as local wall time
        return None

    def is_empty(self) -> bool:
        return not self.editor.text().strip()

    def parse_problem(self) -> str | None:
        text = self.editor.text().strip()
        if text and self.value() is None:
            return f"{text!r} is not a time like 2026-10-31 14:05"
        return None


class IntField(Field):
    def __init__(
        self,
        label: str,
        minimum: int = 0,
        maximum: int = 100_000,
        required: bool = False,
        optional_empty: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(label, required, parent)
        self.editor = QLineEdit(self)
        self.minimum, self.maximum = minimum, maximum
        self.editor.setPlaceholderText(f"{minimum}–{maximum:,}")
        self.editor.textChanged.connect(lambda _t: self._edited())
        self._finish(self.editor)

    def set_value(self, value: int | None) -> None:
        self.editor.setText("" if value is None else str(value))

    def value(self) -> int | None:
        text = self.editor.text().strip().replace(",", "")
        try:
            return int(text) if text else None
        except ValueError:
            return None

    def is_empty(self) -> bool:
        return not self.editor.text().strip()

    def parse_problem(self) -> str | None:
        text = self.editor.text().strip()
        if not text:
            return None
        value = self.value()
        if value is None:
            return f"{text!r} is not a whole number"
        if not self.minimum <= value <= self.maximum:
            return f"must be between {self.minimum:,} and {self.maximum:,}"
        return None


class ChoiceField(Field):
    """A choice among fixed values (an enum) or records (id, label), typed to search."""

    def __init__(
        self,
        label: str,
        choices: Sequence[tuple[Any, str]],
        required: bool = False,
        allow_empty: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(label, required, parent)
        self.editor = QComboBox(self)
        self.editor.setEditable(len(choices) > 12)
        if allow_empty:
            self.editor.addItem("—", None)
        # Qt keeps a str subclass (every StrEnum of the domain) as a plain str: map it back.
        self._members: dict[str, Enum] = {}
        for value, text in choices:
            self.editor.addItem(text, value)
            if isinstance(value, Enum) and isinstance(value, str):
                self._members[str(value)] = value
        if self.editor.isEditable():
            self.editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.editor.completer()
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            self.editor.lineEdit().textEdited.connect(lambda _t: self._edited())
        self.editor.currentIndexChanged.connect(lambda _i: self._edited())
        self._finish(self.editor)

    def set_value(self, value: Any) -> None:
        index = self.editor.findData(value)
        if index >= 0:
            self.editor.setCurrentIndex(index)

    def value(self) -> Any:
        if self.editor.isEditable() and self.editor.currentText() != self.editor.itemText(
            self.editor.currentIndex()
        ):
            return None
        data = self.editor.currentData()
        return self._members.get(data, data) if isinstance(data, str) else data

    def parse_problem(self) -> str | None:
        if self.editor.isEditable() and self.editor.currentText() and self.value() is None:
            return f"{self.editor.currentText()!r} is not one of the choices"
        return None


class BoolField(Field):
    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(label, False, parent)
        self.editor = QCheckBox(label, self)
        self.editor.toggled.connect(lambda _on: self._edited())
        self._finish(self.editor)

    def set_value(self, value: bool | None) -> None:
        self.editor.setChecked(bool(value))

    def value(self) -> bool:
        return self.editor.isChecked()

    def is_empty(self) -> bool:
        return False
