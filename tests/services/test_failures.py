"""The sentence a person reads when the database or a file fails: real failures of SQLite and of
the file system, PostgreSQL's error states, and never the driver's own text."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import psycopg.errors
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy import exc as sa_exc

from pm_desk.logs import safe_traceback
from pm_desk.services.failures import database_failure, failure_sentence, file_failure
from pm_desk.store.database import make_engine

WHERE = "the database pm.sqlite3"


def _raised(path: Path, sql: str, **connect_args: object) -> sa_exc.DBAPIError:
    engine = create_engine(f"sqlite:///{path}", connect_args=connect_args)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql))
    except sa_exc.DBAPIError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError(f"{sql} did not fail")


def test_a_locked_database(tmp_path: Path) -> None:
    path = tmp_path / "pm.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        failure = _raised(path, "INSERT INTO t VALUES (1)", timeout=0)
    finally:
        holder.close()
    assert database_failure(failure, WHERE) == (
        f"{WHERE} is busy: another program (or another PM Desk) is writing to it; try again in a moment"
    )


def test_a_read_only_database(tmp_path: Path) -> None:
    path = tmp_path / "pm.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(sa_exc.OperationalError) as raised, engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES ('A123456789')"))
    engine.dispose()
    sentence = database_failure(raised.value, WHERE)
    assert sentence is not None and sentence.startswith(f"{WHERE} cannot be written: the file or its folder")


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Marisol Quintanilla, born 1987-06-15, A123456789\n" * 200, encoding="utf-8")
    failure = _raised(path, "SELECT 1 FROM sqlite_master")
    assert database_failure(failure, WHERE) == (
        f"{WHERE} is not a PM Desk database: it is not an SQLite file, or it is encrypted or damaged"
    )


def test_a_folder_that_cannot_hold_a_database(tmp_path: Path) -> None:
    failure = _raised(tmp_path / "missing" / "pm.sqlite3", "SELECT 1")
    assert database_failure(failure, WHERE) == (
        f"{WHERE} cannot be opened: name a database file in a folder you may write to"
    )


def test_any_other_database_error_is_named_by_its_code_not_its_text(tmp_path: Path) -> None:
    failure = _raised(tmp_path / "pm.sqlite3", "SELECT * FROM subjects WHERE a_number = 'A123456789'")
    assert "A123456789" in str(failure)  # the driver quotes the statement's text
    assert (
        database_failure(failure, WHERE)
        == f"{WHERE} reported an error (SQLITE_ERROR); the log has the details"
    )


@pytest.mark.parametrize(
    ("state", "sentence"),
    [
        ("53100", "cannot be written: the server's disk is full; ask its administrator"),
        ("25006", "is read-only for this connection (a replica or a read-only account)"),
        ("40P01", "is busy: another program (or another PM Desk) is writing to it; try again in a moment"),
        (
            "23505",
            "refused the change: it clashes with the records stored meanwhile; nothing was written, "
            "try again",
        ),
        ("28P01", "refused the sign-in: check the user name and password"),
        ("42P01", None),
    ],
)
def test_postgresql_errors_by_their_state(state: str, sentence: str | None) -> None:
    error = psycopg.errors.lookup(state)("Key (a_number)=(A123456789) already exists.")
    wrapped = sa_exc.DBAPIError("INSERT INTO custody_transfers VALUES (%s)", {"a": 1}, error)
    expected = (
        f"{WHERE} {sentence}" if sentence else f"{WHERE} reported an error ({state}); the log has the details"
    )
    assert database_failure(wrapped, WHERE) == expected


def test_an_unreachable_server() -> None:
    error = psycopg.OperationalError("connection to server at 10.0.0.1 failed")
    wrapped = sa_exc.OperationalError("SELECT 1", None, error)
    assert database_failure(wrapped, WHERE) == (
        f"{WHERE} cannot be reached: check the server's address, that it runs, and your connection"
    )


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.EISDIR, "it is a folder, not a file"),
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "the file system is read-only"),
        (errno.ENOSPC, "the disk is full"),
        (errno.EFBIG, "the file would be larger than this system allows"),
        (errno.ENOENT, "there is no such file or folder"),
    ],
)
def test_file_failures(code: int, reason: str) -> None:
    failure = OSError(code, "Strange driver text", "/data/A123456789.csv")
    assert file_failure(failure, "report.pdf", "write") == f"cannot write report.pdf: {reason}"
    assert failure_sentence(RuntimeError("wrapping")) is None
    try:
        raise ValueError("while exporting") from failure
    except ValueError as wrapped:
        assert failure_sentence(wrapped) == f"cannot use /data/A123456789.csv: {reason}"


def test_a_fault_of_pm_desk_is_not_a_database_failure() -> None:
    assert database_failure(ValueError("date value out of range")) is None
    assert database_failure(sa_exc.NoResultFound("no row")) is None


def test_the_store_hides_parameters_from_error_texts(tmp_path: Path) -> None:
    for engine in (
        make_engine(str(tmp_path / "pm.sqlite3")),
        make_engine("postgresql+psycopg://pm@127.0.0.1:1/pm"),
    ):
        assert engine.hide_parameters
        engine.dispose()
    engine = make_engine(str(tmp_path / "pm.sqlite3"))
    try:
        with pytest.raises(sa_exc.IntegrityError) as raised, engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (a_number TEXT UNIQUE)"))
            connection.execute(text("INSERT INTO t VALUES (:a)"), [{"a": "A123456789"}, {"a": "A123456789"}])
    finally:
        engine.dispose()
    assert "A123456789" not in str(raised.value)
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(raised.value)


@pytest.mark.postgres
def test_postgresql_is_told_by_its_state_and_logged_without_its_detail(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        with pytest.raises(sa_exc.IntegrityError) as raised, engine.begin() as connection:
            connection.execute(text("CREATE TABLE subjects (a_number TEXT UNIQUE)"))
            connection.execute(
                text("INSERT INTO subjects VALUES (:a)"), [{"a": "A123456789"}, {"a": "A123456789"}]
            )
    finally:
        engine.dispose()
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(raised.value)
    # PostgreSQL's own DETAIL line still quotes the value: neither the sentence nor the log uses it.
    assert "A123456789" in str(raised.value) and "A123456789" not in safe_traceback(raised.value)
    assert database_failure(raised.value, WHERE) == (
        f"{WHERE} refused the change: it clashes with the records stored meanwhile; nothing was written, "
        "try again"
    )
