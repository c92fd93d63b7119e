"""How the acting user of a service call is found (the `Actor` itself lives in the domain)."""

from __future__ import annotations

from sqlalchemy import func, select

from pm_desk.domain.actor import Actor
from pm_desk.services.errors import NotFound
from pm_desk.store.models import User
from pm_desk.store.uow import UnitOfWork


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
