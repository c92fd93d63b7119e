"""One measured run in a fresh process, driving the app's real widgets (offscreen) or its report code.

    python -m benchmarks.drive transfers --db FILE --user STAFF_EMAIL --terms T1 T2 ...
    python -m benchmarks.drive today --db FILE --user MANAGER_EMAIL
    python -m benchmarks.drive report monthly|program --db FILE --month YYYY-MM [--user MANAGER_EMAIL]

Prints one JSON object on its last line. The parent (`python -m benchmarks`) starts one process
per run, so every run opens the page or builds the report for the first time in its process,
as a person does after starting the app.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.measure import RssSampler, p95, peak_rss_mb, rss_mb

TIMEOUT_S = 120.0
KEY_INTERVAL_S = 0.3  # 40 words a minute, five letters and a space each


# -- Qt helpers -------------------------------------------------------------------------------------
def wait_until(condition: Callable[[], bool], timeout: float = TIMEOUT_S, what: str = "") -> None:
    """Run the event loop until `condition()` holds (checked every millisecond)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    loop = QEventLoop()
    poll = QTimer(interval=1)
    deadline = time.perf_counter() + timeout
    expired = False

    def check() -> None:
        nonlocal expired
        if condition():
            loop.quit()
        elif time.perf_counter() > deadline:
            expired = True
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if expired:
        raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what or 'the app'}")


def paint_clock(widget: Any) -> list[float]:
    """A list that gets the instant each paint of `widget` has been handled (a zero timer fires
    right after the paint event's delivery). The filter lives as long as the widget."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    painted: list[float] = []

    class Watch(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, lambda: painted.append(time.perf_counter()))
            return False

    widget.installEventFilter(Watch(widget))
    return painted


def database_key(db_path: str, email: str | None) -> bytes | None:
    """The key of an encrypted set (None for a plain one), unwrapped from `email`'s slot with the
    password in the file PM_DESK_PASSWORD_FILE names; before any timed window."""
    from benchmarks.encrypted import slot_key
    from pm_desk.commands.secret_input import PASSWORD_FILE, read_secret_file
    from pm_desk.store.cipher import file_state

    if file_state(Path(db_path)) != "encrypted":
        return None
    if not email:
        raise RuntimeError(f"{db_path} is encrypted: name a user (--user) whose slot opens it")
    password = read_secret_file(Path(os.environ[PASSWORD_FILE]))
    return slot_key(Path(db_path), email, password)


def open_app(db_path: str, email: str) -> tuple[Any, Any]:
    """The app as `run_app` builds it, acting as `email`, with fresh settings in a temp folder."""
    from pm_desk.domain.policy import load_policy
    from pm_desk.paths import resolve_paths
    from pm_desk.services.actor import actor_for_email
    from pm_desk.settings import Settings
    from pm_desk.store.database import open_database
    from pm_desk.ui.app import build_context, make_application, refresh_derived

    app = make_application()
    home = tempfile.mkdtemp(prefix="pm-desk-bench-")
    paths = resolve_paths(db=db_path, environ={"PM_DESK_HOME": home}).ensure()
    policy = load_policy(paths.policy_file)
    key = database_key(db_path, email)
    db = open_database(paths.database, backup_dir=paths.backup_dir, create=False, policy=policy, key=key)
    refresh_derived(db, policy)
    with db.uow() as uow:
        actor = actor_for_email(uow, email)
    return app, build_context(db, policy, actor, paths, Settings(paths.settings_file))


def _same_question(before: Any, after: Any) -> bool:
    """Whether two list queries ask the same (the instant they were made at aside)."""
    from dataclasses import replace

    return bool(replace(before, as_of=None) == replace(after, as_of=None)) and not after.quick


# -- figures ----------------------------------------------------------------------------------------
def drive_transfers(db_path: str, email: str, terms: list[str]) -> dict[str, Any]:
    """Open the Transfers page (first rows painted), type filter terms one key at a time (each
    key until its rows are painted), and report the process's peak memory with the page open."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from pm_desk.ui.app import open_main_window

    _app, ctx = open_app(db_path, email)
    window = open_main_window(ctx)
    window_paints = paint_clock(window)
    wait_until(lambda: bool(window_paints), what="the main window's first paint")
    page = window.pages["transfers"]
    panel = page.list
    model = panel.model
    view_paints = paint_clock(panel.view.viewport())
    counted: list[float] = []
    model.count_changed.connect(lambda _n: counted.append(time.perf_counter()))

    def shown_after(start: float) -> Callable[[], bool]:
        return lambda: (
            any(t > start for t in counted)
            and not model_busy[0]
            and any(t > max(c for c in counted if c > start) for t in view_paints)
        )

    model_busy = [False]
    model.loading.connect(lambda busy: model_busy.__setitem__(0, bool(busy)))

    started = time.perf_counter()
    window.show_page("transfers")
    wait_until(shown_after(started), what="the first rows of Transfers")
    first_paint = min(t for t in view_paints if t > max(counted))
    open_seconds = first_paint - started
    rows = model.rowCount()

    # When the list runs each query (it may wait for a pause in typing first).
    queried: list[float] = []
    apply_query = panel.apply_query

    def recorded_query() -> None:
        queried.append(time.perf_counter())
        apply_query()

    panel.apply_query = recorded_query

    typed: list[float] = []
    worked: list[float] = []
    counts: list[int] = []
    panel.filter_edit.setFocus()
    last_key = [0.0]

    def measure_key(send: Callable[[], None]) -> None:
        # A person typing at 40 words a minute: a key every 0.3 s, or when the rows are there.
        pause = last_key[0] + KEY_INTERVAL_S - time.perf_counter()
        if pause > 0:
            wait_until(lambda: time.perf_counter() >= last_key[0] + KEY_INTERVAL_S)
        key_at = last_key[0] = time.perf_counter()
        asked = model.query
        send()
        # A key that leaves the question as it was (the first two letters of a list that filters
        # from the third) asks the database nothing: its rows are the ones already shown.
        wait_until(lambda: any(q > key_at for q in queried) or time.perf_counter() > key_at + 1.0)
        if _same_question(asked, model.query):
            typed.append(time.perf_counter() - key_at)
            counts.append(model.rowCount())
            return
        wait_until(shown_after(key_at), what="the filtered rows")
        answered = max(c for c in counted if c > key_at)
        shown = min(t for t in view_paints if t > answered)
        typed.append(shown - key_at)
        query_at = [q for q in queried if q > key_at]
        if query_at:
            worked.append(shown - query_at[0])
        counts.append(model.rowCount())

    for term in terms:
        for char in term:
            measure_key(lambda c=char: QTest.keyClick(panel.filter_edit, c))
        # Clear the filter in one keystroke (select all, delete) back to the million rows.
        QTest.keyClick(panel.filter_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        measure_key(lambda: QTest.keyClick(panel.filter_edit, Qt.Key.Key_Delete))
    # Scroll through some pages as a person would, then read the peak memory.
    view = panel.view
    for _ in range(20):
        view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 2_000)
        wait_until(lambda: True)
    view.scrollToBottom()
    wait_until(lambda: bool(view_paints))
    window.close()
    ctx.db.close()
    return {
        "transfers_open_s": open_seconds,
        "rows": rows,
        "filter_keys": len(typed),
        "filter_typed_p95_s": p95(typed) if typed else None,  # no terms: the page opened only
        "filter_query_p95_s": p95(worked) if worked else None,
        "filter_typed_s": typed,
        "filter_query_s": worked,
        "filter_counts": counts,
        "peak_rss_mb": peak_rss_mb(),
    }


