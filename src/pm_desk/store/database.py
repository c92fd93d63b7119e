"""Opening the store: engine, SQLite settings, integrity checks, migrations after a backup.

`open_database` is the only way the app, the command line and the tests get an engine. It
refuses a database newer than this version of PM Desk knows; builds a new one in a temporary
file that is moved into place once complete; backs up an older one (a verified copy) before
upgrading it, all migrations in one transaction, so an upgrade happens whole or not at all; and
checks the file's integrity at every start without holding the start up (store.integrity).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from pm_desk.domain.policy import Policy, load_policy
from pm_desk.store import cipher
from pm_desk.store.backup import BackupError, backup_kind, backup_sqlite, list_backups, rotate_backups
from pm_desk.store.creation import (
    build_new_database,
    is_missing,
    remove_abandoned_builds,
)
from pm_desk.store.errors import (
    DamagedDatabaseError,
    DatabaseError,
    MissingDatabaseError,
    NewerDatabaseError,
)
from pm_desk.store.files import database_errors, operational_errors
from pm_desk.store.integrity import (
    FULL,
    INLINE_FULL_CHECK_BYTES,
    INLINE_QUICK_CHECK_BYTES,
    QUICK,
    IntegrityWatch,
    check_file,
    damage_message,
    full_check_due,
    record_full_check,
    stored_size,
)
from pm_desk.store.markers import OpenMarker, Owner
from pm_desk.store.queries.policy import stored_policy
from pm_desk.store.transactions import (
    install_sqlite_transactions,
    sqlite_driver_settings,
    write_transaction,
)
from pm_desk.store.uow import Clock, UnitOfWork, install_session_events, system_clock

__all__ = [
    "DamagedDatabaseError",
    "Database",
    "DatabaseError",
    "MissingDatabaseError",
    "NewerDatabaseError",
    "open_database",
]

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"


def alembic_config(connection: Any = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    sqlite_driver_settings(dbapi_connection)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(database: str, key: bytes | None = None) -> Engine:
    """An engine for a SQLite file path or a database URL, with the store's settings; with `key`,
    the file is SQLCipher's, keyed on every new connection before anything else is read.
    Statement parameters (A-numbers, names, dates of birth) are never part of an error's text."""
    if "://" in database:
        return create_engine(database, pool_pre_ping=True, hide_parameters=True)
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    if key is None:
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 10}, hide_parameters=True)
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            module=cipher.driver(),
            creator=lambda: cipher.connect(path, key, timeout=10, check_same_thread=False),
            poolclass=QueuePool,
            hide_parameters=True,
        )
    event.listen(engine, "connect", _sqlite_pragmas)
    install_sqlite_transactions(engine)
    return engine


@dataclass
class Database:
    engine: Engine
    database: str
    session_factory: sessionmaker[Session]
    clock: Clock = system_clock
    policy: Policy = field(default_factory=load_policy)
    backups: list[Path] = field(default_factory=list)
    backup_dir: Path | None = None
    # The checks a start left to run beside the app (a large file), if any.
    integrity: IntegrityWatch | None = None
    damage: str | None = None  # what a check found wrong: writes are refused with this sentence
    _marker: OpenMarker | None = None
    _owner: Owner | None = None
    key: bytes | None = field(default=None, repr=False)  # an encrypted file's (backups use it too)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return Path(self.database) if "://" not in self.database else None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.session_factory,
            self.clock,
            self.policy,
            self._refuse_writes_if_damaged,
        )

    def note_damage(self, problems: list[str]) -> str:
        assert self.path is not None
        self.damage = damage_message(self.path, problems, self.backup_dir)
        log.error("%s", self.damage)
        return self.damage

    def _refuse_writes_if_damaged(self) -> None:
        if self.damage is not None:
            raise DamagedDatabaseError(self.damage)

    def close(self) -> None:
        if self.integrity is not None:
            self.integrity.stop()
            self.integrity = None
        self.engine.dispose()
        if self._marker is not None and self._owner is not None:
            self._marker.remove(self._owner)
            self._marker = self._owner = None


def open_database(
    database: str,
    *,
    backup_dir: Path | None = None,
    clock: Clock = system_clock,
    create: bool = True,
    policy: Policy | None = None,
    key: bytes | None = None,
) -> Database:
    """Open (creating or upgrading when needed) the store at `database`, a path or URL; `key`
    opens (or creates) an encrypted file."""
    if "://" in database:
        engine = make_engine(database)
        try:
            backups = _migrate(engine, None, None)
        except Exception:
            engine.dispose()
            raise
        return _database(engine, database, clock, policy, backups, None)
    return _open_sqlite(Path(database), backup_dir, clock, create, policy, key)


