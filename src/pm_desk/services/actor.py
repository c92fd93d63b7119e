"""The acting user every service call carries, and how one is found."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from pm_desk.domain.enums import Role
from pm_desk.services.errors import NotFound
from pm_desk.store.models import User
from pm_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class Actor:
    user_id: str
    email: str
    name: str
    role: Role
    field_office_id: str | None

    @property
    def is_supervisor(self) -> bool:
        return self.role is Role.SUPERVISOR


def actor_from_user(user: User) -> Actor:
    return Actor(user.id, user.email, user.name, user.role, user.field_office_id)


def actor_for_email(uow: UnitOfWork, email: str) -> Actor:
    """The active user with this email (any case), as an actor; NotFound says so in a sentence."""
    user = uow.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower(), User.deleted_at.is_(None))
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no user with the email {email.strip()!r}")
    if not user.active:
        raise NotFound(f"the user {user.email} is no longer active")
    return actor_from_user(user)
