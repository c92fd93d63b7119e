"""This computer's time zone by name, which reminders keep their wall-clock times in."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QTimeZone

from pm_desk.localzone import local_zone_name, valid_zone


@lru_cache(maxsize=1)
def local_zone() -> str:
    """The IANA name (America/New_York): Qt knows it on every platform; else TZ or /etc/localtime."""
    qt_name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return valid_zone(qt_name) or local_zone_name()
