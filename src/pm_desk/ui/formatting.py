"""How values read in lists and panels: local times, ISO dates, enum words, masked A-numbers."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from pm_desk.domain.enums import label
from pm_desk.domain.keys import mask_a_number


def local_instant(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def display(value: Any, kind: str, reveal: bool = False) -> str:
    if value is None:
        return ""
    if kind == "instant" and isinstance(value, datetime):
        return local_instant(value)
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    if kind in {"enum", "status"}:
        return label(value.value if isinstance(value, Enum) else str(value)).capitalize()
    if kind == "masked":
        return str(value) if reveal else mask_a_number(str(value))
    if kind == "bool":
        return "Yes" if value else "No"
    if kind == "number" and isinstance(value, float):
        return f"{value:,.2f}"
    if kind == "number" and isinstance(value, int):
        return f"{value:,}"
    return str(value)
