"""Opening the store: engine, SQLite settings, integrity after a crash, migrations after a backup.

`open_database` is the only way the app, the command line and the tests get an engine. It
refuses a database newer than this version of PM Desk knows; builds a new one in a temporary
file that is moved into place once complete; backs up an older one (a verified copy) before
upgrading it, all migrations in one transaction, so an upgrade happens whole or not at all; and
checks the file's integrity when the last session did not close cleanly.
"""

from __future__ import annotations

import logging
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
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from pm_desk.domain.policy import Policy, load_policy
from pm_desk.store.backup import BackupError, backup_kind, backup_sqlite, rotate_backups
from pm_desk.store.creation import build_new_database, is_missing, remove_abandoned_builds
from pm_desk.store.transactions import install_sqlite_transactions, sqlite_driver_settings, write_transaction
from pm_desk.store.uow import Clock, UnitOfWork, install_session_events, system_clock

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class DatabaseError(Exception):
    """A database that cannot be opened; the message says why and what to do."""


class NewerDatabaseError(DatabaseError):
    pass


class DamagedDatabaseError(DatabaseError):
    pass


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


def make_engine(database: str) -> Engine:
    """An engine for a SQLite file path or a database URL, with the store's settings. Statement
    parameters (A-numbers, names, dates of birth) are never part of an error's text."""
    if "://" in database:
        return create_engine(database, pool_pre_ping=True, hide_parameters=True)
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 10}, hide_parameters=True)
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
    _marker: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return Path(self.database) if "://" not in self.database else None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.clock, self.policy)

    def close(self) -> None:
        self.engine.dispose()
        if self._marker is not None:
            self._marker.unlink(missing_ok=True)
            self._marker = None


def open_database(
    database: str,
    *,
    backup_dir: Path | None = None,
    clock: Clock = system_clock,
    create: bool = True,
    policy: Policy | None = None,
) -> Database:
    """Open (creating or upgrading when needed) the store at `database`, a path or URL."""
    path = None if "://" in database else Path(database)
    if path is not None:
        remove_abandoned_builds(path)
        if is_missing(path):
            if not create:
                raise DatabaseError(f"no database at {path}")
            build_new_database(path, _build)
    marker = path.with_name(path.name + ".open") if path is not None else None
    engine = make_engine(database)
    try:
        if (
            marker is not None
            and marker.exists()
            and path is not None
            and path.exists()
            and path.stat().st_size > 0
        ):
            _check_integrity(engine, path)
        backups = _migrate(engine, path, backup_dir)
    except Exception:
        engine.dispose()
        raise
    if marker is not None:
        marker.write_text(datetime.now(UTC).isoformat())
    factory = sessionmaker(engine, expire_on_commit=False)
    install_session_events(factory)
    return Database(engine, database, factory, clock, policy or load_policy(), backups, marker)


def _build(temp: Path) -> None:
    engine = make_engine(str(temp))
    try:
        _migrate(engine, temp, None)
    finally:
        engine.dispose()


def _check_integrity(engine: Engine, path: Path) -> None:
    log.warning("%s was not closed cleanly last time; checking its integrity", path)
    try:
        with engine.connect() as connection:
            rows: list[Any] = list(connection.exec_driver_sql("PRAGMA integrity_check").fetchall())
    except sa_exc.OperationalError:
        raise  # locked or unreadable for now: not a verdict on the file
    except sa_exc.DatabaseError as exc:
        # A damaged header or schema page fails before the check can list anything.
        rows = [(str(exc.orig),)]
    problems = [r[0] for r in rows if r[0] != "ok"]
    if problems:
        raise DamagedDatabaseError(
            f"{path} is damaged ({problems[0]}); restore a backup with `pm-desk restore FILE`"
        )


def _migrate(engine: Engine, path: Path | None, backup_dir: Path | None) -> list[Path]:
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
        backups.append(_backup_before_upgrade(path, backup_dir, current))
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


def _backup_before_upgrade(path: Path, backup_dir: Path, current: str) -> Path:
    try:
        copy = backup_sqlite(path, backup_dir, reason=f"before-upgrade-from-{current}", rotate=False)
    except BackupError as exc:
        raise DatabaseError(
            f"{path} needs an upgrade from schema {current}, and the backup made first failed ({exc}); "
            "nothing was changed. Free some disk space and open it again."
        ) from exc
    log.info("backed up %s to %s before upgrading from %s", path, copy, current)
    return copy


def _upgrade_failed(
    engine: Engine, path: Path | None, current: str | None, exc: sa_exc.DBAPIError, backups: list[Path]
) -> str:
    where = _where(engine, path)
    if "locked" in str(exc.orig):
        return f"{where} is busy: another PM Desk is upgrading or writing to it; open it again in a moment"
    kept = f" (a copy from before is at {backups[0]})" if backups else ""
    return (
        f"upgrading {where} from schema {current or 'none'} failed ({exc.orig}); nothing was changed, "
        f"it is still at schema {current or 'none'}{kept}. Free some disk space and open it again."
    )


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises for a revision it has never heard of
        return False


def _where(engine: Engine, path: Path | None) -> str:
    return str(path) if path is not None else make_url(str(engine.url)).render_as_string(hide_password=True)
