"""Fixtures shared by every test: a fresh real SQLite store per test, and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from pm_desk.store.database import Database, open_database

FIXED_NOW = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever reads or writes the real user's data, config or log folders."""
    home = tmp_path_factory.mktemp("pm-desk-home")
    monkeypatch.setenv("PM_DESK_HOME", str(home))
    monkeypatch.delenv("PM_DESK_DB", raising=False)


class FakeClock:
    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path, clock: FakeClock) -> Iterator[Database]:
    database = open_database(str(tmp_path / "pm-desk.sqlite3"), backup_dir=tmp_path / "backups", clock=clock)
    yield database
    database.close()
