"""Who begins a transaction, and how: one writer at a time, readers never in its way.

Python's sqlite3 driver, left to itself, begins a transaction only before an INSERT, UPDATE or
DELETE and commits on its own before DDL: a SELECT then reads outside any transaction, so what a
write read first (the audit chain's head) may have changed by the time it writes, and a schema
upgrade is committed one statement at a time. The store turns that off (`isolation_level =
None` on every new connection) and lets SQLAlchemy say BEGIN itself (SQLAlchemy's recipe for
the sqlite3 driver):

- a transaction that only reads begins as a plain (deferred) one: one consistent snapshot, and
  in WAL mode readers never wait for each other or for the writer;
- a write holds the database's write lock from before it reads what it depends on: it begins
  with `BEGIN IMMEDIATE` when it says so up front (`WRITE_LOCK`), and a transaction that has
  only read so far becomes the writer before its first flush (`become_writer`: its read
  snapshot ends, it had written nothing, and it begins again holding the lock). Other writers
  wait for it (busy timeout). The audit chain's head it reads is then the head it extends.

On PostgreSQL the same rule is a transaction-level advisory lock taken by `become_writer`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event, text

# The execution option that marks a connection's next transaction as a write.
WRITE_LOCK = "pm_desk_write_lock"
# The key of PostgreSQL's advisory lock for writers (any fixed number, the same everywhere).
ADVISORY_WRITE_LOCK = 287287
# What the store notes on a SQLite connection about its open transaction.
_WRITER = "pm_desk_writer"
_CHANGES_AT_BEGIN = "pm_desk_changes_at_begin"
_RESUME = "pm_desk_resume_transaction"
# A checkpoint cannot run in a transaction that has read: it runs between two instead.
_CHECKPOINT = re.compile(r"\s*PRAGMA\s+(\w+\.)?wal_checkpoint\b", re.IGNORECASE)


def sqlite_driver_settings(dbapi_connection: Any) -> None:
    """Take BEGIN and COMMIT away from the sqlite3 driver; SQLAlchemy's `begin` says BEGIN."""
    dbapi_connection.isolation_level = None


def install_sqlite_transactions(engine: Engine) -> None:
    event.listen(engine, "begin", _begin)
    event.listen(engine, "before_cursor_execute", _before_statement)
    event.listen(engine, "after_cursor_execute", _after_statement)


def _begin(connection: Connection) -> None:
    writer = bool(connection.get_execution_options().get(WRITE_LOCK))
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")
    _began(connection, writer)


def _began(connection: Connection, writer: bool) -> None:
    connection.info[_WRITER] = writer
    connection.info[_CHANGES_AT_BEGIN] = _driver(connection).total_changes


def _driver(connection: Connection) -> Any:
    return connection.connection.driver_connection


def has_written(connection: Connection) -> bool:
    """Whether the open SQLite transaction holds the write lock or has changed rows."""
    info = connection.info
    return bool(info.get(_WRITER)) or _driver(connection).total_changes != info.get(_CHANGES_AT_BEGIN)


def become_writer(connection: Connection) -> None:
    """Make `connection`'s open transaction the database's one writer, before it writes."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_WRITE_LOCK})
        return
    if connection.dialect.name != "sqlite" or connection.info.get(_WRITER):
        return
    if connection.in_nested_transaction():
        return  # a savepoint cannot outlive a COMMIT: SQLite takes the lock at the first write
    if not has_written(connection):
        # It has only read: nothing to keep. Its snapshot ends; it begins again as the writer.
        connection.exec_driver_sql("COMMIT")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    _began(connection, True)


def _before_statement(
    connection: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    if _CHECKPOINT.match(statement) and not has_written(connection):
        cursor.execute("COMMIT")
        connection.info[_RESUME] = True


def _after_statement(
    connection: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    if connection.info.pop(_RESUME, False):
        writer = bool(connection.info.get(_WRITER))
        cursor.execute("BEGIN IMMEDIATE" if writer else "BEGIN")
        _began(connection, writer)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the write lock; committed when the block ends."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_LOCK: True})
        with connection.begin():
            become_writer(connection)
            yield connection
