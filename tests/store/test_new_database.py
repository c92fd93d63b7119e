"""A new database is built aside and moved into place whole: a build that dies leaves nothing,
and what a dead build left is cleared at the next start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pm_desk.store import database as store_database
from pm_desk.store.backup import backup_sqlite
from pm_desk.store.creation import BUILDING, build_new_database
from pm_desk.store.database import head_revision, open_database
from pm_desk.store.models import FieldOffice


def neighbours(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def test_a_build_that_fails_leaves_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    built = store_database._build

    def dies_half_way(temp: Path, key: bytes | None = None) -> None:
        built(temp, key)
        raise KeyboardInterrupt  # as good as a kill between building and moving into place

    monkeypatch.setattr(store_database, "_build", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        open_database(str(path))
    assert not path.exists()
    assert neighbours(path) == []

    monkeypatch.undo()
    database = open_database(str(path))
    database.close()
    assert path.exists()


def test_what_a_dead_build_left_is_removed_and_a_live_one_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for pid in (dead.pid, live.pid):
            for suffix in ("", "-wal"):
                Path(f"{path}{BUILDING}{pid}{suffix}").write_bytes(b"half a schema")
        open_database(str(path)).close()
        assert neighbours(path) == sorted(f"{path.name}{BUILDING}{live.pid}{s}" for s in ("", "-wal"))
    finally:
        live.kill()
        live.wait()


def test_a_database_created_meanwhile_by_another_process_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "pm-desk.sqlite3"

    def someone_else_was_faster(temp: Path) -> None:
        store_database._build(temp, None)
        path.write_bytes(b"theirs")

    assert build_new_database(path, someone_else_was_faster) is False
    assert path.read_bytes() == b"theirs"
    assert neighbours(path) == []


def test_an_empty_file_is_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    path.touch()
    database = open_database(str(path))
    try:
        with database.engine.connect() as connection:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        database.close()
    assert revision == head_revision()


def test_a_new_database_its_companions_and_its_backups_are_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    database = open_database(str(path))
    try:
        with database.uow() as uow:  # writes: the write-ahead log and its index are there
            uow.attribute(None, "fill@example.gov", "field_office.create")
            uow.session.add(FieldOffice(code="MIA", name="Miami"))
            uow.commit()
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(p.exists() for p in files)
        made = backup_sqlite(path, tmp_path / "backups", reason="manual")
        for file in [*files, made]:
            assert file.stat().st_mode & 0o777 == 0o600, file.name
    finally:
        database.close()


def test_a_new_database_in_a_folder_not_yet_there(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "pm-desk.sqlite3"
    open_database(str(path)).close()
    assert path.exists()
