"""File ▸ Import tables… and File ▸ Export tables… on the `small` demo: a preview first, then the
import, both off the GUI thread; problems are listed and block the import."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from contexts import make_context
from driving import with_dialog
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMessageBox

from pm_desk.services.imports import export_interchange
from pm_desk.store.database import Database
from pm_desk.ui.app import open_main_window
from pm_desk.ui.context import AppContext
from pm_desk.ui.dialogs.import_dialog import ExportDialog, ImportDialog


def _wait(qtbot, dialog: ImportDialog | ExportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)


def _export(ctx: AppContext, folder: Path) -> Path:
    export_interchange(ctx.db.uow(), ctx.actor, folder)
    return folder


def _change_first_officer(folder: Path, **changes: str) -> str:
    path = folder / "officers.csv"
    with path.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    rows[0].update(changes)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows[0]["badge"]


def test_the_preview_of_an_unchanged_export_offers_nothing_to_import(
    qtbot, supervisor_ctx: AppContext, tmp_path: Path
) -> None:
    folder = _export(supervisor_ctx, tmp_path / "tables")
    dialog = ImportDialog(supervisor_ctx)
    qtbot.addWidget(dialog)
    dialog.preview(folder)
    _wait(qtbot, dialog)
    assert dialog.report is not None and dialog.report.ok
    assert dialog.counts.rowCount() == 10
    tables = [dialog.counts.item(r, 0).text() for r in range(dialog.counts.rowCount())]
    assert tables[0] == "users" and "transfers" in tables
    assert tables[-2:] == ["oncall_shifts", "leave"]  # his office's rota and leave come back unchanged
    assert not dialog.import_button.isEnabled()
    assert "nothing to import" in dialog.status.text()


def test_a_changed_row_is_previewed_then_imported(qtbot, supervisor_ctx: AppContext, tmp_path: Path) -> None:
    folder = _export(supervisor_ctx, tmp_path / "tables")
    _change_first_officer(folder, rank="Lieutenant Colonel")
    changed: list[str] = []
    supervisor_ctx.events.changed.connect(lambda kind, _id: changed.append(kind))
    dialog = ImportDialog(supervisor_ctx)
    qtbot.addWidget(dialog)
    dialog.preview(folder)
    _wait(qtbot, dialog)
    officers = next(
        r for r in range(dialog.counts.rowCount()) if dialog.counts.item(r, 0).text() == "officers"
    )
    assert dialog.counts.item(officers, 2).text() == "1"
    assert dialog.import_button.isEnabled() and "dry run" in dialog.status.text().lower()
    dialog.import_button.click()
    _wait(qtbot, dialog)
    assert dialog.report is not None and dialog.report.applied
    assert changed == ["import"]
    assert dialog.status.text().startswith("✓ Imported")
    dialog.preview(folder)
    _wait(qtbot, dialog)
    assert not dialog.import_button.isEnabled()


def test_problems_are_listed_and_block_the_import(qtbot, supervisor_ctx: AppContext, tmp_path: Path) -> None:
    folder = _export(supervisor_ctx, tmp_path / "tables")
    _change_first_officer(folder, authority_status="deputized", nominated="31/12/2025")
    dialog = ImportDialog(supervisor_ctx)
    qtbot.addWidget(dialog)
    dialog.preview(folder)
    _wait(qtbot, dialog)
    lines = dialog.details.toPlainText().splitlines()
    assert lines[0] == "officers.csv:2: nominated: '31/12/2025' is not a date like 2026-10-31"
    assert lines[1].startswith("officers.csv:2: authority_status: 'deputized' is not one of:")
    assert dialog.status.text().startswith("✖ Import refused: 2 problems in 1 file")
    assert not dialog.import_button.isEnabled()


def test_a_manager_sees_the_rows_he_may_not_import(qtbot, manager_ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    (folder).mkdir()
    (folder / "users.csv").write_text("email,name,role,field_office,capacity\nnew@ice.gov,New One,staff,,\n")
    dialog = ImportDialog(manager_ctx)
    qtbot.addWidget(dialog)
    dialog.preview(folder)
    _wait(qtbot, dialog)
    assert "cannot import users (an administrator does)" in dialog.details.toPlainText()
    assert not dialog.import_button.isEnabled()


def test_export_writes_a_workbook_and_a_folder(qtbot, manager_ctx: AppContext, tmp_path: Path) -> None:
    dialog = ExportDialog(manager_ctx)
    qtbot.addWidget(dialog)
    dialog.export(tmp_path / "mine.xlsx")
    _wait(qtbot, dialog)
    assert (tmp_path / "mine.xlsx").exists()
    assert dialog.status.text().startswith("✓ Exported")
    dialog.export(tmp_path / "folder")
    _wait(qtbot, dialog)
    assert sorted(p.name for p in (tmp_path / "folder").iterdir())[:2] == ["HANDLING.txt", "agencies.csv"]


def test_the_file_menu_opens_both_dialogs(qtbot, manager_ctx: AppContext) -> None:
    window = open_main_window(manager_ctx)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    names = [a.objectName() for a in file_menu.actions()]
    assert names.index("import_tables") < names.index("export_tables") < names.index("quit")
    window.findChild(QAction, "import_tables").trigger()
    opened = [d for d in window.findChildren(ImportDialog) if d.isVisible()]
    assert len(opened) == 1
    opened[0].reject()
    window.findChild(QAction, "export_tables").trigger()
    assert [d for d in window.findChildren(ExportDialog) if d.isVisible()]


def _a_number_column(folder: Path) -> list[str]:
    with (folder / "transfers.csv").open(encoding="utf-8", newline="") as source:
        return [row["a_number"] for row in csv.DictReader(source) if row["a_number"]]


def test_full_a_numbers_are_written_only_after_a_confirmation(
    qtbot, manager_ctx: AppContext, tmp_path: Path
) -> None:
    dialog = ExportDialog(manager_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.full_a_numbers.isEnabled() and not dialog.full_a_numbers.isChecked()
    dialog.full_a_numbers.setChecked(True)
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Callable[[QDialog], None]:
        def handle(box: QDialog) -> None:
            assert isinstance(box, QMessageBox)
            asked.append(f"{box.text()} {box.informativeText()}")
            box.done(button)

        return handle

    with_dialog(lambda: dialog.export(tmp_path / "declined"), answer(QMessageBox.StandardButton.Cancel))
    assert "in full" in asked[0] and "subject data" in asked[0]
    assert manager_ctx.policy.reports.handling_banner in asked[0]
    assert dialog.status.text() == "Export cancelled: nothing was written."
    assert not (tmp_path / "declined").exists()

    with_dialog(lambda: dialog.export(tmp_path / "full"), answer(QMessageBox.StandardButton.Yes))
    _wait(qtbot, dialog)
    assert dialog.status.text().startswith("✓ Exported")
    full = _a_number_column(tmp_path / "full")
    assert full and all(n[1:].isdigit() for n in full)
    assert "written in full" in (tmp_path / "full" / "HANDLING.txt").read_text(encoding="utf-8")

    dialog.full_a_numbers.setChecked(False)
    dialog.export(tmp_path / "masked")  # no question: nothing is written in full
    _wait(qtbot, dialog)
    masked = _a_number_column(tmp_path / "masked")
    assert len(masked) == len(full) and all(m.startswith("A•••••") for m in masked)
    assert {m[-4:] for m in masked} == {n[-4:] for n in full}
    assert len(asked) == 2
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in (tmp_path / "masked").iterdir()}
    assert set(modes.values()) == {"0o600"}, modes


def test_an_administrator_cannot_ask_for_full_a_numbers(
    qtbot, small_db: Database, summary, tmp_path: Path
) -> None:
    ctx = make_context(small_db, summary.admin_email, tmp_path)
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    assert not dialog.full_a_numbers.isEnabled()
    assert "managers and supervisors" in dialog.full_a_numbers.toolTip()
    dialog.export(tmp_path / "tables")
    _wait(qtbot, dialog)
    assert all(m.startswith("A•••••") for m in _a_number_column(tmp_path / "tables"))
