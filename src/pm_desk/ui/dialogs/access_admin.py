"""The administrator's part of sign-in: the first administrator of a database (with the recovery
key shown once), and one-time codes for people who have no password yet or lost theirs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain.enums import label
from pm_desk.domain.passwords import MIN_LENGTH
from pm_desk.services import reads
from pm_desk.services.access import FirstAdmin, Opened, Opener, create_first_admin, issue_code
from pm_desk.services.errors import ServiceError
from pm_desk.store.database import DatabaseError
from pm_desk.ui.dialogs.sign_in import Now, message_label, muted_label, password_field, show_message
from pm_desk.ui.jobs import wait_for


class FirstAdminDialog(QDialog):
    """Email, name and password of the first administrator; `admin` holds them once accepted and
    `recovery_key` the key to write down."""

    def __init__(self, path: Path, opener: Opener, now: Now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path, self._opener, self._now = path, opener, now
        self.admin: FirstAdmin | None = None
        self.recovery_key = ""
        new = not path.exists() or path.stat().st_size == 0
        self.setWindowTitle("First administrator — PM Desk")
        intro = QLabel(
            f"<h2>{'A new database' if new else 'Sign-in for this database'}</h2>"
            + (
                "There is no database here yet. PM Desk creates it, encrypted, with you as its first "
                "administrator. You then add your office's people, or import them."
                if new
                else "This database has no sign-in yet (it comes from an older PM Desk). Name its first "
                "administrator: one already in it, or a new one. It stays unencrypted until "
                "<code>pm-desk encrypt</code>."
            )
        )
        intro.setWordWrap(True)
        where = muted_label(f"Database: {path}")
        self.email = QLineEdit()
        self.email.setAccessibleName("Email")
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.first = password_field("Password")
        self.second = password_field("Password again")
        form = QFormLayout()
        form.addRow("&Email", self.email)
        form.addRow("&Name", self.name)
        form.addRow("&Password", self.first)
        form.addRow("&Again", self.second)
        rules = muted_label(
            f"At least {MIN_LENGTH} characters; not your email; not one of the commonest passwords."
        )
        self.message = message_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = QPushButton("Create")
        self.ok.setDefault(True)
        buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, where):
            layout.addWidget(widget)
        layout.addLayout(form)
        for widget in (rules, self.message, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(500)

    def _try(self) -> None:
        if self.first.text() != self.second.text():
            show_message(self.message, "The two passwords are not the same.")
            return
        admin = FirstAdmin(self.email.text().strip(), self.name.text().strip(), self.first.text())
        if not admin.email:
            show_message(self.message, "Type the administrator's email.")
            return
        self.ok.setEnabled(False)
        path, opener, now = self._path, self._opener, self._now()
        try:
            self.recovery_key = wait_for(lambda: create_first_admin(path, admin, opener, now))
        except (ServiceError, DatabaseError) as exc:
            show_message(self.message, str(exc))
            self.ok.setEnabled(True)
            return
        self.admin = admin
        self.first.clear()
        self.second.clear()
        RecoveryKeyDialog(self.recovery_key, self).exec()
        self.accept()


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once: it opens the database when every password is lost."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recovery key — PM Desk")
        intro = QLabel(
            "<h3>Write this recovery key down</h3>"
            "If every administrator's password is lost, this key (with "
            "<code>pm-desk passwd EMAIL --recovery</code>) lets an administrator in again. "
            "PM Desk shows it only now. Keep it on paper, away from this laptop."
        )
        intro.setWordWrap(True)
        shown = QLabel(key)
        shown.setAccessibleName("Recovery key")
        shown.setFont(QFont("monospace", 13))
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = QPushButton("Copy")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(key))
        self.kept = QCheckBox("I have written the recovery key down")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.kept.toggled.connect(ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (intro, shown, copy, self.kept, buttons):
            layout.addWidget(widget)


class IssueCodeDialog(QDialog):
    """An administrator picks a person and gives him a one-time code (read to him, or sent by a
    channel the office trusts); his old password, if any, stops working."""

    def __init__(self, opened: Opened, now: Now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._opened, self._now = opened, now
        self.setWindowTitle("One-time code — PM Desk")
        intro = QLabel(
            "A one-time code lets a person sign in once and choose his password: for someone new "
            "or imported, someone who forgot his password, or someone locked out after wrong tries. "
            "His old password stops working."
        )
        intro.setWordWrap(True)
        self.person = QComboBox()
        self.person.setAccessibleName("Person")
        for email, name, role in reads.user_choices(opened.db.uow()):
            self.person.addItem(f"{name} — {label(role)} ({email})", email)
        self.code = QLabel()
        self.code.setAccessibleName("One-time code")
        self.code.setFont(QFont("monospace", 13))
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.expiry = muted_label("")
        self.message = message_label()
        form = QFormLayout()
        form.addRow("&Person", self.person)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.issue = QPushButton("Issue code")
        buttons.addButton(self.issue, QDialogButtonBox.ButtonRole.ActionRole)
        self.issue.clicked.connect(self._issue)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        for widget in (self.code, self.expiry, self.message, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(520)

    def _issue(self) -> None:
        email = self.person.currentData()
        if not email:
            return
        opened, now = self._opened, self._now()
        try:
            code = wait_for(lambda: issue_code(opened, email, now))
        except ServiceError as exc:
            show_message(self.message, str(exc))
            return
        show_message(self.message, "")
        hours = opened.db.policy.security.code_valid_hours
        self.code.setText(code)
        self.expiry.setText(f"For {email}; valid for {hours} hours, once. Read it to him; do not email it.")
