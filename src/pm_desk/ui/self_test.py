"""`pm-desk --self-test`: proof that an installed (or frozen) PM Desk works on this machine.

Offscreen and in a temporary folder that is removed afterwards: creates a fresh encrypted
database (SQLCipher) through the migrations, writes the `small` demo program into it, keys its
users (Argon2id), signs in as the demo's manager, opens the main window and shows every page,
generates a monthly report PDF and reads it back with QtPdf.
Exit 0 and one line "self-test: ok …"; on any failure exit 1 and one line saying what failed.
Nothing of the person's own data, settings or logs is read or written.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
PAINT_TIMEOUT_S = 60.0


class SelfTestFailed(Exception):
    """One step of the self-test did not do what it must; the message says which."""


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="pm-desk-self-test-"))
    step = "starting"
    started = time.perf_counter()
    handlers: list[logging.Handler] = []
    try:
        from pm_desk.logs import configure_logging
        from pm_desk.paths import resolve_paths

        paths = resolve_paths(environ={"PM_DESK_HOME": str(folder)}).ensure()
        configure_logging(paths.log_file)
        handlers = [h for h in logging.getLogger().handlers if getattr(h, "pm_desk", False)]

        def stage(name: str) -> None:
            nonlocal step
            step = name
            log.info("self-test: %s", name)

        summary = _check(paths, stage)
    except Exception as exc:  # every failure is one line (the traceback goes to the log, removed too)
        log.exception("self-test failed while %s", step)
        print(f"pm-desk: self-test failed while {step}: {exc or exc.__class__.__name__}", file=sys.stderr)
        return 1
    finally:
        for handler in handlers:  # the temporary folder's log, closed before the folder goes
            logging.getLogger().removeHandler(handler)
            handler.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"self-test: ok ({summary}; {time.perf_counter() - started:.1f} s)", flush=True)
    return 0


def _check(paths: Any, stage: Callable[[str], None]) -> str:
    stage("opening a new encrypted database (SQLCipher, migrations)")
    from pathlib import Path

    from pm_desk.demo import DEMO_PASSWORD, generate_demo
    from pm_desk.services.access import share_password, sign_in
    from pm_desk.settings import Settings
    from pm_desk.store.database import open_database
    from pm_desk.store.keyring import new_database_key

    path, key = Path(paths.database), new_database_key()

    def opener(with_key: bytes | None, create: bool) -> Any:
        return open_database(paths.database, backup_dir=paths.backup_dir, create=create, key=with_key)

    db = opener(key, True)
    try:
        stage("writing the small demo program")
        demo = generate_demo(db, "small", seed=287)
        stage("keying its users (Argon2id)")
        share_password(db, path, key, DEMO_PASSWORD, datetime.now(UTC))
    finally:
        db.close()
    stage("signing in")
    opened = sign_in(path, demo.default_user_email, DEMO_PASSWORD, opener, datetime.now(UTC))
    db, actor = opened.db, opened.actor
    policy = db.policy
    try:
        stage("opening the main window")
        from pm_desk.ui.app import build_context, make_application, open_main_window

        app = make_application([sys.argv[0]])
        ctx = build_context(db, policy, actor, paths, Settings(paths.settings_file), opened)
        window = open_main_window(ctx)
        _wait_for_paint(app, window)
        for name in list(window.pages):
            stage(f"showing the {name} page")
            window.show_page(name)
            app.processEvents()
        today = window.pages["today"].counts()

        stage("generating a monthly report")
        pages = _monthly_report(db, policy, actor, demo.default_user_email, paths.data_dir)

        stage("closing the window")
        window.close()
        app.processEvents()
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(30_000)
    finally:
        db.close()
    return f"{len(window.pages)} pages, Today {sum(today.values())} items, monthly report {pages} pages"


def _wait_for_paint(app: Any, window: Any) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    from pm_desk.ui.startup_timing import FirstPaint

    loop = QEventLoop()
    painted: list[float] = []
    FirstPaint(window, lambda seconds: (painted.append(seconds), loop.quit()))
    QTimer.singleShot(int(PAINT_TIMEOUT_S * 1000), loop.quit)
    loop.exec()
    if not painted:
        raise SelfTestFailed(f"the main window did not paint within {PAINT_TIMEOUT_S:.0f} s")


def _monthly_report(db: Any, policy: Any, actor: Any, email: str, folder: Path) -> int:
    """The monthly report of the demo manager's current month, written and read back by QtPdf."""
    from PySide6.QtPdf import QPdfDocument

    from pm_desk.reports.generate import ReportRequest, generate_report, generated_by

    now = datetime.now(UTC)
    request = ReportRequest("monthly", month=date(now.year, now.month, 1), manager_email=email)
    output = generate_report(db, policy, request, generated_by(actor, db.clock(), "self-test"))
    if not output.pdf.startswith(b"%PDF"):
        raise SelfTestFailed("the monthly report is not a PDF")
    target = folder / output.filename
    target.write_bytes(output.pdf)
    document = QPdfDocument()
    error = document.load(str(target))
    if error != QPdfDocument.Error.None_ or document.pageCount() < 1:
        raise SelfTestFailed(f"QtPdf cannot read the monthly report ({error.name})")
    pages = document.pageCount()
    document.close()
    return pages
