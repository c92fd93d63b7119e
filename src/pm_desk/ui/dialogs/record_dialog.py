"""A form for one record: fields that validate as you type, errors from the service shown next to
the field they concern, and nothing typed lost when saving fails. Saving runs the form's
operation on the database worker; the window keeps answering while it runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from pm_desk.services.errors import ServiceError, ValidationError
from pm_desk.ui.operations import Operation, Outcome
from pm_desk.ui.widgets.fields import Field


class RecordDialog(QDialog):
    def __init__(
        self,
        title: str,
        fields: dict[str, Field],
        submit: Callable[[dict[str, Any]], Operation[Any] | Any],
        parent: QWidget | None = None,
        intro: str = "",
        save_text: str = "Save",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.fields = fields
        self._submit = submit
        self.result_value: Any = None
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #c62828; font-weight: bold;")
        self.banner.setVisible(False)
        self.banner.setAccessibleName("Error")
        layout = QVBoxLayout(self)
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            layout.addWidget(text)
        layout.addWidget(self.banner)
        form = QFormLayout()
        for field in fields.values():
            form.addRow(f"{field.label}{' *' if field.required else ''}:", field)
            field.changed.connect(self._update_state)
        layout.addLayout(form)
        note = QLabel("* required")
        note.setEnabled(False)
        layout.addWidget(note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_state()

    def values(self) -> dict[str, Any]:
        return {name: field.value() for name, field in self.fields.items()}

    def problems(self) -> dict[str, str]:
        return {name: p for name, field in self.fields.items() if (p := field.problem())}

    def _update_state(self) -> None:
        blocking = {
            n: p for n, f in self.fields.items() if (p := f.parse_problem()) or (f.required and f.is_empty())
        }
        self.save_button.setEnabled(not blocking)
        for field in self.fields.values():
            if field.required and field.is_empty() and not field.error.isVisible():
                continue  # do not shout "required" at a field nobody has touched yet
            field.show_problem()

    def save(self) -> bool:
        """Validate, call the service, and close on success; on failure keep everything typed."""
        for field in self.fields.values():
            # The service judges again: a problem it found in one field may have been caused by
            # another (a date before a date), so it must not block a save once that one is fixed.
            field.set_server_problem(None)
        if self.problems():
            first = next(iter(self.problems()))
            self.fields[first].setFocus()
            return False
        outcome = self._outcome(self.values())
        if isinstance(outcome.refusal, ValidationError):
            unplaced = []
            for problem in outcome.refusal.problems:
                field = self.fields.get(problem.field) or self.fields.get(problem.field.removesuffix("_id"))
                if field is None:
                    field = self.fields.get(f"{problem.field}_id")
                if field is not None:
                    field.set_server_problem(problem.message)
                else:
                    unplaced.append(str(problem))
            self._show_banner("; ".join(unplaced) if unplaced else "Please correct the fields marked in red.")
            return False
        if not outcome.ok:
            self._show_banner(outcome.message)
            return False
        self.result_value = outcome.value
        self.accept()
        return True

    def _outcome(self, values: dict[str, Any]) -> Outcome[Any]:
        """The form's operation run on the database worker; a form that only checks what was
        typed (no database) gives its value, or its refusal, at once."""
        try:
            submitted = self._submit(values)
        except ServiceError as exc:
            return Outcome(refusal=exc)
        if isinstance(submitted, Operation):
            return submitted.trigger(self.save_button).run_and_wait()
        return Outcome(value=submitted)

    def _show_banner(self, message: str) -> None:
        self.banner.setText(message[:1].upper() + message[1:])
        self.banner.setVisible(True)
