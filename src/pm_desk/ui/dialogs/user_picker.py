"""Choosing who you are, until sign-in exists: the acting user every change is recorded under."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from pm_desk.domain.enums import label


def pick_user(users: list[tuple[str, str, str]]) -> str | None:
    dialog = QDialog()
    dialog.setWindowTitle("PM Desk — who are you?")
    intro = QLabel("Choose your name. Every change you make is recorded under it.")
    intro.setWordWrap(True)
    choices = QListWidget()
    choices.setAccessibleName("Users")
    for email, name, role in users:
        item = QListWidgetItem(f"{name} — {label(role)} ({email})")
        item.setData(256, email)
        choices.addItem(item)
    choices.setCurrentRow(0)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    choices.itemDoubleClicked.connect(lambda _i: dialog.accept())
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addWidget(choices)
    layout.addWidget(buttons)
    dialog.resize(520, 420)
    if dialog.exec() != QDialog.DialogCode.Accepted or choices.currentItem() is None:
        return None
    return choices.currentItem().data(256)
