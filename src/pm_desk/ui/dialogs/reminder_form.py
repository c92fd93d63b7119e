"""The reminder form: title, due, repeat (through the picker), notes, and what it is about.

Used by the Reminders page (new, edit) and by every record's "Remind me…" action.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from pm_desk.domain.recurrence import Recurrence, RecurrenceError, next_day_at, until_local_date
from pm_desk.domain.repeat import describe
from pm_desk.services import reads, reminders
from pm_desk.services.errors import ServiceError
from pm_desk.services.reminder_calendar import CalendarExport
from pm_desk.services.reminder_views import ReminderItem
from pm_desk.ui.context import AppContext
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.dialogs.repeat_picker import pick_repeat
from pm_desk.ui.local_zone import local_zone
from pm_desk.ui.operations import Operation, Versions
from pm_desk.ui.widgets.fields import ChoiceField, DateTimeField, Field, TextField

NEW_REMINDER_AT = time(9, 0)
TODO_FILTER = "Calendar to-dos (*.ics)"
EVENT_FILTER = "Calendar events with alarms (*.ics)"


def series_of(item: ReminderItem) -> Recurrence | None:
    if not item.rrule:
        return None
    try:
        return Recurrence.from_text(item.rrule, item.due_at)
    except RecurrenceError:
        return None


class RepeatField(Field):
    """The recurrence of a reminder: said in words, changed through the repeat picker."""

    def __init__(self, label: str, zone: str, start: Callable[[], datetime | None]) -> None:
        super().__init__(label)
        self.zone = zone
        self._start = start
        self._rule: str | None = None
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel("Does not repeat", row)
        self.text.setWordWrap(True)
        self.button = QPushButton("Change…", row)
        self.button.setAccessibleName(f"Change {label.lower()}")
        self.button.clicked.connect(self.pick)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self._finish(row)
        self.setFocusProxy(self.button)

    def pick(self) -> None:
        start = self._start() or datetime.now().astimezone()
        accepted, rule = pick_repeat(self, start, self.zone, self._rule)
        if accepted:
            self.set_value(rule)
            self._edited()

    def set_value(self, rule: str | None) -> None:
        self._rule = rule or None
        until = until_local_date(self._rule, self.zone) if self._rule else None
        self.text.setText(describe(self._rule, until))

    def value(self) -> str | None:
        return self._rule

    def is_empty(self) -> bool:
        return False


def reminder_fields(zone: str, agreements: list[tuple[str, str]] | None) -> dict[str, Field]:
    due = DateTimeField("Due", required=True)
    fields: dict[str, Field] = {
        "title": TextField("Title", required=True, max_length=reminders.MAX_TITLE),
        "due_at": due,
        "rrule": RepeatField("Repeat", zone, due.value),
        "notes": TextField("Notes", max_length=5000, multiline=True),
    }
    if agreements is not None:
        fields["subject_id"] = ChoiceField("About agreement", agreements, allow_empty=True)
    return fields


def _input(values: dict[str, Any], zone: str, subject: tuple[str, str] | None) -> reminders.ReminderInput:
    subject_id = values.get("subject_id")
    kind, record_id = subject if subject else (("agreement", subject_id) if subject_id else (None, None))
    return reminders.ReminderInput(
        title=values["title"] or "",
        due_at=values["due_at"],
        notes=values.get("notes"),
        rrule=values.get("rrule"),
        zone=zone,
        subject_kind=kind,
        subject_id=record_id,
    )


def new_reminder(
    ctx: AppContext,
    parent: QWidget | None,
    subject: tuple[str, str] | None = None,
    about: str = "",
    title: str = "",
) -> str | None:
    """Ask for a new reminder (about `subject`, or an agreement of the caseload chosen in the
    form); returns its id once saved."""
    zone = local_zone()
    agreements = None if subject else ctx.read(reads.agreement_choices, ctx.scope(False))
    fields = reminder_fields(zone, agreements)
    fields["title"].set_value(title)  # type: ignore[attr-defined]
    fields["due_at"].set_value(next_day_at(ctx.now(), zone, NEW_REMINDER_AT))  # type: ignore[attr-defined]
    intro = f"About: {about}" if about else "A reminder of your own, about an agreement or about nothing."

    def save(values: dict[str, Any]) -> Operation[str]:
        data = _input(values, zone, subject)
        return ctx.op(reminders.create_reminder, data).changes("reminder", lambda reminder_id: reminder_id)

    dialog = RecordDialog("New reminder", fields, save, parent, intro=intro)
    if not dialog.exec():
        return None
    return str(dialog.result_value)


def edit_reminder(ctx: AppContext, parent: QWidget | None, item: ReminderItem, on_error: Any = None) -> bool:
    """Edit one's own reminder; the change can be undone."""
    series = series_of(item)
    zone = series.zone if series is not None else local_zone()
    fields = reminder_fields(zone, None)
    before = {
        "title": item.title,
        "due_at": item.due_at,
        "rrule": series.rule if series is not None else None,
        "notes": item.notes,
    }
    for name, value in before.items():
        fields[name].set_value(value)  # type: ignore[attr-defined]
    subject = (item.subject_kind, item.subject_id) if item.subject_kind and item.subject_id else None

    def save(values: dict[str, Any], version: int) -> Operation[int]:
        data = _input(values, zone, subject)
        operation = ctx.op(reminders.update_reminder, item.ref, data, version).changes("reminder", item.ref)
        return operation.failure(on_error) if on_error is not None else operation

    def submit(values: dict[str, Any]) -> Operation[int]:
        assert item.version is not None  # one's own reminder: a stored row with its version
        seen = Versions(item.version)
        again = lambda _v: seen.track(save(values, seen.current))  # noqa: E731
        back = lambda _v: seen.track(save(before, seen.current))  # noqa: E731
        return seen.track(save(values, item.version)).undoable("edit reminder", again, back)

    intro = f"About: {item.subject_label}" if item.subject_label else ""
    return bool(RecordDialog("Edit reminder", fields, submit, parent, intro=intro).exec())


def export_reminders_calendar(
    ctx: AppContext, parent: QWidget | None, path: str | None = None, events: bool = False
) -> CalendarExport | None:
    """Save the open reminders as an iCalendar file (asks where, and whether as to-dos or events)."""
    if path is None:
        start = Path(ctx.settings.last_export_dir or Path.home()) / "pm-desk-reminders.ics"
        chosen, kind = QFileDialog.getSaveFileName(
            parent, "Export reminders to a calendar", str(start), f"{TODO_FILTER};;{EVENT_FILTER}"
        )
        if not chosen:
            return None
        path, events = chosen, kind == EVENT_FILTER
    try:
        written = ctx.read(
            reads.export_calendar, ctx.policy, ctx.actor, ctx.now(), local_zone(), Path(path), events
        )
    except ServiceError as exc:
        QMessageBox.warning(parent, "Export reminders", str(exc)[:1].upper() + str(exc)[1:])
        return None
    ctx.settings.last_export_dir = str(written.path.parent)
    return written
