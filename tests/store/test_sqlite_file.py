"""The SQLite file: its settings, and the integrity check after a session that did not close."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from pm_desk.store.backup import check_integrity
from pm_desk.store.database import DamagedDatabaseError, Database, open_database
from pm_desk.store.models import FieldOffice

PAGE = 4096


def test_connections_use_the_store_settings(db: Database) -> None:
    with db.engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 10000


def test_statement_parameters_never_reach_an_error_text(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "pm-desk.sqlite3"))  # subject data stays out of logs
    try:
        with pytest.raises(Exception) as failed, database.engine.connect() as connection:
            connection.execute(text("SELECT * FROM no_such_table WHERE a_number = :a"), {"a": "A204118237"})
    finally:
        database.close()
    assert "A204118237" not in str(failed.value)


def fill(database: Database, offices: int) -> None:
    with database.uow() as uow:
        for n in range(offices):
            uow.session.add(FieldOffice(code=f"FO{n:05d}", name=f"Field office {n} " + "x" * 120))
        uow.commit()


def marker_of(path: Path) -> Path:
    return path.with_name(path.name + ".open")


def test_marker_is_there_while_open_and_gone_after_close(tmp_path: Path) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    database = open_database(str(path))
    assert marker_of(path).exists()
    database.close()
    assert not marker_of(path).exists()


def test_clean_close_skips_the_integrity_check(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    open_database(str(path)).close()
    with caplog.at_level(logging.WARNING, logger="pm_desk.store.database"):
        open_database(str(path)).close()
    assert "not closed cleanly" not in caplog.text


def test_unclean_exit_checks_integrity_of_a_sound_file_and_opens_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    database = open_database(str(path))
    fill(database, 50)
    database.engine.dispose()  # the process "dies": the marker stays behind
    assert marker_of(path).exists()

    with caplog.at_level(logging.WARNING, logger="pm_desk.store.database"):
        reopened = open_database(str(path))
    try:
        with reopened.uow() as uow:
            assert len(uow.session.scalars(uow.live(FieldOffice)).all()) == 50
    finally:
        reopened.close()
    assert "not closed cleanly" in caplog.text
    assert "checking its integrity" in caplog.text


def test_stale_marker_without_a_database_opens_a_new_one(tmp_path: Path) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    marker_of(path).write_text("left by a crash before the file was deleted")
    database = open_database(str(path))
    database.close()
    assert path.exists()


@pytest.mark.parametrize(
    ("start", "length"),
    [
        pytest.param(None, 3 * PAGE, id="table-pages-in-the-middle"),
        pytest.param(0, 100, id="file-header"),
        pytest.param(100, PAGE - 100, id="schema-page"),
    ],
)
def test_damaged_file_after_an_unclean_exit_is_refused(
    tmp_path: Path, start: int | None, length: int
) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    database = open_database(str(path))
    fill(database, 2000)
    database.close()  # checkpoints the WAL: every row is in the main file now
    data = bytearray(path.read_bytes())
    assert len(data) // PAGE > 50
    if start is None:
        start = len(data) // 2 // PAGE * PAGE
    data[start : start + length] = b"\xa5" * length
    path.write_bytes(bytes(data))
    marker_of(path).write_text("crashed")

    with pytest.raises(DamagedDatabaseError, match="damaged") as refused:
        open_database(str(path), backup_dir=tmp_path / "backups")

    assert "restore" in str(refused.value)
    assert check_integrity(path) != []  # the file really is damaged
    assert marker_of(path).exists()  # still unclean: the next start checks again
