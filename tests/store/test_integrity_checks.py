"""SQLite's checks at every start: quick_check always, the full check weekly and after a session
that did not close (told apart from another process that still has the file open); small files
before they are handed out, large ones in the background; damage reported with the backups."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from builders import seed_world
from pm_desk.services.caseload import AgencyInput, create_agency
from pm_desk.services.errors import ServiceError
from pm_desk.store import database as store_database
from pm_desk.store import integrity
from pm_desk.store.backup import backup_sqlite
from pm_desk.store.database import DamagedDatabaseError, Database, open_database
from pm_desk.store.markers import OpenMarker, Owner
from pm_desk.store.models import AppMeta, AuditEntry, FieldOffice
from pm_desk.store.processes import start_token, this_host

PAGE = 4096


def filled(path: Path, offices: int = 2000) -> Path:
    database = open_database(str(path))
    try:
        with database.uow() as uow:
            uow.attribute(None, "fill@example.gov", "field_office.create")
            for n in range(offices):
                uow.session.add(FieldOffice(code=f"FO{n:05d}", name=f"Field office {n} " + "x" * 120))
            uow.commit()
    finally:
        database.close()  # a clean close: the marker is gone, every row is in the main file
    return path


def overwrite_pages(path: Path, pages: int = 4) -> None:
    data = bytearray(path.read_bytes())
    start = len(data) // 2 // PAGE * PAGE
    data[start : start + pages * PAGE] = b"\xa5" * (pages * PAGE)
    path.write_bytes(bytes(data))


def last_full_check(database: Database) -> str | None:
    with database.engine.connect() as connection:
        key = integrity.LAST_FULL_CHECK_KEY
        return connection.execute(select(AppMeta.value).where(AppMeta.key == key)).scalar()


def test_damage_after_a_clean_close_is_found_and_the_backups_named(tmp_path: Path) -> None:
    path = filled(tmp_path / "pm-desk.sqlite3")
    backups = tmp_path / "backups"
    older = backup_sqlite(path, backups, reason="daily")
    newer = backup_sqlite(path, backups, reason="before-restore")
    overwrite_pages(path)

    with pytest.raises(DamagedDatabaseError) as refused:
        open_database(str(path), backup_dir=backups)

    message = str(refused.value)
    assert message.startswith(f"{path} is damaged (")
    assert (
        f"to put a backup back, close PM Desk everywhere and run `pm-desk restore FILE` with --db {path}"
        in message
    )
    assert message.index(str(newer)) < message.index(str(older))  # newest first
    assert f"({datetime.now(UTC):%Y-%m-%d}" in message  # with the dates
    assert "\n" not in message


def test_another_process_that_has_the_file_open_is_not_a_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = filled(tmp_path / "pm-desk.sqlite3", offices=10)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        neighbour = Owner(this_host(), other.pid, start_token(other.pid), "beside")
        OpenMarker(path).add(neighbour)
        with caplog.at_level(logging.WARNING, logger="pm_desk.store.database"):
            open_database(str(path)).close()
        assert "not closed cleanly" not in caplog.text
        assert OpenMarker(path).path.read_text().split("\n") == [neighbour.line, ""]  # ours is gone
    finally:
        other.kill()
        other.wait()

    with caplog.at_level(logging.WARNING, logger="pm_desk.store.database"):
        reopened = open_database(str(path))  # now its process is gone: it did not close
    assert "not closed cleanly" in caplog.text
    assert neighbour.line not in OpenMarker(path).path.read_text()  # checked: forgotten
    reopened.close()
    assert not OpenMarker(path).path.exists()


def test_a_large_file_is_checked_in_the_background_and_writes_stop_on_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    world_db = open_database(str(path))
    world = seed_world(world_db)
    world_db.close()
    filled_more = open_database(str(path))
    with filled_more.uow() as uow:
        uow.attribute(None, "fill@example.gov", "field_office.create")
        for n in range(2000):
            uow.session.add(FieldOffice(code=f"FX{n:05d}", name="x" * 150))
        uow.commit()
    filled_more.close()
    overwrite_pages(path)
    monkeypatch.setattr(store_database, "INLINE_QUICK_CHECK_BYTES", 0)  # as if it were 2 GB
    monkeypatch.setattr(store_database, "INLINE_FULL_CHECK_BYTES", 0)
    monkeypatch.setattr(integrity, "BACKGROUND_DELAY_SECONDS", 0.0)

    database = open_database(str(path))  # opens at once
    try:
        assert database.integrity is not None
        assert database.integrity.wait(30)
        assert database.damage is not None and "is damaged" in database.damage
        with pytest.raises(ServiceError, match="is damaged"):
            create_agency(database.uow(), world.m1, AgencyInput("FL", "Bay County Sheriff's Office"))
    finally:
        database.close()


def test_a_read_that_meets_a_damaged_page_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = filled(tmp_path / "pm-desk.sqlite3")
    overwrite_pages(path)
    monkeypatch.setattr(store_database, "INLINE_QUICK_CHECK_BYTES", 0)
    monkeypatch.setattr(store_database, "INLINE_FULL_CHECK_BYTES", 0)
    monkeypatch.setattr(integrity, "BACKGROUND_DELAY_SECONDS", 3600.0)  # not before the read

    database = open_database(str(path))
    try:
        with pytest.raises(DamagedDatabaseError, match="is damaged"), database.uow() as uow:
            uow.session.scalars(select(FieldOffice.name).order_by(FieldOffice.name)).all()
            uow.session.scalars(select(AuditEntry.after).order_by(AuditEntry.after)).all()
        assert database.damage is not None
    finally:
        database.close()


def test_the_full_check_runs_weekly_and_is_remembered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    database = open_database(str(path))
    built = last_full_check(database)
    assert built is not None  # a new file counts as checked
    with database.engine.begin() as connection:
        week_ago = (datetime.now(UTC) - timedelta(days=8)).isoformat()
        connection.execute(
            text("UPDATE app_meta SET value = :v WHERE key = :k"),
            {"v": week_ago, "k": "integrity_checked_at"},
        )
    database.close()

    reopened = open_database(str(path))
    try:
        checked = last_full_check(reopened)
    finally:
        reopened.close()
    assert checked is not None and datetime.fromisoformat(checked) > datetime.now(UTC) - timedelta(minutes=5)


def test_closing_stops_a_running_background_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = filled(tmp_path / "pm-desk.sqlite3", offices=10)
    monkeypatch.setattr(store_database, "INLINE_QUICK_CHECK_BYTES", 0)
    monkeypatch.setattr(integrity, "BACKGROUND_DELAY_SECONDS", 3600.0)
    database = open_database(str(path))
    watch = database.integrity
    assert watch is not None
    database.close()
    assert watch.wait(5) and watch.problems is None  # stopped, no verdict


def test_a_second_opening_in_the_same_process_is_not_a_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = filled(tmp_path / "pm-desk.sqlite3", offices=10)
    first = open_database(str(path))
    try:
        with caplog.at_level(logging.WARNING, logger="pm_desk.store.database"):
            second = open_database(str(path))
        assert "not closed cleanly" not in caplog.text
        assert len(OpenMarker(path).path.read_text().splitlines()) == 2
        assert OpenMarker(path).path.stat().st_mode & 0o777 == 0o600  # its owner's only
        second.close()
    finally:
        first.close()
    assert not OpenMarker(path).path.exists()


def test_a_session_that_never_closed_is_told_by_the_next_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = filled(tmp_path / "pm-desk.sqlite3", offices=10)
    script = (
        "import os, sys; from pm_desk.store.database import open_database; "
        "open_database(sys.argv[1]); os._exit(0)"  # no close, as a kill would leave it
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    assert OpenMarker(path).path.exists()

    with caplog.at_level(logging.WARNING, logger="pm_desk.store.database"):
        database = open_database(str(path))
    assert "not closed cleanly" in caplog.text
    database.close()
    assert not OpenMarker(path).path.exists()  # checked, then forgotten
