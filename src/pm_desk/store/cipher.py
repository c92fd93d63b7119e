"""The encrypted file: SQLCipher 4 with a raw 256-bit key, set before anything else is read.

A database file is either plain SQLite (its first 16 bytes say "SQLite format 3") or SQLCipher,
which encrypts every page, the WAL included, so nothing in it reads as text. The key is never
derived by SQLCipher from a passphrase: it is the random database key of the key ring
(store.keyring), given raw (`x'…'`), so opening costs no key derivation. The key never appears in
an URL, a log line or a message.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

PLAIN_HEADER = b"SQLite format 3\x00"
FileState = Literal["missing", "plain", "encrypted"]

_quiet = False


class WrongKey(Exception):
    """The key does not open this file (or the file is not a database at all)."""


def file_state(path: Path) -> FileState:
    """Whether `path` holds nothing yet, a plain SQLite database or an encrypted one."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return "missing"
    if not head:
        return "missing"
    return "plain" if head == PLAIN_HEADER else "encrypted"


def driver() -> Any:
    """The sqlcipher3 DB-API module, with SQLCipher's own log lines (to stderr) turned off: a wrong
    key is reported once, in a sentence, by whoever asked."""
    global _quiet
    from sqlcipher3 import dbapi2

    if not _quiet:
        probe = dbapi2.connect(":memory:")
        probe.execute("PRAGMA cipher_log_level = NONE")
        probe.close()
        _quiet = True
    return dbapi2


def key_pragma(key: bytes, schema: str | None = None) -> str:
    where = f"{schema}." if schema else ""
    return f"PRAGMA {where}key = \"x'{key.hex()}'\""


def apply_key(connection: Any, key: bytes) -> None:
    """Key a new connection and prove the key opens the file (SQLCipher reads nothing until asked)."""
    connection.execute(key_pragma(key))
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver().DatabaseError as exc:
        raise WrongKey("the key does not open this database") from exc


# SQLite's page cache of an encrypted connection, in KiB. SQLCipher decrypts a page on every read
# that misses this cache (a plain file's misses come from the system's file cache, already
# readable): at the default 2 MiB `compliance` at `large` read 1.3x slower than plain; at 16 MiB
# as fast (2.5 s against 2.6-3.2 s), for 4 MiB more memory at peak.
ENCRYPTED_CACHE_KIB = 16 * 1024


def connect(path: Path, key: bytes | None, timeout: float = 10.0, **kwargs: Any) -> Any:
    """A DB-API connection to `path`: keyed when `key` is given, plain otherwise."""
    connection = driver().connect(str(path), timeout=timeout, **kwargs)
    if key is not None:
        try:
            apply_key(connection, key)
            connection.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")
        except BaseException:
            connection.close()
            raise
    return connection


def export_encrypted(source: Path, target: Path, key: bytes, source_key: bytes | None = None) -> None:
    """Write a copy of the database `source` into the new file `target`, encrypted with `key`
    (SQLCipher's `sqlcipher_export`: every table, index, trigger and the schema version)."""
    connection = connect(source, source_key)
    try:
        connection.execute(f"ATTACH DATABASE ? AS target KEY \"x'{key.hex()}'\"", (str(target),))
        connection.execute("SELECT sqlcipher_export('target')")
        version = int(connection.execute("PRAGMA main.user_version").fetchone()[0])
        connection.execute(f"PRAGMA target.user_version = {version}")
        connection.execute("DETACH DATABASE target")
    finally:
        connection.close()
    os.chmod(target, 0o600)
