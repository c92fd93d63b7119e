"""`pm-desk backup` and `pm-desk restore`: a proven copy of the database now, and a backup put
back in its place."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext


def register(commands: Any) -> None:
    backup = commands.add_parser(
        "backup",
        help="a backup of the database now",
        description=(
            "Copy the database while it may be in use (SQLite's online backup), encrypted with its "
            "own key, and prove the copy (it opens, SQLite's integrity check passes, the audit "
            "trail verifies) before it gets a backup's name. Without -o it goes to the backup "
            "folder with the others; with -o FILE a copy of the key file goes beside it, so the "
            "same people can open it elsewhere."
        ),
    )
    backup.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the backup to FILE")
    backup.set_defaults(handler=run_backup)

    restore = commands.add_parser(
        "restore",
        help="put a backup back in place of the database (without FILE: list the backups)",
        description=(
            "Check the backup (it opens with this database's key, SQLite's integrity check passes, "
            "its audit trail verifies), keep the current database as a backup, then put the "
            "backup in its place in one step. Close PM Desk everywhere first. Without FILE, list "
            "the backups with their dates, newest first."
        ),
    )
    restore.add_argument("file", nargs="?", type=Path, metavar="FILE", help="the backup to put back")
    restore.set_defaults(handler=run_restore)


def run_backup(context: CommandContext) -> int:
    from pm_desk.services.backups import make_backup
    from pm_desk.services.errors import ServiceError
    from pm_desk.store.backup import BackupError

    db = context.database()
    target = context.args.output
    if target is not None and target.is_dir():
        raise CommandFailed(f"{target} is a folder; -o names the backup file")
    try:
        written = make_backup(db, target)
    except (ServiceError, BackupError) as exc:
        raise CommandFailed(str(exc)) from exc
    print(f"backup written to {written}")
    return 0


def run_restore(context: CommandContext) -> int:
    from pm_desk.commands.secret_input import password
    from pm_desk.services.access import SignInRefused, unlock_key
    from pm_desk.services.backups import RestoreRefused, note_restored, restore
    from pm_desk.store.backup import list_backups
    from pm_desk.store.uow import system_clock

    path = context.paths.database_path
    if path is None:
        raise CommandFailed("restore works on a database file: pass --db with a file path")
    if context.args.file is None:
        found = list_backups(context.paths.backup_dir, path.stem)
        if not found:
            print(f"no backups of {path.name} in {context.paths.backup_dir}")
        for backup in found:
            print(f"{backup.written_at.astimezone():%Y-%m-%d %H:%M}  {backup.path}")
        return 0
    backup = context.args.file
    if backup.is_dir():
        raise CommandFailed(f"{backup} is a folder; name a backup file")
    email = context.signing_in()
    secret = context.secret(f"Password for {email}: ", password)
    try:  # the key only: a damaged database cannot be opened, and can still be restored
        key, plaintext = unlock_key(path, email, secret, system_clock())
        restored = restore(email, path, backup, key, plaintext, context.paths.backup_dir)
    except SignInRefused as exc:
        raise CommandFailed(f"cannot sign in: {exc}") from exc
    except RestoreRefused as exc:
        raise CommandFailed(f"restore refused: {exc}") from exc
    note_restored(context.sign_in(), backup, restored)
    print(f"restored {backup.name}; the database as it was is kept as {restored.kept}")
    return 0
