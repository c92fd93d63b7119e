"""Backups a person can count on: one at the first start of each day, one before every upgrade,
restore and encryption, one whenever asked (`pm-desk backup`), each encrypted with the database's
own key and proven before it gets a backup's name; kept by the policy (the newest daily ones, then
one a week); and put back with `restore`, which proves the backup and keeps the database it
replaces."""

from __future__ import annotations

import logging
import shutil
from datetime import date, datetime
from pathlib import Path

from pm_desk.domain.enums import Role
from pm_desk.domain.policy import SecurityPolicy
from pm_desk.services.access import Opened, keys_path, note_access
from pm_desk.services.errors import ServiceError
from pm_desk.store.backup import Backup, BackupError, backup_sqlite, list_backups, write_backup
from pm_desk.store.cipher import WrongKey, file_state
from pm_desk.store.database import Database
from pm_desk.store.files import connect_file, driver_errors, owner_only_file
from pm_desk.store.restore import Restored, RestoreRefused, check_backup, restore_backup

log = logging.getLogger(__name__)

DAILY = "daily"

__all__ = ["BackupError", "RestoreRefused", "backups_of", "daily_backup", "make_backup", "restore"]


def _where(db: Database) -> tuple[Path, Path]:
    if db.path is None or db.backup_dir is None:
        raise ServiceError("backups are made of a database file on this computer")
    return db.path, db.backup_dir


def backups_of(db: Database) -> list[Backup]:
    """The database's backups, newest first."""
    path, folder = _where(db)
    return list_backups(folder, path.stem)


def make_backup(db: Database, target: Path | None = None) -> Path:
    """A backup now: into the backup folder, or to `target` (with a copy of the key file beside
    it, so the same people can open it on another computer)."""
    path, folder = _where(db)
    if target is None:
        return backup_sqlite(path, folder, reason="manual", key=db.key)
    if target.exists():
        raise ServiceError(f"{target} already exists: name a new file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        owner_only_file(target)
        write_backup(path, target, db.key)
        if check_backup(target, db.key) < 0:  # proves it: opens, integrity, audit chain
            raise BackupError("the copy does not read back")
        if keys_path(path).exists():
            shutil.copyfile(keys_path(path), keys_path(target))
            keys_path(target).chmod(0o600)
    except (OSError, BackupError, RestoreRefused) as exc:
        target.unlink(missing_ok=True)
        raise ServiceError(f"cannot write the backup {target}: {exc}") from exc
    return target


def daily_backup(db: Database, today: date) -> Path | None:
    """The day's backup, at the first start of the day (None: there is one already), then the
    daily backups rotated by the policy. `today` is a UTC date, as backups are named."""
    path, folder = _where(db)
    stamp = today.strftime("%Y%m%d")
    if any(b.path.name.startswith(f"{path.stem}-{stamp}-") for b in _of_kind(folder, path.stem, DAILY)):
        return None
    made = backup_sqlite(path, folder, reason=DAILY, rotate=False, key=db.key)
    removed = rotate_daily(folder, path.stem, db.policy.security)
    log.info("daily backup made; %d old ones removed", len(removed))
    return made


def _of_kind(folder: Path, stem: str, kind: str) -> list[Backup]:
    return [b for b in list_backups(folder, stem) if b.path.name.endswith(f"-{kind}.sqlite3")]


def _day_of(backup: Backup) -> date:
    stamp = backup.path.name.rsplit("-", 4)[-4]  # <stem>-YYYYMMDD-HHMMSS-ffffff-daily.sqlite3
    try:
        return datetime.strptime(stamp, "%Y%m%d").date()
    except ValueError:
        return backup.written_at.date()


def rotate_daily(folder: Path, stem: str, policy: SecurityPolicy) -> list[Path]:
    """Keep the newest `backups_daily` daily backups, then the newest of each of the
    `backups_weekly` weeks before them; remove the rest."""
    daily = _of_kind(folder, stem, DAILY)  # newest first
    keep = daily[: policy.backups_daily]
    weeks = {_day_of(b).isocalendar()[:2] for b in keep}
    weekly = 0
    for backup in daily[policy.backups_daily :]:
        week = _day_of(backup).isocalendar()[:2]
        if weekly >= policy.backups_weekly or week in weeks:
            continue
        keep.append(backup)  # the newest of an older week
        weeks.add(week)
        weekly += 1
    removed = [b.path for b in daily if b not in keep]
    for old in removed:
        old.unlink(missing_ok=True)
    return removed


# Who may put a backup back: the people who answer for the data (not staff, not anyone inactive).
RESTORERS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.MANAGER})


def may_restore(email: str, path: Path, backup: Path, key: bytes) -> None:
    """Refuse unless `email` is an active administrator, supervisor or manager: in the database,
    or (when it is too damaged to read) in the backup that would replace it."""
    for source in (path, backup):
        found = _person(source, key, email)
        if found is not None:
            role, active = found
            if active and role in RESTORERS:
                return
            break
    raise RestoreRefused(
        f"{email.strip().lower()} may not restore this database: an active administrator, supervisor "
        "or manager does"
    )


def _person(source: Path, key: bytes, email: str) -> tuple[Role | None, bool] | None:
    """(role, active) of `email` in the database file `source`; (None, False) when he is not in it;
    None when the file cannot be read."""
    unreadable: tuple[type[Exception], ...] = (WrongKey, *driver_errors())
    try:
        connection = connect_file(source, read_only=True, key=None if file_state(source) == "plain" else key)
    except unreadable:
        return None
    try:
        row = connection.execute(
            "SELECT role, active AND deleted_at IS NULL FROM users WHERE lower(email) = ?",
            (email.strip().lower(),),
        ).fetchone()
    except driver_errors():
        return None
    finally:
        connection.close()
    return (None, False) if row is None else (Role(row[0]), bool(row[1]))


def restore(email: str, path: Path, backup: Path, key: bytes, plaintext: bool, backup_dir: Path) -> Restored:
    """`email` (whose password opened `key`: `access.unlock_key`) puts `backup` back in place of
    the database at `path`, which nobody has open. The current database is kept as a backup."""
    check_backup(backup, None if plaintext else key)
    may_restore(email, path, backup, key)
    return restore_backup(path, backup, None if plaintext else key, backup_dir)


def note_restored(opened: Opened, backup: Path, restored: Restored) -> None:
    """The restore in the restored database's audit trail, by whoever signed in after it."""
    try:
        note_access(opened, "restore", "restored", backup=backup.name, kept=restored.kept.name)
    except ServiceError:  # a backup from before this person was a user: nothing to attribute it to
        log.warning("the restore could not be audited: the person is not in the restored database")
