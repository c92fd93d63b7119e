"""Short lists for pickers in forms: agreements by agency, managers, classes with seats."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import SEAT_HOLDING_RESULTS, Role, label
from pm_desk.store.models import Agency, Agreement, Enrollment, Officer, TrainingClass, User
from pm_desk.store.queries.listing import Scope, restrict


def agreement_choices(session: Session, scope: Scope) -> list[tuple[str, str]]:
    statement = restrict(
        select(Agreement.id, Agency.name, Agency.state, Agreement.model)
        .join(Agency, Agency.id == Agreement.agency_id)
        .where(Agreement.deleted_at.is_(None)),
        scope,
    ).order_by(Agency.name, Agency.state, Agreement.model)
    return [(i, f"{name}, {state} — {label(model)}") for i, name, state, model in session.execute(statement)]


def agency_choices(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Agency.id, Agency.name, Agency.state).where(Agency.deleted_at.is_(None)).order_by(Agency.name)
    )
    return [(i, f"{name}, {state}") for i, name, state in rows]


def manager_choices(session: Session, field_office_id: str | None) -> list[tuple[str, str]]:
    statement = select(User.id, User.name).where(
        User.role == Role.MANAGER, User.active.is_(True), User.deleted_at.is_(None)
    )
    if field_office_id is not None:
        statement = statement.where(User.field_office_id == field_office_id)
    return [(i, n) for i, n in session.execute(statement.order_by(User.name))]


def user_choices(session: Session) -> list[tuple[str, str, str]]:
    """Every active user as (email, name, role) for the 'act as' picker."""
    rows = session.execute(
        select(User.email, User.name, User.role)
        .where(User.active.is_(True), User.deleted_at.is_(None))
        .order_by(User.role, User.name)
    )
    return [(e, n, r.value) for e, n, r in rows]


def class_choices(session: Session, from_day: date) -> list[tuple[str, str, int]]:
    """Upcoming classes as (id, label, free seats), soonest first."""
    taken = (
        select(Enrollment.class_id, func.count().label("n"))
        .where(Enrollment.deleted_at.is_(None), Enrollment.result.in_(SEAT_HOLDING_RESULTS))
        .group_by(Enrollment.class_id)
        .subquery()
    )
    rows = session.execute(
        select(TrainingClass, taken.c.n)
        .outerjoin(taken, taken.c.class_id == TrainingClass.id)
        .where(TrainingClass.deleted_at.is_(None), TrainingClass.starts_on >= from_day)
        .order_by(TrainingClass.starts_on)
    )
    out = []
    for session_row, n in rows:
        free = max(session_row.seats - (n or 0), 0)
        out.append(
            (
                session_row.id,
                f"{session_row.starts_on.isoformat()} {session_row.location} ({free} free)",
                free,
            )
        )
    return out


def officer_choices(session: Session, agreement_id: str) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Officer.id, Officer.name, Officer.badge)
        .where(Officer.agreement_id == agreement_id, Officer.deleted_at.is_(None))
        .order_by(Officer.name)
    )
    return [(i, f"{n} ({b})") for i, n, b in rows]
