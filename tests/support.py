"""Small helpers the tests share (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

from datetime import UTC, datetime

FIXED_NOW = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test sets: `clock.now = ...` moves time."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
