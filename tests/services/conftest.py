"""Fixtures of the service tests: a fresh store already holding the world of `tests/builders.py`,
and the shipped policy.

Migrating and seeding a database costs more than most service tests themselves, so each session
(each xdist worker) builds one seeded store and every test gets its own copy of that file, opened
like any other with the test's fake clock. The copy is a real, fully migrated SQLite store.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from builders import World, seed_world
from pm_desk.domain.policy import Policy, load_policy
from pm_desk.store.database import Database, open_database
from support import copy_database

SEEDED_AT = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("seeded-store") / "pm-desk.sqlite3"
    database = open_database(str(path), clock=lambda: SEEDED_AT)
    try:
        world = seed_world(database)
        with database.engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        database.close()
    return path, world


@pytest.fixture
def db(tmp_path: Path, clock, seeded_store: tuple[Path, World]) -> Iterator[Database]:
    """Replaces the empty store of `tests/conftest.py`: a fresh copy of the seeded one."""
    template, _ = seeded_store
    path = copy_database(template, tmp_path / "pm-desk.sqlite3")
    database = open_database(str(path), backup_dir=tmp_path / "backups", clock=clock)
    yield database
    database.close()


@pytest.fixture
def world(db: Database, seeded_store: tuple[Path, World]) -> World:
    return seeded_store[1]


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()
