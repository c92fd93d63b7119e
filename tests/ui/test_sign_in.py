"""The app's sign-in window, the new password after a one-time code, and the idle lock that keeps
what was typed. Real key rings, real Argon2id slots (cheap ones for the test users), real widgets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from contexts import make_context
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

from pm_desk.services.access import Opened, Opener, check_secret, issue_code, sign_in
from pm_desk.store.database import Database, open_database
from pm_desk.ui.dialogs.sign_in import NewPasswordDialog, SignInDialog
from pm_desk.ui.idle_lock import IdleLock
from pm_desk.ui.main_window import MainWindow
from support import TEST_PASSWORD

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def opener(path: Path) -> Opener:
    return lambda key, create: open_database(str(path), key=key, create=create)


@pytest.fixture
def path(small_db: Database) -> Path:
    assert small_db.path is not None
    return small_db.path


def test_a_wrong_password_is_said_in_the_window_and_the_right_one_signs_in(
    qtbot, path: Path, summary
) -> None:
    clock = iter([NOW, NOW + timedelta(seconds=5)])
    dialog = SignInDialog(path, summary.default_user_email, opener(path), lambda: next(clock))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText("not the password")
    qtbot.mouseClick(dialog.submit, Qt.MouseButton.LeftButton)
    assert dialog.opened is None and dialog.message.isVisible()
    assert "not right" in dialog.message.text()
    assert not dialog.submit.isEnabled() and "(1 s)" in dialog.submit.text()  # the wait, counted down
    qtbot.waitUntil(dialog.submit.isEnabled, timeout=5000)
    dialog.password.setText(TEST_PASSWORD)
    qtbot.mouseClick(dialog.submit, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.opened is not None
    try:
        assert dialog.opened.actor.email == summary.default_user_email
        assert dialog.password.text() == ""  # nothing of the password stays in the widget
    finally:
        dialog.opened.db.close()


def test_an_empty_field_is_asked_for_without_trying(qtbot, path: Path) -> None:
    dialog = SignInDialog(path, "", opener(path), lambda: NOW)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.submit, Qt.MouseButton.LeftButton)
    assert "Type your email and your password" in dialog.message.text()


def test_after_a_one_time_code_the_person_chooses_his_password(qtbot, path: Path, summary) -> None:
    admin = sign_in(path, summary.admin_email, TEST_PASSWORD, opener(path), NOW)
    try:
        code = issue_code(admin, summary.default_user_email, NOW)
    finally:
        admin.db.close()
    opened = sign_in(path, summary.default_user_email, code, opener(path), NOW)
    try:
        assert opened.must_set_password
        dialog = NewPasswordDialog(opened, lambda: NOW, "Choose your password.")
        qtbot.addWidget(dialog)
        dialog.first.setText("a brand new phrase")
        dialog.second.setText("a brand new phrase!")
        dialog.ok.click()
        assert "not the same" in dialog.message.text()
        dialog.first.setText("short")
        dialog.second.setText("short")
        dialog.ok.click()
        assert "at least 12 characters" in dialog.message.text()
        dialog.first.setText("a brand new phrase")
        dialog.second.setText("a brand new phrase")
        dialog.ok.click()
        assert dialog.result() == QDialog.DialogCode.Accepted and not opened.must_set_password
    finally:
        opened.db.close()
    again = sign_in(path, summary.default_user_email, "a brand new phrase", opener(path), NOW)
    again.db.close()


def _form_with_typing(parent: MainWindow) -> tuple[QDialog, QLineEdit]:
    form = QDialog(parent)
    field = QLineEdit(form)
    QVBoxLayout(form).addWidget(field)
    form.open()  # window-modal, as the record forms are
    return form, field


def test_the_idle_lock_covers_every_window_and_keeps_what_was_typed(
    qtbot, small_db: Database, summary, tmp_path
) -> None:
    ctx = make_context(small_db, summary.default_user_email, tmp_path)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form, field = _form_with_typing(window)
    qtbot.keyClicks(field, "half a note about agreement 12")
    path, email = small_db.path, ctx.actor.email
    times = iter([NOW, NOW + timedelta(seconds=5)])
    lock = IdleLock(
        15,
        ctx.actor.name,
        lambda s: check_secret(path, email, s, next(times)),
        window.sign_out,
        window,
        after_ms=200,
    )
    qtbot.waitUntil(lambda: lock.is_locked, timeout=5000)  # no input for a moment: it locks itself
    covers = [w for w in window.findChildren(QLineEdit) if w.accessibleName() == "Password to unlock"]
    assert covers == [] or all(c.window() is form for c in covers)
    prompt = next(w for w in form.findChildren(QLineEdit) if w.accessibleName() == "Password to unlock")
    assert prompt.hasFocus() or prompt.isVisible()
    qtbot.keyClicks(field, " LOST")  # keys reach nothing behind the cover
    assert field.text() == "half a note about agreement 12"
    qtbot.keyClicks(prompt, "wrong password")
    qtbot.keyClick(prompt, Qt.Key.Key_Return)
    assert lock.is_locked
    prompt.setText(TEST_PASSWORD)
    qtbot.keyClick(prompt, Qt.Key.Key_Return)
    assert not lock.is_locked
    assert field.text() == "half a note about agreement 12" and form.isVisible()
    lock.stop()
    form.reject()


def test_a_plain_database_shows_the_warning_bar_and_sign_out_closes_the_window(
    qtbot, small_db: Database, summary, tmp_path
) -> None:
    ctx = make_context(small_db, summary.default_user_email, tmp_path)
    ctx.access = Opened(small_db, ctx.actor, b"k" * 32, small_db.path, plaintext=True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    bars = [
        w for w in window.findChildren(object) if getattr(w, "objectName", lambda: "")() == "plaintextWarning"
    ]
    assert bars and "not encrypted" in bars[0].text()
    action = next(
        a for a in window.findChildren(object) if getattr(a, "objectName", lambda: "")() == "sign_out"
    )
    action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert window.signing_out
