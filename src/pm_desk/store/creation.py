"""A new database comes into being whole: built in a temporary file next to its place, then
moved there. A process killed while building leaves no database at all (the temporary file is
removed by the next start), never a half-built schema that later refuses to open."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

from pm_desk.store.errors import DatabaseError
from pm_desk.store.files import owner_only_file
from pm_desk.store.processes import abandoned, claimed_name, fsync_path

BUILDING = ".new-"
COMPANIONS = ("-wal", "-shm", "-journal")
# What `link` answers on a file system without hard links.
_NO_LINK_ERRORS = ("EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "EMLINK")
_NO_LINKS = {getattr(errno, name) for name in _NO_LINK_ERRORS if hasattr(errno, name)}


def is_missing(path: Path) -> bool:
    """No database at `path`: no file, or an empty one with no write-ahead log to replay."""
    if not path.exists():
        return True
    wal = Path(f"{path}-wal")
    return path.stat().st_size == 0 and (not wal.exists() or wal.stat().st_size == 0)


def remove_abandoned_builds(path: Path) -> None:
    """Remove what builds of `path` by processes that are gone left behind."""
    for leftover in path.parent.glob(f"{path.name}{BUILDING}*"):
        if abandoned(leftover, BUILDING):
            leftover.unlink(missing_ok=True)


def build_new_database(path: Path, build: Callable[[Path], None]) -> bool:
    """Run `build` on a temporary file next to `path`, then move the result to `path`; whether it
    was used (False: another process put a database there meanwhile, which is kept)."""
    temp = claimed_name(path, BUILDING)
    _discard(temp)
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            owner_only_file(temp)  # the database is its owner's only from its first byte
        except OSError as exc:
            raise DatabaseError(
                f"the database {path} cannot be opened: name a database file in a folder you may write to"
            ) from exc
        build(temp)
        if Path(f"{temp}-wal").exists() and Path(f"{temp}-wal").stat().st_size > 0:
            raise RuntimeError(f"the new database {temp} was not checkpointed")
        for suffix in COMPANIONS:
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
        fsync_path(temp)
        placed = _place(temp, path)
        fsync_path(path.parent)
        return placed
    finally:
        _discard(temp)


def _place(temp: Path, path: Path) -> bool:
    """Move `temp` to `path` without ever replacing a database another process created."""
    if path.exists() and is_missing(path):
        os.replace(temp, path)  # an empty file stood there: nothing is lost replacing it
        return True
    try:
        os.link(temp, path)  # fails if `path` exists: never over another process's database
    except FileExistsError:
        return False
    except OSError as exc:  # a file system without hard links
        if exc.errno not in _NO_LINKS:
            raise
        if path.exists():
            return False
        os.replace(temp, path)
    return True


def _discard(temp: Path) -> None:
    for suffix in ("", *COMPANIONS):
        with contextlib.suppress(OSError):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
