"""The Training page: initial-course classes with their seats, and the officers waiting."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget

from pm_desk.domain.enums import EnrollmentResult, Role
from pm_desk.services import reads, training
from pm_desk.store.queries.details import Detail
from pm_desk.store.queries.training_lists import CLASSES, QUEUE
from pm_desk.ui.dialogs.caseload_forms import enum_choices
from pm_desk.ui.dialogs.officer_forms import class_fields
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.operations import Operation
from pm_desk.ui.pages.base import Action, ListPage
from pm_desk.ui.widgets.fields import ChoiceField, DateField, Field, IntField, TextField
from pm_desk.ui.widgets.list_panel import ListPanel


def class_form() -> dict[str, Field]:
    return {
        "location": TextField("Location", required=True, max_length=200),
        "starts_on": DateField("Starts", required=True),
        "ends_on": DateField("Ends", required=True),
        "seats": IntField("Seats", 1, training.MAX_SEATS, required=True),
    }


class TrainingPage(ListPage):
    name = "training"
    title = "Training"
    spec = CLASSES
    kind = "training_class"
    kinds = ("training_class", "enrollment")
    new_label = "New class…"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        can_schedule = ctx.actor.role in {Role.SUPERVISOR, Role.ADMIN}
        self.new_button.setEnabled(can_schedule)
        if not can_schedule:
            self.new_button.setToolTip("Supervisors and administrators schedule classes")
        self.queue.current_changed.connect(self.show_waiting)
        self.queue.activated.connect(self.enroll)

    def make_list(self) -> ListPanel:
        self.classes = ListPanel(self.ctx, CLASSES, self.ctx.scope(self.ctx.settings.show_field_office), self)
        self.queue = ListPanel(self.ctx, QUEUE, self.ctx.scope(self.ctx.settings.show_field_office), self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.classes, "Classes")
        self.tabs.addTab(self.queue, "Waiting for initial training")
        self.tabs.currentChanged.connect(lambda _i: self.current_list().load())
        return self.classes

    def list_container(self) -> QWidget:
        return self.tabs

    def current_list(self) -> ListPanel:
        return self.queue if self.tabs.currentWidget() is self.queue else self.classes

    def load(self) -> None:
        self.classes.load()
        self.queue.load()

    def _scope_toggled(self, on: bool) -> None:
        super()._scope_toggled(on)
        self.queue.set_scope(self.ctx.scope(on))

    def _on_changed(self, kind: str, record_id: str) -> None:
        if self._loaded:
            self.queue.refresh()
        super()._on_changed(kind, record_id)

    def focus_filter(self) -> None:
        self.current_list().focus_filter()

    def export(self, kind: str) -> None:
        self.current_list().export(kind)

    def show_waiting(self, officer_id: str) -> None:
        if not officer_id:
            return
        detail = self.ctx.read(reads.record_detail, "officer", officer_id)
        if detail is not None:
            self.detail.show_detail(detail, [("Enroll in class…", lambda: self.enroll(officer_id))])

    def show_record(self, record_id: str) -> None:
        if record_id and self.tabs.currentWidget() is self.queue:
            self.show_waiting(record_id)
            return
        super().show_record(record_id)

    def actions_for(self, detail: Detail) -> list[Action]:
        if detail.kind != "training_class":
            return []
        return [
            ("Edit…", lambda: self.edit_record(detail.id)),
            ("Record result…", lambda: self.record_result_of_selected()),
        ]

    def new_record(self) -> None:
        def save(values: dict[str, Any]) -> Operation[str]:
            return self.op(
                training.create_class,
                values["location"],
                values["starts_on"],
                values["ends_on"],
                values["seats"],
            )

        if self.create_form("New class", "training_class", class_form(), save):
            self.tell("Class scheduled.")

    def edit_record(self, record_id: str) -> None:
        if self.tabs.currentWidget() is self.queue:
            self.enroll(record_id)
            return
        values = self.ctx.read(reads.record_values, "training_class", record_id)
        if values is None:
            return

        def save(v: dict[str, Any], version: int) -> Operation[int]:
            return self.op(
                training.update_class,
                record_id,
                v["location"],
                v["starts_on"],
                v["ends_on"],
                v["seats"],
                version,
            )

        self.edit_form(
            "Edit class", "training_class", record_id, class_form(), values, save, values["version"]
        )

    def enroll(self, officer_id: str) -> None:
        classes = self.ctx.read(reads.class_choices, self.ctx.now().date())

        def save(values: dict[str, Any]) -> Operation[str]:
            return (
                self.op(training.enroll_officer, officer_id, values["class_id"])
                .changes("enrollment", lambda enrollment_id: enrollment_id)
                .tell("Officer enrolled; the seat is held.", self.tell)
            )

        RecordDialog(
            "Enroll in initial training", class_fields(classes), save, self, save_text="Enroll"
        ).exec()

    def open_record(self, kind: str, record_id: str) -> None:
        self.activate()
        if kind == "enrollment":
            self.record_result(record_id)
            return
        super().open_record(kind, record_id)

    def on_section_activated(self, kind: str, record_id: str) -> None:
        if kind == "enrollment":
            self.record_result(record_id)

    def record_result_of_selected(self) -> None:
        table = self.detail.section_table("Enrolled officers")
        if table is None or table.currentRow() < 0:
            self.refuse("select an enrolled officer in the list on the right first")
            return
        self.record_result(table.property("section_ids")[table.currentRow()])

    def record_result(self, enrollment_id: str) -> None:
        results = [(r, t) for r, t in enum_choices(EnrollmentResult) if r is not EnrollmentResult.ENROLLED]
        fields: dict[str, Field] = {
            "result": ChoiceField("Result", results, required=True),
            "completed_on": DateField("Completed on (if completed)"),
        }

        def save(values: dict[str, Any]) -> Operation[None]:
            result, completed_on = values["result"], values["completed_on"]
            return (
                self.op(training.record_enrollment_result, enrollment_id, result, completed_on)
                .changes("enrollment", enrollment_id)
                .tell("Result recorded.", self.tell)
            )

        RecordDialog("Record training result", fields, save, self, save_text="Record").exec()