def drive_today(db_path: str, email: str) -> dict[str, Any]:
    """Today for one manager: from asking the page to load to its list painted."""
    from PySide6.QtWidgets import QMainWindow

    from pm_desk.ui.pages.today import TodayPage

    _app, ctx = open_app(db_path, email)
    window = QMainWindow()
    page = TodayPage(ctx, window)
    window.setCentralWidget(page)
    window.resize(1200, 800)
    window.show()
    window_paints = paint_clock(window)
    wait_until(lambda: bool(window_paints), what="the empty window's paint")
    view_paints = paint_clock(page.view.viewport())
    started = time.perf_counter()
    page.activate()
    wait_until(lambda: any(t > started for t in view_paints), what="Today's rows")
    shown = min(t for t in view_paints if t > started)
    counts = page.counts()
    window.close()
    ctx.db.close()
    return {"today_s": shown - started, "items": sum(counts.values()), "groups": counts}


def drive_report(db_path: str, kind: str, month: date, email: str | None) -> dict[str, Any]:
    """One report through the reports code (as `pm-desk report` calls it), memory sampled."""
    from pm_desk.domain.policy import load_policy
    from pm_desk.reports.generate import ReportRequest, generate_report, generated_by
    from pm_desk.store.database import open_database

    policy = load_policy(Path(tempfile.mkdtemp(prefix="pm-desk-bench-")) / "policy.toml")
    db = open_database(db_path, create=False, policy=policy, key=database_key(db_path, email))
    request = ReportRequest(kind, month=month, manager_email=email)
    before = rss_mb()
    with RssSampler() as sampler:
        started = time.perf_counter()
        output = generate_report(db, policy, request, generated_by(None, db.clock(), "benchmarks"))
        seconds = time.perf_counter() - started
    db.close()
    return {
        "seconds": seconds,
        "pdf_bytes": len(output.pdf),
        "rss_before_mb": before,
        "rss_peak_mb": sampler.peak,
        "rss_growth_mb": sampler.peak - before,
        "rss_samples": len(sampler.samples),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.drive")
    parser.add_argument("figure", choices=("transfers", "today", "report"))
    parser.add_argument("kind", nargs="?", choices=("monthly", "program"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--user")
    parser.add_argument("--terms", nargs="*", default=[])
    parser.add_argument("--month", type=lambda s: date.fromisoformat(f"{s}-01"))
    args = parser.parse_args(argv)
    if args.figure == "transfers":
        result = drive_transfers(args.db, args.user, args.terms)
    elif args.figure == "today":
        result = drive_today(args.db, args.user)
    else:
        result = drive_report(args.db, args.kind, args.month, args.user)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    # Leave without the interpreter's teardown: PySide6 can crash while collecting Qt objects at
    # exit after the result is out, which would only turn a good run into a failed one.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
