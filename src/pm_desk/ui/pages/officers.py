"""The Officers page: designated officers with their authority and training state."""

from __future__ import annotations

from typing import Any

from pm_desk.domain.enums import AuthorityStatus, label
from pm_desk.services import officers, reads, training
from pm_desk.services.trash import delete_record, restore_record
from pm_desk.store.queries.caseload_lists import OFFICERS
from pm_desk.store.queries.details import Detail
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
from pm_desk.ui.operations import Operation, Versions
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
        agreements = self.ctx.read(reads.agreement_choices, self.ctx.scope(False))
        fields = officer_fields(agreements)
        current = self.detail.detail
        if current is not None and current.agreement_id:
            fields["agreement_id"].set_value(current.agreement_id)  # type: ignore[attr-defined]

        def save(values: dict[str, Any]) -> Operation[str]:
            return self.op(officers.create_officer, officer_input(values, ""))

        if self.create_form("New officer", "officer", fields, save):
            self.tell("Officer nominated.")

    def edit_record(self, record_id: str) -> None:
        officer = self.ctx.read(reads.record_values, "officer", record_id)
        if officer is None:
            return
        agreement_id = officer["agreement_id"]

        def save(values: dict[str, Any], version: int) -> Operation[int]:
            return self.op(officers.update_officer, record_id, officer_input(values, agreement_id), version)

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

        def save(values: dict[str, Any]) -> Operation[str]:
            course, completed_on, source = values["course"], values["completed_on"], values["source"]
            return (
                self.op(training.record_training, officer_id, course, completed_on, source)
                .changes("officer", officer_id)
                .undoable(
                    "record training",
                    lambda record_id: self.op(restore_record, "training_record", record_id).changes(
                        "officer", officer_id
                    ),
                    lambda record_id: self.op(delete_record, "training_record", record_id).changes(
                        "officer", officer_id
                    ),
                )
                .tell(f"{label(course).capitalize()} recorded.", self.tell)
            )

        RecordDialog("Record training", fields, save, self, save_text="Record").exec()

    def revoke(self, officer_id: str) -> None:
        officer = self.ctx.read(reads.record_values, "officer", officer_id)
        if officer is None:
            return

        def save(values: dict[str, Any]) -> Operation[int]:
            seen = Versions(officer["version"])
            operation = self.op(officers.revoke_authority, officer_id, values["reason"], officer["version"])
            was = officer["authority_status"]
            undoable = self._authority_undo(
                operation, seen, officer_id, AuthorityStatus.REVOKED, was, "revoke authority"
            )
            return undoable.tell(f"Authority of {officer['name']} revoked.", self.tell)

        intro = (
            f"Revoke the 287(g) authority of {officer['name']} (badge {officer['badge']}). "
            "The reason is kept in the officer's history."
        )
        RecordDialog("Revoke authority", reason_fields(), save, self, intro=intro, save_text="Revoke").exec()

    def change_authority(self, officer_id: str, current: AuthorityStatus) -> None:
        officer = self.ctx.read(reads.record_values, "officer", officer_id)
        if officer is None:
            return

        def save(values: dict[str, Any]) -> Operation[int]:
            new, seen = values["to_status"], Versions(officer["version"])
            operation = self.op(
                officers.change_authority, officer_id, new, values["reason"], officer["version"]
            )
            return self._authority_undo(operation, seen, officer_id, new, current, "change authority")

        RecordDialog("Change authority", authority_fields(current), save, self).exec()

    def _authority_undo(
        self,
        operation: Operation[int],
        seen: Versions,
        officer_id: str,
        new: AuthorityStatus,
        old: AuthorityStatus,
        text: str,
    ) -> Operation[int]:
        """The change made undoable: each undo and redo says which version it was made on."""

        def change(to: AuthorityStatus, why: str) -> Operation[int]:
            step = self.op(officers.change_authority, officer_id, to, why, seen.current)
            return seen.track(step).changes("officer", officer_id)

        return (
            seen.track(operation)
            .changes("officer", officer_id)
            .undoable(text, lambda _v: change(new, f"redo: {text}"), lambda _v: change(old, f"undo: {text}"))
        )

    def enroll(self, officer_id: str) -> None:
        classes = self.ctx.read(reads.class_choices, self.ctx.now().date())

        def save(values: dict[str, Any]) -> Operation[str]:
            return (
                self.op(training.enroll_officer, officer_id, values["class_id"])
                .changes("officer", officer_id)
                .tell("Officer enrolled; the seat is held.", self.tell)
            )

        RecordDialog(
            "Enroll in initial training", class_fields(classes), save, self, save_text="Enroll"
        ).exec()
