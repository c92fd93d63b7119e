"""The Agreements page: the caseload, with each agreement's agency."""

from __future__ import annotations

from typing import Any

from pm_desk.domain.enums import Role
from pm_desk.services import caseload, reads
from pm_desk.store.queries.caseload_lists import AGREEMENTS
from pm_desk.store.queries.details import Detail, Section
from pm_desk.ui.dialogs.caseload_forms import (
    agency_fields,
    agency_input,
    agency_values,
    agreement_fields,
    agreement_input,
    agreement_values,
)
from pm_desk.ui.operations import Operation
from pm_desk.ui.pages.base import Action, ListPage


class AgreementsPage(ListPage):
    name = "agreements"
    title = "Agreements"
    spec = AGREEMENTS
    kind = "agreement"
    new_label = "New agreement…"

    def __init__(self, ctx: Any, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.new_button.setEnabled(ctx.actor.role is Role.SUPERVISOR)
        if ctx.actor.role is not Role.SUPERVISOR:
            self.new_button.setToolTip("Supervisors open new agreements")

    def decorate(self, detail: Detail) -> None:
        """The agreement's custody transfers, month by month, from the records."""
        months = self.ctx.read(reads.transfer_measures, detail.id)
        rows = [
            (
                m.month.strftime("%Y-%m"),
                m.completed,
                m.released_without_pickup,
                m.breaches,
                "" if m.median_hours_to_pickup is None else f"{m.median_hours_to_pickup:.1f} h",
            )
            for m in months
        ]
        headers = ("Month", "Transferred", "Released, no pickup", "Breaches", "Median to pickup")
        detail.sections.insert(0, Section("Custody transfers by month", headers, rows))

    def actions_for(self, detail: Detail) -> list[Action]:
        return [
            ("Edit…", lambda: self.edit_record(detail.id)),
            ("Edit agency…", lambda: self.edit_agency(detail.raw["agency_id"])),
        ]

    def new_record(self) -> None:
        agencies = self.ctx.read(reads.agency_choices)
        managers = self.ctx.read(reads.manager_choices, self.ctx.actor.field_office_id)
        fields = agreement_fields(True, agencies, managers)

        def save(values: dict[str, Any]) -> Operation[str]:
            return self.op(caseload.create_agreement, agreement_input(values))

        intro = "The agency must exist first: add it with New agency on the File menu."
        if self.create_form("New agreement", "agreement", fields, save, intro):
            self.tell("Agreement opened.")

    def new_agency(self) -> None:
        fields = agency_fields()

        def save(values: dict[str, Any]) -> Operation[str]:
            return self.op(caseload.create_agency, agency_input(values))

        if self.create_form("New agency", "agency", fields, save):
            self.tell("Agency added.")

    def edit_record(self, record_id: str) -> None:
        agreement = self.ctx.read(reads.record_values, "agreement", record_id)
        if agreement is None:
            return
        agency_id, model = agreement["agency_id"], agreement["model"]

        def save(values: dict[str, Any], version: int) -> Operation[int]:
            data = agreement_input(values, agency_id, model)
            return self.op(caseload.update_agreement, record_id, data, version)

        fields = agreement_fields(False, [], [])
        self.edit_form(
            "Edit agreement",
            "agreement",
            record_id,
            fields,
            agreement_values(agreement),
            save,
            agreement["version"],
        )

    def edit_agency(self, agency_id: str) -> None:
        agency = self.ctx.read(reads.record_values, "agency", agency_id)
        if agency is None:
            return

        def save(values: dict[str, Any], version: int) -> Operation[int]:
            return self.op(caseload.update_agency, agency_id, agency_input(values), version)

        self.edit_form(
            "Edit agency",
            "agency",
            agency_id,
            agency_fields(),
            agency_values(agency),
            save,
            agency["version"],
        )