def _database(
    engine: Engine,
    database: str,
    clock: Clock,
    policy: Policy | None,
    backups: list[Path],
    backup_dir: Path | None,
) -> Database:
    factory = sessionmaker(engine, expire_on_commit=False)
    install_session_events(factory)
    if policy is None:  # the policy in force is the database's own (a test may pass another)
        with factory() as session:
            policy = stored_policy(session)
    return Database(engine, database, factory, clock, policy, backups, backup_dir)


def _open_sqlite(
    path: Path,
    backup_dir: Path | None,
    clock: Clock,
    create: bool,
    policy: Policy | None,
    key: bytes | None,
) -> Database:
    remove_abandoned_builds(path)
    marker = OpenMarker(path)
    _refuse_what_is_not_a_database(path, marker, backup_dir)
    if is_missing(path):
        if not create:
            raise MissingDatabaseError(f"no database at {path}")
        marker.clear()  # lines about a file that is gone say nothing about the new one
        build_new_database(path, lambda temp: _build(temp, key))
    unclosed = marker.unclosed()
    engine = make_engine(str(path), key)
    try:
        if key is not None:
            cipher.connect(path, key).close()  # a wrong key is told as such, before any check
        later, checked = _check_at_start(engine, path, unclosed, backup_dir, key)
        backups = _migrate(engine, path, backup_dir, key)
        if checked:
            _note_full_check(engine, marker, unclosed)
    except Exception:
        engine.dispose()
        raise
    try:
        db = _database(engine, str(path), clock, policy, backups, backup_dir)
    except Exception:
        engine.dispose()
        raise
    db.key = key
    owner = Owner.current()
    db._marker, db._owner = marker, owner
    marker.add(owner)
    # An engine disposed without `close` ends the session as a crash would: its line stays.
    event.listen(engine, "engine_disposed", lambda _engine: OpenMarker.ended(owner))
    _watch_for_damage(db)
    if later:
        db.integrity = IntegrityWatch(path, later, _on_checked(db, marker, unclosed), key=key).start()
    return db


def _build(temp: Path, key: bytes | None) -> None:
    engine = make_engine(str(temp), key)
    try:
        _migrate(engine, temp, None, key)
        record_full_check(engine, datetime.now(UTC))  # nothing to check in a new file
    finally:
        engine.dispose()


def refuse_what_is_not_a_database(path: Path, backup_dir: Path | None) -> None:
    """Raise DatabaseError with a sentence when `path` is a folder or a file that was never a
    database (asked before signing in to it)."""
    _refuse_what_is_not_a_database(path, OpenMarker(path), backup_dir)


