"""The Complaints page, with the report and resolution clocks of the policy."""

from __future__ import annotations

from typing import Any

from pm_desk.services import complaints, reads
from pm_desk.store.queries.details import Detail
from pm_desk.store.queries.oversight_lists import COMPLAINTS
from pm_desk.ui.operations import Operation
from pm_desk.ui.pages.base import Action, ListPage
from pm_desk.ui.widgets.fields import BoolField, ChoiceField, DateField, DateTimeField, Field, TextField

COMPLAINT_FIELDS = (
    "received_at",
    "summary",
    "officer_id",
    "reported_at",
    "referred_at",
    "officer_removed",
    "outcome",
    "closed_on",
)


def complaint_fields(
    agreements: list[tuple[str, str]] | None, officers: list[tuple[str, str]]
) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    if agreements is not None:
        fields["agreement_id"] = ChoiceField("Agreement", agreements, required=True)
    return fields | {
        "received_at": DateTimeField("Received", required=True),
        "summary": TextField("Summary", max_length=20_000, multiline=True),
        "officer_id": ChoiceField("Officer", officers, allow_empty=True),
        "reported_at": DateTimeField("Reported to ICE"),
        "referred_at": DateTimeField("Referred to professional responsibility"),
        "officer_removed": BoolField("Officer removed from duty pending outcome"),
        "outcome": TextField("Outcome", max_length=500),
        "closed_on": DateField("Closed"),
    }


def complaint_input(values: dict[str, Any], agreement_id: str = "") -> complaints.ComplaintInput:
    return complaints.ComplaintInput(
        agreement_id=values.get("agreement_id") or agreement_id,
        **{name: values[name] for name in COMPLAINT_FIELDS},
    )


class ComplaintsPage(ListPage):
    name = "complaints"
    title = "Complaints"
    spec = COMPLAINTS
    kind = "complaint"
    new_label = "New complaint…"

    def actions_for(self, detail: Detail) -> list[Action]:
        return [("Edit…", lambda: self.edit_record(detail.id))]

    def new_record(self) -> None:
        agreements = self.ctx.read(reads.agreement_choices, self.ctx.scope(False))
        fields = complaint_fields(agreements, [])
        agreement_field = fields["agreement_id"]
        officer_field = fields["officer_id"]

        def refill() -> None:
            assert isinstance(officer_field, ChoiceField)
            combo = officer_field.editor
            combo.clear()
            combo.addItem("—", None)
            agreement_id = agreement_field.value()
            if agreement_id:
                for officer_id, text in self.ctx.read(reads.officer_choices, agreement_id):
                    combo.addItem(text, officer_id)

        agreement_field.changed.connect(refill)
        refill()

        def save(values: dict[str, Any]) -> Operation[str]:
            return self.op(complaints.create_complaint, complaint_input(values))

        self.create_form("New complaint", "complaint", fields, save)

    def edit_record(self, record_id: str) -> None:
        values = self.ctx.read(reads.record_values, "complaint", record_id)
        if values is None:
            return
        officers = self.ctx.read(reads.officer_choices, values["agreement_id"])

        def save(v: dict[str, Any], version: int) -> Operation[int]:
            data = complaint_input(v, values["agreement_id"])
            return self.op(complaints.update_complaint, record_id, data, version)

        self.edit_form(
            "Edit complaint",
            "complaint",
            record_id,
            complaint_fields(None, officers),
            values,
            save,
            values["version"],
        )
