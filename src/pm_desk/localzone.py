"""The IANA name of this computer's time zone (America/New_York), without Qt.

Reminders keep their wall-clock time in a named zone (daylight saving included), which a fixed
UTC offset cannot do. The desktop app asks Qt (it knows every platform); the command line and
services fall back on this: the TZ variable, else where /etc/localtime points, else UTC.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def valid_zone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def local_zone_name() -> str:
    from_env = valid_zone(os.environ.get("TZ", "").lstrip(":"))
    if from_env:
        return from_env
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        from_link = valid_zone(target.split("zoneinfo/", 1)[1])
        if from_link:
            return from_link
    return "UTC"
