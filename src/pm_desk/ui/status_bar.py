"""The status bar: who is signed in, who is on call now, holds at risk, sync and the database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from pm_desk.domain.enums import label
from pm_desk.services import reads
from pm_desk.ui.formatting import local_instant

REFRESH_MS = 60_000


class StatusBar(QStatusBar):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = QLabel(f"{ctx.actor.name} ({label(ctx.actor.role.value)})")
        self.user.setAccessibleName("Signed-in user")
        self.on_call = QLabel()
        self.on_call.setAccessibleName("On call now")
        self.holds = QLabel()
        self.holds.setAccessibleName("Holds at risk")
        self.sync = QLabel("Sync: local only (no server configured)")
        self.sync.setAccessibleName("Sync state")
        self.database = QLabel(ctx.paths.database)
        self.database.setAccessibleName("Database file")
        self.database.setToolTip(ctx.paths.database)
        for widget in (self.user, self.on_call, self.holds, self.sync):
            self.addWidget(widget)
        self.addPermanentWidget(self.database)
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        now = self.ctx.now()
        current = self.ctx.read(reads.on_call_now, self.ctx.actor.field_office_id, now)
        if current is None:
            self.on_call.setText("On call: no rota")
        elif current.primary is None:
            self.on_call.setText("✖ On call now: NOBODY")
        else:
            text = f"On call: {current.primary}"
            if current.backup and current.backup != current.primary:
                text += f" (backup {current.backup})"
            if current.next_primary and current.next_starts_at:
                text += f" · next {current.next_primary} {local_instant(current.next_starts_at)}"
            self.on_call.setText(text)

    def show_holds(self, due_soon: int, breached: int) -> None:
        if breached:
            self.holds.setText(
                f"✖ {breached} hold breach{'es' if breached != 1 else ''} · ⚠ {due_soon} due soon"
            )
            self.holds.setStyleSheet("color: #b3261e; font-weight: bold;")
        elif due_soon:
            self.holds.setText(f"⚠ {due_soon} hold{'s' if due_soon != 1 else ''} due within hours")
            self.holds.setStyleSheet("color: #8a5300; font-weight: bold;")
        else:
            self.holds.setText("Holds: none at risk")
            self.holds.setStyleSheet("")
