"""The menu bar of the main window, with a shortcut for everything a person does often."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from pm_desk.handling import open_private
from pm_desk.services.compliance_export import compliance_rows, write_compliance
from pm_desk.ui.dialogs.import_dialog import open_export_dialog, open_import_dialog
from pm_desk.ui.dialogs.reminder_form import export_reminders_calendar

if TYPE_CHECKING:
    from pm_desk.ui.main_window import MainWindow

SHORTCUTS_HELP = """<table>
<tr><td><b>Ctrl+1 … Ctrl+8</b></td><td>go to a page (Today, Agreements, Officers, …)</td></tr>
<tr><td><b>Ctrl+F</b></td><td>filter the list</td></tr>
<tr><td><b>Ctrl+N</b></td><td>new record on this page</td></tr>
<tr><td><b>Enter / F2</b></td><td>edit the selected record</td></tr>
<tr><td><b>Ctrl+Z / Ctrl+Shift+Z</b></td><td>undo / redo</td></tr>
<tr><td><b>F5</b></td><td>refresh</td></tr>
<tr><td><b>Ctrl+E / Ctrl+Shift+E</b></td><td>export the list to CSV / Excel</td></tr>
</table>"""


def build_menus(window: MainWindow) -> None:
    ctx = window.ctx
    bar = window.menuBar()

    def action(menu: object, text: str, slot: object, shortcut: object = None, name: str = "") -> QAction:
        act = QAction(text, window)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        act.setObjectName(name or text.rstrip("…").lower().replace(" ", "_"))
        menu.addAction(act)  # type: ignore[attr-defined]
        return act

    file_menu = bar.addMenu("&File")
    action(
        file_menu,
        "&New record…",
        lambda: window.current_page().new_record(),
        QKeySequence.StandardKey.New,
        "new",
    )
    action(file_menu, "New &agency…", lambda: window.page_for("agreements").new_agency(), None, "new_agency")
    file_menu.addSeparator()
    action(
        file_menu, "&Export view to CSV…", lambda: window.current_page().export("csv"), "Ctrl+E", "export_csv"
    )
    action(
        file_menu,
        "Export view to E&xcel…",
        lambda: window.current_page().export("xlsx"),
        "Ctrl+Shift+E",
        "export_xlsx",
    )
    action(
        file_menu,
        "Export reminders to &calendar…",
        lambda: export_reminders_calendar(window.ctx, window),
        None,
        "export_reminders_ics",
    )
    file_menu.addSeparator()
    action(file_menu, "&Import tables…", lambda: open_import_dialog(window), "Ctrl+I", "import_tables")
    action(file_menu, "Export &tables…", lambda: open_export_dialog(window), None, "export_tables")
    file_menu.addSeparator()
    if ctx.access is not None:
        add_access_actions(window, file_menu, action)
        file_menu.addSeparator()
    action(file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit, "quit")

    edit_menu = bar.addMenu("&Edit")
    undo = ctx.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = ctx.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcut(QKeySequence("Ctrl+Shift+Z"))
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    edit_menu.addSeparator()
    action(edit_menu, "&Edit selected…", lambda: window.current_page().edit_current(), "F2", "edit")
    action(
        edit_menu,
        "&Find in list",
        lambda: window.current_page().focus_filter(),
        QKeySequence.StandardKey.Find,
        "find",
    )

    view_menu = bar.addMenu("&View")
    action(
        view_menu,
        "&Refresh",
        lambda: window.current_page().refresh(),
        QKeySequence.StandardKey.Refresh,
        "refresh",
    )

    go_menu = bar.addMenu("&Go")
    for number, name in enumerate(window.pages, start=1):
        action(
            go_menu,
            window.pages.title(name),
            lambda _checked=False, n=name: window.show_page(n),
            f"Ctrl+{number}" if number < 10 else None,
            f"go_{name}",
        )

    reports_menu = bar.addMenu("&Reports")
    action(
        reports_menu,
        "Export &compliance results…",
        lambda: export_compliance(window),
        None,
        "export_compliance",
    )
    reports_menu.addSeparator()
    for kind, text in (
        ("monthly", "&Monthly compliance report…"),
        ("program", "&Program report…"),
        ("staffing", "&Staffing analysis…"),
        ("oncall", "&On-call rota…"),
        ("agreement", "&Agreement packet…"),
    ):
        action(
            reports_menu,
            text,
            lambda _checked=False, k=kind: window.show_page("reports").choose(k),
            None,
            f"report_{kind}",
        )

    help_menu = bar.addMenu("&Help")
    action(
        help_menu,
        "&Keyboard shortcuts",
        lambda: QMessageBox.information(window, "Keyboard shortcuts", SHORTCUTS_HELP),
        None,
        "shortcuts",
    )
    action(
        help_menu,
        "&About PM Desk",
        lambda: QMessageBox.about(window, "About PM Desk", window.about_text()),
        None,
        "about",
    )


def add_access_actions(window: MainWindow, menu: Any, action: Any) -> None:
    """Lock, sign out, change one's password; for an administrator, one-time codes."""
    from pm_desk.domain.enums import Role
    from pm_desk.ui.dialogs.access_admin import IssueCodeDialog
    from pm_desk.ui.dialogs.sign_in import NewPasswordDialog

    ctx = window.ctx
    opened = ctx.access
    assert opened is not None
    action(menu, "&Lock", lambda: window.idle_lock.lock() if window.idle_lock else None, "Ctrl+L", "lock")
    action(menu, "Sign &out / switch user", window.sign_out, None, "sign_out")
    if ctx.db.path is not None and ctx.actor.role is not Role.STAFF:  # see services.backups.RESTORERS
        action(menu, "&Restore from backup…", window.ask_restore, None, "restore")
    action(
        menu,
        "Change &password…",
        lambda: NewPasswordDialog(opened, ctx.now, "Choose your new password.", window).exec(),
        None,
        "change_password",
    )
    if ctx.actor.role is Role.ADMIN:
        action(
            menu,
            "Issue one-time &code…",
            lambda: IssueCodeDialog(opened, ctx.now, window).exec(),
            None,
            "issue_code",
        )


def export_compliance(window: MainWindow, path: str | None = None) -> Path | None:
    """Every result that is not ok in the person's scope (as `pm-desk compliance --as-user` gives
    it), to CSV or JSON."""
    ctx = window.ctx
    if path is None:
        start = Path(ctx.settings.last_export_dir or Path.home()) / "compliance.csv"
        path, _ = QFileDialog.getSaveFileName(
            window, "Export compliance results", str(start), "CSV files (*.csv);;JSON files (*.json)"
        )
        if not path:
            return None
    target = Path(path)
    rows = ctx.read(compliance_rows, ctx.policy, ctx.now(), actor=ctx.actor)
    with open_private(target, "w", encoding="utf-8", newline="") as out:
        write_compliance(rows, out, "json" if target.suffix.lower() == ".json" else "csv")
    ctx.settings.last_export_dir = str(target.parent)
    return target
