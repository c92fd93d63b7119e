"""File → Restore from backup…: the backups with their dates, a question before anything is
done, then the backup put back and the database opened again for the same person; and the day's
backup made at the first start of the day."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pm_desk.commands.context import CommandContext
from pm_desk.services.access import Opened, sign_in
from pm_desk.services.backups import backups_of, daily_backup, make_backup
from pm_desk.store.database import Database, open_database
from pm_desk.ui.dialogs.restore import RestoreDialog, describe
from pm_desk.ui.session import restore_and_reopen
from support import TEST_PASSWORD

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def answer_boxes(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Answer the next message box with `button` (noting its text), as a person would."""

    def press() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(widget.text())
                widget.button(button).click()
                return
        QTimer.singleShot(20, press)

    QTimer.singleShot(20, press)


@pytest.fixture
def opened(small_db: Database, summary) -> Opened:
    path = small_db.path
    assert path is not None
    small_db.close()
    return sign_in(
        path,
        summary.default_user_email,
        TEST_PASSWORD,
        lambda key, create: open_database(str(path), key=key, create=create, backup_dir=path.parent / "b"),
        NOW,
    )


def test_the_dialog_lists_backups_and_asks_before_restoring(qtbot, opened: Opened) -> None:
    made = make_backup(opened.db)
    assert daily_backup(opened.db, NOW.date()) is not None
    assert daily_backup(opened.db, NOW.date()) is None  # one a day
    backups = backups_of(opened.db)
    assert len(backups) == 2
    dialog = RestoreDialog(backups, None)
    qtbot.addWidget(dialog)
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any(label.endswith("— daily") for label in labels)
    assert any(label.endswith("— made on request") for label in labels)
    dialog.list.setCurrentRow(next(i for i, b in enumerate(backups) if b.path == made))
    seen: list[str] = []
    answer_boxes(QMessageBox.StandardButton.Cancel, seen)
    qtbot.mouseClick(dialog.restore, Qt.MouseButton.LeftButton)
    assert dialog.chosen is None and not dialog.result()  # asked, and nothing done
    assert seen and made.name in seen[0]
    answer_boxes(QMessageBox.StandardButton.Yes, seen)
    qtbot.mouseClick(dialog.restore, Qt.MouseButton.LeftButton)
    assert dialog.chosen == made
    opened.db.close()


def test_a_restore_reopens_the_database_for_the_same_person(
    qtbot, opened: Opened, tmp_path: Path, monkeypatch
) -> None:
    made = make_backup(opened.db)
    opened.db.close()
    args = type("Args", (), {"db": str(opened.path)})()
    context = CommandContext.from_args(args)  # type: ignore[arg-type]
    context.paths = dataclasses.replace(context.paths, backup_dir=opened.path.parent / "b")
    seen: list[str] = []
    answer_boxes(QMessageBox.StandardButton.Ok, seen)
    again = restore_and_reopen(context, opened, made)
    try:
        assert again.actor == opened.actor and again.db.path == opened.path
        assert seen and seen[0].startswith(f"{made.name} was put back.")
        kinds = [describe(b) for b in backups_of(again.db)]
        assert any("before a restore" in k for k in kinds)
    finally:
        again.db.close()
