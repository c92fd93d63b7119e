"""The Equipment page: every order with its stages and the clock from the agreement's signing."""

from __future__ import annotations

from typing import Any

from pm_desk.domain.enums import EQUIPMENT_STAGES, EquipmentItem
from pm_desk.services import equipment, reads
from pm_desk.store.queries.details import Detail
from pm_desk.store.queries.operations_lists import EQUIPMENT
from pm_desk.ui.dialogs.caseload_forms import enum_choices
from pm_desk.ui.operations import Operation
from pm_desk.ui.pages.base import Action, ListPage
from pm_desk.ui.widgets.fields import ChoiceField, DateField, Field, IntField


def order_fields(agreements: list[tuple[str, str]] | None) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    if agreements is not None:
        fields["agreement_id"] = ChoiceField("Agreement", agreements, required=True)
    fields["item"] = ChoiceField("Item", enum_choices(EquipmentItem), required=True)
    fields["quantity"] = IntField("Quantity", 1, 10_000, required=True)
    fields["quantity"].set_value(1)  # type: ignore[attr-defined]
    for stage in EQUIPMENT_STAGES:
        fields[f"{stage}_on"] = DateField(stage.capitalize())
    return fields


def order_input(values: dict[str, Any], agreement_id: str = "") -> equipment.EquipmentInput:
    return equipment.EquipmentInput(
        agreement_id=values.get("agreement_id") or agreement_id,
        item=values["item"],
        quantity=values["quantity"] or 1,
        **{f"{stage}_on": values[f"{stage}_on"] for stage in EQUIPMENT_STAGES},
    )


class EquipmentPage(ListPage):
    name = "equipment"
    title = "Equipment"
    spec = EQUIPMENT
    kind = "equipment_order"
    new_label = "New order…"

    def actions_for(self, detail: Detail) -> list[Action]:
        actions: list[Action] = [("Edit…", lambda: self.edit_record(detail.id))]
        stage = detail.raw["next_stage"]
        if stage is not None:
            actions.insert(0, (f"Mark {stage} today", lambda: self.advance(detail.id)))
        actions.append(("Delete…", lambda: self.delete("equipment_order", detail.id, "this equipment order")))
        return actions

    def advance(self, order_id: str) -> None:
        """One action: the next stage reached today."""
        before = self.ctx.read(reads.record_values, "equipment_order", order_id)
        if before is None:
            return
        restored = order_input(before)
        stage = next((s for s in EQUIPMENT_STAGES if before[f"{s}_on"] is None), "the next stage")
        marked = before["version"] + 1
        self.op(equipment.advance_stage, order_id).changes("equipment_order", order_id).undoable(
            f"mark {stage}",
            lambda _stage: self.op(equipment.advance_stage, order_id).changes("equipment_order", order_id),
            # Marking a stage raised the version by one: the undo says so (a change made meanwhile
            # by someone else is refused, not overwritten).
            lambda _stage: self.op(equipment.update_order, order_id, restored, marked).changes(
                "equipment_order", order_id
            ),
        ).tell(lambda stage: f"Marked {stage} today.", self.tell).run()

    def new_record(self) -> None:
        agreements = self.ctx.read(reads.agreement_choices, self.ctx.scope(False))
        fields = order_fields(agreements)

        def save(values: dict[str, Any]) -> Operation[str]:
            return self.op(equipment.create_order, order_input(values))

        self.create_form("New equipment order", "equipment_order", fields, save)

    def edit_record(self, record_id: str) -> None:
        order = self.ctx.read(reads.record_values, "equipment_order", record_id)
        if order is None:
            return

        def save(values: dict[str, Any], version: int) -> Operation[int]:
            data = order_input(values, order["agreement_id"])
            return self.op(equipment.update_order, record_id, data, version)

        self.edit_form(
            "Edit equipment order",
            "equipment_order",
            record_id,
            order_fields(None),
            order,
            save,
            order["version"],
        )
