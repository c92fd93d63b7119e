"""Turning a plain database file into an encrypted one, so that no moment leaves neither.

`encrypt_in_place` takes the file for itself (nobody else may have it open), folds its WAL in,
writes an encrypted copy beside it (`sqlcipher_export`), proves the copy (integrity check, the
same rows in every table), then moves the copy over the original in one rename. The original's
bytes are kept under a second name until the rename is done, then overwritten and removed. A
`kill -9` anywhere leaves the plain file or the encrypted one at the database's path, and
`finish_interrupted` (run before every open) removes what an interrupted conversion left: a
half-written copy, or the plain bytes of a conversion that had already succeeded.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout

from pm_desk.store.cipher import connect, export_encrypted, file_state
from pm_desk.store.files import OPEN_ELSEWHERE, leave_wal_mode
from pm_desk.store.markers import OpenMarker

log = logging.getLogger(__name__)

# Where a conversion is: reported to a test's fault injector and to a progress line.
Step = Callable[[str], None]


class EncryptionRefused(Exception):
    """The file cannot be converted now; the message says why and what to do."""


class EncryptionRunning(EncryptionRefused):
    """Another PM Desk is converting the file right now."""


RUNNING = "the database is being encrypted by another PM Desk: try again when it has finished"


def _converting(path: Path) -> FileLock:
    """Held for the whole conversion of `path`: a sign-in elsewhere waits for it, never tidies
    away the copy being written."""
    return FileLock(f"{path}.encrypting.lock", mode=0o600)


def _aside(path: Path, what: str) -> Path:
    return path.with_name(f".{path.name}.{what}")


def leftovers(path: Path) -> list[Path]:
    """The files an interrupted conversion of `path` may have left."""
    return [p for p in (_aside(path, "encrypting"), _aside(path, "plain-old")) if p.exists()]


def finish_interrupted(path: Path) -> None:
    """Remove what an interrupted conversion left: the copy being written (the plain file is still
    the database), or the plain original of a conversion already done (wiped first). Raises
    EncryptionRunning while a conversion is under way."""
    copy, old = _aside(path, "encrypting"), _aside(path, "plain-old")
    if not copy.exists() and not old.exists():
        return
    lock = _converting(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise EncryptionRunning(RUNNING) from None
    try:
        _tidy(path, copy, old)
    finally:
        lock.release()


def finish_interrupted_in(folder: Path) -> None:
    """The same for the backups in `folder` (a conversion of each is killed the same way)."""
    if folder.is_dir():
        for leftover in [*folder.glob(".*.encrypting"), *folder.glob(".*.plain-old")]:
            name = leftover.name[1:].removesuffix(".encrypting").removesuffix(".plain-old")
            finish_interrupted(folder / name)


def _tidy(path: Path, copy: Path, old: Path) -> None:
    if copy.exists():
        copy.unlink()
        log.info("removed an unfinished encrypted copy")
    if old.exists():
        if file_state(path) == "encrypted":
            wipe(old)
            log.info("removed the plain original of an encryption that had finished")
        else:  # the rename never happened: the original is still at its path, this is a second name
            old.unlink()


def wipe(path: Path) -> None:
    """Overwrite a file's bytes with zeros, flush them to the disk, then remove it. (On a
    copy-on-write or flash file system old blocks may survive; the key ring is what protects.)"""
    with contextlib.suppress(FileNotFoundError):
        size = path.stat().st_size
        with path.open("r+b") as handle:
            chunk = b"\0" * (1 << 20)
            left = size
            while left > 0:
                handle.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()


def _take_alone(path: Path) -> None:
    if not leave_wal_mode(path):
        raise EncryptionRefused(OPEN_ELSEWHERE)


def _tables(connection: object) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(  # type: ignore[attr-defined]
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # type: ignore[attr-defined]
        for name in names
    }


def _prove(plain: Path, copy: Path, key: bytes) -> None:
    """The copy opens with `key`, passes the integrity check and has every row of the original."""
    original = connect(plain, None)
    try:
        expected = _tables(original)
    finally:
        original.close()
    encrypted = connect(copy, key)
    try:
        verdict = encrypted.execute("PRAGMA integrity_check").fetchone()[0]
        found = _tables(encrypted)
    finally:
        encrypted.close()
    if verdict != "ok" or found != expected:
        raise EncryptionRefused(
            "the encrypted copy did not prove the same as the database; nothing was changed"
        )


def _fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def encrypt_in_place(path: Path, key: bytes, step: Step = lambda _: None) -> None:
    """Convert the plain database at `path` into one encrypted with `key`, in place."""
    if file_state(path) != "plain":
        raise EncryptionRefused(f"{path.name} is not a plain database (it is missing or already encrypted)")
    finish_interrupted(path)
    lock = _converting(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise EncryptionRunning(RUNNING) from None
    try:
        _convert(path, key, step)
    finally:
        lock.release()


def _convert(path: Path, key: bytes, step: Step) -> None:
    if OpenMarker(path).in_use():
        raise EncryptionRefused(OPEN_ELSEWHERE)
    step("alone")
    _take_alone(path)
    copy, old = _aside(path, "encrypting"), _aside(path, "plain-old")
    step("export")
    try:
        export_encrypted(path, copy, key)
        with copy.open("rb") as handle:
            os.fsync(handle.fileno())
        step("prove")
        _prove(path, copy, key)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    step("replace")
    os.link(path, old)  # the plain bytes keep a name until the encrypted file has taken theirs
    os.replace(copy, path)
    _fsync_folder(path.parent)
    step("wipe")
    wipe(old)
    for side in ("-wal", "-shm", "-journal"):  # a plain file's journal would be read as the new one's
        path.with_name(path.name + side).unlink(missing_ok=True)
    step("done")
