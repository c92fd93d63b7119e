"""Fixtures shared by every test: a fresh real SQLite store per test, a fixed clock, and a real
PostgreSQL server (started from the machine's binaries by `tests/pg.py`) for the `postgres` tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# `tests` is not a package: pytest puts this folder on sys.path, which is how `pg` is found.
from pg import PostgresServer, PostgresUnavailable, start_server
from pm_desk.store.database import Database, open_database
from support import TEST_PASSWORD, FakeClock

POSTGRES_FIXTURES = frozenset({"postgres_server", "postgres_session_url", "postgres_url"})


@pytest.fixture(scope="session")
def password_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test users' password in a file, as a scheduled job keeps it (owner-only)."""
    path = tmp_path_factory.mktemp("secrets") / "password.txt"
    path.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, password_file: Path
) -> None:
    """No test ever reads or writes the real user's data, config or log folders; commands sign in
    with the test password from a file, as a scripted run does."""
    home = tmp_path_factory.mktemp("pm-desk-home")
    monkeypatch.setenv("PM_DESK_HOME", str(home))
    monkeypatch.delenv("PM_DESK_DB", raising=False)
    monkeypatch.setenv("PM_DESK_PASSWORD_FILE", str(password_file))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path, clock: FakeClock) -> Iterator[Database]:
    database = open_database(str(tmp_path / "pm-desk.sqlite3"), backup_dir=tmp_path / "backups", clock=clock)
    yield database
    database.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """This session's PostgreSQL server (one per xdist worker). It fails, never skips, when the
    machine cannot run one: the `postgres` tests are part of the suite."""
    try:
        server = start_server(os.environ.get("PYTEST_XDIST_WORKER", ""))
    except PostgresUnavailable as problem:
        failure = f"cannot start PostgreSQL for the tests: {problem}"
    else:
        failure = None
    if failure is not None:  # outside the `except`, so the report is the message, not a traceback
        pytest.fail(failure, pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_session_url(postgres_server: PostgresServer) -> str:
    """A SQLAlchemy URL of one database shared by every test of the session."""
    return postgres_server.url(postgres_server.create_database("session"))


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A SQLAlchemy URL of a fresh, empty database for one test, dropped afterwards."""
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses a PostgreSQL fixture is a `postgres` test even if its author forgot the
    mark, so `-m "not postgres"` never starts a server. Runs before the deselection by marks."""
    for item in items:
        uses_postgres = POSTGRES_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if uses_postgres and item.get_closest_marker("postgres") is None:
            item.add_marker(pytest.mark.postgres)
