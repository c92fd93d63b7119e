"""A session of the desktop app: sign in, the main window with its idle lock, sign out.

The app signs in before anything else opens: the sign-in window (or, for a database with no
sign-in yet, the first administrator's). A scripted start (PM_DESK_PASSWORD_FILE, with the user
named by --as-user or remembered) signs in without the window, which is how benchmarks and the
start-up timing run. Signing out closes the main window and shows the sign-in window again.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox

from pm_desk.commands.context import CommandContext, CommandFailed
from pm_desk.commands.secret_input import PASSWORD_FILE, read_secret_file
from pm_desk.domain.policy import PolicyError
from pm_desk.services.access import Opened, Opener, SignInRefused, check_secret, has_sign_in, sign_in
from pm_desk.services.errors import ServiceError
from pm_desk.services.failures import failure_sentence
from pm_desk.settings import Settings
from pm_desk.store.cipher import file_state
from pm_desk.store.database import Database, DatabaseError, open_database
from pm_desk.store.uow import system_clock
from pm_desk.ui.dialogs.access_admin import FirstAdminDialog
from pm_desk.ui.dialogs.sign_in import sign_in_dialog
from pm_desk.ui.idle_lock import IdleLock
from pm_desk.ui.startup_timing import print_sign_in_started

log = logging.getLogger(__name__)


def opener_for(context: CommandContext) -> Opener:
    paths = context.paths

    def open_(key: bytes | None, create: bool) -> Database:
        paths.ensure()
        try:
            return open_database(paths.database, backup_dir=paths.backup_dir, create=create, key=key)
        except PolicyError as exc:
            raise DatabaseError(str(exc)) from exc

    return open_


def sign_in_window(context: CommandContext, settings: Settings, path: Path) -> Opened | None:
    """Who is using PM Desk now, proven; None when he quits instead."""
    opener = opener_for(context)
    if path.is_dir():
        QMessageBox.critical(
            None, "PM Desk cannot start", f"{path} is a folder; PM Desk needs a database file."
        )
        return None
    email = getattr(context.args, "as_user", None) or settings.acting_user or ""
    if not has_sign_in(path):
        if file_state(path) == "encrypted":
            QMessageBox.critical(
                None,
                "PM Desk cannot start",
                f"{path.name} is encrypted and its key file {path.name}.keys is missing: put it back from "
                "where it was copied, or restore a backup.",
            )
            return None
        first = FirstAdminDialog(path, opener, system_clock)
        if first.exec() != QDialog.DialogCode.Accepted or first.admin is None:
            return None
        email = first.admin.email
    scripted = _scripted_password()
    if scripted and email:
        print_sign_in_started()
        try:
            opened = sign_in(path, email, scripted, opener, system_clock())
        except (SignInRefused, ServiceError, DatabaseError) as exc:
            log.warning("scripted sign-in refused (%s); asking", type(exc).__name__)
        else:
            if not opened.must_set_password:
                return opened
            opened.db.close()
    return sign_in_dialog(path, email, opener, system_clock)


def watch_idle(window: object, opened: Opened) -> IdleLock:
    """The idle lock of a signed-in window (policy `security.idle_lock_minutes`)."""
    from pm_desk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    actor, path = opened.actor, opened.path
    minutes = opened.db.policy.security.idle_lock_minutes

    def check(secret: str) -> None:
        check_secret(path, actor.email, secret, system_clock())

    lock = IdleLock(minutes, f"{actor.name} ({actor.email})", check, window.sign_out, parent=window)
    window.idle_lock = lock
    return lock


def start_daily_backup(window: object, db: Database) -> None:
    """The day's backup at the first start of the day, on a worker once the window is up (a
    large database takes seconds to copy); a failure is said in the status bar and logged."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QMainWindow

    from pm_desk.services.backups import daily_backup
    from pm_desk.ui.jobs import run_on

    if db.path is None or db.backup_dir is None:
        return
    today = db.clock().astimezone(UTC).date()  # backups are named by their UTC day

    def work(_item: None) -> str:
        try:
            made = daily_backup(db, today)
        except Exception:
            log.exception("the daily backup failed")
            return "The daily backup could not be made; the log says why."
        return "Today's backup was made." if made is not None else ""

    def done(message: str) -> None:
        if message and isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 10_000)

    run_on(QThreadPool.globalInstance(), None, work, done)


def restore_and_reopen(context: CommandContext, opened: Opened, backup: Path) -> Opened:
    """Put `backup` back (the window has closed the database), then open the database again for
    the same person, and say what happened."""
    from pm_desk.services.backups import RestoreRefused, note_restored, restore
    from pm_desk.ui.jobs import wait_for

    folder = context.paths.backup_dir
    try:
        restored = wait_for(
            lambda: restore(opened.actor.email, opened.path, backup, opened.key, opened.plaintext, folder)
        )
    except RestoreRefused as exc:
        restored = None
        QMessageBox.warning(None, "Restore from backup", f"The backup was not restored: {exc}.")
    except Exception as exc:  # a disk or driver failure midway: said, logged, the database reopened
        log.error("restore failed", exc_info=True)
        restored = None
        sentence = failure_sentence(exc) or "it failed; the log says why"
        QMessageBox.warning(None, "Restore from backup", f"The backup was not restored: {sentence}.")
    db = opener_for(context)(None if opened.plaintext else opened.key, False)
    again = Opened(db, opened.actor, opened.key, opened.path, opened.plaintext)
    if restored is not None:
        note_restored(again, backup, restored)
        QMessageBox.information(
            None,
            "Restore from backup",
            f"{backup.name} was put back. The database as it was is kept as {restored.kept.name}.",
        )
    return again


def _scripted_password() -> str | None:
    named = os.environ.get(PASSWORD_FILE)
    if not named:
        return None
    try:
        return read_secret_file(Path(named).expanduser())
    except CommandFailed as exc:
        log.warning("the password file is not used: %s", exc)
        return None
