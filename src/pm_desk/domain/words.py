"""Numbers in words as people write them: one helper for every plural the app prints."""

from __future__ import annotations


def count(number: float, singular: str, plural: str | None = None) -> str:
    """`1 day`, `30 days`, `1 hold breach`, `2 hold breaches` (`plural` when not `singular + s`)."""
    many = plural if plural is not None else f"{singular}s"
    shown = f"{number:,}" if isinstance(number, int) else f"{number:g}"
    return f"{shown} {singular if number == 1 else many}"


def days(number: int) -> str:
    return count(number, "day")


def hours(number: float) -> str:
    return count(number, "hour")


def load_percent(ratio: float) -> str:
    """A load as a share of capacity: `85%`; with no capacity at all, says so."""
    return "no capacity" if ratio == float("inf") else f"{ratio:.0%}"
