"""Driving modal dialogs from a test: the handler runs inside the dialog's own event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from pm_desk.ui.dialogs.record_dialog import RecordDialog


def fill(dialog: RecordDialog, **values: Any) -> None:
    """Type values into a form's fields as a person would (text into editors, choices by data)."""
    for name, value in values.items():
        field = dialog.fields[name]
        editor = getattr(field, "editor", None)
        if hasattr(editor, "setText") and isinstance(value, str) and not hasattr(editor, "findData"):
            editor.clear()
            editor.insert(value) if hasattr(editor, "insert") else editor.setText(value)
        elif hasattr(editor, "setPlainText"):
            editor.setPlainText(value)
        else:
            field.set_value(value)


def with_dialog(trigger: Callable[[], Any], handle: Callable[[QDialog], None]) -> dict[str, Any]:
    """Run `trigger` (which opens a modal dialog) and `handle(dialog)` once it is shown.

    `handle` must close the dialog (save or reject); whatever it stores in the returned dict is
    kept. A dialog that never appears fails the test."""
    seen: dict[str, Any] = {}

    def find_and_handle(attempt: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            if attempt < 50:
                QTimer.singleShot(20, lambda: find_and_handle(attempt + 1))
            return
        seen["dialog"] = dialog
        try:
            handle(dialog)
        except BaseException as exc:  # report it in the test, and never leave a modal dialog open
            seen["error"] = exc
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, find_and_handle)
    trigger()
    if "error" in seen:
        raise seen["error"]
    assert "dialog" in seen, "the action did not open a dialog"
    return seen


def save_and_close(values: dict[str, Any], seen: dict[str, Any] | None = None) -> Callable[[QDialog], None]:
    """A handler that fills the form, presses Save, and records what the dialog said."""

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordDialog)
        fill(dialog, **values)
        saved = dialog.save()
        if seen is not None:
            seen["saved"] = saved
            seen["banner"] = dialog.banner.text() if dialog.banner.isVisible() else ""
            seen["problems"] = {n: f.error.text() for n, f in dialog.fields.items() if f.error.isVisible()}
            seen["values"] = dialog.values()

    return handle
