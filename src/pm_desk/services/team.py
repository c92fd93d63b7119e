"""A supervisor's view of his field office: each manager's load and what is pressing in his
caseload, and the moves that would balance the office (reads only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from pm_desk.domain import rules
from pm_desk.domain.enums import OPEN_HOLD_STATUSES, RecordKind, Role
from pm_desk.domain.facts import ManagerLoadFacts
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.staffing import load_ratio
from pm_desk.domain.rules.statuses import Severity
from pm_desk.domain.scope import office_scope
from pm_desk.domain.workload import Move, agreement_units, capacity_of, caseload_units, suggest_balance
from pm_desk.services.compliance import compliance_results
from pm_desk.store.models import Agreement, CustodyTransfer, Leave, User
from pm_desk.store.queries.compliance import agreement_work
from pm_desk.store.queries.labels import record_labels
from pm_desk.store.queries.oncall import on_call_now
from pm_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class TeamRow:
    manager_id: str
    name: str
    email: str
    agreements: int
    units: float
    capacity: float
    open_holds: int
    late_items: int
    on_leave: bool
    on_call: bool
    overloaded: bool  # the load rule's verdict

    @property
    def load(self) -> float:
        return load_ratio(self.units, self.capacity)


def office_managers(uow: UnitOfWork, field_office_id: str | None) -> list[User]:
    statement = select(User).where(
        User.role == Role.MANAGER, User.active.is_(True), User.deleted_at.is_(None)
    )
    if field_office_id is not None:
        statement = statement.where(User.field_office_id == field_office_id)
    return list(uow.session.execute(statement.order_by(User.name)).scalars())


def agreement_units_by_manager(
    uow: UnitOfWork, now: datetime, manager_ids: list[str]
) -> dict[str, list[tuple[str, float]]]:
    """Each manager's agreements that carry work, with their units under the policy."""
    work = agreement_work(uow.session, now, uow.policy.workload.recent_transfer_days)
    return {
        m: [(w.agreement_id, agreement_units(w, uow.policy)) for w in work.get(m, [])] for m in manager_ids
    }


def team(uow: UnitOfWork, field_office_id: str | None, now: datetime) -> list[TeamRow]:
    policy = uow.policy
    managers = office_managers(uow, field_office_id)
    ids = [m.id for m in managers]
    work = agreement_work(uow.session, now, policy.workload.recent_transfer_days)
    holds = dict(
        uow.session.execute(
            select(Agreement.manager_id, func.count())
            .join(CustodyTransfer, CustodyTransfer.agreement_id == Agreement.id)
            .where(
                CustodyTransfer.status.in_(OPEN_HOLD_STATUSES),
                CustodyTransfer.deleted_at.is_(None),
                Agreement.manager_id.in_(ids),
            )
            .group_by(Agreement.manager_id)
        ).all()
    )
    late = Counter(
        item.manager
        for item in compliance_results(uow, policy, now, office_scope(field_office_id))
        if catalog.entry_of(item).severity is Severity.LATE and item.record is not RecordKind.USER
    )
    away = set(
        uow.session.execute(
            select(Leave.user_id).where(
                Leave.user_id.in_(ids),
                Leave.deleted_at.is_(None),
                Leave.starts_at <= now,
                Leave.ends_at > now,
            )
        ).scalars()
    )
    current = on_call_now(uow.session, field_office_id, now) if field_office_id else None
    rows = []
    for manager in managers:
        own = work.get(manager.id, [])
        units, capacity = round(caseload_units(own, policy), 2), capacity_of(manager.capacity, policy)
        rows.append(
            TeamRow(
                manager.id,
                manager.name,
                manager.email,
                len(own),
                units,
                capacity,
                holds.get(manager.id, 0),
                late.get(manager.email, 0),
                manager.id in away,
                current is not None and current.primary_id == manager.id,
                rules.load(ManagerLoadFacts(manager.id, units, capacity), policy) is not None,
            )
        )
    return sorted(rows, key=lambda r: (-r.load, r.name))


def suggested_moves(uow: UnitOfWork, field_office_id: str | None, now: datetime) -> list[Move]:
    """Moves within the office that bring everyone under capacity with few moves."""
    managers = office_managers(uow, field_office_id)
    caseloads = agreement_units_by_manager(uow, now, [m.id for m in managers])
    capacities = {m.id: capacity_of(m.capacity, uow.policy) for m in managers}
    return suggest_balance(caseloads, capacities, uow.policy.workload.overload_ratio)


def leave_end(uow: UnitOfWork, user_id: str, now: datetime) -> datetime | None:
    """When a manager's current leave, or failing that his next one, ends; None without any."""
    return uow.session.execute(
        select(Leave.ends_at)
        .where(Leave.user_id == user_id, Leave.deleted_at.is_(None), Leave.ends_at > now)
        .order_by(Leave.starts_at)
        .limit(1)
    ).scalar_one_or_none()


def caseload_lines(uow: UnitOfWork, manager_id: str, now: datetime) -> list[tuple[str, str, float]]:
    """A manager's agreements that carry work: (id, what people call it, units), by name."""
    units = agreement_units_by_manager(uow, now, [manager_id])[manager_id]
    labels = record_labels(uow.session, [("agreement", a) for a, _u in units])
    return sorted(((a, labels.get(("agreement", a), a), u) for a, u in units), key=lambda x: x[1])


def suggested_balance(uow: UnitOfWork, field_office_id: str | None, now: datetime) -> list[tuple[Move, str]]:
    """The suggested moves, each with the name of the agreement it moves."""
    moves = suggested_moves(uow, field_office_id, now)
    labels = record_labels(uow.session, [("agreement", m.agreement_id) for m in moves])
    return [(m, labels.get(("agreement", m.agreement_id), m.agreement_id)) for m in moves]
