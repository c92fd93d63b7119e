"""The window locks after the policy's idle minutes and asks for the password again.

Locking hides nothing away and closes nothing: every window (the main one and any form that is
open) gets an opaque cover over its content, and keys go only to the password field, so what
was typed stays exactly where it was, unseen, until the person signs back in. The password is
checked on a worker against the key ring, counting wrong tries like a sign-in does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from pm_desk.services.access import SignInRefused
from pm_desk.ui.dialogs.sign_in import message_label, muted_label, password_field, show_message
from pm_desk.ui.jobs import wait_for

# Input that says someone is at the keyboard.
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
_KEYS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut}


class _Cover(QFrame):
    """An opaque sheet over one window's content; follows the window's size."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


class _Prompt(QWidget):
    """The password field on the cover of the window that takes input."""

    def __init__(self, cover: _Cover, who: str, sign_out: Callable[[], None]) -> None:
        super().__init__(cover)
        self.password = password_field("Password to unlock")
        self.message = message_label()
        self.unlock = QPushButton("Unlock")
        self.unlock.setDefault(True)
        leave = QPushButton("Sign out")
        leave.clicked.connect(sign_out)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("<h2>PM Desk is locked</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        note = muted_label(f"{who} — type your password to go on where you left off.")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(note)
        for widget in (self.password, self.unlock, self.message, leave):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        self.password.setMinimumWidth(280)
        layout.addStretch(2)
        self.setGeometry(cover.rect())
        cover.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


class IdleLock(QObject):
    """Watches the application's input; after `minutes` without any, covers every window.
    `check(password)` raises SignInRefused when the password is not the signed-in person's."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        minutes: int,
        who: str,
        check: Callable[[str], None],
        sign_out: Callable[[], None],
        parent: QObject | None = None,
        after_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._limit_ms = after_ms if after_ms is not None else max(minutes, 1) * 60_000
        self._who, self._check, self._sign_out = who, check, sign_out
        self._quiet = QElapsedTimer()
        self._quiet.start()
        self._covers: list[_Cover] = []
        self._prompt: _Prompt | None = None
        self._focus: QWidget | None = None
        self._timer = QTimer(self, interval=max(10, min(15_000, self._limit_ms // 4)))
        self._timer.timeout.connect(self._look)
        self._timer.start()
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return bool(self._covers)

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self._covers:
            if kind in _ACTIVITY:
                self._quiet.restart()
            return False
        if kind in _KEYS and self._prompt is not None:
            # While locked, keys reach the prompt only: no shortcut, no field behind the cover.
            return not (isinstance(watched, QWidget) and self._prompt.isAncestorOf(watched))
        return False

    def _look(self) -> None:
        if not self._covers and self._quiet.elapsed() >= self._limit_ms:
            self.lock()

    def lock(self) -> None:
        if self._covers:
            return
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        self._focus = QApplication.focusWidget()
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if w.isVisible() and w.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)
        ]
        if not windows:
            return
        self._covers = [_Cover(window) for window in windows]
        # The prompt goes where input can go: the open form that blocks the others, if any.
        front = QApplication.activeModalWidget() or QApplication.activeWindow()
        cover = next((c for c in self._covers if c.parentWidget() is front), self._covers[0])
        self._prompt = _Prompt(cover, self._who, self._sign_out)
        self._prompt.unlock.clicked.connect(self._try)
        self._prompt.password.returnPressed.connect(self._try)
        self._prompt.show()
        self._prompt.password.setFocus()
        self.locked.emit()

    def _try(self) -> None:
        prompt = self._prompt
        if prompt is None:
            return
        secret = prompt.password.text()
        if not secret:
            return
        prompt.unlock.setEnabled(False)
        check = self._check
        try:
            wait_for(lambda: check(secret))
        except SignInRefused as refused:
            prompt.password.selectAll()
            show_message(prompt.message, str(refused))
            prompt.unlock.setEnabled(True)
            return
        self._unlock()

    def _unlock(self) -> None:
        for cover in self._covers:
            cover.hide()
            cover.deleteLater()
        self._covers, self._prompt = [], None
        self._quiet.restart()
        if self._focus is not None and isValid(self._focus):
            self._focus.setFocus()
        self._focus = None
        self.unlocked.emit()