def _refuse_what_is_not_a_database(path: Path, marker: OpenMarker, backup_dir: Path | None) -> None:
    """A folder, or a file that was never a database (not SQLite's header nor a whole number of
    pages, never opened by PM Desk, no backups of it), is refused with a sentence before SQLite is
    asked to open it. A database whose first page was overwritten is damage, reported as such."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file")
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseError(f"cannot read {path} ({exc.strerror})") from exc
    if (
        header
        and header != SQLITE_HEADER
        and size % 512 != 0
        and not marker.path.exists()
        and not list_backups(backup_dir, path.stem)
    ):
        raise DatabaseError(f"{path} is not a PM Desk database (it is not an SQLite file)")


def _check_at_start(
    engine: Engine, path: Path, unclosed: list[str], backup_dir: Path | None, key: bytes | None
) -> tuple[list[str], bool]:
    """Run the checks that are quick on this file now (the full check covers the quick one);
    return those left for later, and whether a full check ran and passed. A damaged file is
    refused."""
    size = stored_size(path)
    full = bool(unclosed) or _full_check_due(engine)
    if unclosed:
        log.warning("%s was not closed cleanly last time; checking its integrity", path)
    now: str | None
    if full and size <= INLINE_FULL_CHECK_BYTES:
        now, later = FULL, []
    elif size <= INLINE_QUICK_CHECK_BYTES:
        now, later = QUICK, [FULL] if full else []
    else:
        now, later = None, [QUICK, FULL] if full else [QUICK]
    if now is not None:
        try:
            problems = check_file(path, now, key)
        except operational_errors() as exc:  # locked or unreadable for now: not a verdict
            log.warning("could not check %s at start (%s); checking it in the background", path, exc)
            return [now, *later], False
        if problems:
            raise DamagedDatabaseError(damage_message(path, problems, backup_dir))
    return later, now == FULL


def _full_check_due(engine: Engine) -> bool:
    try:
        return full_check_due(engine, datetime.now(UTC))
    except sa_exc.DatabaseError:
        # No app_meta yet (a schema from before the date was kept), or unreadable: the check
        # says why, or leaves itself for later when the file is busy.
        return True


def _note_full_check(engine: Engine, marker: OpenMarker, unclosed: list[str]) -> None:
    try:
        record_full_check(engine, datetime.now(UTC))
    except sa_exc.OperationalError as exc:  # busy: the next start checks again, no harm
        log.info("could not note the integrity check (%s)", exc.orig)
    marker.settle(unclosed)


def _on_checked(db: Database, marker: OpenMarker, unclosed: list[str]) -> Callable[[list[str], bool], None]:
    database = weakref.ref(db)  # the watch belongs to the database: no cycle keeps either alive

    def on_done(problems: list[str], full_passed: bool) -> None:
        found = database()
        if found is None:
            return
        if problems:
            found.note_damage(problems)
        elif full_passed:
            _note_full_check(found.engine, marker, unclosed)

    return on_done


def _watch_for_damage(db: Database) -> None:
    """A read that meets a damaged page fails with the damage sentence (and writes stop)."""
    database = weakref.ref(db)

    def handle_error(context: ExceptionContext) -> None:
        original = context.original_exception
        found = database()
        if (
            found is not None
            and isinstance(original, database_errors())
            and getattr(original, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
        ):
            raise DamagedDatabaseError(found.note_damage([str(original)])) from original

    event.listen(db.engine, "handle_error", handle_error)


def _migrate(
    engine: Engine, path: Path | None, backup_dir: Path | None, key: bytes | None = None
) -> list[Path]:
    head = head_revision()
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names())
    if current is not None and not _known(script, current):
        raise NewerDatabaseError(
            f"{_where(engine, path)} was written by a newer PM Desk (schema {current}); this version knows "
            f"schemas up to {head}. Install the newer PM Desk to open it."
        )
    if current is None and tables - {"alembic_version"}:
        raise DatabaseError(f"{_where(engine, path)} is not a PM Desk database (it has other tables)")
    if current == head:
        return []
    backups: list[Path] = []
    if current is not None and path is not None and backup_dir is not None:
        backups.append(_backup_before_upgrade(path, backup_dir, current, key))
    try:
        # Every migration in one transaction that holds the write lock: SQLite's DDL is
        # transactional once the driver no longer commits by itself, so a kill, a full disk or a
        # failing migration leaves the file exactly as it was.
        with write_transaction(engine) as connection:
            # Under the lock: another process may have upgraded the file while we waited for it.
            if MigrationContext.configure(connection).get_current_revision() != head:
                command.upgrade(alembic_config(connection), "head")
    except sa_exc.DBAPIError as exc:
        raise DatabaseError(_upgrade_failed(engine, path, current, exc, backups)) from exc
    if backups:
        assert backup_dir is not None and path is not None
        rotate_backups(backup_dir, path.stem, backup_kind(f"before-upgrade-from-{current}"))
    log.info("database %s at schema %s", _where(engine, path), head)
    return backups


def _backup_before_upgrade(path: Path, backup_dir: Path, current: str, key: bytes | None) -> Path:
    try:
        copy = backup_sqlite(path, backup_dir, reason=f"before-upgrade-from-{current}", rotate=False, key=key)
    except BackupError as exc:
        raise DatabaseError(
            f"{path} needs an upgrade from schema {current}, and the backup made first failed ({exc}); "
            "nothing was changed. Free some disk space and open it again."
        ) from exc
    log.info("backed up %s to %s before upgrading from %s", path, copy, current)
    return copy


def _upgrade_failed(
    engine: Engine,
    path: Path | None,
    current: str | None,
    exc: sa_exc.DBAPIError,
    backups: list[Path],
) -> str:
    where = _where(engine, path)
    if "locked" in str(exc.orig):
        return f"{where} is busy: another PM Desk is upgrading or writing to it; open it again in a moment"
    kept = f" (a copy from before is at {backups[0]})" if backups else ""
    return (
        f"upgrading {where} from schema {current or 'none'} failed ({exc.orig}); nothing was changed, "
        f"it is still at schema {current or 'none'}{kept}. Free some disk space and open it again."
    )


def known_revision(revision: str) -> bool:
    """Whether this version of PM Desk knows the schema `revision` (a newer one's it does not)."""
    return _known(ScriptDirectory.from_config(alembic_config()), revision)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises for a revision it has never heard of
        return False


def _where(engine: Engine, path: Path | None) -> str:
    return str(path) if path is not None else make_url(str(engine.url)).render_as_string(hide_password=True)
