"""What a person is told when the database or a file fails: one sentence, never the error's text.

A database driver's message can quote what was sent to it (a searched word, the value that broke a
rule), and a statement's parameters are subject data; so these sentences name the kind of failure
and what to do about it, and the log keeps the rest without the values (see `pm_desk.logs`).
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import exc as sa_exc

# SQLite's primary result codes (https://sqlite.org/rescode.html) that a person can act on.
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_NOMEM, _SQLITE_READONLY = 3, 5, 6, 7, 8
_SQLITE_INTERRUPT, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 9, 10, 11, 13, 14
_SQLITE_CONSTRAINT, _SQLITE_AUTH, _SQLITE_NOTADB = 19, 23, 26

# The same kinds read from the message, for a driver that does not give the code.
_SQLITE_MESSAGES = (
    ("database is locked", _SQLITE_BUSY),
    ("database table is locked", _SQLITE_LOCKED),
    ("readonly database", _SQLITE_READONLY),
    ("disk is full", _SQLITE_FULL),
    ("unable to open database file", _SQLITE_CANTOPEN),
    ("file is not a database", _SQLITE_NOTADB),
    ("malformed", _SQLITE_CORRUPT),
    ("disk i/o error", _SQLITE_IOERR),
    ("constraint failed", _SQLITE_CONSTRAINT),
)

READ_ONLY = (
    "cannot be written: the file or its folder is read-only here (PM Desk writes the database and its "
    "-wal and -shm files next to it)"
)
_BUSY = "is busy: another program (or another PM Desk) is writing to it; try again in a moment"
_SQLITE_SENTENCES = {
    _SQLITE_BUSY: _BUSY,
    _SQLITE_LOCKED: _BUSY,
    _SQLITE_READONLY: READ_ONLY,
    _SQLITE_FULL: "cannot be written: the disk is full (or a file size limit was reached); free some "
    "space and try again",
    _SQLITE_CANTOPEN: "cannot be opened: name a database file in a folder you may write to",
    _SQLITE_NOTADB: "is not a PM Desk database: it is not an SQLite file, or it is encrypted or damaged",
    _SQLITE_CORRUPT: "is damaged; restore a backup with `pm-desk restore FILE`",
    _SQLITE_IOERR: "could not be read or written (the disk is full or failing, or a file size limit was "
    "reached); free some space or check the disk and try again",
    _SQLITE_PERM: "refused access: check the permissions of the file and its folder",
    _SQLITE_AUTH: "refused access: check the permissions of the file and its folder",
    _SQLITE_NOMEM: "ran out of memory; close other programs and try again",
    _SQLITE_INTERRUPT: "stopped the work before it was done; nothing more was written",
    _SQLITE_CONSTRAINT: "refused the change: it clashes with the records stored meanwhile; nothing was "
    "written, try again",
}

# PostgreSQL error classes (SQLSTATE's first two characters) and single states.
_PG_SENTENCES = {
    "53100": "cannot be written: the server's disk is full; ask its administrator",
    "25006": "is read-only for this connection (a replica or a read-only account)",
    "42501": "refused: your account has no right to do this on the server",
    "40001": _BUSY,
    "40P01": _BUSY,
    "55P03": _BUSY,
    "57014": "stopped the work before it was done (it took too long or was cancelled); try again",
    "XX001": "is damaged on the server; ask its administrator",
    "XX002": "is damaged on the server; ask its administrator",
}
_PG_CLASSES = {
    "08": "cannot be reached: check the server's address, that it runs, and your connection",
    "23": "refused the change: it clashes with the records stored meanwhile; nothing was written, try again",
    "28": "refused the sign-in: check the user name and password",
    "53": "ran out of resources on the server; try again later",
    "57": "closed the connection (the server is shutting down or restarting); try again later",
}

_OS_REASONS = {
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would be larger than this system allows",
    errno.ENOENT: "there is no such file or folder",
    errno.EEXIST: "it exists already",
    errno.ENAMETOOLONG: "the name is too long",
}


_SQLITE_DRIVERS = frozenset({"sqlite3", "sqlcipher3", "pysqlcipher3"})


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and the exceptions it was raised from, newest first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)


def _driver_error(exc: BaseException) -> BaseException | None:
    for error in _chain(exc):
        if isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
            return error.orig
        if isinstance(error, sqlite3.Error) or type(error).__module__.split(".")[0] in _SQLITE_DRIVERS:
            return error
    return None


def _sqlite_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(error).lower()
    return next((c for words, c in _SQLITE_MESSAGES if words in text), None)


def _postgres_sentence(error: BaseException) -> str | None:
    state = getattr(error, "sqlstate", None)
    if not isinstance(state, str) or len(state) != 5:
        if type(error).__name__ == "OperationalError":  # no state: the connection itself failed
            return _PG_CLASSES["08"]
        return None
    return _PG_SENTENCES.get(state) or _PG_CLASSES.get(state[:2])


def database_failure(exc: BaseException, where: str = "the database") -> str | None:
    """The sentence for a database error in `exc` or what it was raised from, else None. `where`
    names the database (`the database /home/pm/pm-desk.sqlite3`)."""
    error = _driver_error(exc)
    if error is None:  # not the database's failure (SQLAlchemy's own errors are faults of PM Desk)
        return None
    driver = type(error).__module__.partition(".")[0]
    if isinstance(error, sqlite3.Error) or driver in _SQLITE_DRIVERS:
        code = _sqlite_code(error)
        sentence = _SQLITE_SENTENCES.get(code) if code is not None else None
    else:
        sentence = _postgres_sentence(error) if driver.startswith("psycopg") else None
    if sentence is None:
        name = getattr(error, "sqlite_errorname", None) or getattr(error, "sqlstate", None)
        kind = f" ({name})" if isinstance(name, str) else ""
        return f"{where} reported an error{kind}; the log has the details"
    return f"{where} {sentence}"


def file_failure(exc: OSError, path: str | Path | None = None, doing: str = "use") -> str:
    """`cannot write report.pdf: the disk is full`: what failed on which file, without the error's
    own text (which quotes names PM Desk did not choose)."""
    name = path if path is not None else exc.filename
    target = f" {name}" if name is not None else " a file"
    reason = _OS_REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()
    return f"cannot {doing}{target}: {reason}"


def failure_sentence(exc: BaseException, where: str = "the database") -> str | None:
    """The sentence for a database or file failure in `exc`'s chain, else None (a fault of PM
    Desk itself, for which the caller says that something unexpected happened)."""
    if (sentence := database_failure(exc, where)) is not None:
        return sentence
    os_error = next((e for e in _chain(exc) if isinstance(e, OSError)), None)
    return file_failure(os_error) if os_error is not None else None
