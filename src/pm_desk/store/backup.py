"""Backups of the SQLite store through SQLite's online backup API, rotated per reason.

A backup is written under a temporary name, read back (it opens and `PRAGMA quick_check` says
ok), flushed to the disk and only then renamed to its final name: a file with a backup's name
is a whole, sound copy, never an empty or half-written one. A copy that cannot be finished (a
full disk) is removed and the caller hears why. Rotation keeps the newest copies of each kind
and runs only when asked: the caller rotates after the work the backup guards has succeeded,
so failed attempts never push good copies out. A backup is its owner's only (0600) from its
first byte.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pm_desk.store.cipher import WrongKey
from pm_desk.store.files import connect_file, database_errors, driver_errors, owner_only_file
from pm_desk.store.processes import abandoned, claimed_name, fsync_path

KEEP_PER_KIND = 10
PARTIAL = ".partial-"


class BackupError(Exception):
    """A backup that could not be written; nothing with a backup's name was left behind."""


@dataclass(frozen=True)
class Backup:
    path: Path
    written_at: datetime


def backup_sqlite(
    source: Path,
    backup_dir: Path,
    reason: str = "manual",
    keep: int | None = None,
    rotate: bool = True,
    key: bytes | None = None,
) -> Path:
    """Copy the live database `source` into `backup_dir` consistently, even while it is in use;
    an encrypted database's copy is encrypted with the same `key`."""
    kind = backup_kind(reason)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"{source.stem}-{stamp}-{kind}.sqlite3"
    partial = claimed_name(target, PARTIAL)
    failures: tuple[type[Exception], ...] = (*driver_errors(), OSError, WrongKey)
    try:
        backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        remove_abandoned_partials(backup_dir)
        owner_only_file(partial)
        write_backup(source, partial, key)
        _verify_copy(source, partial, key)
        fsync_path(partial)
        os.replace(partial, target)
        fsync_path(backup_dir)
    except failures as exc:
        _discard(partial)
        raise BackupError(f"cannot write a backup of {source.name} into {backup_dir}: {exc}") from exc
    except BaseException:
        _discard(partial)
        raise
    if rotate:
        rotate_backups(backup_dir, source.stem, kind, keep)
    return target


def _verify_copy(source: Path, copy: Path, key: bytes | None = None) -> None:
    """The copy opens, SQLite's quick_check passes, and it holds the source's schema (an empty
    file is a valid, empty database to SQLite: it must not pass for a backup)."""
    problems = quick_check(copy, key)
    if problems:
        raise BackupError(f"the copy of {source.name} does not read back ({problems[0]})")
    if copy.stat().st_size == 0 or _schema_size(copy, key) != _schema_size(source, key):
        raise BackupError(f"the copy of {source.name} is incomplete")


def _schema_size(path: Path, key: bytes | None) -> int:
    connection = connect_file(path, read_only=True, key=key)
    try:
        return int(connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    finally:
        connection.close()


def is_backup_of(path: Path, stem: str) -> bool:
    """Whether `path` is a backup of the database named `stem` (`prog`'s, not `prog-2025`'s)."""
    return (
        re.fullmatch(rf"{re.escape(stem)}-\d{{8}}-\d{{6}}-\d{{6}}-[a-z0-9-]+\.sqlite3", path.name) is not None
    )


def backup_kind(reason: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"


def write_backup(source: Path, target: Path, key: bytes | None = None) -> None:
    """A consistent copy of `source` at `target`, as one self-contained file (rollback journal,
    not WAL, so the copy needs no companion files); with `key`, both are encrypted with it."""
    src = connect_file(source, read_only=True, key=key)
    try:
        dst = connect_file(target, key=key)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def rotate_backups(backup_dir: Path, stem: str, kind: str, keep: int | None = None) -> list[Path]:
    """Remove all but the newest `keep` (at least one) finished backups of `kind`."""
    copies = sorted(p for p in backup_dir.glob(f"{stem}-*-{kind}.sqlite3") if is_backup_of(p, stem))
    removed = copies[: -max(KEEP_PER_KIND if keep is None else keep, 1)]
    for old in removed:
        old.unlink(missing_ok=True)
    return removed


def list_backups(backup_dir: Path | None, stem: str) -> list[Backup]:
    """The finished backups of the database named `stem`, newest first."""
    if backup_dir is None or not backup_dir.is_dir():
        return []
    copies = [p for p in backup_dir.glob(f"{stem}-*.sqlite3") if is_backup_of(p, stem)]
    found = [Backup(p, datetime.fromtimestamp(p.stat().st_mtime, UTC)) for p in copies]
    return sorted(found, key=lambda b: (b.written_at, b.path.name), reverse=True)


def remove_abandoned_partials(backup_dir: Path) -> None:
    for leftover in backup_dir.glob(f"*{PARTIAL}*"):
        if abandoned(leftover, PARTIAL):
            leftover.unlink(missing_ok=True)


def _discard(partial: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)


def quick_check(path: Path, key: bytes | None = None) -> list[str]:
    """The problems `PRAGMA quick_check` finds in the file at `path` (empty when it is sound)."""
    return _check(path, "quick_check", key)


def check_integrity(path: Path, key: bytes | None = None) -> list[str]:
    """The problems SQLite finds in the file at `path` (empty when it is sound)."""
    return _check(path, "integrity_check", key)


def _check(path: Path, pragma: str, key: bytes | None) -> list[str]:
    try:
        connection = connect_file(path, read_only=True, key=key)
    except WrongKey as exc:
        return [str(exc)]
    try:
        rows = connection.execute(f"PRAGMA {pragma}").fetchall()
    except database_errors() as exc:
        return [str(exc)]
    finally:
        connection.close()
    return [r[0] for r in rows if r[0] != "ok"]
