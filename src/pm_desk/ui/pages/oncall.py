"""The On-call page: the rota as a calendar, warnings before they happen (each gap with "Cover this
gap…"), cover and swaps, and how fairly the hours worked fall. The forms are in
`pm_desk.ui.dialogs.oncall_forms`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain import words
from pm_desk.domain.enums import Role
from pm_desk.domain.oncall_plan import spread
from pm_desk.domain.scope import scope_of
from pm_desk.services import reads
from pm_desk.services.oncall_view import Day, GapRef, RotaView
from pm_desk.ui.dialogs import oncall_forms as forms
from pm_desk.ui.pages.base import Page
from pm_desk.ui.pages.oncall_actions import ITEM, RotaActions
from pm_desk.ui.widgets.message_bar import MessageBar
from pm_desk.ui.widgets.rota_calendar import RotaCalendar


class OnCallPage(RotaActions, Page):
    name = "oncall"
    title = "On-call"
    kinds = ("shift", "rotation", "override")

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.supervisor = ctx.actor.role is Role.SUPERVISOR
        self.view: RotaView | None = None
        self.month = False
        self.anchor = ctx.now().date()
        self.selected_day: date | None = None
        self.rotation = QComboBox(self)
        self.rotation.setAccessibleName("Rotation")
        self.rotation.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.rotation.currentIndexChanged.connect(lambda _i: self.load())
        self.period = QLabel(self)
        navigation = QHBoxLayout()
        navigation.addWidget(QLabel("<h2>On-call</h2>"))
        navigation.addWidget(self.rotation)
        for widget in self._navigation_buttons():
            navigation.addWidget(widget)
        navigation.addWidget(self.period)
        navigation.addStretch(1)
        top = QVBoxLayout()
        top.addLayout(navigation)
        top.addLayout(self._action_buttons())
        self.message = MessageBar(self)
        self.calendar = RotaCalendar(self)
        self.calendar.day_selected.connect(self.show_day)
        self.tabs = self._tabs(ctx)
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.calendar)
        left.addWidget(self.tabs)
        left.setSizes([520, 240])
        main = QSplitter(Qt.Orientation.Horizontal, self)
        main.addWidget(left)
        main.addWidget(self._day_panel())
        main.setSizes([1000, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(main, 1)
        ctx.events.changed.connect(lambda *_: self.refresh())

    # -- building ---------------------------------------------------------------------------------
    def _navigation_buttons(self) -> list[QWidget]:
        week, month = QPushButton("Week"), QPushButton("Month")
        for button, is_month in ((week, False), (month, True)):
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.clicked.connect(lambda _c=False, m=is_month: self.set_month(m))
        week.setChecked(True)
        back, today, forward = QPushButton("◀"), QPushButton("Today"), QPushButton("▶")
        back.setAccessibleName("Earlier")
        forward.setAccessibleName("Later")
        for arrow in (back, forward):
            arrow.setFixedWidth(36)
        back.clicked.connect(lambda: self.move(-1))
        forward.clicked.connect(lambda: self.move(1))
        today.clicked.connect(self.go_today)
        return [week, month, back, today, forward]

    def _action_buttons(self) -> QHBoxLayout:
        self.new_rotation_button = QPushButton("New rotation…")
        self.new_rotation_button.clicked.connect(self.new_rotation)
        self.generate_button = QPushButton("Generate shifts…")
        self.generate_button.clicked.connect(self.generate)
        self.holiday_button = QPushButton("Holiday exception…")
        self.holiday_button.setToolTip("Choose who is on call for every instant of a holiday")
        self.holiday_button.clicked.connect(lambda: self.holiday_exception())
        for button in (self.new_rotation_button, self.generate_button, self.holiday_button):
            button.setVisible(self.supervisor)
        leave = QPushButton("Enter leave…")
        leave.clicked.connect(lambda: self.enter_leave())
        export = QPushButton("Export calendar…")
        export.setToolTip("Your on-call shifts as an .ics file for your calendar")
        export.clicked.connect(lambda: self.export_calendar())
        actions = QHBoxLayout()
        actions.addStretch(1)
        for widget in (export, leave, self.holiday_button, self.generate_button, self.new_rotation_button):
            actions.addWidget(widget)
        return actions

    def _tabs(self, ctx: Any) -> QTabWidget:
        self.warnings = QListWidget(self)
        self.warnings.setAccessibleName("On-call warnings")
        self.warnings.setWordWrap(True)
        self.warnings.currentItemChanged.connect(lambda *_: self._update_gap_buttons())
        self.warnings.itemDoubleClicked.connect(lambda item: self._cover_item(item))
        self.cover_gap_button = QPushButton("Cover this gap…")
        self.cover_gap_button.setToolTip("Who could take exactly this gap, ranked; give it or take it")
        self.cover_gap_button.clicked.connect(lambda: self._cover_item(self.warnings.currentItem()))
        warnings_box = QWidget(self)
        warnings_layout = QVBoxLayout(warnings_box)
        warnings_layout.addWidget(self.warnings, 1)
        warnings_buttons = QHBoxLayout()
        warnings_buttons.addWidget(self.cover_gap_button)
        warnings_buttons.addStretch(1)
        warnings_layout.addLayout(warnings_buttons)
        self.requests = QListWidget(self)
        self.requests.setAccessibleName("Cover and swap requests")
        approve, decline = QPushButton("Approve…"), QPushButton("Decline")
        approve.clicked.connect(self.approve)
        decline.clicked.connect(self.decline)
        approve.setVisible(self.supervisor)
        decline.setVisible(self.supervisor)
        requests_box = QWidget(self)
        requests_layout = QVBoxLayout(requests_box)
        requests_layout.addWidget(self.requests, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(approve)
        buttons.addWidget(decline)
        buttons.addStretch(1)
        requests_layout.addLayout(buttons)
        self.fairness_table = QTableWidget(0, 5, self)
        self.fairness_table.setHorizontalHeaderLabels(
            ["Member", "Hours", "Nights", "Weekend hours", "Holiday hours"]
        )
        self.fairness_table.setAccessibleName("Fairness")
        self.fairness_note = QLabel(self)
        fairness_box = QWidget(self)
        fairness_layout = QVBoxLayout(fairness_box)
        fairness_layout.addWidget(self.fairness_note)
        fairness_layout.addWidget(self.fairness_table, 1)
        tabs = QTabWidget(self)
        tabs.addTab(warnings_box, "Warnings")
        tabs.addTab(requests_box, "Requests")
        tabs.addTab(
            fairness_box, f"Fairness (last {words.days(ctx.policy.oncall.fairness_window_days)}, as worked)"
        )
        return tabs

    def _day_panel(self) -> QWidget:
        self.day_title = QLabel("Select a day.")
        self.day_title.setWordWrap(True)
        self.day_shifts = QListWidget(self)
        self.day_shifts.setAccessibleName("Shifts of the day")
        self.day_shifts.setWordWrap(True)
        self.day_shifts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.day_shifts.setSpacing(2)
        self.day_shifts.currentItemChanged.connect(lambda *_: self._update_gap_buttons())
        self.day_shifts.itemDoubleClicked.connect(lambda item: self._cover_item(item))
        self.cannot_cover_button = QPushButton("I can't cover…")
        self.cannot_cover_button.clicked.connect(self.cannot_cover)
        self.swap_button = QPushButton("Ask for a swap…")
        self.swap_button.clicked.connect(self.request_swap)
        self.day_gap_button = QPushButton("Cover this gap…")
        self.day_gap_button.clicked.connect(lambda: self._cover_item(self.day_shifts.currentItem()))
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.day_title)
        side_layout.addWidget(self.day_shifts, 1)
        for button in (self.cannot_cover_button, self.swap_button, self.day_gap_button):
            side_layout.addWidget(button)
        return side

    # -- what is shown ------------------------------------------------------------------------------
    def _fill_rotations(self) -> None:
        office = scope_of(self.ctx.actor, whole_office=True).field_office_id
        rotations = self.ctx.read(reads.rotations_of_office, office)
        current = self.rotation.currentData()
        self.rotation.blockSignals(True)
        self.rotation.clear()
        for rotation_id, name in rotations:
            self.rotation.addItem(name, rotation_id)
        if current is not None and self.rotation.findData(current) >= 0:
            self.rotation.setCurrentIndex(self.rotation.findData(current))
        self.rotation.blockSignals(False)

    def first_day(self) -> date:
        if self.month:
            first = self.anchor.replace(day=1)
            return first - timedelta(days=first.weekday())
        return self.anchor - timedelta(days=self.anchor.weekday())

    def load(self) -> None:
        if self.rotation.count() == 0:
            self._fill_rotations()
        rotation_id = self.rotation.currentData()
        if rotation_id is None:
            self.calendar.show_days([], "UTC", self.ctx.now().date())
            self.period.setText(
                "No rotation yet" + (": create one with New rotation." if self.supervisor else ".")
            )
            return
        days, now, first, ctx = 42 if self.month else 7, self.ctx.now(), self.first_day(), self.ctx
        self.read_in_background(
            lambda: ctx.read(reads.rota_view, rotation_id, first, days, now),
            lambda view: self.show_view(view, first, days, now),
        )

    def show_view(self, view: RotaView | None, first: date, days: int, now: datetime) -> None:
        self.view = view
        if self.view is None:
            return
        self.period.setText(f"{first:%d %b} – {first + timedelta(days=days - 1):%d %b %Y} ({self.view.zone})")
        self.calendar.show_days(self.view.days, self.view.zone, now.date())
        self._show_warnings()
        self._show_requests()
        self._show_fairness()
        shown = next((d for d in self.view.days if d.day == self.selected_day), None)
        if shown is not None:
            self.show_day(shown)

    def _show_warnings(self) -> None:
        assert self.view is not None
        self.warnings.clear()
        for warning in self.view.warnings:
            text = f"⚠ {warning.text}" + (f" — {warning.detail}" if warning.detail else "")
            item = QListWidgetItem(text)
            if warning.gap is not None:
                item.setData(ITEM, ("gap", warning.gap))
            self.warnings.addItem(item)
        if not self.view.warnings:
            self.warnings.addItem("No gaps, fatigue or uncovered leave in these days.")
        self.tabs.setTabText(0, f"Warnings ({len(self.view.warnings)})")
        self._update_gap_buttons()

    def _show_requests(self) -> None:
        assert self.view is not None
        self.requests.clear()
        for request in self.view.requests:
            item = QListWidgetItem(request.text)
            item.setData(ITEM, (request.kind, request.id))
            self.requests.addItem(item)
        self.tabs.setTabText(1, f"Requests ({len(self.view.requests)})")

    def _show_fairness(self) -> None:
        assert self.view is not None
        rows = self.view.fairness
        self.fairness_table.setRowCount(len(rows))
        for r, (name, load) in enumerate(rows):
            values = (name, f"{load.hours:.0f}", str(load.nights), f"{load.weekend_hours:.0f}",
                      f"{load.holiday_hours:.0f}")  # fmt: skip
            for c, value in enumerate(values):
                self.fairness_table.setItem(r, c, QTableWidgetItem(value))
        low, high, gap = spread([load.hours for _name, load in rows])
        self.fairness_note.setText(
            f"Hours on call as worked (covers counted) range from {low:.0f} to {high:.0f} "
            f"(spread {gap:.0f} h)."
        )

    def set_month(self, month: bool) -> None:
        self.month = month
        self.load()

    def move(self, step: int) -> None:
        if self.month:
            month = self.anchor.month - 1 + step
            self.anchor = date(self.anchor.year + month // 12, month % 12 + 1, 1)
        else:
            self.anchor += timedelta(days=7 * step)
        self.load()

    def go_today(self) -> None:
        self.anchor = self.ctx.now().date()
        self.load()

    def show_day(self, day: Day) -> None:
        self.selected_day = day.day
        self.day_title.setText(f"<b>{day.day:%A %d %B %Y}</b>")
        self.day_shifts.clear()
        tz = ZoneInfo(self.view.zone if self.view else "UTC")
        for shift in day.shifts:
            start, end = shift.starts_at.astimezone(tz), shift.ends_at.astimezone(tz)
            text = f"{shift.primary}: {start:%a %d %b %H:%M} – {end:%a %d %b %H:%M}"
            text += " (covering)" if shift.covering else ""
            text += f" · backup {shift.backup}" if shift.backup else " · no backup"
            item = QListWidgetItem(text)
            item.setData(ITEM, ("shift", shift.shift_id, shift.primary_id))
            self.day_shifts.addItem(item)
        for name in day.leave:
            self.day_shifts.addItem(QListWidgetItem(f"Leave: {name}"))
        for warning in self._warnings_of(day.day):
            item = QListWidgetItem(f"⚠ {warning.text}")
            if warning.gap is not None:
                item.setData(ITEM, ("gap", warning.gap))
            self.day_shifts.addItem(item)
        if self.day_shifts.count():
            self.day_shifts.setCurrentRow(0)
        self._update_gap_buttons()

    def _warnings_of(self, day: date) -> list[Any]:
        if self.view is None:
            return []
        tz = ZoneInfo(self.view.zone)
        return [w for w in self.view.warnings if w.starts_at.astimezone(tz).date() == day]

    def _update_gap_buttons(self) -> None:
        for button, items in ((self.cover_gap_button, self.warnings), (self.day_gap_button, self.day_shifts)):
            button.setEnabled(self._gap_of(items.currentItem()) is not None)

    def open_record(self, kind: str, record_id: str) -> None:
        self.activate()

    # -- acting ---------------------------------------------------------------------------------------
    def _gap_of(self, item: QListWidgetItem | None) -> GapRef | None:
        data = item.data(ITEM) if item is not None else None
        return data[1] if isinstance(data, tuple) and data[0] == "gap" else None

    def _cover_item(self, item: QListWidgetItem | None) -> None:
        gap = self._gap_of(item)
        if gap is not None:
            self.cover_gap(gap)

    def cover_gap(self, gap: GapRef) -> bool:
        """ "Cover this gap…": who could take exactly its interval; give it, or take it oneself."""
        return forms.open_cover_gap(self, self.ctx, gap, self._tell)
