"""One run of the GUI-thread figures, in a fresh process: the longest block of the GUI thread while
opening each page of the main window and while saving each editor, driven offscreen.

    python -m benchmarks.gui_blocks --db FILE --user EMAIL [--saves]

The main window is built as `run_app` builds it, acting as EMAIL, with fresh settings (it starts on
Today). Each page is opened once, by a click on its rail entry, Today last (it is the start page);
then Today's Refresh is pressed; then, with --saves, each editor is opened on a record of the
user's caseload with its current values and its Save button clicked. A `BlockProbe` ticks on the
GUI thread all along. Prints one JSON object on its last line; a figure that fails is an entry
with "error", and the others still come out.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.drive import open_app, paint_clock, wait_until
from benchmarks.probe import BlockProbe

SETTLE_S = 0.3  # between two figures: what one started is over before the next begins
AFTER_SAVE_S = 0.25  # a save's window runs this long after the editor has returned
DIALOG_SHOWN_S = 0.1  # a person looks at the filled form before pressing Save
PERIODIC_MS = 10_000  # timers at least this slow are periodic work (recomputes), noted when they fire

# The editors that save a record: (figure, page it is on).
EDITORS = (
    ("agreement", "agreements"),
    ("officer", "officers"),
    ("equipment_order", "equipment"),
    ("transfer", "transfers"),
    ("inspection", "inspections"),
    ("finding", "inspections"),
    ("complaint", "complaints"),
    ("reminder", "reminders"),
)


def pause(seconds: float) -> None:
    until = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= until)


def later(action: Callable[[], None]) -> None:
    """Run `action` from the event loop, as a person's click is: its work is an event's work."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, action)


def content_widget(page: Any) -> Any:
    """The widget that shows a page's rows or content: its list's table, tree, calendar, preview."""
    from PySide6.QtWidgets import QAbstractScrollArea

    panel = getattr(page, "list", None)
    if panel is not None and isinstance(getattr(panel, "view", None), QAbstractScrollArea):
        return panel.view.viewport()
    for name in ("view", "table", "calendar"):
        widget = getattr(page, name, None)
        if isinstance(widget, QAbstractScrollArea):
            return widget.viewport()
    return page


def rows_shown(page: Any) -> int | None:
    for owner in (getattr(page, "list", None), page):
        model = getattr(owner, "model", None)
        if model is not None and hasattr(model, "rowCount"):
            return int(model.rowCount())
    table = getattr(page, "table", None)
    return int(table.rowCount()) if table is not None and hasattr(table, "rowCount") else None


