"""The database file opened directly, outside the engine: backups and integrity checks.

Every such connection is made here, so whatever a file needs before it can be read is said once.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def connect_file(path: Path, *, read_only: bool = False, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection to the database file at `path` that leaves transactions to the caller."""
    target = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    return sqlite3.connect(target, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)


def owner_only_file(path: Path) -> None:
    """Make `path` an empty file readable by its owner only (0600), before SQLite writes into it:
    SQLite gives the journal and WAL files it makes next to it the same permissions."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # a leftover of the same name kept its own permissions
    finally:
        os.close(descriptor)
