"""The Officers page: designated officers with their authority and training state."""

from __future__ import annotations

from typing import Any

from pm_desk.domain.enums import AuthorityStatus, label
from pm_desk.services import officers, training
from pm_desk.services.trash import delete_record, restore_record
from pm_desk.store.queries.caseload_lists import OFFICERS
from pm_desk.store.queries.choices import agreement_choices, class_choices
from pm_desk.store.queries.details import Detail
from pm_desk.store.queries.records import record_values
from pm_desk.ui.dialogs.officer_forms import (
    authority_fields,
    class_fields,
    officer_fields,
    officer_input,
    officer_values,
    reason_fields,
    training_fields,
)
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.pages.base import Action, ListPage


class OfficersPage(ListPage):
    name = "officers"
    title = "Officers"
    spec = OFFICERS
    kind = "officer"
    new_label = "New officer…"

    def actions_for(self, detail: Detail) -> list[Action]:
        status = detail.raw["authority_status"]
        actions: list[Action] = [("Edit…", lambda: self.edit_record(detail.id))]
        if status is AuthorityStatus.AUTHORIZED:
            actions.append(("Record refresher…", lambda: self.record_training(detail.id)))
            actions.append(("Revoke authority…", lambda: self.revoke(detail.id)))
        if status in {AuthorityStatus.NOMINATED, AuthorityStatus.IN_TRAINING}:
            actions.append(("Enroll in class…", lambda: self.enroll(detail.id)))
        actions.append(("Change authority…", lambda: self.change_authority(detail.id, status)))
        return actions

    def on_section_activated(self, kind: str, record_id: str) -> None:
        if kind == "enrollment":
            self.ctx.events.navigate.emit("enrollment", record_id)

    def new_record(self) -> None:
        agreements = self.ctx.session_read(agreement_choices, self.ctx.scope(False))
        fields = officer_fields(agreements)
        current = self.detail.detail
        if current is not None and current.agreement_id:
            fields["agreement_id"].set_value(current.agreement_id)  # type: ignore[attr-defined]

        def save(values: dict[str, Any]) -> str:
            return self.ctx.call(officers.create_officer, officer_input(values, ""))

        if self.create_form("New officer", "officer", fields, save):
            self.tell("Officer nominated.")

    def edit_record(self, record_id: str) -> None:
        officer = self.ctx.session_read(record_values, "officer", record_id)
        if officer is None:
            return
        agreement_id = officer["agreement_id"]

        def save(values: dict[str, Any], version: int | None) -> None:
            self.ctx.call(officers.update_officer, record_id, officer_input(values, agreement_id), version)

        self.edit_form(
            "Edit officer",
            "officer",
            record_id,
            officer_fields(None),
            officer_values(officer),
            save,
            officer["version"],
        )

    def record_training(self, officer_id: str) -> None:
        """One action: the refresher completed today (or another date typed over it)."""
        fields = training_fields(self.ctx.now().date())

        def save(values: dict[str, Any]) -> str:
            return self.ctx.call(
                training.record_training,
                officer_id,
                values["course"],
                values["completed_on"],
                values["source"],
            )

        dialog = RecordDialog("Record training", fields, save, self, save_text="Record")
        if dialog.exec():
            record_id = dialog.result_value
            self.changed("officer", officer_id)
            self.push_undo(
                "record training",
                lambda: self.ctx.call(restore_record, "training_record", record_id),
                lambda: self.ctx.call(delete_record, "training_record", record_id),
                "officer",
                officer_id,
            )
            self.tell(f"{label(dialog.values()['course']).capitalize()} recorded.")

    def revoke(self, officer_id: str) -> None:
        officer = self.ctx.session_read(record_values, "officer", officer_id)
        if officer is None:
            return

        def save(values: dict[str, Any]) -> None:
            self.ctx.call(officers.revoke_authority, officer_id, values["reason"], officer["version"])

        intro = (
            f"Revoke the 287(g) authority of {officer['name']} (badge {officer['badge']}). "
            "The reason is kept in the officer's history."
        )
        dialog = RecordDialog(
            "Revoke authority", reason_fields(), save, self, intro=intro, save_text="Revoke"
        )
        if dialog.exec():
            self.changed("officer", officer_id)
            self._undo_authority(
                officer_id, AuthorityStatus.REVOKED, officer["authority_status"], "revoke authority"
            )
            self.tell(f"Authority of {officer['name']} revoked.")

    def change_authority(self, officer_id: str, current: AuthorityStatus) -> None:
        def save(values: dict[str, Any]) -> None:
            self.ctx.call(officers.change_authority, officer_id, values["to_status"], values["reason"])

        dialog = RecordDialog("Change authority", authority_fields(current), save, self)
        if dialog.exec():
            self.changed("officer", officer_id)
            self._undo_authority(officer_id, dialog.values()["to_status"], current, "change authority")

    def _undo_authority(self, officer_id: str, new: AuthorityStatus, old: AuthorityStatus, text: str) -> None:
        self.push_undo(
            text,
            lambda: self.ctx.call(officers.change_authority, officer_id, new, f"redo: {text}"),
            lambda: self.ctx.call(officers.change_authority, officer_id, old, f"undo: {text}"),
            "officer",
            officer_id,
        )

    def enroll(self, officer_id: str) -> None:
        classes = self.ctx.session_read(class_choices, self.ctx.now().date())

        def save(values: dict[str, Any]) -> str:
            return self.ctx.call(training.enroll_officer, officer_id, values["class_id"])

        dialog = RecordDialog(
            "Enroll in initial training", class_fields(classes), save, self, save_text="Enroll"
        )
        if dialog.exec():
            self.changed("officer", officer_id)
            self.tell("Officer enrolled; the seat is held.")
