"""What the On-call page does: cover asked and approved, swaps, leave, rotations, holiday
exceptions, generating shifts and the calendar file. Mixed into `OnCallPage`, which holds the
rota shown (`view`), the day chosen and the message bar; every write is an operation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from pm_desk.domain.enums import OnCallRole, Role
from pm_desk.handling import write_private
from pm_desk.services import oncall, oncall_cover, reads
from pm_desk.services.oncall_ics import default_window
from pm_desk.ui.dialogs import oncall_forms as forms
from pm_desk.ui.operations import Operation

ITEM = Qt.ItemDataRole.UserRole  # what a list item is: ("shift", id, person) or ("gap", GapRef)


class RotaActions:
    """The page's actions (a mixin of `OnCallPage`: it provides `ctx`, `view`, `supervisor`,
    `selected_day`, `day_shifts`, `requests`, `rotation` and `message`)."""

    ctx: Any
    view: Any
    supervisor: bool
    selected_day: date | None
    day_shifts: Any
    requests: Any
    rotation: Any
    message: Any

    def _selected_shift(self) -> tuple[str, str] | None:
        item = self.day_shifts.currentItem()
        data = item.data(ITEM) if item is not None else None
        if not (isinstance(data, tuple) and data[0] == "shift"):
            shifts = [self.day_shifts.item(i).data(ITEM) for i in range(self.day_shifts.count())]
            data = next((d for d in shifts if isinstance(d, tuple) and d[0] == "shift"), None)
        if data is None:
            self.message.show_message("select a day with a shift first", "warn", seconds=6)
            return None
        return data[1], data[2]

    def _day(self) -> date:
        return self.selected_day or self.ctx.now().date()

    def _zone(self) -> str:
        return self.view.zone if self.view else "UTC"

    def _write(self, service: Any, *args: Any, done: str | Callable[[Any], str] = "") -> Operation[Any]:
        """An on-call write: the rota changes, and the page says what was done."""
        operation = self.ctx.op(service, *args).changes("shift", "").failure(self._refuse).owner(self)
        return operation.tell(done, self._tell) if done else operation

    def _tell(self, text: str) -> None:
        self.message.show_message(text, "ok", seconds=8)

    def _refuse(self, text: str) -> None:
        self.message.show_message(text, "alarm")

    def cannot_cover(self) -> None:
        selected = self._selected_shift()
        if selected is None or self.view is None:
            return
        shift_id, holder = selected
        people = [(p, self.view.names.get(p, "?")) for p in self.view.members] if self.supervisor else []

        def save(v: dict[str, Any]) -> Operation[str]:
            person = v.get("person_id")
            return self._write(oncall_cover.cannot_cover, shift_id, v["reason"], v["starts_at"], v["ends_at"],
                               v["roles"], person)  # fmt: skip

        dialog = forms.cannot_cover_dialog(
            self, self._zone(), self._day(), self.ctx.now(), save, people, holder
        )
        if dialog.exec():
            primary = self.ctx.read(oncall_cover.ranked_replacements, dialog.result_value)
            best = ", ".join(f"{self.view.names.get(c.person_id, '?')} ({c.hours_last_window:.0f} h)"
                             for c in primary if c.eligible)[:300]  # fmt: skip
            self._tell(
                f"Cover requested. Best placed: {best or 'nobody eligible — your supervisor will decide'}."
            )

    def approve(self) -> None:
        item = self.requests.currentItem()
        if item is None:
            self.message.show_message("select a request first", "warn", seconds=6)
            return
        kind, request_id = item.data(ITEM)
        if kind == "swap":
            self._write(oncall_cover.approve_swap, request_id, done="Swap approved.").run()
            return
        primary = self.ctx.read(oncall_cover.ranked_replacements, request_id, OnCallRole.PRIMARY)
        backup = self.ctx.read(oncall_cover.ranked_replacements, request_id, OnCallRole.BACKUP)

        def save(v: dict[str, Any]) -> Operation[None]:
            return self._write(oncall_cover.approve_cover, request_id, v.get("covering"), v.get("backup"),
                               done="Cover approved.")  # fmt: skip

        names = self.view.names if self.view else {}
        window = self.ctx.policy.oncall.fairness_window_days
        forms.approve_dialog(self, names, primary, backup, window, save).exec()

    def decline(self) -> None:
        item = self.requests.currentItem()
        if item is None:
            return
        kind, request_id = item.data(ITEM)
        service = oncall_cover.decline_swap if kind == "swap" else oncall_cover.decline_cover
        self._write(service, request_id, done="Request declined.").run()

    def request_swap(self) -> None:
        selected = self._selected_shift()
        if selected is None or self.view is None:
            return
        people = [(p, n) for p, n in self.view.names.items() if p != self.ctx.actor.user_id]

        def save(v: dict[str, Any]) -> Operation[str]:
            done = "Swap requested; your supervisor approves it."
            return self._write(oncall_cover.request_swap, selected[0], v["with_user_id"], done=done)

        forms.swap_dialog(self, people, save).exec()

    def enter_leave(self, day: date | None = None) -> None:
        people = [(self.ctx.actor.user_id, f"{self.ctx.actor.name} (me)")]
        if self.supervisor:
            people += self.ctx.read(reads.manager_choices, self.ctx.actor.field_office_id)

        def save(v: dict[str, Any]) -> Operation[str]:
            done = "Leave entered; cover requested for every role it takes the person off."
            stretch = (v["starts_at"], v["ends_at"])
            return self._write(oncall_cover.enter_leave, v["user_id"], *stretch, v["kind"], done=done)

        forms.leave_dialog(self, people, self._zone(), day or self._day(), self.ctx.now(), save).exec()

    def new_rotation(self) -> None:
        people = self.ctx.read(reads.manager_choices, self.ctx.actor.field_office_id)

        def save(v: dict[str, Any]) -> Operation[str]:
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

        dialog = forms.rotation_dialog(self, people, self.ctx.now().date(), save)
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
        calendar = self.ctx.read(reads.oncall_calendar, *default_window(self.ctx.now()), user_id)
        try:
            write_private(target, calendar.to_ical())
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

        def save(v: dict[str, Any]) -> Operation[Any]:
            return self._write(oncall_cover.holiday_exception, rotation_id, v["day"], v["person_id"],
                               done="Holiday exception set.")  # fmt: skip

        people = list(self.view.names.items())
        forms.holiday_dialog(self, people, day or self._day(), save).exec()

    def generate(self) -> None:
        rotation_id = self.rotation.currentData()
        if rotation_id is None:
            return

        def save(v: dict[str, Any]) -> Operation[Any]:
            start = datetime.combine(v["start"], time(0), tzinfo=UTC)
            end = datetime.combine(v["end"], time(0), tzinfo=UTC)
            return self._write(oncall.generate_rotation_shifts, rotation_id, start, end, done=_generated)

        forms.generate_dialog(self, self.ctx.now().date(), save).exec()


def _generated(done: Any) -> str:
    return (
        f"{done.created} shifts created, {done.updated} corrected, {done.removed} removed, {done.kept} kept."
    )
