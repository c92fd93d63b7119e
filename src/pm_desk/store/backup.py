"""Backups of the SQLite store through SQLite's online backup API, rotated per reason."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

KEEP_PER_KIND = 10


def backup_sqlite(source: Path, backup_dir: Path, reason: str = "manual", keep: int = KEEP_PER_KIND) -> Path:
    """Copy the live database `source` into `backup_dir` consistently, even while it is in use."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    kind = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"{source.stem}-{stamp}-{kind}.sqlite3"
    write_backup(source, target)
    _rotate(backup_dir, source.stem, kind, keep)
    return target


def write_backup(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _rotate(backup_dir: Path, stem: str, kind: str, keep: int) -> None:
    copies = sorted(backup_dir.glob(f"{stem}-*-{kind}.sqlite3"))
    for old in copies[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)


def check_integrity(path: Path) -> list[str]:
    """The problems SQLite finds in the file at `path` (empty when it is sound)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        connection.close()
    return [r[0] for r in rows if r[0] != "ok"]
