"""File → Restore from backup…: the database's backups with their dates (or another file), and
what restoring one does, asked before it is done. The restore itself runs when the window has
closed the database (`ui.app`)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pm_desk.store.backup import Backup

KINDS = {
    "daily": "daily",
    "manual": "made on request",
    "before-restore": "before a restore",
    "damaged": "a damaged database, kept as it was",
}
_NAME = re.compile(r"-\d{8}-\d{6}-\d{6}-(?P<kind>[a-z0-9-]+)$")


def describe(backup: Backup) -> str:
    """`Thu 3 Dec 2026 08:14 — daily` (local time)."""
    found = _NAME.search(backup.path.stem)
    kind = found.group("kind") if found else ""
    if kind.startswith("before-upgrade-from-"):
        label = f"before the upgrade from schema {kind.removeprefix('before-upgrade-from-')}"
    else:
        label = KINDS.get(kind, kind or "a backup")
    return f"{backup.written_at.astimezone():%a %-d %b %Y %H:%M} — {label}"


class RestoreDialog(QDialog):
    """Choose the backup to put back; `chosen` is its path once accepted."""

    def __init__(self, backups: list[Backup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.setObjectName("restoreDialog")
        self.chosen: Path | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Put a backup back in place of the database. The database as it is now is kept as a "
            "backup first; what was entered after the chosen backup is only in that copy."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("backups")
        for backup in backups:
            item = QListWidgetItem(describe(backup))
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            item.setToolTip(str(backup.path))
            self.list.addItem(item)
        if not backups:
            self.list.addItem(QListWidgetItem("No backups yet"))
            self.list.setEnabled(False)
        else:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        other = QPushButton("Other file…")
        other.setObjectName("otherFile")
        other.clicked.connect(self._other_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore = buttons.addButton("Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore.setEnabled(bool(backups))
        buttons.addButton(other, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 380)

    def _other_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore from a backup file", "", "Backups (*.sqlite3)")
        if path:
            self.chosen = Path(path)
            self.accept()

    def accept(self) -> None:
        if self.chosen is None:
            item = self.list.currentItem()
            value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
            if not value:
                return
            self.chosen = Path(value)
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace the database with {self.chosen.name}?\n\nPM Desk closes the database, checks "
            "the backup (it must open with this database's key and its audit trail must verify), "
            "keeps the current database as a backup, then opens the restored one.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.chosen = None
            return
        super().accept()
