"""The Transfers page: custody transfers and their 48-hour hold clocks."""

from __future__ import annotations

from typing import Any

from pm_desk.domain.enums import OPEN_HOLD_STATUSES, TransferStatus
from pm_desk.services import transfers
from pm_desk.services.permissions import can_see_subject_details
from pm_desk.store.queries.choices import agreement_choices
from pm_desk.store.queries.details import Detail
from pm_desk.store.queries.operations_lists import TRANSFERS
from pm_desk.store.queries.records import record_values
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.pages.base import Action, ListPage
from pm_desk.ui.widgets.fields import ChoiceField, DateField, DateTimeField, Field, TextField

TRANSFER_FIELDS = (
    "subject_ref",
    "detainer_issued_at",
    "release_eligible_at",
    "subject_name",
    "subject_dob",
    "a_number",
    "encounter_on",
    "receiving_office",
    "notes",
)


def transfer_fields(agreements: list[tuple[str, str]] | None) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    if agreements is not None:
        fields["agreement_id"] = ChoiceField("Agreement (type the agency)", agreements, required=True)
    return fields | {
        "subject_ref": TextField(
            "Subject reference", required=True, max_length=80, placeholder="booking number"
        ),
        "a_number": TextField("A-number", max_length=12, placeholder="A123456789"),
        "subject_name": TextField("Subject name", max_length=200),
        "subject_dob": DateField("Date of birth"),
        "encounter_on": DateField("Encounter"),
        "detainer_issued_at": DateTimeField("Detainer issued", required=True),
        "release_eligible_at": DateTimeField("Release-eligible"),
        "receiving_office": TextField("Receiving office", max_length=200),
        "notes": TextField("Notes", max_length=20_000, multiline=True),
    }


def transfer_input(values: dict[str, Any], agreement_id: str = "") -> transfers.TransferInput:
    return transfers.TransferInput(
        agreement_id=values.get("agreement_id") or agreement_id,
        **{name: values[name] for name in TRANSFER_FIELDS},
    )


class TransfersPage(ListPage):
    name = "transfers"
    title = "Transfers"
    spec = TRANSFERS
    kind = "transfer"
    new_label = "New detainer…"

    def __init__(self, ctx: Any, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.detail.reveal_subject = can_see_subject_details(ctx.actor)

    def actions_for(self, detail: Detail) -> list[Action]:
        status = detail.raw["status"]
        actions: list[Action] = [("Edit…", lambda: self.edit_record(detail.id))]
        if status in OPEN_HOLD_STATUSES:
            actions.insert(0, ("Record pickup…", lambda: self.record_pickup(detail.id)))
            actions.insert(1, ("Released without pickup…", lambda: self.record_release(detail.id)))
        if status is TransferStatus.DETAINER_LODGED and detail.raw["release_eligible_at"] is not None:
            actions.append(("Awaiting pickup", lambda: self.await_pickup(detail.id)))
        return actions

    def new_record(self) -> None:
        agreements = self.ctx.session_read(agreement_choices, self.ctx.scope(False))

        def save(values: dict[str, Any]) -> str:
            return self.ctx.call(transfers.create_transfer, transfer_input(values))

        self.create_form("New detainer", "transfer", transfer_fields(agreements), save)

    def edit_record(self, record_id: str) -> None:
        values = self.ctx.session_read(record_values, "transfer", record_id)
        if values is None:
            return

        def save(v: dict[str, Any], version: int | None) -> None:
            self.ctx.call(
                transfers.update_transfer, record_id, transfer_input(v, values["agreement_id"]), version
            )

        self.edit_form(
            "Edit transfer", "transfer", record_id, transfer_fields(None), values, save, values["version"]
        )

    def _instant_action(
        self, title: str, field: str, label: str, service: Any, record_id: str, done: str
    ) -> None:
        # The field is named as the service names it, so a refusal shows next to it.
        fields: dict[str, Field] = {field: DateTimeField(label, required=True)}
        fields[field].set_value(self.ctx.now())  # type: ignore[attr-defined]

        def save(values: dict[str, Any]) -> None:
            self.ctx.call(service, record_id, values[field])

        if RecordDialog(title, fields, save, self, save_text="Record").exec():
            self.changed("transfer", record_id)
            self.tell(done)

    def record_pickup(self, record_id: str) -> None:
        self._instant_action(
            "Record pickup",
            "pickup_at",
            "ICE took custody at",
            transfers.record_pickup,
            record_id,
            "Pickup recorded; the transfer is complete.",
        )

    def record_release(self, record_id: str) -> None:
        self._instant_action(
            "Released without pickup",
            "released_at",
            "Released at",
            transfers.record_release,
            record_id,
            "Release recorded.",
        )

    def await_pickup(self, record_id: str) -> None:
        if self.attempt(transfers.mark_awaiting_pickup, record_id)[0]:
            self.changed("transfer", record_id)
