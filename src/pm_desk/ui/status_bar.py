"""The status bar: who is signed in, who is on call now, holds at risk, sync and the database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget

from pm_desk.domain.enums import label
from pm_desk.services import reads
from pm_desk.services.oncall_view import GapRef
from pm_desk.ui.dialogs.oncall_forms import open_cover_gap
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
        self.cover_gap_button = QToolButton()
        self.cover_gap_button.setText("Cover this gap…")
        self.cover_gap_button.setAccessibleName("Cover this gap")
        self.cover_gap_button.setToolTip("Who could take the gap now running, ranked; give it or take it")
        self.cover_gap_button.clicked.connect(lambda: self.cover_gap())
        self.cover_gap_button.setVisible(False)
        self.gap: GapRef | None = None
        self.holds = QLabel()
        self.holds.setAccessibleName("Holds at risk")
        self.sync = QLabel("Sync: local only (no server configured)")
        self.sync.setAccessibleName("Sync state")
        self.database = QLabel(ctx.paths.database)
        self.database.setAccessibleName("Database file")
        self.database.setToolTip(ctx.paths.database)
        for widget in (self.user, self.on_call, self.cover_gap_button, self.holds, self.sync):
            self.addWidget(widget)
        self.addPermanentWidget(self.database)
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        ctx.events.changed.connect(lambda *_: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        now = self.ctx.now()
        current = self.ctx.read(reads.on_call_now, self.ctx.actor.field_office_id, now)
        self.gap = None
        if current is None:
            self.on_call.setText("On call: no rota")
        elif current.primary is None and not current.laid_out:
            self.on_call.setText("✖ On call now: nobody (no shifts laid out: generate the rota)")
        elif current.primary is None:
            until = f" until {local_instant(current.gap_until)}" if current.gap_until else ""
            self.on_call.setText(f"✖ On call now: nobody{until}")
            if current.gap_until is not None and current.rotation_id is not None:
                self.gap = GapRef(current.rotation_id, now, current.gap_until)
        else:
            text = f"On call: {current.primary}"
            if current.backup and current.backup != current.primary:
                text += f" (backup {current.backup})"
            if current.next_primary and current.next_starts_at:
                text += f" · next {current.next_primary} {local_instant(current.next_starts_at)}"
            self.on_call.setText(text)
        self.cover_gap_button.setVisible(self.gap is not None)

    def cover_gap(self) -> bool:
        """ "Cover this gap…" for the gap running now: from now to its end."""
        if self.gap is None:
            return False
        return open_cover_gap(self.window(), self.ctx, self.gap, lambda text: self.showMessage(text, 10_000))

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
