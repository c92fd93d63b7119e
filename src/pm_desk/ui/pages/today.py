"""Today: everything that needs the person now, grouped, counted, and a click away.

The rows come from the Today read model (`pm_desk.services.today`), computed for the person's
scope; the counts are those of `pm-desk compliance` for the same user and moment.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeView, QVBoxLayout, QWidget

from pm_desk.domain.words import count
from pm_desk.services.oncall_view import GapRef
from pm_desk.services.today import TodayView, today_view
from pm_desk.ui.dialogs.oncall_forms import open_cover_gap
from pm_desk.ui.local_zone import local_zone
from pm_desk.ui.models.today_model import GAP_ROLE, RECORD_ROLE, TodayModel
from pm_desk.ui.operations import Outcome
from pm_desk.ui.pages.base import Page

RECOMPUTE_MS = 60_000


class TodayPage(Page):
    name = "today"
    title = "Today"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.heading = QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Today summary")
        refresh = QPushButton("Refresh")
        refresh.setAccessibleName("Refresh Today")
        refresh.clicked.connect(self.load)
        self.cover_gap_button = QPushButton("Cover this gap…")
        self.cover_gap_button.setToolTip(
            "Who could take the selected on-call gap, ranked; give it or take it"
        )
        self.cover_gap_button.clicked.connect(lambda: self.cover_gap())
        self.cover_gap_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.cover_gap_button)
        top.addWidget(refresh)
        self.model = TodayModel(self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setAccessibleName("Today")
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._open)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_gap_button())
        self.empty = QLabel(
            "Nothing needs you right now: no holds running out, no overdue training, "
            "no late equipment. Well done."
        )
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self.ticker = QTimer(self, interval=1000)
        self.ticker.timeout.connect(lambda: self.model.tick(self.ctx.now()))
        self.recompute = QTimer(self, interval=RECOMPUTE_MS)
        self.recompute.timeout.connect(self.load)
        self._computing = self._again = False
        ctx.events.changed.connect(lambda *_: self.refresh())

    def load(self) -> None:
        """Recompute Today on the database worker (the rules over the whole scope) and show it when
        it arrives; the countdowns keep ticking meanwhile."""
        ctx, zone = self.ctx, local_zone()
        if self._computing:
            self._again = True
            return
        self._computing = True

        def compute() -> TodayView:
            return ctx.read(today_view, ctx.actor, ctx.policy, ctx.now(), zone)

        ctx.ops.submit(compute, self._arrived, owner=self)

    def _arrived(self, outcome: Outcome[TodayView]) -> None:
        self._computing = False
        if self._again:
            self._again = False
            self.load()
            return
        if outcome.ok and outcome.value is not None:
            self.show_view(outcome.value)
        else:
            self.summary.setText(f"Today could not be computed: {outcome.message}")
        self.loaded.emit()

    def show_view(self, view: TodayView) -> None:
        self.model.set_groups(view.groups, view.at)
        local = view.at.astimezone()
        self.heading.setText(f"<h2>Today — {local.strftime('%A %d %B %Y')}</h2>")
        counts = self.model.counts()
        total = sum(counts.values())
        parts = [f"{n} {g.spec.title.lower()}" for g in self.model.groups if (n := len(g.rows))]
        self.summary.setText(
            f"{count(total, 'item')} need{'s' if total == 1 else ''} attention in {view.scope.description} "
            f"as of {local.strftime('%H:%M')}: " + "; ".join(parts[:6]) + ("…" if len(parts) > 6 else "")
            if total
            else ""
        )
        self.empty.setVisible(total == 0)
        self.view.expandAll()
        for column, width in enumerate((420, 140, 160)):
            self.view.setColumnWidth(column, width)
        self.ticker.start()
        self.recompute.start()

    def counts(self) -> dict[str, int]:
        return self.model.counts()

    def selected_gap(self) -> GapRef | None:
        """The on-call gap of the selected row (a gap on a supervisor's or a manager's Today)."""
        index = self.view.currentIndex()
        return index.data(GAP_ROLE) if index.isValid() else None

    def _update_gap_button(self) -> None:
        self.cover_gap_button.setEnabled(self.selected_gap() is not None)

    def cover_gap(self, gap: GapRef | None = None) -> bool:
        """ "Cover this gap…": who could take exactly the gap's interval; give it, or take it."""
        gap = gap or self.selected_gap()
        if gap is None:
            return False
        return open_cover_gap(self, self.ctx, gap, self.summary.setText)

    def _open(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if record:
            self.ctx.events.navigate.emit(*record)
