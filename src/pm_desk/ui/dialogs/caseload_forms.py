"""Forms for agencies and agreements."""

from __future__ import annotations

from typing import Any

from pm_desk.domain.enums import AgencyKind, AgreementModel, AgreementStatus, label
from pm_desk.services.caseload import AgencyInput, AgreementInput
from pm_desk.ui.widgets.fields import ChoiceField, DateField, Field, IntField, TextField


def enum_choices(enum: Any) -> list[tuple[Any, str]]:
    return [(member, label(member.value).capitalize()) for member in enum]


def agency_fields() -> dict[str, Field]:
    return {
        "state": TextField("State", required=True, max_length=40, placeholder="FL or Florida"),
        "name": TextField("Name", required=True, max_length=400),
        "kind": ChoiceField("Type", enum_choices(AgencyKind), required=True),
        "ori": TextField("ORI", max_length=9, placeholder="9 characters, e.g. FL0360000"),
        "county": TextField("County", max_length=200),
        "address": TextField("Address", max_length=500),
        "phone": TextField("Phone", max_length=40),
        "jail_beds": IntField("Jail beds", 0, 100_000),
    }


def agency_input(values: dict[str, Any]) -> AgencyInput:
    return AgencyInput(
        state=values["state"] or "",
        name=values["name"] or "",
        kind=values["kind"] or AgencyKind.COUNTY,
        ori=values["ori"],
        county=values["county"],
        address=values["address"],
        phone=values["phone"],
        jail_beds=values["jail_beds"],
    )


def agency_values(agency: dict[str, Any]) -> dict[str, Any]:
    return {
        name: agency[name]
        for name in ("state", "name", "kind", "ori", "county", "address", "phone", "jail_beds")
    }


def agreement_fields(
    new: bool, agencies: list[tuple[str, str]], managers: list[tuple[str, str]]
) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    if new:
        fields["agency_id"] = ChoiceField("Agency", agencies, required=True)
        fields["model"] = ChoiceField("Model", enum_choices(AgreementModel), required=True)
        fields["manager_id"] = ChoiceField("Manager", managers, allow_empty=True)
    fields |= {
        "status": ChoiceField("Status", enum_choices(AgreementStatus), required=True),
        "application_received_on": DateField("Application received"),
        "signed_on": DateField("Signed"),
        "effective_on": DateField("Effective"),
        "expires_on": DateField("Expires"),
        "next_steering_committee_on": DateField("Next steering committee"),
        "notes": TextField("Notes", max_length=20_000, multiline=True),
    }
    return fields


AGREEMENT_DATES = (
    "application_received_on",
    "signed_on",
    "effective_on",
    "expires_on",
    "next_steering_committee_on",
)


def agreement_values(agreement: dict[str, Any]) -> dict[str, Any]:
    keep = (*AGREEMENT_DATES, "status", "notes", "agency_id", "model")
    return {name: agreement[name] for name in keep}


def agreement_input(
    values: dict[str, Any], agency_id: str = "", model: AgreementModel | None = None
) -> AgreementInput:
    return AgreementInput(
        agency_id=values.get("agency_id") or agency_id,
        model=values.get("model") or model or AgreementModel.JAIL_ENFORCEMENT,
        status=values["status"],
        manager_id=values.get("manager_id"),
        notes=values["notes"],
        **{name: values[name] for name in AGREEMENT_DATES},
    )
