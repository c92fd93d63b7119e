"""Agencies and agreements through the caseload services: who may write them and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from builders import (
    SIGNED,
    World,
    add_agency,
    audit_rows,
    count,
    fetch,
    last_seq,
    refused_without_writing,
    version_of,
)
from pm_desk.domain.enums import AgencyKind, AgreementModel, AgreementStatus
from pm_desk.services.caseload import (
    AgencyInput,
    AgreementInput,
    create_agency,
    create_agreement,
    update_agency,
    update_agreement,
)
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.store.database import Database
from pm_desk.store.models import Agency, Agreement, Assignment

TEN_MB = "x" * (10 * 1024 * 1024)


def agency_as_stored(db: Database, agency_id: str, **changes: object) -> AgencyInput:
    agency = fetch(db, Agency, agency_id)
    data = AgencyInput(
        state=agency.state,
        name=agency.name,
        kind=agency.kind,
        ori=agency.ori,
        county=agency.county,
        address=agency.address,
        phone=agency.phone,
        jail_beds=agency.jail_beds,
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def agreement_as_stored(db: Database, agreement_id: str, **changes: object) -> AgreementInput:
    agreement = fetch(db, Agreement, agreement_id)
    data = AgreementInput(
        agency_id=agreement.agency_id,
        model=agreement.model,
        status=agreement.status,
        application_received_on=agreement.application_received_on,
        signed_on=agreement.signed_on,
        effective_on=agreement.effective_on,
        expires_on=agreement.expires_on,
        next_steering_committee_on=agreement.next_steering_committee_on,
        notes=agreement.notes,
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


# --- agencies -----------------------------------------------------------------------------------


def test_manager_creates_an_agency_with_its_name_cleaned_and_audited(db: Database, world: World) -> None:
    data = AgencyInput(
        state="florida",
        name="  Walton   County Sheriff’s Office ",
        ori="fl0660000",
        kind=AgencyKind.COUNTY,
        county="Walton",
        jail_beds=600,
    )
    agency_id = create_agency(db.uow(), world.m1, data)

    agency = fetch(db, Agency, agency_id)
    assert (agency.state, agency.name, agency.ori) == ("FL", "Walton County Sheriff's Office", "FL0660000")
    assert agency.name_key == "walton county sheriff's office"
    assert (agency.version, agency.updated_by) == (1, world.m1.user_id)
    [entry] = audit_rows(db, operation="agency.create", record_id=agency_id)
    assert (entry.action, entry.record_kind, entry.actor_id) == ("create", "agency", world.m1.user_id)
    assert entry.before is None
    assert entry.after is not None
    assert entry.after["name"] == "Walton County Sheriff's Office"
    assert entry.after["jail_beds"] == 600


def test_manager_corrects_an_agency_of_his_caseload(db: Database, world: World) -> None:
    data = agency_as_stored(db, world.agency_m1, county="Calhoun", phone="850-674-5049")
    update_agency(db.uow(), world.m1, world.agency_m1, data, expected_version=1)

    agency = fetch(db, Agency, world.agency_m1)
    assert (agency.county, agency.phone) == ("Calhoun", "850-674-5049")
    assert (agency.version, agency.updated_by) == (2, world.m1.user_id)
    [entry] = audit_rows(db, operation="agency.update", record_id=world.agency_m1)
    assert entry.action == "update"
    assert entry.before == {"county": None, "phone": None}
    assert entry.after == {"county": "Calhoun", "phone": "850-674-5049"}


def test_supervisor_corrects_an_agency_of_his_office_that_has_no_agreement(
    db: Database, world: World
) -> None:
    agency_id = add_agency(db, "FL", "Gulf County Sheriff's Office")
    update_agency(
        db.uow(),
        world.supervisor_a,
        agency_id,
        agency_as_stored(db, agency_id, county="Gulf"),
        expected_version=version_of(db, "agency", agency_id),
    )
    assert fetch(db, Agency, agency_id).county == "Gulf"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("staff", "Sue Staff is staff and cannot add agencies"),
        ("admin", "Ada Admin is an administrator and cannot add agencies"),
    ],
)
def test_staff_and_admin_cannot_add_agencies(db: Database, world: World, who: str, message: str) -> None:
    actor = getattr(world, who)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        create_agency(db.uow(), actor, AgencyInput(state="FL", name="Gulf County Sheriff's Office"))
    assert str(refused.value) == message
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.actor_id) == ("agency.create", actor.user_id)
    assert denial.after == {"reason": str(refused.value), "role": actor.role.value}


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff"])
def test_others_cannot_correct_an_agency_of_m1s_caseload(db: Database, world: World, who: str) -> None:
    actor = getattr(world, who)
    data = agency_as_stored(db, world.agency_m1, county="Elsewhere")
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        update_agency(
            db.uow(), actor, world.agency_m1, data, expected_version=version_of(db, "agency", world.agency_m1)
        )
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.actor_id) == ("agency.update", actor.user_id)
    assert (denial.record_kind, denial.record_id) == ("agreement", world.agreement_m1)
    if who == "m2":
        assert str(refused.value) == (
            "Max Two cannot change the agency for Calhoun County Sheriff's Office (jail enforcement): "
            "it is in Mia One's caseload, not yours"
        )


def test_agency_without_state_and_name_names_both_fields(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_agency(db.uow(), world.m1, AgencyInput(state=" ", name=""))
    assert refused.value.for_field("state") == "state is required"
    assert refused.value.for_field("name") == "name is required"


def test_unknown_state_is_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_agency(db.uow(), world.m1, AgencyInput(state="Atlantis", name="Harbor Police"))
    assert refused.value.for_field("state") == "'Atlantis' is not a US state or territory code"
    assert refused.value.for_field("name") is None


@pytest.mark.parametrize(
    "name",
    [
        "Calhoun County Sheriff’s Office",
        "CALHOUN COUNTY SHERIFF'S OFFICE",
        "  Calhoun   County  Sheriff's Office  ",
        "calhoun county sheriff‘s office",
    ],
    ids=["curly-apostrophe", "case", "spaces", "left-quote-lowercase"],
)
def test_agency_name_differing_only_in_apostrophe_case_or_spaces_is_a_duplicate(
    db: Database, world: World, name: str
) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_agency(db.uow(), world.m1, AgencyInput(state="FL", name=name))
    message = refused.value.for_field("name")
    assert message is not None
    assert message.startswith("an agency named ")
    assert message.endswith(" already exists in FL")


def test_same_agency_name_in_another_state_is_another_agency(db: Database, world: World) -> None:
    agency_id = create_agency(
        db.uow(), world.m1, AgencyInput(state="AL", name="Calhoun County Sheriff's Office")
    )
    assert fetch(db, Agency, agency_id).state == "AL"


def test_renaming_an_agency_onto_another_is_refused(db: Database, world: World) -> None:
    data = agency_as_stored(db, world.agency_m1, name="bay county sheriff’s office")
    with refused_without_writing(db, ValidationError) as refused:
        update_agency(
            db.uow(),
            world.m1,
            world.agency_m1,
            data,
            expected_version=version_of(db, "agency", world.agency_m1),
        )
    assert refused.value.for_field("name") == (
        'an agency named "bay county sheriff\'s office" already exists in FL'
    )


def test_keeping_its_own_name_is_not_a_duplicate(db: Database, world: World) -> None:
    data = agency_as_stored(db, world.agency_m1, name="CALHOUN COUNTY SHERIFF’S OFFICE")
    update_agency(
        db.uow(), world.m1, world.agency_m1, data, expected_version=version_of(db, "agency", world.agency_m1)
    )
    assert fetch(db, Agency, world.agency_m1).name == "CALHOUN COUNTY SHERIFF'S OFFICE"


@pytest.mark.parametrize(
    ("ori", "message"),
    [
        ("FL12", "must be 9 letters or digits, starting with the two-letter state code"),
        ("FL00700001", "must be 9 letters or digits, starting with the two-letter state code"),
        ("FL007-000", "must be 9 letters or digits, starting with the two-letter state code"),
        ("GA0070001", "must start with the agency's state code FL"),
        ("FL0070000", "FL0070000 is already the ORI of another agency"),
        ("fl0070000", "FL0070000 is already the ORI of another agency"),
    ],
    ids=["short", "long", "punctuation", "other-state", "taken", "taken-lowercase"],
)
def test_bad_ori_is_refused(db: Database, world: World, ori: str, message: str) -> None:
    data = AgencyInput(state="FL", name="Gulf County Sheriff's Office", ori=ori)
    with refused_without_writing(db, ValidationError) as refused:
        create_agency(db.uow(), world.m1, data)
    assert refused.value.for_field("ori") == message


def test_negative_jail_beds_are_refused(db: Database, world: World) -> None:
    data = AgencyInput(state="FL", name="Gulf County Sheriff's Office", jail_beds=-1)
    with refused_without_writing(db, ValidationError) as refused:
        create_agency(db.uow(), world.m1, data)
    assert refused.value.for_field("jail_beds") == "must be between 0 and 100,000"


@pytest.mark.parametrize("field", ["name", "county", "address", "phone"])
def test_ten_megabytes_in_an_agency_field_are_refused(db: Database, world: World, field: str) -> None:
    data = AgencyInput(state="FL", name="Gulf County Sheriff's Office")
    setattr(data, field, TEN_MB)
    with refused_without_writing(db, ValidationError) as refused:
        create_agency(db.uow(), world.m1, data)
    message = refused.value.for_field(field)
    assert message is not None
    assert message.startswith("is 10,485,760 characters long; at most ")


def test_nul_character_in_an_agency_address_is_refused(db: Database, world: World) -> None:
    data = AgencyInput(state="FL", name="Gulf County Sheriff's Office", address="1 Main St\x00")
    with refused_without_writing(db, ValidationError) as refused:
        create_agency(db.uow(), world.m1, data)
    assert refused.value.for_field("address") == "contains a NUL character"


# --- agreements ---------------------------------------------------------------------------------


def test_supervisor_opens_an_agreement_and_assigns_its_manager(db: Database, world: World, clock) -> None:
    agency_id = add_agency(db, "FL", "Gulf County Sheriff's Office")
    data = AgreementInput(
        agency_id=agency_id,
        model=AgreementModel.WARRANT_SERVICE_OFFICER,
        status=AgreementStatus.SIGNED,
        application_received_on=date(2026, 8, 1),
        signed_on=date(2026, 10, 1),
        manager_id=world.m2.user_id,
    )
    agreement_id = create_agreement(db.uow(), world.supervisor_a, data)

    agreement = fetch(db, Agreement, agreement_id)
    assert (agreement.status, agreement.signed_on) == (AgreementStatus.SIGNED, date(2026, 10, 1))
    assert (agreement.field_office_id, agreement.manager_id) == (world.office_a, world.m2.user_id)
    assert (agreement.version, agreement.updated_by) == (1, world.supervisor_a.user_id)
    entries = audit_rows(db, operation="agreement.create")
    assert [(e.action, e.record_kind) for e in entries] == [("create", "agreement"), ("create", "assignment")]
    assert entries[0].after is not None
    assert entries[0].after["model"] == "warrant_service_officer"
    assert entries[1].after is not None
    assert entries[1].after["manager_id"] == world.m2.user_id
    assert entries[1].after["reason"] == "opened"
    assert entries[1].after["starts_at"] == "2026-10-31T12:00:00Z"
    assert entries[1].after["ends_at"] is None


@pytest.mark.parametrize("who", ["m1", "staff", "admin"])
def test_only_a_supervisor_opens_agreements(db: Database, world: World, who: str) -> None:
    agency_id = add_agency(db, "FL", "Gulf County Sheriff's Office")
    actor = getattr(world, who)
    data = AgreementInput(
        agency_id=agency_id, model=AgreementModel.JAIL_ENFORCEMENT, manager_id=actor.user_id
    )
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        create_agreement(db.uow(), actor, data)
    assert str(refused.value).endswith("and cannot open agreements")
    [denial] = audit_rows(db, action="denied")
    assert denial.operation == "agreement.create"


def test_supervisor_of_office_b_cannot_open_an_agreement_in_office_a(db: Database, world: World) -> None:
    agency_id = add_agency(db, "FL", "Gulf County Sheriff's Office")
    data = AgreementInput(
        agency_id=agency_id, model=AgreementModel.JAIL_ENFORCEMENT, field_office_id=world.office_a
    )
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        create_agreement(db.uow(), world.supervisor_b, data)
    assert str(refused.value) == "Bo Super cannot open an agreement in another field office"


def test_signed_agreement_needs_its_signed_date(db: Database, world: World) -> None:
    agency_id = add_agency(db, "FL", "Gulf County Sheriff's Office")
    data = AgreementInput(agency_id=agency_id, model=AgreementModel.TASK_FORCE, status=AgreementStatus.ACTIVE)
    with refused_without_writing(db, ValidationError) as refused:
        create_agreement(db.uow(), world.supervisor_a, data)
    assert refused.value.for_field("signed_on") == "an agreement that is active needs its signed date"


def test_agreement_dates_out_of_order_are_refused_field_by_field(db: Database, world: World) -> None:
    agency_id = add_agency(db, "FL", "Gulf County Sheriff's Office")
    data = AgreementInput(
        agency_id=agency_id,
        model=AgreementModel.TASK_FORCE,
        status=AgreementStatus.SIGNED,
        application_received_on=date(2026, 5, 1),
        signed_on=date(2026, 4, 1),
        effective_on=date(2026, 3, 1),
        expires_on=date(2026, 2, 1),
    )
    with refused_without_writing(db, ValidationError) as refused:
        create_agreement(db.uow(), world.supervisor_a, data)
    assert refused.value.for_field("signed_on") == "cannot be before the application was received"
    assert refused.value.for_field("effective_on") == "cannot be before it was signed"
    assert refused.value.for_field("expires_on") == "cannot be before it took effect"


def test_second_agreement_of_the_same_model_with_an_agency_is_refused(db: Database, world: World) -> None:
    data = AgreementInput(agency_id=world.agency_m1, model=AgreementModel.JAIL_ENFORCEMENT)
    with refused_without_writing(db, ValidationError) as refused:
        create_agreement(db.uow(), world.supervisor_a, data)
    assert refused.value.for_field("model") == "this agency already has a jail enforcement agreement"


def test_agreement_needs_an_existing_agency(db: Database, world: World) -> None:
    data = AgreementInput(agency_id="no-such-agency", model=AgreementModel.JAIL_ENFORCEMENT)
    with refused_without_writing(db, ValidationError) as refused:
        create_agreement(db.uow(), world.supervisor_a, data)
    assert refused.value.for_field("agency") == "choose the agency this agreement is with"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("manager_b", "Bea Manager works in another field office"),
        ("staff", "choose an active program manager"),
        ("supervisor_a", "choose an active program manager"),
    ],
)
def test_agreement_manager_must_be_a_manager_of_the_office(
    db: Database, world: World, who: str, message: str
) -> None:
    agency_id = add_agency(db, "FL", "Gulf County Sheriff's Office")
    data = AgreementInput(
        agency_id=agency_id, model=AgreementModel.JAIL_ENFORCEMENT, manager_id=getattr(world, who).user_id
    )
    with refused_without_writing(db, ValidationError) as refused:
        create_agreement(db.uow(), world.supervisor_a, data)
    assert refused.value.for_field("manager") == message


def test_ten_megabytes_of_agreement_notes_are_refused(db: Database, world: World) -> None:
    agency_id = add_agency(db, "FL", "Gulf County Sheriff's Office")
    data = AgreementInput(agency_id=agency_id, model=AgreementModel.JAIL_ENFORCEMENT, notes=TEN_MB)
    with refused_without_writing(db, ValidationError) as refused:
        create_agreement(db.uow(), world.supervisor_a, data)
    assert refused.value.for_field("notes") == "is 10,485,760 characters long; at most 20,000 fit"
    assert count(db, Assignment) == 3


def test_manager_edits_his_agreement(db: Database, world: World) -> None:
    data = agreement_as_stored(
        db, world.agreement_m1, expires_on=date(2029, 5, 31), notes="  Sheriff asked for a renewal. "
    )
    update_agreement(db.uow(), world.m1, world.agreement_m1, data, expected_version=1)

    agreement = fetch(db, Agreement, world.agreement_m1)
    assert (agreement.expires_on, agreement.notes) == (date(2029, 5, 31), "Sheriff asked for a renewal.")
    assert (agreement.version, agreement.updated_by) == (2, world.m1.user_id)
    [entry] = audit_rows(db, operation="agreement.update")
    assert (entry.action, entry.record_id) == ("update", world.agreement_m1)
    assert entry.before == {"expires_on": None, "notes": None}
    assert entry.after == {"expires_on": "2029-05-31", "notes": "Sheriff asked for a renewal."}


def test_supervisor_edits_an_agreement_of_his_office(db: Database, world: World) -> None:
    data = agreement_as_stored(db, world.agreement_m1, status=AgreementStatus.SUSPENDED)
    update_agreement(
        db.uow(),
        world.supervisor_a,
        world.agreement_m1,
        data,
        expected_version=version_of(db, "agreement", world.agreement_m1),
    )
    agreement = fetch(db, Agreement, world.agreement_m1)
    assert (agreement.status, agreement.updated_by) == (AgreementStatus.SUSPENDED, world.supervisor_a.user_id)


def test_editing_an_agreement_cannot_change_its_agency_model_or_manager(db: Database, world: World) -> None:
    data = agreement_as_stored(
        db,
        world.agreement_m1,
        agency_id=world.agency_m2,
        model=AgreementModel.TASK_FORCE,
        manager_id=world.m2.user_id,
        notes="moved?",
    )
    update_agreement(
        db.uow(),
        world.m1,
        world.agreement_m1,
        data,
        expected_version=version_of(db, "agreement", world.agreement_m1),
    )
    agreement = fetch(db, Agreement, world.agreement_m1)
    assert (agreement.agency_id, agreement.model, agreement.manager_id) == (
        world.agency_m1,
        AgreementModel.JAIL_ENFORCEMENT,
        world.m1.user_id,
    )
    assert agreement.notes == "moved?"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (
            "m2",
            "Max Two cannot change the agreement for Calhoun County Sheriff's Office (jail enforcement): "
            "it is in Mia One's caseload, not yours",
        ),
        (
            "supervisor_b",
            "Bo Super cannot change the agreement for Calhoun County Sheriff's Office (jail enforcement): "
            "it belongs to another field office",
        ),
        ("staff", "Sue Staff is staff and cannot change the agreement"),
        ("admin", "Ada Admin is an administrator and cannot change the agreement"),
    ],
)
def test_others_cannot_edit_m1s_agreement(db: Database, world: World, who: str, message: str) -> None:
    actor = getattr(world, who)
    data = agreement_as_stored(db, world.agreement_m1, notes="not mine")
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        update_agreement(
            db.uow(),
            actor,
            world.agreement_m1,
            data,
            expected_version=version_of(db, "agreement", world.agreement_m1),
        )
    assert str(refused.value) == message
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.record_kind, denial.record_id) == (
        "agreement.update",
        "agreement",
        world.agreement_m1,
    )


def test_editing_an_agreement_validates_its_dates(db: Database, world: World) -> None:
    data = agreement_as_stored(
        db, world.agreement_m1, signed_on=None, expires_on=SIGNED.replace(day=1, month=1)
    )
    with refused_without_writing(db, ValidationError) as refused:
        update_agreement(
            db.uow(),
            world.m1,
            world.agreement_m1,
            data,
            expected_version=version_of(db, "agreement", world.agreement_m1),
        )
    assert refused.value.for_field("signed_on") == "an agreement that is active needs its signed date"
    assert refused.value.for_field("expires_on") == "cannot be before it took effect"


def test_unchanged_agreement_edit_writes_nothing(db: Database, world: World) -> None:
    seq = last_seq(db)
    update_agreement(
        db.uow(),
        world.m1,
        world.agreement_m1,
        agreement_as_stored(db, world.agreement_m1),
        expected_version=version_of(db, "agreement", world.agreement_m1),
    )
    assert fetch(db, Agreement, world.agreement_m1).version == 1
    assert audit_rows(db, after_seq=seq) == []
