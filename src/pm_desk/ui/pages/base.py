"""A caseload page: a list, the selected record's details, and the actions on it.

Subclasses name their list spec and record kind and provide `new_record`, `edit_record` and the
actions for a record; the base wires filter, scope switch, refresh on change, and navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pm_desk.domain.enums import Role
from pm_desk.services import reads
from pm_desk.services.reminders import SUBJECT_KINDS
from pm_desk.services.trash import DELETABLE, delete_record, restore_record
from pm_desk.store.queries.details import Detail
from pm_desk.store.queries.listing import ListSpec
from pm_desk.ui.context import AppContext
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.dialogs.reminder_form import new_reminder
from pm_desk.ui.operations import Operation, Outcome, Versions
from pm_desk.ui.widgets.detail_panel import DetailPanel
from pm_desk.ui.widgets.fields import Field
from pm_desk.ui.widgets.list_panel import ListPanel
from pm_desk.ui.widgets.message_bar import MessageBar

Action = tuple[str, Callable[[], None]]
T = TypeVar("T")


class Page(QWidget):
    """Anything shown in the content area."""

    name = ""
    title = ""
    kinds: tuple[str, ...] = ()  # record kinds this page can open
    loaded = Signal()  # what the page read in the background has arrived and is shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loaded = False

    def activate(self) -> None:
        """Called when the page is shown; loads it the first time."""
        if not self._loaded:
            self._loaded = True
            self.load()

    def load(self) -> None:
        pass

    def read_in_background(self, read: Callable[[], T], show: Callable[[T], None]) -> None:
        """Read on the database worker (after any write in progress) and show what arrives; the
        window keeps answering meanwhile. A read that fails says so on the status bar."""

        def arrived(outcome: Outcome[T]) -> None:
            if outcome.ok:
                show(outcome.value)  # type: ignore[arg-type]
            else:
                self.ctx.events.failed.emit(f"{self.title} could not be read: {outcome.message}")
            self.loaded.emit()

        self.ctx.ops.submit(read, arrived, owner=self)

    def refresh(self) -> None:
        if self._loaded:
            self.load()

    def open_record(self, kind: str, record_id: str) -> None:
        pass

    def focus_filter(self) -> None:
        pass

    def new_record(self) -> None:
        pass

    def edit_current(self) -> None:
        pass

    def export(self, kind: str) -> None:
        pass

    def save_state(self) -> None:
        """Keep column layout and splitter positions for the next run."""


class ListPage(Page):
    spec: ListSpec
    kind = ""
    new_label = "New…"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kinds = self.kinds or (self.kind,)
        self.toolbar = QHBoxLayout()
        heading = QLabel(f"<h2>{self.title}</h2>")
        self.toolbar.addWidget(heading)
        self.toolbar.addStretch(1)
        self.scope_switch = QCheckBox("Whole field office")
        self.scope_switch.setToolTip("Show every agreement of the field office, not only your caseload")
        self.scope_switch.setVisible(ctx.actor.role is Role.MANAGER)
        self.scope_switch.setChecked(ctx.settings.show_field_office)
        self.scope_switch.toggled.connect(self._scope_toggled)
        self.toolbar.addWidget(self.scope_switch)
        self.new_button = QPushButton(self.new_label)
        self.new_button.clicked.connect(self.new_record)
        self.new_button.setAccessibleName(self.new_label.rstrip("…"))
        self.toolbar.addWidget(self.new_button)
        self.list = self.make_list()
        self.detail = DetailPanel(self)
        self.detail.section_activated.connect(self.on_section_activated)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_container())
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 360])
        saved = ctx.settings.geometry(f"splitter/{self.name}")
        if saved is not None:
            self.splitter.restoreState(saved)
        self.list.current_changed.connect(self.show_record)
        self.list.activated.connect(self.edit_record)
        self.message = MessageBar(self)
        self._detail_asked = 0
        layout = QVBoxLayout(self)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        ctx.events.changed.connect(self._on_changed)

    def make_list(self) -> ListPanel:
        return ListPanel(self.ctx, self.spec, self.ctx.scope(self.ctx.settings.show_field_office), self)

    def save_state(self) -> None:
        self.ctx.settings.set_geometry(f"splitter/{self.name}", self.splitter.saveState())
        for panel in self.findChildren(ListPanel):
            panel.save_state()

    def list_container(self) -> QWidget:
        return self.list

    def load(self) -> None:
        self.list.load()

    def _scope_toggled(self, on: bool) -> None:
        self.ctx.settings.show_field_office = on
        self.list.set_scope(self.ctx.scope(on))

    def _on_changed(self, kind: str, record_id: str) -> None:
        if not self._loaded:
            return
        self.list.refresh()
        if self.detail.detail is not None:
            self.show_record(self.detail.detail.id)

    # -- records ----------------------------------------------------------------------------
    def current_id(self) -> str | None:
        return self.list.current_id()

    def show_record(self, record_id: str) -> None:
        if not record_id:
            self.detail.show_empty(
                f"Select a record to see its details, or press {self.new_label.rstrip('…')}."
            )
            return
        self._detail_asked += 1
        asked, kind, ctx = self._detail_asked, self.kind, self.ctx

        def read() -> Detail | None:
            detail = ctx.read(reads.record_detail, kind, record_id)
            if detail is not None:
                self.decorate(detail)
            return detail

        def arrived(outcome: Outcome[Detail | None]) -> None:
            if asked == self._detail_asked:  # not overtaken by another selection
                self._show_detail(outcome)

        self.ctx.ops.submit(read, arrived, owner=self)

    def _show_detail(self, outcome: Outcome[Detail | None]) -> None:
        detail = outcome.value
        if not outcome.ok:
            self.refuse(outcome.message)
            return
        if detail is None:
            self.detail.show_empty("This record no longer exists.")
            return
        actions = self.actions_for(detail)
        if detail.kind in SUBJECT_KINDS:
            actions = [*actions, ("Remind me…", lambda: self.remind_about(detail))]
        self.detail.show_detail(detail, actions)

    def decorate(self, detail: Detail) -> None:
        """Add what only the rules or services can say to a record's detail before it is shown.
        Runs on the database worker with the read: it may read, never touch a widget."""

    def actions_for(self, detail: Detail) -> list[Action]:
        return [("Edit…", lambda: self.edit_record(detail.id))]

    def remind_about(self, detail: Detail) -> str | None:
        """A reminder of one's own about this record (it shows on the Reminders page)."""
        reminder_id = new_reminder(self.ctx, self, (detail.kind, detail.id), detail.title)
        if reminder_id:
            self.tell(f"Reminder saved for {detail.title}: see the Reminders page.")
        return reminder_id

    def open_record(self, kind: str, record_id: str) -> None:
        self.activate()
        if kind == self.kind and not self.list.select_id(record_id):
            self.show_record(record_id)

    def focus_filter(self) -> None:
        self.list.focus_filter()

    def edit_current(self) -> None:
        record_id = self.current_id()
        if record_id:
            self.edit_record(record_id)

    def edit_record(self, record_id: str) -> None:
        pass

    def on_section_activated(self, kind: str, record_id: str) -> None:
        pass

    def export(self, kind: str) -> None:
        self.list.export(kind)

    # -- running operations ---------------------------------------------------------------------
    def op(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> Operation[T]:
        """A write as the acting user; a refusal is shown on this page."""
        return self.ctx.op(service, *args, **kwargs).failure(self.refuse).owner(self)

    def refuse(self, message: str) -> None:
        self.message.show_message(message, "alarm")

    def tell(self, message: str) -> None:
        self.message.show_message(message, "ok", seconds=8)

    def edit_form(
        self,
        title: str,
        kind: str,
        record_id: str,
        fields: dict[str, Field],
        before: dict[str, Any],
        save: Callable[[dict[str, Any], int], Operation[int]],
        version: int,
    ) -> bool:
        """Show a form filled with `before`; save through the operation `save(values, expected
        version)` (which gives the new version), undoable by saving `before` back."""
        for name, field in fields.items():
            if name in before:
                field.set_value(before[name])  # type: ignore[attr-defined]

        def submit(values: dict[str, Any]) -> Operation[Any]:
            # Each save says which version it was made on: the one the form was opened with, then
            # the one the last save, undo or redo left (a service returns it).
            seen = Versions(version)
            again = lambda _result: seen.track(save(values, seen.current)).changes(kind, record_id)  # noqa: E731
            back = lambda _result: seen.track(save(before, seen.current)).changes(kind, record_id)  # noqa: E731
            first = seen.track(save(values, version)).changes(kind, record_id)
            return first.undoable(title.lower(), again, back)

        return bool(RecordDialog(title, fields, submit, self).exec())

    def create_form(
        self,
        title: str,
        kind: str,
        fields: dict[str, Field],
        save: Callable[[dict[str, Any]], Operation[str]],
        intro: str = "",
    ) -> str | None:
        """Show an empty form; on save, select the new record and make its creation undoable."""

        def submit(values: dict[str, Any]) -> Operation[str]:
            operation = save(values).changes(kind, lambda record_id: record_id)
            if kind in DELETABLE:
                operation.undoable(
                    title.lower(),
                    lambda record_id: self.op(restore_record, kind, record_id).changes(kind, record_id),
                    lambda record_id: self.op(delete_record, kind, record_id).changes(kind, record_id),
                )
            return operation

        dialog = RecordDialog(title, fields, submit, self, intro=intro)
        if not dialog.exec():
            return None
        record_id: str = dialog.result_value
        if kind == self.kind:
            self.list.select_when_shown(record_id)
        return record_id

    def delete(self, kind: str, record_id: str, what: str) -> None:
        if not self.confirm(f"Delete {what}?", "You can undo this with Edit → Undo."):
            return
        self.op(delete_record, kind, record_id).changes(kind, record_id).undoable(
            f"delete {kind.replace('_', ' ')}",
            lambda _none: self.op(delete_record, kind, record_id).changes(kind, record_id),
            lambda _none: self.op(restore_record, kind, record_id).changes(kind, record_id),
        ).tell(f"Deleted {what}. Edit → Undo brings it back.", self.tell).run()

    def confirm(self, question: str, detail: str = "") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.title, question, parent=self)
        if detail:
            box.setInformativeText(detail)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes
