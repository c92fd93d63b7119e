"""Snooze until a time the person picks (the quick choices are in the Snooze menu itself)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QWidget

from pm_desk.domain.reminders import snooze_problem
from pm_desk.services.errors import field_error
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.widgets.fields import DateTimeField, Field


def snooze_dialog(parent: QWidget | None, now: datetime) -> RecordDialog:
    until = DateTimeField("Snooze until", required=True)
    start = (now + timedelta(hours=2)).astimezone()
    until.set_value(start.replace(minute=0, second=0, microsecond=0))
    fields: dict[str, Field] = {"until": until}

    def check(values: dict[str, Any]) -> datetime:
        chosen = values["until"]
        problem = snooze_problem(chosen, now)
        if problem is not None:
            raise field_error("until", problem)
        return chosen

    return RecordDialog("Snooze", fields, check, parent, save_text="Snooze")


def ask_snooze_time(parent: QWidget | None, now: datetime) -> datetime | None:
    dialog = snooze_dialog(parent, now)
    if not dialog.exec():
        return None
    chosen = dialog.result_value
    return chosen if isinstance(chosen, datetime) else None
