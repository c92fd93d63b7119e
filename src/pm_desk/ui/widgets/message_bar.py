"""A message across the top of a page: a refusal or a confirmation, without a modal box."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from pm_desk.ui.theme import tone_background, tone_color


class MessageBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Message")
        close = QToolButton(self)
        close.setText("✕")
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, tone: str = "alarm", seconds: int = 0) -> None:
        mark = "✖ " if tone == "alarm" else "✓ " if tone == "ok" else "⚠ "
        self.label.setText(mark + text[:1].upper() + text[1:])
        fg, bg = tone_color(tone), tone_background(tone)
        style = f"color: {fg.name()};" if fg else ""
        if bg is not None:
            style += f" background: {bg.name()};"
        self.setStyleSheet(f"MessageBar {{ {style} }} QLabel {{ {style} }}")
        self.show()
        if seconds:
            self._timer.start(seconds * 1000)
        else:
            self._timer.stop()
