"""Users and roles: only an administrator adds or changes them."""

from __future__ import annotations

import pytest

from builders import World, audit_rows, fetch, refused_without_writing, version_of
from pm_desk.domain.enums import Role
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.services.users import UserInput, create_user, update_user
from pm_desk.store.database import Database
from pm_desk.store.models import User


def user_as_stored(db: Database, user_id: str, **changes: object) -> UserInput:
    user = fetch(db, User, user_id)
    data = UserInput(user.email, user.name, user.role, user.field_office_id, user.capacity, user.active)
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_admin_adds_a_manager(db: Database, world: World) -> None:
    data = UserInput(" Nia.New@ICE.example.gov ", "  Nia   New ", Role.MANAGER, world.office_b, capacity=10)
    user_id = create_user(db.uow(), world.admin, data)

    user = fetch(db, User, user_id)
    assert (user.email, user.name, user.role, user.field_office_id, user.capacity, user.active) == (
        "nia.new@ice.example.gov",
        "Nia New",
        Role.MANAGER,
        world.office_b,
        10,
        True,
    )
    assert user.password_hash is None
    assert (user.version, user.updated_by) == (1, world.admin.user_id)
    [entry] = audit_rows(db, operation="user.create")
    assert (entry.action, entry.record_kind, entry.record_id) == ("create", "user", user_id)
    assert entry.after is not None
    assert (entry.after["email"], entry.after["role"]) == ("nia.new@ice.example.gov", "manager")


def test_admin_lowers_a_capacity_and_deactivates_a_user(db: Database, world: World) -> None:
    update_user(
        db.uow(),
        world.admin,
        world.m2.user_id,
        user_as_stored(db, world.m2.user_id, capacity=6.5, active=False),
        1,
    )
    user = fetch(db, User, world.m2.user_id)
    assert (user.capacity, user.active, user.version, user.updated_by) == (6.5, False, 2, world.admin.user_id)
    [entry] = audit_rows(db, operation="user.update")
    assert entry.before == {"capacity": None, "active": True}
    assert entry.after == {"capacity": 6.5, "active": False}


@pytest.mark.parametrize("who", ["supervisor_a", "m1", "staff"])
def test_only_an_admin_adds_users(db: Database, world: World, who: str) -> None:
    actor = getattr(world, who)
    data = UserInput("nia.new@ice.example.gov", "Nia New", Role.MANAGER, world.office_a)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        create_user(db.uow(), actor, data)
    assert str(refused.value).endswith("and cannot add users")
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.actor_id, denial.actor_email) == (
        "user.create",
        actor.user_id,
        actor.email,
    )


@pytest.mark.parametrize("who", ["supervisor_a", "m1"])
def test_only_an_admin_changes_users(db: Database, world: World, who: str) -> None:
    actor = getattr(world, who)
    data = user_as_stored(db, actor.user_id, role=Role.ADMIN)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        update_user(
            db.uow(), actor, actor.user_id, data, expected_version=version_of(db, "user", actor.user_id)
        )
    assert str(refused.value).endswith("and cannot change users")
    [denial] = audit_rows(db, action="denied")
    assert denial.operation == "user.update"


def test_user_needs_email_and_name(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_user(db.uow(), world.admin, UserInput(" ", "", Role.STAFF))
    assert refused.value.for_field("email") == "email is required"
    assert refused.value.for_field("name") == "name is required"


@pytest.mark.parametrize("email", ["nia.new", "nia new@ice.example.gov", "n@" + "x" * 260])
def test_user_email_must_look_like_one(db: Database, world: World, email: str) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_user(db.uow(), world.admin, UserInput(email, "Nia New", Role.STAFF))
    assert refused.value.for_field("email") == f"{email!r} is not an email address"


def test_email_already_in_use_in_another_case_is_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_user(db.uow(), world.admin, UserInput("MIA.ONE@ice.example.gov", "Mia Again", Role.STAFF))
    assert refused.value.for_field("email") == "mia.one@ice.example.gov is already a user"


@pytest.mark.parametrize(
    ("role", "message"), [(Role.MANAGER, "a manager"), (Role.SUPERVISOR, "a supervisor")]
)
def test_managers_and_supervisors_belong_to_a_field_office(
    db: Database, world: World, role: Role, message: str
) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_user(db.uow(), world.admin, UserInput("nia.new@ice.example.gov", "Nia New", role))
    assert refused.value.for_field("field_office") == f"{message} belongs to a field office"


def test_unknown_field_office_is_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_user(
            db.uow(), world.admin, UserInput("nia.new@ice.example.gov", "Nia New", Role.STAFF, "nowhere")
        )
    assert refused.value.for_field("field_office") == "unknown field office"


@pytest.mark.parametrize("capacity", [0, -1, 100.5])
def test_capacity_must_be_within_reason(db: Database, world: World, capacity: float) -> None:
    data = user_as_stored(db, world.m1.user_id, capacity=capacity)
    with refused_without_writing(db, ValidationError) as refused:
        update_user(
            db.uow(),
            world.admin,
            world.m1.user_id,
            data,
            expected_version=version_of(db, "user", world.m1.user_id),
        )
    assert refused.value.for_field("capacity") == "must be above 0 and at most 100 workload units"


def test_a_ten_megabyte_user_name_is_refused(db: Database, world: World) -> None:
    data = UserInput("nia.new@ice.example.gov", "N" * (10 * 1024 * 1024), Role.STAFF)
    with refused_without_writing(db, ValidationError) as refused:
        create_user(db.uow(), world.admin, data)
    assert refused.value.for_field("name") == "is 10,485,760 characters long; at most 200 fit"
