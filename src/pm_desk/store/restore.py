"""Putting a backup back in place of the database, whole or not at all.

The backup is proven first (it opens with the key, SQLite's integrity check passes, the audit
chain holds); the current database is kept as a backup; the backup is copied beside the
database as one self-contained file and flushed; the database's write-ahead log is folded in and
removed (a WAL left beside the new file would be replayed into it); then one rename puts the copy
in place. A kill at any moment leaves the old database or the restored one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine

from pm_desk.store import cipher
from pm_desk.store.audit_chain import ChainReport, verify_chain
from pm_desk.store.backup import BackupError, backup_sqlite, write_backup
from pm_desk.store.cipher import WrongKey, file_state
from pm_desk.store.files import OPEN_ELSEWHERE, connect_file, database_errors, leave_wal_mode, owner_only_file
from pm_desk.store.markers import OpenMarker
from pm_desk.store.processes import fsync_path

log = logging.getLogger(__name__)


class RestoreRefused(Exception):
    """The backup is not put back; the message says why. The database is as it was."""


@dataclass(frozen=True)
class Restored:
    kept: Path  # the database as it was, kept as a backup
    entries: int  # audit entries of the restored database


def check_backup(backup: Path, key: bytes | None) -> int:
    """Prove `backup`: it opens (with `key` when encrypted), SQLite finds nothing wrong, and its
    audit chain holds. Returns its number of audit entries; raises RestoreRefused."""
    state = file_state(backup)
    if state == "missing":
        raise RestoreRefused(f"there is no backup at {backup}")
    use = key if state == "encrypted" else None
    if state == "encrypted" and key is None:
        raise RestoreRefused(f"{backup.name} is encrypted and this database is not: encrypt it first")
    try:
        connection = connect_file(backup, read_only=True, key=use)
    except WrongKey:
        raise RestoreRefused(
            f"{backup.name} is not a backup of this database (its key does not open it)"
        ) from None
    try:
        verdict = [r[0] for r in connection.execute("PRAGMA integrity_check").fetchall()]
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = (
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if "alembic_version" in tables
            else None
        )
    except database_errors() as exc:
        raise RestoreRefused(f"{backup.name} is damaged, or not a PM Desk database ({exc})") from None
    finally:
        connection.close()
    if verdict != ["ok"]:
        raise RestoreRefused(f"{backup.name} is damaged ({verdict[0]}); choose another backup")
    if not {"audit_entries", "alembic_version"} <= tables:
        raise RestoreRefused(f"{backup.name} is not a PM Desk database")
    from pm_desk.store.database import known_revision  # alembic: only when a backup is checked

    if revision is None or not known_revision(str(revision[0])):
        raise RestoreRefused(
            f"{backup.name} was written by a newer PM Desk (or has no schema version): install the "
            "newer PM Desk to restore it"
        )
    report = _chain(backup, use)
    if not report.intact:
        first = report.problems[0]
        raise RestoreRefused(
            f"the audit trail of {backup.name} does not verify (entry {first.seq}: {first.what}); "
            "it may have been changed: choose another backup"
        )
    return report.entries


def _chain(backup: Path, key: bytes | None) -> ChainReport:
    if key is None:
        engine = create_engine(f"sqlite:///file:{backup}?mode=ro&uri=true")
    else:
        engine = create_engine(
            "sqlite://",
            module=cipher.driver(),
            creator=lambda: connect_file(backup, read_only=True, key=key),
        )
    try:
        with engine.connect() as connection:
            return verify_chain(connection)
    finally:
        engine.dispose()


def _fold_wal(path: Path, key: bytes | None) -> None:
    """Fold the database's WAL into it and leave WAL mode; a damaged file (unreadable) keeps its
    WAL, which was kept with it and is removed with it."""
    unreadable: tuple[type[Exception], ...] = (WrongKey, *database_errors())
    try:
        alone = leave_wal_mode(path, key)
    except unreadable:
        return
    if not alone:
        raise RestoreRefused(OPEN_ELSEWHERE)


def _keep_current(path: Path, backup_dir: Path, key: bytes | None) -> Path:
    """The database as it is, kept as a backup: a proven copy, or (when it is damaged and cannot
    be copied through SQLite) its bytes as they are, for whoever wants to look into it."""
    try:
        return backup_sqlite(path, backup_dir, reason="before-restore", key=key)
    except BackupError as exc:
        log.warning("the database could not be backed up through SQLite (%s); keeping its bytes", exc)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    kept = backup_dir / f"{path.stem}-{stamp}-damaged.sqlite3"
    try:
        owner_only_file(kept)
        shutil.copyfile(path, kept)
        if Path(f"{path}-wal").exists():
            owner_only_file(Path(f"{kept}-wal"))
            shutil.copyfile(f"{path}-wal", f"{kept}-wal")
    except OSError as exc:
        kept.unlink(missing_ok=True)
        raise RestoreRefused(
            f"the database could not be kept as a backup first ({exc.strerror}); nothing was changed"
        ) from exc
    return kept


def restore_backup(path: Path, backup: Path, key: bytes | None, backup_dir: Path) -> Restored:
    """Put `backup` in place of the database at `path` (closed by the caller), keeping the
    current one as a `before-restore` backup. `key` is the database's (None: a plain file)."""
    entries = check_backup(backup, key)
    if backup.resolve() == path.resolve():
        raise RestoreRefused("that is the database itself, not a backup of it")
    if OpenMarker(path).in_use():
        raise RestoreRefused(OPEN_ELSEWHERE)
    kept = _keep_current(path, backup_dir, key)
    copy = path.with_name(f".{path.name}.restoring")
    try:
        owner_only_file(copy)
        if key is not None and file_state(backup) == "plain":
            copy.unlink()
            cipher.export_encrypted(backup, copy, key)  # a backup from before encryption
        else:
            write_backup(backup, copy, key)
        fsync_path(copy)
        _fold_wal(path, key)
        for side in ("-wal", "-shm"):
            Path(f"{path}{side}").unlink(missing_ok=True)
        os.replace(copy, path)
        fsync_path(path.parent)
    finally:
        for leftover in (copy, Path(f"{copy}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    log.info("restored a backup over the database (%d audit entries)", entries)
    return Restored(kept, entries)
