"""The log file keeps the detail of a failure, never the subject data in it: a traceback is written
with each exception's text cut down to what cannot carry a value."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy import exc as sa_exc

from pm_desk.logs import configure_logging, masked, safe_traceback

SUBJECT = "A123456789"
NAME = "Marisol Quintanilla"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "logs" / "pm-desk.log"
    configure_logging(path)
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "pm_desk", False)]:
        root.removeHandler(handler)
        handler.close()


def _statement_error(hide_parameters: bool) -> sa_exc.StatementError:
    engine = create_engine("sqlite://", hide_parameters=hide_parameters)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (a_number TEXT CHECK (a_number GLOB 'B*'))"))
            connection.execute(text("INSERT INTO t VALUES (:a_number)"), {"a_number": SUBJECT})
    except sa_exc.StatementError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("the insert did not fail")


def test_masked_hides_quoted_parts_and_a_numbers() -> None:
    assert masked("invalid literal for int(): 'Marisol Quintanilla'") == "invalid literal for int(): '…'"
    assert masked('fts5: syntax error near "A1234"') == "fts5: syntax error near '…'"
    assert masked(f"no such subject {SUBJECT} or A-123-456-78") == "no such subject A######### or A#########"


@pytest.mark.parametrize("hide_parameters", [True, False])
def test_a_database_error_is_told_by_its_statement_never_its_values(hide_parameters: bool) -> None:
    error = _statement_error(hide_parameters)
    told = safe_traceback(error)
    assert SUBJECT not in told
    assert "sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) CHECK constraint failed" in told
    assert "[SQL: INSERT INTO t VALUES (?)]" in told
    assert "The above exception was the direct cause of the following exception:" in told
    assert told.count("Traceback (most recent call last):") == 2


def test_a_logged_exception_keeps_its_frames_not_its_values(log_file: Path) -> None:
    try:
        try:
            int(f"{SUBJECT} {NAME}")
        except ValueError as inner:
            raise RuntimeError(f"could not read the row of {SUBJECT}") from inner
    except RuntimeError:
        logging.getLogger("pm_desk").exception("unexpected failure")
    written = log_file.read_text(encoding="utf-8")
    assert "unexpected failure" in written and "test_logs.py" in written
    assert "ValueError: invalid literal for int() with base 10: '…'" in written
    assert "RuntimeError: could not read the row of A#########" in written
    assert SUBJECT not in written and NAME not in written


def test_a_database_error_logged_with_its_sentence(log_file: Path) -> None:
    error = _statement_error(hide_parameters=False)
    logging.getLogger("pm_desk").error("command failed: %s", "the database refused", exc_info=error)
    written = log_file.read_text(encoding="utf-8")
    assert "command failed: the database refused" in written
    assert "[SQL: INSERT INTO t VALUES (?)]" in written and SUBJECT not in written
