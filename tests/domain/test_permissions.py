"""Who may write an agreement's records, and how a refusal reads, for every role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import AgreementModel, Role
from pm_desk.domain.permissions import (
    agency_adding_refusal,
    agency_change_refusal,
    agreement_opening_refusal,
    agreement_title,
    agreement_write_refusal,
    may_write_agreement,
    role_refusal,
)

MIA = Actor("u-mia", "mia@ice.example.gov", "Mia One", Role.MANAGER, "fo-a")
BO = Actor("u-bo", "bo@ice.example.gov", "Bo Super", Role.SUPERVISOR, "fo-a")
SUE = Actor("u-sue", "sue@ice.example.gov", "Sue Staff", Role.STAFF, "fo-a")
ADA = Actor("u-ada", "ada@ice.example.gov", "Ada Admin", Role.ADMIN, None)
TITLE = "Bay County Sheriff's Office (task force)"
NAMES = {"u-mia": "Mia One", "u-max": "Max Two"}


def refusal(
    actor: Actor, manager_id: str | None, office_id: str | None, doing: str = "add officers"
) -> str | None:
    return agreement_write_refusal(
        actor,
        doing,
        manager_id=manager_id,
        field_office_id=office_id,
        title=lambda: TITLE,
        owner_name=NAMES.get,
    )


@pytest.mark.parametrize(
    ("actor", "manager_id", "office_id", "expected"),
    [
        (MIA, "u-mia", "fo-a", None),
        (MIA, "u-mia", "fo-b", None),  # his caseload, wherever it is
        (
            MIA,
            "u-max",
            "fo-a",
            f"Mia One cannot add officers for {TITLE}: it is in Max Two's caseload, not yours",
        ),
        (
            MIA,
            None,
            "fo-a",
            f"Mia One cannot add officers for {TITLE}: it is in no one's caseload yet, not yours",
        ),
        (
            MIA,
            "u-gone",
            "fo-a",
            f"Mia One cannot add officers for {TITLE}: it is in no one's caseload yet, not yours",
        ),
        (BO, "u-max", "fo-a", None),
        (BO, None, "fo-a", None),
        (
            BO,
            "u-mia",
            "fo-b",
            f"Bo Super cannot add officers for {TITLE}: it belongs to another field office",
        ),
        (SUE, "u-mia", "fo-a", "Sue Staff is staff and cannot add officers"),
        (ADA, "u-mia", "fo-a", "Ada Admin is an administrator and cannot add officers"),
    ],
)
def test_who_writes_an_agreements_records(
    actor: Actor, manager_id: str | None, office_id: str | None, expected: str | None
) -> None:
    assert refusal(actor, manager_id, office_id) == expected
    assert may_write_agreement(actor, manager_id, office_id) is (expected is None)


def test_a_permitted_write_looks_nothing_up() -> None:
    def fail(*_: object) -> str:
        raise AssertionError("looked up")

    assert (
        agreement_write_refusal(
            MIA, "add officers", manager_id="u-mia", field_office_id="fo-a", title=fail, owner_name=fail
        )
        is None
    )


@pytest.mark.parametrize(
    ("actor", "allowed", "expected"),
    [
        (MIA, {Role.MANAGER}, None),
        (SUE, {Role.MANAGER, Role.SUPERVISOR}, "Sue Staff is staff and cannot file reports"),
        (ADA, {Role.SUPERVISOR}, "Ada Admin is an administrator and cannot file reports"),
        (MIA, {Role.SUPERVISOR}, "Mia One is a manager and cannot file reports"),
        (BO, {Role.ADMIN}, "Bo Super is a supervisor and cannot file reports"),
    ],
)
def test_role_refusal_names_the_role(actor: Actor, allowed: set[Role], expected: str | None) -> None:
    assert role_refusal(actor, allowed, "file reports") == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (MIA, None),
        (BO, None),
        (SUE, "Sue Staff is staff and cannot add agencies"),
        (ADA, "Ada Admin is an administrator and cannot add agencies"),
    ],
)
def test_managers_and_supervisors_add_agencies(actor: Actor, expected: str | None) -> None:
    assert agency_adding_refusal(actor) == expected


def test_an_agency_is_changed_by_whoever_writes_one_of_its_agreements() -> None:
    mine = refusal(MIA, "u-mia", "fo-a", "change the agency")
    theirs = refusal(MIA, "u-max", "fo-a", "change the agency")
    assert agency_change_refusal(MIA, [theirs, mine]) is None
    assert agency_change_refusal(MIA, [theirs, theirs]) == theirs
    assert theirs is not None and theirs.endswith("it is in Max Two's caseload, not yours")


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (BO, None),
        (MIA, "Mia One is a manager and cannot change an agency that has no agreement"),
        (ADA, "Ada Admin is an administrator and cannot change an agency that has no agreement"),
    ],
)
def test_an_agency_without_agreements_is_a_supervisors(actor: Actor, expected: str | None) -> None:
    assert agency_change_refusal(actor, []) == expected


def test_the_agency_refusal_stops_at_the_first_writable_agreement() -> None:
    asked: list[int] = []

    def refusals() -> Iterator[str | None]:
        for number, answer in enumerate([None, "never asked"]):
            asked.append(number)
            yield answer

    assert agency_change_refusal(MIA, refusals()) is None
    assert asked == [0]


@pytest.mark.parametrize(
    ("actor", "office_id", "expected"),
    [
        (BO, "fo-a", None),
        (BO, "fo-b", "Bo Super cannot open an agreement in another field office"),
        (MIA, "fo-a", "Mia One is a manager and cannot open agreements"),
        (SUE, "fo-a", "Sue Staff is staff and cannot open agreements"),
        (ADA, None, "Ada Admin is an administrator and cannot open agreements"),
    ],
)
def test_a_supervisor_opens_agreements_in_his_field_office(
    actor: Actor, office_id: str | None, expected: str | None
) -> None:
    assert agreement_opening_refusal(actor, office_id, "open agreements") == expected


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (AgreementModel.JAIL_ENFORCEMENT, "Calhoun County Jail (jail enforcement)"),
        (AgreementModel.TASK_FORCE, "Calhoun County Jail (task force)"),
        (AgreementModel.WARRANT_SERVICE_OFFICER, "Calhoun County Jail (warrant service officer)"),
    ],
)
def test_agreement_title(model: AgreementModel, expected: str) -> None:
    assert agreement_title("Calhoun County Jail", model) == expected
