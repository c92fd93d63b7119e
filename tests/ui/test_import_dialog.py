"""File ▸ Import tables… and File ▸ Export tables… on the `small` demo: a preview first, then the
import, both off the GUI thread; problems are listed and block the import."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtGui import QAction

from pm_desk.services.imports import export_interchange
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
