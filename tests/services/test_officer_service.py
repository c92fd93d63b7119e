"""Designated officers: nomination, edits and the authority transitions with their history."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from builders import (
    World,
    add_officer,
    audit_rows,
    fetch,
    refused_without_writing,
    status_changes,
    version_of,
)
from pm_desk.domain.enums import AuthorityStatus, BackgroundCheck
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.services.officers import (
    OfficerInput,
    change_authority,
    create_officer,
    revoke_authority,
    update_officer,
)
from pm_desk.store.database import Database
from pm_desk.store.models import Officer

NOW = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
TEN_MB = "x" * (10 * 1024 * 1024)


def officer_as_stored(db: Database, officer_id: str, **changes: object) -> OfficerInput:
    officer = fetch(db, Officer, officer_id)
    data = OfficerInput(
        agreement_id=officer.agreement_id,
        name=officer.name,
        badge=officer.badge,
        rank=officer.rank,
        email=officer.email,
        nominated_on=officer.nominated_on,
        background_status=officer.background_status,
        background_on=officer.background_on,
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_manager_nominates_an_officer_with_a_first_history_entry(db: Database, world: World) -> None:
    data = OfficerInput(
        agreement_id=world.agreement_m1,
        name="  Dana   Jailer ",
        badge=" C-102 ",
        rank="Deputy",
        email="dana.jailer@calhounso.example.org",
        nominated_on=date(2026, 10, 1),
        background_status=BackgroundCheck.PENDING,
    )
    officer_id = create_officer(db.uow(), world.m1, data)

    officer = fetch(db, Officer, officer_id)
    assert (officer.name, officer.badge, officer.agency_id) == ("Dana Jailer", "C-102", world.agency_m1)
    assert officer.authority_status is AuthorityStatus.NOMINATED
    assert (officer.version, officer.updated_by) == (1, world.m1.user_id)
    [change] = status_changes(db, officer_id)
    assert (change.from_status, change.to_status, change.reason) == (
        None,
        AuthorityStatus.NOMINATED,
        "nominated",
    )
    assert (change.changed_at, change.changed_by) == (NOW, world.m1.user_id)
    entries = audit_rows(db, operation="officer.create")
    assert [(e.action, e.record_kind) for e in entries] == [
        ("create", "officer"),
        ("create", "officer_status_change"),
    ]
    assert entries[0].after is not None
    assert entries[0].after["badge"] == "C-102"
    assert entries[0].after["authority_status"] == "nominated"


def test_manager_edits_his_officer(db: Database, world: World) -> None:
    data = officer_as_stored(db, world.officer_m1, rank="Sergeant", background_status=BackgroundCheck.CLEARED)
    update_officer(db.uow(), world.m1, world.officer_m1, data, expected_version=1)

    officer = fetch(db, Officer, world.officer_m1)
    assert (officer.rank, officer.background_status) == ("Sergeant", BackgroundCheck.CLEARED)
    assert (officer.version, officer.updated_by) == (2, world.m1.user_id)
    [entry] = audit_rows(db, operation="officer.update")
    assert (entry.action, entry.record_id) == ("update", world.officer_m1)
    assert entry.before == {"rank": None, "background_status": None}
    assert entry.after == {"rank": "Sergeant", "background_status": "cleared"}


def test_manager_suspends_an_officer_and_the_history_says_why(db: Database, world: World) -> None:
    change_authority(
        db.uow(),
        world.m1,
        world.officer_m1,
        AuthorityStatus.SUSPENDED,
        " internal inquiry ",
        expected_version=1,
    )
    officer = fetch(db, Officer, world.officer_m1)
    assert officer.authority_status is AuthorityStatus.SUSPENDED
    assert (officer.version, officer.updated_by) == (2, world.m1.user_id)
    [change] = status_changes(db, world.officer_m1)
    assert (change.from_status, change.to_status) == (AuthorityStatus.AUTHORIZED, AuthorityStatus.SUSPENDED)
    assert (change.reason, change.changed_by) == ("internal inquiry", world.m1.user_id)
    entries = audit_rows(db, operation="officer.change_authority")
    officer_entry = next(e for e in entries if e.record_kind == "officer")
    assert officer_entry.before == {"authority_status": "authorized"}
    assert officer_entry.after == {"authority_status": "suspended"}
    assert {e.record_kind for e in entries} == {"officer", "officer_status_change"}


@pytest.mark.parametrize("who", ["m1", "supervisor_a"])
def test_manager_or_his_supervisor_revokes_authority(db: Database, world: World, who: str) -> None:
    actor = getattr(world, who)
    revoke_authority(db.uow(), actor, world.officer_m1, "refresher 45 days overdue", expected_version=1)

    officer = fetch(db, Officer, world.officer_m1)
    assert officer.authority_status is AuthorityStatus.REVOKED
    assert (officer.version, officer.updated_by) == (2, actor.user_id)
    [change] = status_changes(db, world.officer_m1)
    assert (change.from_status, change.to_status, change.reason) == (
        AuthorityStatus.AUTHORIZED,
        AuthorityStatus.REVOKED,
        "refresher 45 days overdue",
    )
    entries = audit_rows(db, operation="officer.revoke")
    officer_entry = next(e for e in entries if e.record_kind == "officer")
    assert (officer_entry.action, officer_entry.actor_id) == ("update", actor.user_id)
    assert officer_entry.before == {"authority_status": "authorized"}
    assert officer_entry.after == {"authority_status": "revoked"}
    history_entry = next(e for e in entries if e.record_kind == "officer_status_change")
    assert history_entry.after is not None
    assert history_entry.after["reason"] == "refresher 45 days overdue"


def test_a_revoked_officer_is_renominated_then_separated(db: Database, world: World) -> None:
    revoke_authority(
        db.uow(),
        world.m1,
        world.officer_m1,
        "lapsed",
        expected_version=version_of(db, "officer", world.officer_m1),
    )
    change_authority(
        db.uow(),
        world.m1,
        world.officer_m1,
        AuthorityStatus.NOMINATED,
        expected_version=version_of(db, "officer", world.officer_m1),
    )
    change_authority(
        db.uow(),
        world.m1,
        world.officer_m1,
        AuthorityStatus.SEPARATED,
        "retired",
        expected_version=version_of(db, "officer", world.officer_m1),
    )
    assert [(c.from_status, c.to_status) for c in status_changes(db, world.officer_m1)] == [
        (AuthorityStatus.AUTHORIZED, AuthorityStatus.REVOKED),
        (AuthorityStatus.REVOKED, AuthorityStatus.NOMINATED),
        (AuthorityStatus.NOMINATED, AuthorityStatus.SEPARATED),
    ]
    assert fetch(db, Officer, world.officer_m1).version == 4


# --- refusals for permission ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff", "admin"])
def test_others_cannot_nominate_officers_under_m1s_agreement(db: Database, world: World, who: str) -> None:
    actor = getattr(world, who)
    data = OfficerInput(agreement_id=world.agreement_m1, name="Dana Jailer", badge="C-102")
    with refused_without_writing(db, PermissionDenied, denied=True):
        create_officer(db.uow(), actor, data)
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.record_id, denial.actor_id) == (
        "officer.create",
        world.agreement_m1,
        actor.user_id,
    )


def test_m2_cannot_edit_m1s_officer(db: Database, world: World) -> None:
    data = officer_as_stored(db, world.officer_m1, rank="Captain")
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        update_officer(
            db.uow(),
            world.m2,
            world.officer_m1,
            data,
            expected_version=version_of(db, "officer", world.officer_m1),
        )
    assert str(refused.value) == (
        "Max Two cannot change officers for Calhoun County Sheriff's Office (jail enforcement): "
        "it is in Mia One's caseload, not yours"
    )
    [denial] = audit_rows(db, action="denied")
    assert denial.operation == "officer.update"


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff"])
def test_others_cannot_change_or_revoke_m1s_officer(db: Database, world: World, who: str) -> None:
    actor = getattr(world, who)
    with refused_without_writing(db, PermissionDenied, denied=True):
        change_authority(
            db.uow(),
            actor,
            world.officer_m1,
            AuthorityStatus.SUSPENDED,
            "inquiry",
            expected_version=version_of(db, "officer", world.officer_m1),
        )
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        revoke_authority(
            db.uow(),
            actor,
            world.officer_m1,
            "lapsed",
            expected_version=version_of(db, "officer", world.officer_m1),
        )
    assert "cannot change an officer's authority" in str(refused.value)
    assert [d.operation for d in audit_rows(db, action="denied")] == [
        "officer.change_authority",
        "officer.revoke",
    ]


# --- validation -----------------------------------------------------------------------------------


def test_officer_needs_a_name_and_a_badge(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_officer(db.uow(), world.m1, OfficerInput(agreement_id=world.agreement_m1, name=" ", badge=""))
    assert refused.value.for_field("name") == "name is required"
    assert refused.value.for_field("badge") == "badge is required"


def test_nomination_and_background_check_cannot_be_in_the_future(db: Database, world: World) -> None:
    data = OfficerInput(
        agreement_id=world.agreement_m1,
        name="Dana Jailer",
        badge="C-102",
        nominated_on=date(2026, 11, 1),
        background_on=date(2026, 12, 1),
    )
    with refused_without_writing(db, ValidationError) as refused:
        create_officer(db.uow(), world.m1, data)
    assert refused.value.for_field("nominated_on") == (
        "is in the future (2026-11-01); record it when it has happened"
    )
    assert refused.value.for_field("background_on") == (
        "is in the future (2026-12-01); record it when it has happened"
    )


def test_background_check_cannot_precede_the_nomination(db: Database, world: World) -> None:
    data = OfficerInput(
        agreement_id=world.agreement_m1,
        name="Dana Jailer",
        badge="C-102",
        nominated_on=date(2026, 10, 1),
        background_on=date(2026, 9, 1),
    )
    with refused_without_writing(db, ValidationError) as refused:
        create_officer(db.uow(), world.m1, data)
    assert refused.value.for_field("background_on") == "cannot be before the nomination"


def test_badge_is_unique_in_the_agency(db: Database, world: World) -> None:
    data = OfficerInput(agreement_id=world.agreement_m1, name="Dana Jailer", badge=" C-101 ")
    with refused_without_writing(db, ValidationError) as refused:
        create_officer(db.uow(), world.m1, data)
    assert refused.value.for_field("badge") == "badge C-101 already belongs to Carl Deputy at this agency"


def test_same_badge_at_another_agency_is_fine(db: Database, world: World) -> None:
    data = OfficerInput(agreement_id=world.agreement_m2, name="Dana Jailer", badge="C-101")
    officer_id = create_officer(db.uow(), world.m2, data)
    assert fetch(db, Officer, officer_id).agency_id == world.agency_m2


def test_editing_a_badge_onto_a_colleagues_is_refused(db: Database, world: World) -> None:
    other = add_officer(db, world.agreement_m1, "C-102", name="Dana Jailer")
    with refused_without_writing(db, ValidationError) as refused:
        update_officer(
            db.uow(),
            world.m1,
            other,
            officer_as_stored(db, other, badge="C-101"),
            expected_version=version_of(db, "officer", other),
        )
    assert refused.value.for_field("badge") == "badge C-101 already belongs to Carl Deputy at this agency"


@pytest.mark.parametrize("email", ["carl at calhoun", "carl @calhoun.example.org", "a@" + "b" * 260])
def test_officer_email_must_look_like_one(db: Database, world: World, email: str) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        update_officer(
            db.uow(),
            world.m1,
            world.officer_m1,
            officer_as_stored(db, world.officer_m1, email=email),
            expected_version=version_of(db, "officer", world.officer_m1),
        )
    assert refused.value.for_field("email") == f"{email!r} is not an email address"


@pytest.mark.parametrize(("field", "limit"), [("name", "200"), ("badge", "40"), ("rank", "80")])
def test_ten_megabytes_in_an_officer_field_are_refused(
    db: Database, world: World, field: str, limit: str
) -> None:
    data = officer_as_stored(db, world.officer_m1, **{field: TEN_MB})
    with refused_without_writing(db, ValidationError) as refused:
        update_officer(
            db.uow(),
            world.m1,
            world.officer_m1,
            data,
            expected_version=version_of(db, "officer", world.officer_m1),
        )
    assert refused.value.for_field(field) == f"is 10,485,760 characters long; at most {limit} fit"


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        (
            AuthorityStatus.SEPARATED,
            AuthorityStatus.AUTHORIZED,
            "an officer who is separated cannot become authorized (possible: none)",
        ),
        (
            AuthorityStatus.NOMINATED,
            AuthorityStatus.SUSPENDED,
            "an officer who is nominated cannot become suspended "
            "(possible: authorized, in training, separated)",
        ),
        (
            AuthorityStatus.IN_TRAINING,
            AuthorityStatus.REVOKED,
            "an officer who is in training cannot become revoked "
            "(possible: authorized, nominated, separated)",
        ),
        (AuthorityStatus.AUTHORIZED, AuthorityStatus.AUTHORIZED, "the officer is already authorized"),
        (AuthorityStatus.IN_TRAINING, AuthorityStatus.IN_TRAINING, "the officer is already in training"),
    ],
    ids=["separated-to-authorized", "nominated-to-suspended", "in-training-to-revoked", "same", "same-words"],
)
def test_impossible_authority_changes_are_refused(
    db: Database, world: World, start: AuthorityStatus, to: AuthorityStatus, message: str
) -> None:
    officer_id = add_officer(db, world.agreement_m1, "C-150", status=start)
    with refused_without_writing(db, ValidationError) as refused:
        change_authority(
            db.uow(),
            world.m1,
            officer_id,
            to,
            "because",
            expected_version=version_of(db, "officer", officer_id),
        )
    assert refused.value.for_field("authority_status") == message


def test_revoking_a_nominated_officer_is_refused(db: Database, world: World) -> None:
    officer_id = add_officer(
        db, world.agreement_m1, "C-150", status=AuthorityStatus.NOMINATED, initial_on=None
    )
    with refused_without_writing(db, ValidationError) as refused:
        revoke_authority(
            db.uow(),
            world.m1,
            officer_id,
            "never trained",
            expected_version=version_of(db, "officer", officer_id),
        )
    assert refused.value.for_field("authority_status") == (
        "an officer who is nominated cannot become revoked (possible: authorized, in training, separated)"
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_needs_a_reason(db: Database, world: World, reason: str) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        revoke_authority(
            db.uow(),
            world.m1,
            world.officer_m1,
            reason,
            expected_version=version_of(db, "officer", world.officer_m1),
        )
    assert refused.value.for_field("reason") == "say why the authority is revoked"


def test_suspending_needs_a_reason(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        change_authority(
            db.uow(),
            world.m1,
            world.officer_m1,
            AuthorityStatus.SUSPENDED,
            expected_version=version_of(db, "officer", world.officer_m1),
        )
    assert refused.value.for_field("reason") == "say why the authority is suspended"


def test_a_ten_megabyte_revocation_reason_is_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        revoke_authority(
            db.uow(),
            world.m1,
            world.officer_m1,
            TEN_MB,
            expected_version=version_of(db, "officer", world.officer_m1),
        )
    assert refused.value.for_field("reason") == "is 10,485,760 characters long; at most 500 fit"
