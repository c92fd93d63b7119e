"""An upgrade happens whole or not at all: every migration in one transaction (the full-text
index of 0003 included), after a verified backup that a failed attempt never rotates away."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command

from pm_desk.store import backup as store_backup
from pm_desk.store import database as store_database
from pm_desk.store.database import DatabaseError, alembic_config, head_revision, make_engine, open_database
from pm_desk.store.transactions import write_transaction

FAILING_REVISION = '''"""test only: a migration that fails half-way

Revision ID: 9001
Revises: {current}
"""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{current}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("test_only_half", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("INSERT INTO test_only_half (id) VALUES (1)")
    raise RuntimeError("this migration fails half-way")
'''
OFFICE = (
    "INSERT INTO field_offices (id, code, name, created_at, updated_at, version) "
    "VALUES ('fo-1', 'MIA', 'Miami', '2026-10-31 12:00:00', '2026-10-31 12:00:00', 1)"
)


def at_revision(path: Path, revision: str) -> Path:
    """A database migrated up to `revision` only, holding one field office."""
    engine = make_engine(str(path))
    try:
        with write_transaction(engine) as connection:
            command.upgrade(alembic_config(connection), revision)
            connection.exec_driver_sql(OFFICE)
    finally:
        engine.dispose()
    return path


def read(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def tables(path: Path) -> set[str]:
    return {
        str(r[0]) for r in read(path, "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    }


def with_failing_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "migrations"
    current = head_revision()
    shutil.copytree(store_database.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_test_only_fails.py").write_text(FAILING_REVISION.format(current=current))
    monkeypatch.setattr(store_database, "MIGRATIONS_DIR", folder)


def test_a_migration_failing_half_way_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = at_revision(tmp_path / "pm-desk.sqlite3", "0002")
    before = tables(path)
    with_failing_migration(tmp_path, monkeypatch)

    with pytest.raises(RuntimeError, match="fails half-way"):
        open_database(str(path), backup_dir=tmp_path / "backups")

    # 0003 (the FTS5 index, its triggers, the sort indexes) ran in the same transaction: gone too.
    assert read(path, "SELECT version_num FROM alembic_version") == [("0002",)]
    assert tables(path) == before
    assert "transfer_search" not in tables(path) and "test_only_half" not in tables(path)
    assert read(path, "SELECT code FROM field_offices") == [("MIA",)]

    monkeypatch.setattr(store_database, "MIGRATIONS_DIR", Path(store_database.__file__).parent / "migrations")
    upgraded = open_database(str(path), backup_dir=tmp_path / "backups")
    try:
        with upgraded.engine.connect() as connection:
            found = connection.exec_driver_sql(
                "SELECT count(*) FROM transfer_search WHERE transfer_search MATCH '\"BK-\"'"
            ).scalar()
    finally:
        upgraded.close()
    assert found == 0
    assert read(path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def test_failed_attempts_keep_their_backups_and_a_success_rotates_to_the_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = at_revision(tmp_path / "pm-desk.sqlite3", "0001")
    backups = tmp_path / "backups"
    monkeypatch.setattr(store_backup, "KEEP_PER_KIND", 2)
    with_failing_migration(tmp_path, monkeypatch)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            open_database(str(path), backup_dir=backups)
    kept = sorted(backups.iterdir())
    assert len(kept) == 3  # nothing rotated away by attempts that failed
    for copy in kept:
        assert copy.stat().st_size > 0
        assert read(copy, "PRAGMA quick_check") == [("ok",)]
        assert read(copy, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
        assert read(copy, "SELECT version_num FROM alembic_version") == [("0001",)]

    monkeypatch.setattr(store_database, "MIGRATIONS_DIR", Path(store_database.__file__).parent / "migrations")
    open_database(str(path), backup_dir=backups).close()
    after = sorted(backups.iterdir())
    assert len(after) == 2 and after[-1] not in kept  # the newest two: this attempt's and the one before
    assert after[0] == kept[-1]


def test_a_backup_that_cannot_be_written_refuses_the_upgrade_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = at_revision(tmp_path / "pm-desk.sqlite3", "0001")
    backups = tmp_path / "backups"

    def disk_full(source: Path, target: Path, key: bytes | None = None) -> None:
        target.write_bytes(b"\0" * 4096)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_backup, "write_backup", disk_full)
    with pytest.raises(DatabaseError, match=r"backup made first failed.*nothing was changed"):
        open_database(str(path), backup_dir=backups)
    assert list(backups.iterdir()) == []
    assert read(path, "SELECT version_num FROM alembic_version") == [("0001",)]


def test_an_empty_copy_never_passes_for_a_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = at_revision(tmp_path / "pm-desk.sqlite3", "0001")
    backups = tmp_path / "backups"
    monkeypatch.setattr(
        store_backup, "write_backup", lambda source, target, key=None: target.write_bytes(b"")
    )
    with pytest.raises(DatabaseError, match="incomplete"):
        open_database(str(path), backup_dir=backups)
    assert list(backups.iterdir()) == []


def test_a_partial_backup_left_by_a_dead_process_is_removed(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    gone = finished_pid()
    leftover = backups / f"pm-desk-20261031-120000-000000-manual.sqlite3.partial-{gone}"
    leftover.write_bytes(b"half")
    source = at_revision(tmp_path / "pm-desk.sqlite3", "0001")
    made = store_backup.backup_sqlite(source, backups, reason=f"test {datetime.now(UTC):%H%M}")
    assert sorted(p.name for p in backups.iterdir()) == [made.name]


def finished_pid() -> int:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid
