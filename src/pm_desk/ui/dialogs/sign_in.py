"""Signing in: the first window of the app, and the new password after a one-time code.

The password is checked on a worker (Argon2id takes a fraction of a second on purpose) while the
dialog keeps answering. A refusal is shown in the dialog; after a wrong password the button
waits the seconds the key ring asks for, counting down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain.passwords import MIN_LENGTH
from pm_desk.services.access import Opened, Opener, SignInRefused, set_password, sign_in
from pm_desk.services.errors import ServiceError
from pm_desk.store.database import DatabaseError
from pm_desk.ui.jobs import wait_for
from pm_desk.ui.theme import tone_color

log = logging.getLogger(__name__)
Now = Callable[[], datetime]


def password_field(accessible_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible_name)
    field.setMaxLength(1024)
    return field


def muted_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    color = tone_color("muted")
    if color is not None:
        label.setStyleSheet(f"color: {color.name()};")
    return label


def message_label() -> QLabel:
    """Where a refusal is said, in the alarm colour and with its mark (never colour alone)."""
    label = QLabel()
    label.setWordWrap(True)
    color = tone_color("alarm")
    label.setStyleSheet(f"color: {color.name()}; font-weight: bold;" if color else "font-weight: bold;")
    label.setAccessibleName("Message")
    label.hide()
    return label


def show_message(label: QLabel, text: str) -> None:
    label.setText(f"✖ {text}" if text else "")
    label.setVisible(bool(text))


class SignInDialog(QDialog):
    """Email and password; `opened` holds the signed-in session once accepted."""

    def __init__(
        self, path: Path, email: str, opener: Opener, now: Now, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._path, self._opener, self._now = path, opener, now
        self.opened: Opened | None = None
        self.setWindowTitle("Sign in — PM Desk")
        title = QLabel("<h2>Sign in</h2>")
        where = muted_label(f"Database: {path.name}")
        where.setToolTip(str(path))
        self.email = QLineEdit(email)
        self.email.setAccessibleName("Email")
        self.email.setPlaceholderText("name@ice.dhs.gov")
        self.password = password_field("Password")
        form = QFormLayout()
        form.addRow("&Email", self.email)
        form.addRow("&Password", self.password)
        hint = muted_label(
            "New here, or forgot your password? An administrator gives you a one-time code: "
            "type it as your password and choose a new one."
        )
        self.message = message_label()
        buttons = QDialogButtonBox()
        self.submit = QPushButton("Sign in")
        self.submit.setDefault(True)
        buttons.addButton(self.submit, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        (self.password if email else self.email).setFocus()
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._tick)
        self._seconds = 0

    def _try(self) -> None:
        email, secret = self.email.text().strip(), self.password.text()
        if not email or not secret:
            show_message(self.message, "Type your email and your password.")
            return
        self._busy(True)
        path, opener, now = self._path, self._opener, self._now()
        try:
            opened = wait_for(lambda: sign_in(path, email, secret, opener, now))
        except SignInRefused as refused:
            self.password.selectAll()
            show_message(self.message, _sentence(str(refused)))
            self._busy(False)
            if refused.wait is not None:
                self._wait(int(refused.wait.total_seconds() + 0.999))
            return
        except (ServiceError, DatabaseError) as exc:
            show_message(self.message, _sentence(str(exc)))
            self._busy(False)
            return
        self.password.clear()
        self.opened = opened
        self._busy(False)
        self.accept()

    def _busy(self, busy: bool) -> None:
        self.submit.setEnabled(not busy)
        self.submit.setText("Checking…" if busy else "Sign in")
        self.email.setEnabled(not busy)
        self.password.setEnabled(not busy)
        if not busy:
            self.password.setFocus()

    def _wait(self, seconds: int) -> None:
        self._seconds = max(seconds, 1)
        self.submit.setEnabled(False)
        self._tick(first=True)
        self._countdown.start()

    def _tick(self, first: bool = False) -> None:
        if not first:
            self._seconds -= 1
        if self._seconds <= 0:
            self._countdown.stop()
            self.submit.setEnabled(True)
            self.submit.setText("Sign in")
            return
        self.submit.setText(f"Sign in ({self._seconds} s)")


class NewPasswordDialog(QDialog):
    """A new password, typed twice. Used after a one-time code and from File ▸ Change password."""

    def __init__(self, opened: Opened, now: Now, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._opened, self._now = opened, now
        self.setWindowTitle("Choose your password — PM Desk")
        intro = QLabel(reason)
        intro.setWordWrap(True)
        self.first = password_field("New password")
        self.second = password_field("New password again")
        form = QFormLayout()
        form.addRow("&New password", self.first)
        form.addRow("&Again", self.second)
        rules = muted_label(
            f"At least {MIN_LENGTH} characters; not your email; not one of the commonest passwords. "
            "A short sentence is easy to remember and hard to guess."
        )
        self.message = message_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Set password")
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(rules)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.first.setFocus()

    def _try(self) -> None:
        new = self.first.text()
        if new != self.second.text():
            show_message(self.message, "The two passwords are not the same.")
            self.second.selectAll()
            self.second.setFocus()
            return
        self.ok.setEnabled(False)
        opened, now = self._opened, self._now()
        try:
            wait_for(lambda: set_password(opened, new, now))
        except ServiceError as exc:
            show_message(self.message, _sentence(str(exc)))
            self.ok.setEnabled(True)
            self.first.selectAll()
            self.first.setFocus()
            return
        self.first.clear()
        self.second.clear()
        self.accept()


def sign_in_dialog(path: Path, email: str, opener: Opener, now: Now) -> Opened | None:
    """Ask until someone signs in (None: he quit). After a one-time code he chooses his password
    before anything else opens."""
    dialog = SignInDialog(path, email, opener, now)
    dialog.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.opened is None:
        return None
    opened = dialog.opened
    if opened.must_set_password:
        reason = (
            f"Welcome, {opened.actor.name}. You signed in with a one-time code: choose the password "
            "you will sign in with from now on."
        )
        if NewPasswordDialog(opened, now, reason).exec() != QDialog.DialogCode.Accepted:
            opened.db.close()
            return None
    return opened


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."
