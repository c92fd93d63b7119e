"""Fixtures of the interchange tests: the seeded world of `tests/builders.py` and the `small`
demo program, each built once per session (per xdist worker) and copied for every test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from tables_support import admin_of

from builders import World, seed_world
from pm_desk.demo import DemoSummary, generate_demo
from pm_desk.services.imports import export_interchange
from pm_desk.store.database import Database, open_database
from support import FIXED_NOW, FakeClock, ready_to_sign_in


def _settle(database: Database) -> None:
    with database.engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    database.close()


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("seeded-store") / "pm-desk.sqlite3"
    database = open_database(str(path), clock=FakeClock())
    world = seed_world(database)
    _settle(database)
    return path, world


@pytest.fixture
def world(seeded_store: tuple[Path, World]) -> World:
    return seeded_store[1]


def _copy(template: Path, tmp_path: Path, clock: FakeClock, name: str) -> Database:
    path = tmp_path / name
    shutil.copyfile(template, path)
    ready_to_sign_in(path)
    return open_database(str(path), backup_dir=tmp_path / "backups", clock=clock)


@pytest.fixture
def db(tmp_path: Path, clock: FakeClock, seeded_store: tuple[Path, World]) -> Iterator[Database]:
    """A fresh copy of the seeded world (replaces the empty store of tests/conftest.py)."""
    database = _copy(seeded_store[0], tmp_path, clock, "seeded.sqlite3")
    yield database
    database.close()


@pytest.fixture
def empty_db(tmp_path: Path, clock: FakeClock) -> Iterator[Database]:
    database = open_database(str(tmp_path / "empty.sqlite3"), backup_dir=tmp_path / "backups", clock=clock)
    yield database
    database.close()


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("small-demo") / "small.sqlite3"
    database = open_database(str(path), clock=FakeClock())
    summary = generate_demo(database, "small", anchor=FIXED_NOW)
    _settle(database)
    return path, summary


@pytest.fixture
def small_db(tmp_path: Path, clock: FakeClock, small_demo: tuple[Path, DemoSummary]) -> Iterator[Database]:
    database = _copy(small_demo[0], tmp_path, clock, "small.sqlite3")
    yield database
    database.close()


@pytest.fixture
def summary(small_demo: tuple[Path, DemoSummary]) -> DemoSummary:
    return small_demo[1]


@pytest.fixture(scope="session")
def small_export(tmp_path_factory: pytest.TempPathFactory, small_demo: tuple[Path, DemoSummary]) -> Path:
    """The `small` program exported by its administrator to a folder of CSV files."""
    folder = tmp_path_factory.mktemp("small-export") / "tables"
    database = open_database(str(small_demo[0]), clock=FakeClock())
    try:
        export_interchange(database.uow(), admin_of(database), folder)
    finally:
        database.close()
    return folder
