"""The Transfers page: custody transfers and their hold clocks, live."""

from __future__ import annotations

from typing import Any

from pm_desk.domain.enums import OPEN_HOLD_STATUSES, TransferStatus
from pm_desk.domain.facts import TransferFacts
from pm_desk.services import reads, transfers
from pm_desk.services.permissions import can_see_subject_details
from pm_desk.services.views import hold_standing
from pm_desk.store.queries.details import Detail
from pm_desk.store.queries.operations_lists import TRANSFERS
from pm_desk.ui.dialogs.record_dialog import RecordDialog
from pm_desk.ui.operations import Operation
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
    """The intake form, in the order a detainer is read off the paper: agency, subject, times."""
    fields: dict[str, Field] = {}
    if agreements is not None:
        fields["agreement_id"] = ChoiceField("Agreement (type the agency)", agreements, required=True)
    return fields | {
        "subject_ref": TextField(
            "Subject reference", required=True, max_length=80, placeholder="booking number"
        ),
        "a_number": TextField("A-number", max_length=12, placeholder="A123456789"),
        "encounter_on": DateField("Encounter"),
        "detainer_issued_at": DateTimeField("Detainer issued", required=True),
        "release_eligible_at": DateTimeField("Release-eligible"),
        "subject_name": TextField("Subject name", max_length=200),
        "subject_dob": DateField("Date of birth"),
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
        hours = ctx.policy.hold.due_soon_hours
        self.list.query_params = {"due_soon_hours": hours}
        self.list.quick_buttons["due_soon"].setText(f"Due within {hours} h")
        self.list.filter_edit.setPlaceholderText(
            "Filter by subject, A-number or agency (3 characters or more)…  (Ctrl+F)"
        )
        self.list.start_ticking()

    # -- the record -------------------------------------------------------------------------------
    def decorate(self, detail: Detail) -> None:
        detail.fields.insert(1, ("Hold", self.hold_text(detail), "text"))

    def hold_text(self, detail: Detail) -> str:
        raw = detail.raw
        facts = TransferFacts(detail.id, raw["status"], raw["release_eligible_at"], raw["pickup_at"])
        return hold_standing(facts, self.ctx.now(), self.ctx.policy)

    def actions_for(self, detail: Detail) -> list[Action]:
        status = detail.raw["status"]
        actions: list[Action] = []
        if status in OPEN_HOLD_STATUSES:
            actions += [
                ("Record pickup…", lambda: self.record_pickup(detail.id)),
                ("Released without pickup…", lambda: self.record_release(detail.id)),
            ]
        if status is TransferStatus.DETAINER_LODGED:
            actions.append(("Detainer served…", lambda: self.await_pickup(detail.id)))
        actions += [
            ("Citizenship claim…", lambda: self.add_event(detail.id, "citizenship_claim")),
            ("Add note…", lambda: self.add_event(detail.id, "note")),
            ("Edit…", lambda: self.edit_record(detail.id)),
        ]
        if status in OPEN_HOLD_STATUSES:
            actions.append(("Cancel detainer…", lambda: self.cancel(detail.id)))
        return actions

    # -- writing ------------------------------------------------------------------------------------
    def new_record(self) -> None:
        agreements = self.ctx.read(reads.agreement_choices, self.ctx.scope(False))
        fields = transfer_fields(agreements)
        fields["detainer_issued_at"].set_value(self.ctx.now())  # type: ignore[attr-defined]

        def save(values: dict[str, Any]) -> Operation[str]:
            return self.op(transfers.create_transfer, transfer_input(values))

        if self.create_form("New detainer", "transfer", fields, save):
            self.tell("Detainer recorded; the hold clock runs from release-eligible.")

    def edit_record(self, record_id: str) -> None:
        values = self.ctx.read(reads.record_values, "transfer", record_id)
        if values is None:
            return

        def save(v: dict[str, Any], version: int) -> Operation[int]:
            data = transfer_input(v, values["agreement_id"])
            return self.op(transfers.update_transfer, record_id, data, version)

        self.edit_form(
            "Edit transfer", "transfer", record_id, transfer_fields(None), values, save, values["version"]
        )

    def _on_transfer(
        self, title: str, fields: dict[str, Field], write: Any, record_id: str, **kwargs: Any
    ) -> None:
        """A dialog whose operation `write(values)` changes the transfer."""
        tell = kwargs.pop("tell", None)

        def save(values: dict[str, Any]) -> Operation[Any]:
            operation = write(values).changes("transfer", record_id)
            return operation.tell(tell, self.tell) if tell else operation

        RecordDialog(title, fields, save, self, **kwargs).exec()

    def _instant_action(
        self, title: str, field: str, label: str, record_id: str, done: str, service: Any
    ) -> None:
        fields: dict[str, Field] = {field: DateTimeField(label, required=True)}
        fields[field].set_value(self.ctx.now())  # type: ignore[attr-defined]
        write = lambda values: self.op(service, record_id, values[field])  # noqa: E731
        self._on_transfer(title, fields, write, record_id, save_text="Record", tell=done)

    def record_pickup(self, record_id: str) -> None:
        self._instant_action(
            "Record pickup",
            "pickup_at",
            "ICE took custody at",
            record_id,
            "Pickup recorded; the transfer is complete.",
            transfers.record_pickup,
        )

    def record_release(self, record_id: str) -> None:
        self._instant_action(
            "Released without pickup",
            "released_at",
            "Released at",
            record_id,
            "Release recorded.",
            transfers.record_release,
        )

    def await_pickup(self, record_id: str) -> None:
        values = self.ctx.read(reads.record_values, "transfer", record_id)
        if values is None:
            return
        fields: dict[str, Field] = {"release_eligible_at": DateTimeField("Release-eligible", required=True)}
        fields["release_eligible_at"].set_value(values["release_eligible_at"])  # type: ignore[attr-defined]
        write = lambda v: self.op(transfers.mark_awaiting_pickup, record_id, v["release_eligible_at"])  # noqa: E731
        intro = (
            "The jail served the detainer. When does local custody end? The "
            f"{self.ctx.policy.hold.hours}-hour clock starts there."
        )
        self._on_transfer(
            "Detainer served",
            fields,
            write,
            record_id,
            intro=intro,
            save_text="Record",
            tell="Awaiting pickup: the hold clock is running.",
        )

    def add_event(self, record_id: str, kind: str) -> None:
        title = "Citizenship claim" if kind == "citizenship_claim" else "Note"
        fields: dict[str, Field] = {
            "at": DateTimeField("When", required=True),
            "note": TextField("Note", required=kind == "note", max_length=2000, multiline=True),
        }
        fields["at"].set_value(self.ctx.now())  # type: ignore[attr-defined]
        write = lambda v: self.op(transfers.record_event, record_id, kind, v["at"], v["note"])  # noqa: E731
        intro = (
            "A claim of U.S. citizenship must be examined before any transfer; it is kept on the timeline."
            if kind == "citizenship_claim"
            else ""
        )
        self._on_transfer(title, fields, write, record_id, intro=intro, save_text="Add")

    def cancel(self, record_id: str) -> None:
        fields: dict[str, Field] = {
            "reason": TextField("Reason", required=True, max_length=500, multiline=True)
        }
        write = lambda v: self.op(transfers.cancel_transfer, record_id, v["reason"])  # noqa: E731
        self._on_transfer(
            "Cancel detainer",
            fields,
            write,
            record_id,
            save_text="Cancel detainer",
            tell="Detainer cancelled.",
        )
