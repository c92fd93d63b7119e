"""The database file opened directly, outside the engine: backups and integrity checks.

Every such connection is made here, so whatever a file needs before it can be read is said once.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from pm_desk.store import cipher


def connect_file(
    path: Path, *, read_only: bool = False, timeout: float = 10.0, key: bytes | None = None
) -> Any:
    """A connection to the database file at `path` that leaves transactions to the caller; with
    `key`, to the encrypted file (SQLCipher), keyed before anything is read."""
    target = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    driver: Any = sqlite3 if key is None else cipher.driver()
    connection = driver.connect(
        target, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
    )
    if key is not None:
        try:
            cipher.apply_key(connection, key)
        except BaseException:
            connection.close()
            raise
    return connection


def database_errors() -> tuple[type[Exception], ...]:
    """`DatabaseError` of both drivers (plain files and encrypted ones)."""
    return (sqlite3.DatabaseError, cipher.driver().DatabaseError)


def operational_errors() -> tuple[type[Exception], ...]:
    """`OperationalError` (locked, unreadable for now: not a verdict) of both drivers."""
    return (sqlite3.OperationalError, cipher.driver().OperationalError)


def driver_errors() -> tuple[type[Exception], ...]:
    """Any error of either driver."""
    return (sqlite3.Error, cipher.driver().Error)


def owner_only_file(path: Path) -> None:
    """Make `path` an empty file readable by its owner only (0600), before SQLite writes into it:
    SQLite gives the journal and WAL files it makes next to it the same permissions."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # a leftover of the same name kept its own permissions
    finally:
        os.close(descriptor)


OPEN_ELSEWHERE = "the database is open in another PM Desk (or another program): close it and try again"


def leave_wal_mode(path: Path, key: bytes | None = None) -> bool:
    """Fold the WAL into the file at `path` and leave WAL mode, which only a connection alone can
    do; False when another connection holds the file. A file that cannot be read raises."""
    connection = connect_file(path, key=key, timeout=2.0)
    try:
        if connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
            return False  # a reader elsewhere keeps its snapshot
        mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except operational_errors() as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise
    finally:
        connection.close()
    return str(mode).lower() == "delete"
