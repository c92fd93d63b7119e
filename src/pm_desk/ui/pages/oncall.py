"""The On-call page: the rota as a calendar, warnings before they happen, cover and swaps, and how
fairly the hours fall."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
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
from pm_desk.domain.enums import COVER_REASONS, LeaveKind, OverrideReason, Role
from pm_desk.domain.oncall_plan import spread
from pm_desk.domain.scope import scope_of
from pm_desk.services import oncall, oncall_cover, reads
from pm_desk.services.oncall_ics import default_window
from pm_desk.services.oncall_view import Day, RotaView
from pm_desk.ui.dialogs.caseload_forms import enum_choices
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.operations import Operation
from pm_desk.ui.pages.base import Page
from pm_desk.ui.widgets.fields import ChoiceField, DateField, DateTimeField, Field, IntField, TextField
from pm_desk.ui.widgets.members_field import MembersField
from pm_desk.ui.widgets.message_bar import MessageBar
from pm_desk.ui.widgets.rota_calendar import RotaCalendar

WEEKDAY_CHOICES = [(i, d) for i, d in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                                   "Saturday", "Sunday"))]  # fmt: skip


class OnCallPage(Page):
    name = "oncall"
    title = "On-call"
    kinds = ("shift", "rotation", "override")

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.supervisor = ctx.actor.role is Role.SUPERVISOR
        self.view: RotaView | None = None
        self.month = False
        self.anchor = ctx.now().date()
        self.rotation = QComboBox(self)
        self.rotation.setAccessibleName("Rotation")
        self.rotation.currentIndexChanged.connect(lambda _i: self.load())
        self.period = QLabel(self)
        week = QPushButton("Week")
        month = QPushButton("Month")
        for button, is_month in ((week, False), (month, True)):
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.clicked.connect(lambda _c=False, m=is_month: self.set_month(m))
        week.setChecked(True)
        back, today, forward = QPushButton("◀"), QPushButton("Today"), QPushButton("▶")
        back.setAccessibleName("Earlier")
        forward.setAccessibleName("Later")
        back.clicked.connect(lambda: self.move(-1))
        forward.clicked.connect(lambda: self.move(1))
        today.clicked.connect(self.go_today)
        self.new_rotation_button = QPushButton("New rotation…")
        self.new_rotation_button.clicked.connect(self.new_rotation)
        self.generate_button = QPushButton("Generate shifts…")
        self.generate_button.clicked.connect(self.generate)
        self.holiday_button = QPushButton("Holiday exception…")
        self.holiday_button.setToolTip("Choose who is on call for a whole holiday")
        self.holiday_button.clicked.connect(lambda: self.holiday_exception())
        for button in (self.new_rotation_button, self.generate_button, self.holiday_button):
            button.setVisible(self.supervisor)
        leave = QPushButton("Enter leave…")
        leave.clicked.connect(self.enter_leave)
        export = QPushButton("Export calendar…")
        export.setToolTip("Your on-call shifts as an .ics file for your calendar")
        export.clicked.connect(lambda: self.export_calendar())
        self.rotation.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for arrow in (back, forward):
            arrow.setFixedWidth(36)
        # Where and when on the left, the actions on the right; on two rows when the window is narrow.
        navigation = QHBoxLayout()
        navigation.addWidget(QLabel("<h2>On-call</h2>"))
        navigation.addWidget(self.rotation)
        for widget in (week, month, back, today, forward, self.period):
            navigation.addWidget(widget)
        navigation.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for widget in (export, leave, self.holiday_button, self.generate_button, self.new_rotation_button):
            actions.addWidget(widget)
        top = QVBoxLayout()
        top.addLayout(navigation)
        top.addLayout(actions)
        self.message = MessageBar(self)
        self.calendar = RotaCalendar(self)
        self.calendar.day_selected.connect(self.show_day)
        self.day_title = QLabel("Select a day.")
        self.day_title.setWordWrap(True)
        self.day_shifts = QListWidget(self)
        self.day_shifts.setAccessibleName("Shifts of the day")
        self.day_shifts.setWordWrap(True)
        self.day_shifts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.day_shifts.setSpacing(2)
        self.cannot_cover_button = QPushButton("I can't cover…")
        self.cannot_cover_button.clicked.connect(self.cannot_cover)
        self.swap_button = QPushButton("Ask for a swap…")
        self.swap_button.clicked.connect(self.request_swap)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.day_title)
        side_layout.addWidget(self.day_shifts, 1)
        side_layout.addWidget(self.cannot_cover_button)
        side_layout.addWidget(self.swap_button)
        self.warnings = QListWidget(self)
        self.warnings.setAccessibleName("On-call warnings")
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
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.warnings, "Warnings")
        self.tabs.addTab(requests_box, "Requests")
        self.tabs.addTab(
            fairness_box, f"Fairness (last {words.days(ctx.policy.oncall.fairness_window_days)})"
        )
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.calendar)
        left.addWidget(self.tabs)
        left.setSizes([520, 240])
        main = QSplitter(Qt.Orientation.Horizontal, self)
        main.addWidget(left)
        main.addWidget(side)
        main.setSizes([1000, 320])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(main, 1)
        ctx.events.changed.connect(lambda *_: self.refresh())

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

    def _show_warnings(self) -> None:
        assert self.view is not None
        self.warnings.clear()
        for warning in self.view.warnings:
            self.warnings.addItem(f"⚠ {warning.text}")
        if not self.view.warnings:
            self.warnings.addItem("No gaps, fatigue or uncovered leave in these days.")
        self.tabs.setTabText(0, f"Warnings ({len(self.view.warnings)})")

    def _show_requests(self) -> None:
        assert self.view is not None
        self.requests.clear()
        for request in self.view.requests:
            item = QListWidgetItem(request.text)
            item.setData(Qt.ItemDataRole.UserRole, (request.kind, request.id))
            self.requests.addItem(item)
        self.tabs.setTabText(1, f"Requests ({len(self.view.requests)})")

    def _show_fairness(self) -> None:
        assert self.view is not None
        rows = self.view.fairness
        self.fairness_table.setRowCount(len(rows))
        for r, (name, load) in enumerate(rows):
            values = (
                name,
                f"{load.hours:.0f}",
                str(load.nights),
                f"{load.weekend_hours:.0f}",
                f"{load.holiday_hours:.0f}",
            )
            for c, value in enumerate(values):
                self.fairness_table.setItem(r, c, QTableWidgetItem(value))
        low, high, gap = spread([load.hours for _name, load in rows])
        self.fairness_note.setText(f"Hours on call range from {low:.0f} to {high:.0f} (spread {gap:.0f} h).")

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
        self.day_title.setText(f"<b>{day.day:%A %d %B %Y}</b>")
        self.day_shifts.clear()
        tz = ZoneInfo(self.view.zone if self.view else "UTC")
        for shift in day.shifts:
            start, end = shift.starts_at.astimezone(tz), shift.ends_at.astimezone(tz)
            text = f"{shift.primary}: {start:%a %d %b %H:%M} – {end:%a %d %b %H:%M}"
            if shift.covering:
                text += " (covering)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, shift.shift_id)
            self.day_shifts.addItem(item)
        for name in day.leave:
            self.day_shifts.addItem(QListWidgetItem(f"Leave: {name}"))
        for warning in day.warnings:
            self.day_shifts.addItem(QListWidgetItem(f"⚠ {warning}"))
        if self.day_shifts.count():
            self.day_shifts.setCurrentRow(0)

    def open_record(self, kind: str, record_id: str) -> None:
        self.activate()

    # -- acting ---------------------------------------------------------------------------------------
    def _selected_shift(self) -> str | None:
        item = self.day_shifts.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            self.message.show_message("select a day and a shift first", "warn", seconds=6)
            return None
        return item.data(Qt.ItemDataRole.UserRole)

    def _write(self, service: Any, *args: Any, done: str | Callable[[Any], str] = "") -> Operation[Any]:
        """An on-call write: the rota changes, and the page says what was done."""
        operation = self.ctx.op(service, *args).changes("shift", "").failure(self._refuse).owner(self)
        return operation.tell(done, self._tell) if done else operation

    def _tell(self, text: str) -> None:
        self.message.show_message(text, "ok", seconds=8)

    def _refuse(self, text: str) -> None:
        self.message.show_message(text, "alarm")

    def cannot_cover(self) -> None:
        shift_id = self._selected_shift()
        if shift_id is None:
            return
        reasons = [(r, t) for r, t in enum_choices(OverrideReason) if r in COVER_REASONS]
        fields: dict[str, Field] = {"reason": ChoiceField("Why", reasons, required=True)}

        def save(values: dict[str, Any]) -> Operation[str]:
            return self._write(oncall_cover.cannot_cover, shift_id, values["reason"])

        dialog = RecordDialog(
            "I can't cover",
            fields,
            save,
            self,
            save_text="Ask for cover",
            intro="A cover request goes to your supervisor with the colleagues ranked by who can "
            "take it: not on leave, rested, and with the fewest on-call hours lately.",
        )
        if dialog.exec():
            ranked = self.ctx.read(oncall_cover.ranked_replacements, dialog.result_value)
            best = (
                ", ".join(
                    f"{self.view.names.get(c.person_id, '?')} ({c.hours_last_window:.0f} h)"
                    for c in ranked
                    if c.eligible
                )[:300]
                if self.view
                else ""
            )
            self._tell(
                f"Cover requested. Best placed: {best or 'nobody eligible — your supervisor will decide'}."
            )

    def approve(self) -> None:
        item = self.requests.currentItem()
        if item is None:
            self.message.show_message("select a request first", "warn", seconds=6)
            return
        kind, request_id = item.data(Qt.ItemDataRole.UserRole)
        if kind == "swap":
            self._write(oncall_cover.approve_swap, request_id, done="Swap approved.").run()
            return
        ranked = self.ctx.read(oncall_cover.ranked_replacements, request_id)
        names = self.view.names if self.view else {}
        window = self.ctx.policy.oncall.fairness_window_days
        choices = [
            (c.person_id, f"{names.get(c.person_id, '?')} — {c.hours_last_window:.0f} h in {window} days"
             + ("" if c.eligible else f" (not eligible: {'; '.join(c.reasons)})"))
            for c in ranked
        ]  # fmt: skip
        fields: dict[str, Field] = {"covering": ChoiceField("Who covers", choices, required=True)}

        def save(values: dict[str, Any]) -> Operation[None]:
            return self._write(
                oncall_cover.approve_cover, request_id, values["covering"], done="Cover approved."
            )

        RecordDialog(
            "Approve cover",
            fields,
            save,
            self,
            save_text="Approve",
            intro="Ranked best first: eligible colleagues with the fewest recent hours.",
        ).exec()

    def decline(self) -> None:
        item = self.requests.currentItem()
        if item is None:
            return
        kind, request_id = item.data(Qt.ItemDataRole.UserRole)
        service = oncall_cover.decline_swap if kind == "swap" else oncall_cover.decline_cover
        self._write(service, request_id, done="Request declined.").run()

    def request_swap(self) -> None:
        shift_id = self._selected_shift()
        if shift_id is None or self.view is None:
            return
        people = [(p, n) for p, n in self.view.names.items() if p != self.ctx.actor.user_id]
        fields: dict[str, Field] = {"with_user_id": ChoiceField("Swap with", people, required=True)}

        def save(values: dict[str, Any]) -> Operation[str]:
            done = "Swap requested; your supervisor approves it."
            return self._write(oncall_cover.request_swap, shift_id, values["with_user_id"], done=done)

        RecordDialog("Ask for a swap", fields, save, self, save_text="Ask").exec()

    def enter_leave(self) -> None:
        people = [(self.ctx.actor.user_id, f"{self.ctx.actor.name} (me)")]
        if self.supervisor:
            people += self.ctx.read(reads.manager_choices, self.ctx.actor.field_office_id)
        start = datetime.combine(self.ctx.now().date() + timedelta(days=1), time(0), tzinfo=UTC)
        fields: dict[str, Field] = {
            "user_id": ChoiceField("Who", people, required=True),
            "starts_at": DateTimeField("From", required=True),
            "ends_at": DateTimeField("Until", required=True),
            "kind": ChoiceField("Kind", enum_choices(LeaveKind), required=True),
        }
        fields["starts_at"].set_value(start)  # type: ignore[attr-defined]
        fields["ends_at"].set_value(start + timedelta(days=1))  # type: ignore[attr-defined]

        def save(v: dict[str, Any]) -> Operation[str]:
            done = "Leave entered; cover requested for the shifts it touches."
            return self._write(
                oncall_cover.enter_leave, v["user_id"], v["starts_at"], v["ends_at"], v["kind"], done=done
            )

        RecordDialog(
            "Enter leave",
            fields,
            save,
            self,
            save_text="Enter",
            intro="Any on-call shift in this leave gets a cover request at once.",
        ).exec()

    def new_rotation(self) -> None:
        people = self.ctx.read(reads.manager_choices, self.ctx.actor.field_office_id)
        zones = [
            (z, z)
            for z in sorted(available_timezones())
            if z.startswith("America/") or z.startswith("Pacific/")
        ]
        fields: dict[str, Field] = {
            "name": TextField("Name", required=True, max_length=200),
            "members": MembersField("Members in order", people),
            "starts_on": DateField("First shift on", required=True),
            "handoff_weekday": ChoiceField("Handoff day", WEEKDAY_CHOICES, required=True),
            "handoff_time": TextField("Handoff time", required=True, max_length=5),
            "shift_hours": IntField("Shift length (hours)", 1, oncall.MAX_SHIFT_HOURS, required=True),
            "timezone": ChoiceField("Time zone", zones, required=True),
        }
        fields["handoff_time"].set_value("08:00")  # type: ignore[attr-defined]
        fields["shift_hours"].set_value(168)  # type: ignore[attr-defined]
        fields["starts_on"].set_value(self.ctx.now().date())  # type: ignore[attr-defined]
        fields["timezone"].set_value("America/New_York")  # type: ignore[attr-defined]

        def save(v: dict[str, Any]) -> str:
            data = oncall.RotationInput(
                field_office_id=self.ctx.actor.field_office_id or "",
                name=v["name"],
                members=v["members"] or [],
                starts_on=v["starts_on"],
                handoff_weekday=v["handoff_weekday"],
                handoff_time=v["handoff_time"],
                shift_hours=v["shift_hours"],
                timezone=v["timezone"],
            )
            return self._write(
                oncall.create_rotation, data, done="Rotation created: generate its shifts next."
            )

        dialog = RecordDialog("New rotation", fields, save, self, save_text="Create")
        if dialog.exec():
            self.rotation.clear()
            self._fill_rotations()
            self.rotation.setCurrentIndex(self.rotation.findData(dialog.result_value))

    def export_calendar(self, path: str | None = None) -> Path | None:
        """A manager's own shifts (a supervisor's: every shift of his office) as an .ics file."""
        if path is None:
            start = Path(self.ctx.settings.last_export_dir or Path.home()) / "on-call.ics"
            path, _ = QFileDialog.getSaveFileName(
                self, "Export on-call calendar", str(start), "Calendar (*.ics)"
            )
            if not path:
                return None
        target = Path(path)
        user_id = self.ctx.actor.user_id if self.ctx.actor.role is Role.MANAGER else None
        now = self.ctx.now()
        calendar = self.ctx.read(reads.oncall_calendar, *default_window(now), user_id)
        try:
            target.write_bytes(calendar.to_ical())
        except OSError as exc:
            self.message.show_message(f"could not write {target}: {exc.strerror or exc}", "alarm")
            return None
        self.ctx.settings.last_export_dir = str(target.parent)
        self.message.show_message(
            f"{len(calendar.walk('VEVENT'))} shifts written to {target}", "ok", seconds=8
        )
        return target

    def holiday_exception(self, day: date | None = None) -> None:
        rotation_id = self.rotation.currentData()
        if rotation_id is None or self.view is None:
            return
        people = [(None, "— remove the exception —")] + [(p, n) for p, n in self.view.names.items()]
        selected = self.calendar.currentRow() * 7 + self.calendar.currentColumn()
        default = day or (
            self.view.days[selected].day if 0 <= selected < len(self.view.days) else self.anchor
        )
        fields: dict[str, Field] = {
            "day": DateField("Day", required=True),
            "person_id": ChoiceField("On call all day", people, required=False),
        }
        fields["day"].set_value(default)  # type: ignore[attr-defined]

        def save(v: dict[str, Any]) -> Operation[Any]:
            done = "Holiday exception set."
            return self._write(
                oncall_cover.holiday_exception, rotation_id, v["day"], v["person_id"], done=done
            )

        intro = "The person chosen is primary for the whole day (local time), whatever the rota says."
        RecordDialog("Holiday exception", fields, save, self, intro=intro, save_text="Set").exec()

    def generate(self) -> None:
        rotation_id = self.rotation.currentData()
        if rotation_id is None:
            return
        today = self.ctx.now().date()
        fields: dict[str, Field] = {
            "start": DateField("From", required=True),
            "end": DateField("Until", required=True),
        }
        fields["start"].set_value(today)  # type: ignore[attr-defined]
        fields["end"].set_value(today + timedelta(weeks=13))  # type: ignore[attr-defined]

        def save(v: dict[str, Any]) -> Operation[Any]:
            start = datetime.combine(v["start"], time(0), tzinfo=UTC)
            end = datetime.combine(v["end"], time(0), tzinfo=UTC)
            return self._write(oncall.generate_rotation_shifts, rotation_id, start, end, done=_generated)

        dialog = RecordDialog(
            "Generate shifts",
            fields,
            save,
            self,
            save_text="Generate",
            intro="Shifts already changed by hand or by a cover are kept as they are.",
        )
        dialog.exec()


def _generated(done: Any) -> str:
    return (
        f"{done.created} shifts created, {done.updated} corrected, {done.removed} removed, {done.kept} kept."
    )