class Run:
    """The main window, the probe, and what was measured so far."""

    def __init__(self, db_path: str, email: str) -> None:
        from pm_desk.ui.app import open_main_window

        _app, self.ctx = open_app(db_path, email)
        self.probe = BlockProbe()
        self.probe.start()
        self.window = open_main_window(self.ctx)
        self.periodic: list[tuple[float, str]] = []
        self._watched: set[int] = set()
        reminders = self.window.pages["reminders"]  # built with the window; it reads 300 ms later
        read: list[float] = []
        reminders.items_loaded.connect(lambda: read.append(time.perf_counter()))
        painted = paint_clock(self.window)
        wait_until(lambda: bool(painted) and bool(read), what="the main window and its first reminders read")
        self.watch_periodic_timers()
        pause(SETTLE_S)

    def watch_periodic_timers(self) -> None:
        """Note when a slow timer (Today's recompute, the reminders' reload) fires: a window it
        fires in holds its work too, and says so."""
        from PySide6.QtCore import QTimer

        for timer in self.window.findChildren(QTimer):
            if timer.interval() >= PERIODIC_MS and id(timer) not in self._watched:
                self._watched.add(id(timer))
                owner = type(timer.parent()).__name__ if timer.parent() is not None else "?"
                timer.timeout.connect(lambda o=owner: self.periodic.append((time.perf_counter(), o)))

    def block_ms(self, start: float, end: float) -> dict[str, Any]:
        wait_until(lambda: self.probe.has_ticked_after(end), what="the probe's next tick")
        fired = sorted({who for at, who in self.periodic if start <= at <= end})
        result: dict[str, Any] = {"ms": round(self.probe.longest_block(start, end) * 1000, 1)}
        if fired:
            result["periodic_timers_fired"] = fired
        return result

    # -- opening a page ------------------------------------------------------------------------------
    def open_page(self, name: str) -> dict[str, Any]:
        """From the click on the page's rail entry to the first paint of its content once it has
        loaded: for a list that finishes loading in the background, once that work has arrived
        (as `transfers_open_s` counts it); for a page that reads on the database worker (Today,
        Team, On-call, the detail panel), once every such read has arrived and been shown."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        window = self.window
        rail = window.rail
        names = list(window.pages)  # the names only: no page is built by listing them
        row = names.index(name)
        marks: dict[str, float] = {}
        watch: list[list[float]] = []  # the paints of the page's content, once it is built
        busy = [False]
        counted: list[float] = []
        ops = window.ctx.ops
        idle: list[float] = []
        on_idle = lambda: idle.append(time.perf_counter())  # noqa: E731

        def built(index: int) -> None:
            # The click is building the page: hear its list's background loads and counts.
            model = getattr(getattr(window.stack.widget(index), "list", None), "model", None)
            if hasattr(model, "loading") and hasattr(model, "count_changed"):
                model.loading.connect(lambda on: busy.__setitem__(0, bool(on)))
                model.count_changed.connect(lambda _n: counted.append(time.perf_counter()))

        def loaded(current: int) -> None:
            # Connected after the window's own slot: the page is built, shown and loaded by now.
            if current == row:
                marks["loaded"] = time.perf_counter()
                watch.append(paint_clock(content_widget(window.pages[name])))

        def click() -> None:
            center = rail.visualItemRect(rail.item(row)).center()
            marks["start"] = time.perf_counter()
            left, plain = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
            QTest.mouseClick(rail.viewport(), left, plain, center)

        def shown() -> float | None:
            if not watch or busy[0] or ops.busy:
                return None
            after = max([marks["loaded"], *counted, *idle])
            return next((t for t in watch[0] if t > after), None)

        window.stack.widgetAdded.connect(built)
        rail.currentRowChanged.connect(loaded)
        ops.idle.connect(on_idle)
        try:
            later(click)
            wait_until(lambda: shown() is not None, what=f"the {name} page's content")
        finally:
            ops.idle.disconnect(on_idle)
            rail.currentRowChanged.disconnect(loaded)
            window.stack.widgetAdded.disconnect(built)
        end = shown()
        assert end is not None
        result = self.block_ms(marks["start"], end)
        result["load_ms"] = round((marks["loaded"] - marks["start"]) * 1000, 1)
        result["shown_ms"] = round((end - marks["start"]) * 1000, 1)
        rows = rows_shown(window.pages[name])
        if rows is not None:
            result["rows"] = rows
        self.watch_periodic_timers()
        return result

    def refresh_today(self) -> dict[str, Any]:
        """From the click on Today's Refresh to the first paint of its list after its model reset."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QPushButton

        page = self.window.show_page("today")
        pause(SETTLE_S)
        button = next(b for b in page.findChildren(QPushButton) if b.accessibleName() == "Refresh Today")
        model = page.model
        marks: dict[str, float] = {}
        resets: list[float] = []
        paints = paint_clock(content_widget(page))
        model.modelReset.connect(lambda: resets.append(time.perf_counter()))

        def click() -> None:
            marks["start"] = time.perf_counter()
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

        later(click)
        wait_until(lambda: bool(resets) and any(t > resets[-1] for t in paints), what="Today refreshed")
        end = min(t for t in paints if t > resets[-1])
        result = self.block_ms(marks["start"], end)
        result["rows"] = rows_shown(page)
        return result

    # -- saving a record -----------------------------------------------------------------------------
    def save(self, editor: str, page_name: str) -> dict[str, Any]:
        """From the click on the editor's Save (the form filled with the record's current values) to
        AFTER_SAVE_S after the editor returned and the database worker has nothing left to do: the
        record written, every page told, what they read again arrived and shown, the undo step
        pushed."""
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        from pm_desk.ui.dialogs.record_dialog import RecordDialog

        page = self.window.show_page(page_name)
        trigger, record = choose_record(editor, page)
        pause(SETTLE_S)
        marks: dict[str, Any] = {}

        def press_save(attempt: int = 0, painted: list[float] | None = None) -> None:
            try:
                find_and_press(attempt, painted)
            except Exception as exc:  # never leave the modal dialog open: the run would hang
                marks["error"] = f"{type(exc).__name__}: {exc}"
                modal = QApplication.activeModalWidget()
                if modal is not None:
                    modal.close()

        def find_and_press(attempt: int, painted: list[float] | None) -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, RecordDialog):
                if attempt < 500:
                    QTimer.singleShot(10, lambda: press_save(attempt + 1))
                elif dialog is not None:  # something else asks: answer no, and say so
                    marks["error"] = f"a {type(dialog).__name__} came instead of the editor"
                    dialog.close()
                return
            if painted is None:
                painted = paint_clock(dialog)
                marks["dialog_found"] = time.perf_counter()
            if not painted or time.perf_counter() - marks["dialog_found"] < DIALOG_SHOWN_S:
                QTimer.singleShot(10, lambda: press_save(attempt + 1, painted))
                return
            marks["start"] = time.perf_counter()
            QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
            if dialog.isVisible():  # refused: keep what it said, and never leave a modal dialog open
                shown = [f.error.text() for f in dialog.fields.values() if f.error.isVisible()]
                marks["refused"] = " ".join([dialog.banner.text(), *shown]).strip() or "not saved"
                dialog.reject()

        def edit() -> None:
            QTimer.singleShot(0, press_save)
            try:
                trigger()
            except Exception as exc:  # reported as this figure's error
                marks["error"] = f"{type(exc).__name__}: {exc}"
            marks["returned"] = time.perf_counter()

        later(edit)
        wait_until(lambda: "returned" in marks, what=f"the {editor} editor")
        if "error" in marks or "start" not in marks or "refused" in marks:
            raise RuntimeError(marks.get("error") or marks.get("refused") or "the editor showed no form")
        self.ctx.ops.wait()  # every refresh the save set off has arrived
        end = max(marks["returned"], time.perf_counter()) + AFTER_SAVE_S
        pause(end - time.perf_counter())
        result = self.block_ms(marks["start"], end)
        result["editor_returned_ms"] = round((marks["returned"] - marks["start"]) * 1000, 1)
        result["record"] = record
        return result

    def close(self) -> None:
        self.probe.stop()
        self.window.close()
        self.ctx.db.close()


