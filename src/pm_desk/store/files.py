"""The database file opened directly, outside the engine: backups and integrity checks.

Every such connection is made here, so whatever a file needs before it can be read is said once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect_file(path: Path, *, read_only: bool = False, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection to the database file at `path` that leaves transactions to the caller."""
    target = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    return sqlite3.connect(target, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
