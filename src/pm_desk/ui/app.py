"""Starting the desktop app: Qt, the database, the acting user, the main window."""

from __future__ import annotations

import logging
import os
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from pm_desk.commands.context import CommandContext, CommandFailed
from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy
from pm_desk.paths import Paths
from pm_desk.services.access import Opened
from pm_desk.services.maintenance import bring_deadlines_to_policy, deadlines_follow_policy
from pm_desk.settings import Settings
from pm_desk.store.database import Database
from pm_desk.ui.collector import collect_on_gui_thread
from pm_desk.ui.context import AppContext, DataEvents
from pm_desk.ui.session import restore_and_reopen, sign_in_window, start_daily_backup, watch_idle
from pm_desk.ui.startup_timing import FirstPaint, print_startup_time

if TYPE_CHECKING:
    from pm_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    path = resources.files("pm_desk.resources").joinpath("icons/pm-desk.svg")
    return QIcon(str(path))


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        collect_on_gui_thread(app)
        return app
    QGuiApplication.setApplicationName("PM Desk")
    QGuiApplication.setOrganizationName("PM Desk")
    QGuiApplication.setApplicationDisplayName("PM Desk")
    QGuiApplication.setDesktopFileName("pm-desk")
    app = QApplication(argv or sys.argv[:1])
    app.setStyle("Fusion")  # follows the system's light or dark scheme on every platform
    app.setWindowIcon(app_icon())
    app.setStyleSheet(resources.files("pm_desk.resources").joinpath("app.qss").read_text(encoding="utf-8"))
    collect_on_gui_thread(app)
    return app


def build_context(
    db: Database,
    policy: Policy,
    actor: Actor,
    paths: Paths,
    settings: Settings,
    access: Opened | None = None,
) -> AppContext:
    return AppContext(db, policy, actor, paths, settings, DataEvents(), QUndoStack(), access=access)


def refresh_derived(db: Database, policy: Policy) -> None:
    """Bring the stored hold deadlines to the policy in force (after an upgrade or a policy change),
    with a progress window when there is real work to do."""
    if deadlines_follow_policy(db.uow(), policy):
        return
    progress = QProgressDialog("Updating hold deadlines to the policy…", "", 0, 100)
    progress.setCancelButton(None)
    progress.setWindowTitle("PM Desk")
    progress.setMinimumDuration(500)

    def report(_step: str, fraction: float) -> None:
        progress.setValue(int(fraction * 100))
        QApplication.processEvents()

    count = bring_deadlines_to_policy(db.uow(), policy, report)
    progress.close()
    log.info("recomputed %d hold deadlines under the current policy", count)


def run_app(context: CommandContext) -> int:
    app = make_application()
    path = context.paths.database_path
    if path is None:
        return _run_on_server(app, context)
    if context.paths.policy_file.exists():
        log.warning("the policy file in the config folder is not read: the policy lives in the database")
    settings = context.settings()
    while True:
        opened = sign_in_window(context, settings, path)
        if opened is None:
            return 0
        while True:
            code, again, restore_from = run_session(app, context, settings, opened)
            if restore_from is None:
                break
            opened = restore_and_reopen(context, opened, restore_from)
        if not again:
            return code


def run_session(
    app: QApplication, context: CommandContext, settings: Settings, opened: Opened
) -> tuple[int, bool, Path | None]:
    """The main window for a signed-in person until he quits, signs out (then True) or asks for
    a backup to be put back (its path)."""
    db = opened.db
    settings.acting_user = opened.actor.email
    try:
        refresh_derived(db, db.policy)
        ctx = build_context(db, db.policy, opened.actor, context.paths, settings, opened)
        window = open_main_window(ctx)
        lock = watch_idle(window, opened)
        watch_first_paint(window)
        start_daily_backup(window, db)
        code = app.exec()
        lock.stop()
        ctx.ops.wait(10_000)  # let the database worker finish its operation before the database closes
        QThreadPool.globalInstance().waitForDone(10_000)  # and the background reads theirs
        signing_out, restore_from = window.signing_out, window.restore_from
        window.deleteLater()
        app.processEvents()
    finally:
        db.close()
    return code, signing_out, restore_from


def _run_on_server(app: QApplication, context: CommandContext) -> int:
    """A server's URL: the server signs in (its login roles); the user is the one --as-user names."""
    try:
        db = context.database()
        actor = context.actor()
    except CommandFailed as exc:
        QMessageBox.critical(None, "PM Desk cannot start", str(exc))
        return 1
    refresh_derived(db, db.policy)
    ctx = build_context(db, db.policy, actor, context.paths, context.settings())
    window = open_main_window(ctx)
    watch_first_paint(window)
    code = app.exec()
    ctx.ops.wait(10_000)
    QThreadPool.globalInstance().waitForDone(10_000)
    return code


def watch_first_paint(window: QWidget) -> None:
    """PM_DESK_STARTUP_TIMING: print the time from process start to the first painted main window
    (with Today loaded); PM_DESK_QUIT_AFTER_START: close the window right after that paint."""
    timing = bool(os.environ.get("PM_DESK_STARTUP_TIMING"))
    quit_after = bool(os.environ.get("PM_DESK_QUIT_AFTER_START"))
    if not (timing or quit_after):
        return

    def painted(seconds: float) -> None:
        if timing:
            print_startup_time(seconds)
        if quit_after:
            QTimer.singleShot(0, window.close)

    FirstPaint(window, painted)


def open_main_window(ctx: AppContext) -> MainWindow:
    from pm_desk.ui.main_window import MainWindow

    window = MainWindow(ctx)
    window.show()
    return window
