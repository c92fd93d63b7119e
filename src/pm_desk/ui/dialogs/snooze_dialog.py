"""Snooze until a time the person picks (the quick choices are in the Snooze menu itself)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QWidget

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
        if chosen <= now:
            raise field_error("until", "pick a time in the future")
        if chosen > now + timedelta(days=366):
            raise field_error("until", "snooze for at most a year")
        return chosen

    return RecordDialog("Snooze", fields, check, parent, save_text="Snooze")


def ask_snooze_time(parent: QWidget | None, now: datetime) -> datetime | None:
    dialog = snooze_dialog(parent, now)
    if not dialog.exec():
        return None
    chosen = dialog.result_value
    return chosen if isinstance(chosen, datetime) else None