def choose_record(editor: str, page: Any) -> tuple[Callable[[], None], str]:
    """The record to edit, selected in its list as a person's double-click would, and the call
    that opens its editor."""
    if editor == "reminder":
        item = next(i for i in page.items if not i.derived and i.is_open)
        page.view.setCurrentIndex(page.model.find(item.ref))
        return page.edit_current, item.ref
    panel = page.list
    if panel.model.rowCount() == 0:
        raise LookupError(f"the {page.name} list is empty for this user")
    if editor == "finding":
        for row in range(min(panel.model.rowCount(), 200)):
            panel.select_row(row)
            page.ctx.ops.wait()  # the detail panel is read on the database worker
            table = page.detail.section_table("Findings")
            if table is not None and table.rowCount() > 0:
                table.setCurrentCell(0, 0)
                finding_id = table.property("section_ids")[0]
                return (lambda f=finding_id: page.edit_finding(f)), finding_id
        raise LookupError("no inspection with a finding in the first 200 rows")
    panel.select_row(0)
    record_id = panel.current_id()
    return (lambda: page.edit_record(record_id)), record_id


def measured(what: str, measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A figure, or its error: one failure never loses the others."""
    from PySide6.QtWidgets import QApplication

    try:
        return measure()
    except Exception as exc:
        print(f"gui_blocks: {what} failed:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.close()
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}


def run(db_path: str, email: str, saves: bool) -> dict[str, Any]:
    started = time.perf_counter()
    session = Run(db_path, email)
    try:  # closed in any case: a database left open is checked for integrity at its next open
        names = list(session.window.pages)
        first = session.window.current_page().name
        opened: dict[str, Any] = {}
        for name in [n for n in names if n != first] + [first]:
            opened[name] = measured(f"opening {name}", lambda n=name: session.open_page(n))
            pause(SETTLE_S)
        out: dict[str, Any] = {"user": email, "start_page": first, "open": opened}
        out["refresh"] = {"today": measured("refreshing Today", session.refresh_today)}
        if saves:
            out["save"] = {
                editor: measured(f"saving {editor}", lambda e=editor, p=page: session.save(e, p))
                for editor, page in EDITORS
            }
        out["probe_interval_ms"] = session.probe.interval * 1000
        out["run_s"] = round(time.perf_counter() - started, 1)
    finally:
        session.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gui_blocks")
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--saves", action="store_true", help="also save each editor (writes the database)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.db, args.user, args.saves)), flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # as benchmarks.drive: no interpreter teardown once the result is out
