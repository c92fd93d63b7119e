"""The user's settings, kept in an INI file in the config folder (QSettings' IniFormat).

A small typed registry: each option has a key, a type and a default, read and written through
properties, so neither the app nor the command line spreads string keys around.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings


class Settings:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def _get(self, key: str, default: Any, kind: type) -> Any:
        value = self._qsettings.value(key, default)
        if value is None:
            return default
        if kind is bool:
            return value in (True, "true", "1", 1)
        try:
            return kind(value)
        except (TypeError, ValueError):
            return default

    def _set(self, key: str, value: Any) -> None:
        if value is None:
            self._qsettings.remove(key)
        else:
            self._qsettings.setValue(key, value)
        self._qsettings.sync()

    @property
    def acting_user(self) -> str | None:
        value = self._get("session/acting_user", "", str)
        return value or None

    @acting_user.setter
    def acting_user(self, email: str | None) -> None:
        self._set("session/acting_user", email)

    @property
    def last_page(self) -> str:
        return self._get("window/last_page", "today", str)

    @last_page.setter
    def last_page(self, name: str) -> None:
        self._set("window/last_page", name)

    @property
    def show_field_office(self) -> bool:
        return self._get("caseload/show_field_office", False, bool)

    @show_field_office.setter
    def show_field_office(self, value: bool) -> None:
        self._set("caseload/show_field_office", value)

    @property
    def last_export_dir(self) -> str:
        return self._get("export/last_dir", "", str)

    @last_export_dir.setter
    def last_export_dir(self, value: str) -> None:
        self._set("export/last_dir", value)

    @property
    def last_report_dir(self) -> str:
        return self._get("reports/last_dir", "", str)

    @last_report_dir.setter
    def last_report_dir(self, value: str) -> None:
        self._set("reports/last_dir", value)

    def geometry(self, key: str) -> QByteArray | None:
        value = self._qsettings.value(f"geometry/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, key: str, value: QByteArray) -> None:
        self._set(f"geometry/{key}", value)

    def columns(self, table: str) -> dict[str, Any]:
        """A table's saved header state and hidden columns."""
        state = self._qsettings.value(f"tables/{table}/header")
        return {"header": state if isinstance(state, QByteArray) else None}

    def set_columns(self, table: str, header: QByteArray) -> None:
        self._set(f"tables/{table}/header", header)

    def reminders_seen_until(self, user_id: str) -> datetime | None:
        """Up to when a user has been told of reminders coming due (the app's last check)."""
        text = self._get(f"reminders/{user_id}/seen_until", "", str)
        try:
            return datetime.fromisoformat(text) if text else None
        except ValueError:
            return None

    def set_reminders_seen_until(self, user_id: str, instant: datetime) -> None:
        self._set(f"reminders/{user_id}/seen_until", instant.astimezone(UTC).isoformat())
