"""From tables read to a plan: every row checked, every reference resolved, every right judged.

Nothing here writes: `prepare_import` returns the plan with every problem found in any file, so
a bad set is reported whole and a good one is written by `apply_plan` in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.domain.policy import Policy
from pm_desk.interchange.existing import load_existing
from pm_desk.interchange.plan_caseload import Planner
from pm_desk.interchange.plan_records import (
    check_references,
    plan_equipment,
    plan_inspections,
    plan_officers,
    plan_training,
    plan_transfers,
)
from pm_desk.interchange.plan_rota import plan_rota
from pm_desk.interchange.planning import Plan
from pm_desk.interchange.problems import Findings, RowProblem
from pm_desk.interchange.reading import SourceSet
from pm_desk.interchange.rights import Rights
from pm_desk.interchange.rows import CheckedTable, check_table
from pm_desk.interchange.tables import TABLES
from pm_desk.store.models import User, new_id

SETUP_NAME = "Initial setup"


class SetupError(Exception):
    """A first import that cannot say who it runs as."""


@dataclass
class Prepared:
    plan: Plan
    actor: Actor
    setup: bool  # the database had no users: this import sets the installation up


def has_users(connection: Connection) -> bool:
    return bool(connection.execute(select(func.count()).select_from(User)).scalar_one())


def prepare_import(
    connection: Connection,
    source: SourceSet,
    actor: Actor | None,
    now: datetime,
    policy: Policy,
    setup_email: str | None = None,
) -> Prepared:
    """The plan of importing `source` as `actor`. With no users in the database yet, the import
    runs with an administrator's rights as the user `setup_email` of users.csv (else its first
    administrator, else no one) and `actor` may be None."""
    findings = Findings()
    findings.extend(source.findings)
    checked = {name: check_table(table, findings) for name, table in source.tables.items()}
    for read in source.tables.values():
        read.rows.clear()  # read once: what remains is the checked rows (a big import's memory)
    setup = not has_users(connection)
    preset: dict[str, str] = {}
    if setup:
        actor = _setup_actor(checked.get("users"), setup_email)
        if actor.user_id:
            preset[actor.email] = actor.user_id
    elif actor is None:
        raise SetupError("an import needs an acting user")
    existing = load_existing(connection, set(checked))
    rights = Rights(actor, setup, existing.users_by_id)
    planner = Planner(existing, rights, checked, now, policy, actor.user_id or None, preset_user_ids=preset)
    planner.plan.findings = findings
    planner.plan_users()
    planner.plan_agencies()
    planner.plan_agreements()
    plan_officers(planner)
    plan_training(planner)
    plan_equipment(planner)
    plan_transfers(planner)
    plan_inspections(planner)
    plan_rota(planner, connection)
    for name, table in checked.items():
        for row in table.rows:
            if not row.ok:
                check_references(planner, name, row)
    findings.problems.sort(key=_problem_order(source))
    return Prepared(planner.plan, actor, setup)


def _setup_actor(users: CheckedTable | None, email: str | None) -> Actor:
    rows = users.valid() if users else []
    if email:
        wanted = email.strip().lower()
        row = next((r for r in rows if r.values["email"] == wanted), None)
        if row is None:
            raise SetupError(f"the database has no users yet and users.csv does not name {email.strip()}")
    else:
        row = next((r for r in rows if r.values["role"] is Role.ADMIN), None)
    if row is None:
        return Actor("", "", SETUP_NAME, Role.ADMIN, None)
    return Actor(new_id(), row.values["email"], row.values["name"], Role.ADMIN, None)


def _problem_order(source: SourceSet) -> Callable[[RowProblem], tuple[int, str, int, int]]:
    """Files in the order of the tables, then lines, then columns in the order of the header."""
    order = {t.name: i for i, t in enumerate(TABLES)}
    positions = {table.source: order[name] for name, table in source.tables.items()}
    columns = {table.source: table.spec.header for table in source.tables.values()}

    def key(problem: RowProblem) -> tuple[int, str, int, int]:
        header = columns.get(problem.source, ())
        column = header.index(problem.column) if problem.column in header else len(header)
        return positions.get(problem.source, -1), problem.source, problem.line, column

    return key
