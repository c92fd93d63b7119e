"""The Inspections page: inspections with their findings and corrective actions."""

from __future__ import annotations

from typing import Any

from pm_desk.domain.enums import FindingSeverity, InspectionKind
from pm_desk.services import inspections, reads
from pm_desk.store.queries.details import Detail
from pm_desk.store.queries.oversight_lists import INSPECTIONS
from pm_desk.ui.dialogs.caseload_forms import enum_choices
from pm_desk.ui.operations import Operation
from pm_desk.ui.pages.base import Action, ListPage
from pm_desk.ui.widgets.fields import ChoiceField, DateField, Field, TextField


def inspection_fields(agreements: list[tuple[str, str]] | None) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    if agreements is not None:
        fields["agreement_id"] = ChoiceField("Agreement", agreements, required=True)
    return fields | {
        "held_on": DateField("Date", required=True),
        "kind": ChoiceField("Kind", enum_choices(InspectionKind), required=True),
        "summary": TextField("Summary", max_length=20_000, multiline=True),
    }


def finding_fields() -> dict[str, Field]:
    return {
        "severity": ChoiceField("Severity", enum_choices(FindingSeverity), required=True),
        "text": TextField("Finding", required=True, max_length=20_000, multiline=True),
        "corrective_action": TextField("Corrective action", max_length=20_000, multiline=True),
        "corrective_due": DateField("Corrective action due"),
        "closed_on": DateField("Closed"),
    }


def finding_input(values: dict[str, Any]) -> inspections.FindingInput:
    return inspections.FindingInput(
        **{k: values[k] for k in ("text", "severity", "corrective_action", "corrective_due", "closed_on")}
    )


class InspectionsPage(ListPage):
    name = "inspections"
    title = "Inspections"
    spec = INSPECTIONS
    kind = "inspection"
    kinds = ("inspection", "finding")
    new_label = "New inspection…"

    def actions_for(self, detail: Detail) -> list[Action]:
        actions: list[Action] = [
            ("Edit…", lambda: self.edit_record(detail.id)),
            ("Add finding…", lambda: self.add_finding(detail.id)),
        ]
        if detail.sections and detail.sections[0].rows:
            actions += [
                ("Close finding", self.close_selected_finding),
                ("Edit finding…", self.edit_selected_finding),
            ]
        return actions

    def selected_finding(self) -> str | None:
        table = self.detail.section_table("Findings")
        if table is None or table.currentRow() < 0:
            self.refuse("select a finding in the list on the right first")
            return None
        return table.property("section_ids")[table.currentRow()]

    def close_selected_finding(self) -> None:
        finding_id = self.selected_finding()
        if finding_id:
            self.close_finding(finding_id)

    def edit_selected_finding(self) -> None:
        finding_id = self.selected_finding()
        if finding_id:
            self.edit_finding(finding_id)

    def on_section_activated(self, kind: str, record_id: str) -> None:
        if kind == "finding":
            self.edit_finding(record_id)

    def open_record(self, kind: str, record_id: str) -> None:
        if kind == "finding":
            inspection_id = self.ctx.read(reads.finding_inspection, record_id)
            if inspection_id:
                super().open_record("inspection", inspection_id)
            return
        super().open_record(kind, record_id)

    def new_record(self) -> None:
        agreements = self.ctx.read(reads.agreement_choices, self.ctx.scope(False))

        def save(v: dict[str, Any]) -> Operation[str]:
            return self.op(
                inspections.create_inspection, v["agreement_id"], v["held_on"], v["kind"], v["summary"]
            )

        self.create_form("New inspection", "inspection", inspection_fields(agreements), save)

    def edit_record(self, record_id: str) -> None:
        values = self.ctx.read(reads.record_values, "inspection", record_id)
        if values is None:
            return

        def save(v: dict[str, Any], version: int) -> Operation[int]:
            return self.op(
                inspections.update_inspection, record_id, v["held_on"], v["kind"], v["summary"], version
            )

        self.edit_form(
            "Edit inspection",
            "inspection",
            record_id,
            inspection_fields(None),
            values,
            save,
            values["version"],
        )

    def add_finding(self, inspection_id: str) -> None:
        def save(values: dict[str, Any]) -> Operation[str]:
            return self.op(inspections.add_finding, inspection_id, finding_input(values))

        self.create_form("New finding", "finding", finding_fields(), save)

    def edit_finding(self, finding_id: str) -> None:
        values = self.ctx.read(reads.record_values, "finding", finding_id)
        if values is None:
            return

        def save(v: dict[str, Any], version: int) -> Operation[int]:
            return self.op(inspections.update_finding, finding_id, finding_input(v), version)

        self.edit_form(
            "Edit finding", "finding", finding_id, finding_fields(), values, save, values["version"]
        )

    def close_finding(self, finding_id: str) -> None:
        """One action: the corrective action is done today."""
        before = self.ctx.read(reads.record_values, "finding", finding_id)
        if before is None:
            return
        restored = finding_input(before)
        closed = before["version"] + 1  # closing raised the version by one: the undo says so
        self.op(inspections.close_finding, finding_id).changes("finding", finding_id).undoable(
            "close finding",
            lambda _none: self.op(inspections.close_finding, finding_id).changes("finding", finding_id),
            lambda _none: self.op(inspections.update_finding, finding_id, restored, closed).changes(
                "finding", finding_id
            ),
        ).tell("Finding closed.", self.tell).run()
