"""Users and roles: the administrator's part."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.services.errors import Problems
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_role
from pm_desk.services.records import MAX_NAME, check_text, check_version, load
from pm_desk.store.models import FieldOffice, User
from pm_desk.store.uow import UnitOfWork


@dataclass
class UserInput:
    email: str
    name: str
    role: Role
    field_office_id: str | None = None
    capacity: float | None = None
    active: bool = True


def _values(uow: UnitOfWork, data: UserInput, existing_id: str | None) -> dict[str, object]:
    problems = Problems()
    email = (data.email or "").strip().lower()
    problems.require("email", email)
    if email and ("@" not in email or " " in email or len(email) > 254):
        problems.add("email", f"{email!r} is not an email address")
    problems.require("name", data.name)
    check_text(problems, "name", data.name, MAX_NAME)
    if data.role in {Role.MANAGER, Role.SUPERVISOR} and not data.field_office_id:
        problems.add("field_office", f"a {data.role.value} belongs to a field office")
    if data.field_office_id and uow.get(FieldOffice, data.field_office_id) is None:
        problems.add("field_office", "unknown field office")
    if data.capacity is not None and not 0 < data.capacity <= 100:
        problems.add("capacity", "must be above 0 and at most 100 workload units")
    if email:
        clash = uow.session.execute(
            select(User.id).where(func.lower(User.email) == email, User.id != (existing_id or ""))
        ).scalar()
        if clash:
            problems.add("email", f"{email} is already a user")
    problems.raise_if_any()
    return {
        "email": email,
        "name": " ".join(data.name.split()),
        "role": data.role,
        "field_office_id": data.field_office_id,
        "capacity": data.capacity,
        "active": data.active,
    }


@write_operation("user.create")
def create_user(uow: UnitOfWork, actor: Actor, data: UserInput) -> str:
    """Administrators add users; a new user sets a password at first sign-in."""
    require_role(actor, {Role.ADMIN}, "add users")
    user = User(**_values(uow, data, None))
    uow.session.add(user)
    uow.session.flush()
    return user.id


@write_operation("user.update")
def update_user(
    uow: UnitOfWork, actor: Actor, user_id: str, data: UserInput, expected_version: int | None = None
) -> int:
    require_role(actor, {Role.ADMIN}, "change users")
    user = load(uow, User, user_id, "user")
    check_version(user, expected_version, "user")
    for key, value in _values(uow, data, user_id).items():
        setattr(user, key, value)
    uow.session.flush()
    return user.version
