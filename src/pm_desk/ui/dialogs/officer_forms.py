"""Forms for officers and their training."""

from __future__ import annotations

from typing import Any

from pm_desk.domain.enums import AUTHORITY_TRANSITIONS, AuthorityStatus, BackgroundCheck, Course
from pm_desk.services.officers import OfficerInput
from pm_desk.ui.dialogs.caseload_forms import enum_choices
from pm_desk.ui.widgets.fields import ChoiceField, DateField, Field, TextField

OFFICER_FIELDS = ("name", "badge", "rank", "email", "nominated_on", "background_status", "background_on")


def officer_fields(agreements: list[tuple[str, str]] | None) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    if agreements is not None:
        fields["agreement_id"] = ChoiceField("Agreement", agreements, required=True)
    return fields | {
        "name": TextField("Name", required=True, max_length=200),
        "badge": TextField("Badge number", required=True, max_length=40),
        "rank": TextField("Rank", max_length=80),
        "email": TextField("Email", max_length=254),
        "nominated_on": DateField("Nominated"),
        "background_status": ChoiceField("Background check", enum_choices(BackgroundCheck), allow_empty=True),
        "background_on": DateField("Background checked on"),
    }


def officer_input(values: dict[str, Any], agreement_id: str) -> OfficerInput:
    return OfficerInput(
        agreement_id=values.get("agreement_id") or agreement_id,
        **{name: values[name] for name in OFFICER_FIELDS},
    )


def officer_values(officer: dict[str, Any]) -> dict[str, Any]:
    return {name: officer[name] for name in OFFICER_FIELDS}


def training_fields(today: Any) -> dict[str, Field]:
    course = ChoiceField(
        "Course",
        [(Course.REFRESHER.value, "Refresher (online)"), (Course.INITIAL.value, "Initial course")],
        required=True,
    )
    completed = DateField("Completed on", required=True)
    completed.set_value(today)
    return {"course": course, "completed_on": completed, "source": TextField("Source", max_length=120)}


def reason_fields(required: bool = True) -> dict[str, Field]:
    return {"reason": TextField("Reason", required=required, max_length=500, multiline=True)}


def authority_fields(current: AuthorityStatus) -> dict[str, Field]:
    choices = [
        (s, s.value.replace("_", " ").capitalize())
        for s in AuthorityStatus
        if s in AUTHORITY_TRANSITIONS[current]
    ]
    return {"to_status": ChoiceField("New authority", choices, required=True)} | reason_fields(required=False)


def class_fields(classes: list[tuple[str, str, int]]) -> dict[str, Field]:
    open_classes = [(i, text) for i, text, free in classes if free > 0]
    return {"class_id": ChoiceField("Class", open_classes, required=True)}
