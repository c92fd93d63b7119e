"""Helpers the interchange tests share: files written as people write them, imports as the
service runs them, and what an import left behind."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.interchange.tables import TABLES_BY_NAME
from pm_desk.services.actor import actor_for_email
from pm_desk.services.imports import ImportDenied, ImportRefused, ImportReport, import_tables
from pm_desk.store.database import Database
from pm_desk.store.models import User

ICE_DATA = Path(__file__).resolve().parent.parent / "data" / "ice"


def write_table(
    folder: Path,
    table: str,
    rows: Iterable[dict[str, Any]],
    header: Sequence[str] | None = None,
    *,
    newline: str = "\n",
    bom: bool = False,
) -> Path:
    """A CSV file of `table` with every column of its header; cells a row leaves out are empty."""
    folder.mkdir(parents=True, exist_ok=True)
    columns = list(header or TABLES_BY_NAME[table].header)
    path = folder / f"{table}.csv"
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator=newline)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return path


def run(db: Database, actor: Actor | None, source: Path, **options: Any) -> ImportReport:
    return import_tables(db.uow(), actor, source, **options)


def refused(db: Database, actor: Actor | None, source: Path, **options: Any) -> list[str]:
    """The problems of an import that must be refused, as the lines a person reads."""
    with pytest.raises((ImportRefused, ImportDenied)) as info:
        import_tables(db.uow(), actor, source, **options)
    report = info.value.report
    assert not report.applied
    return [str(p) for p in report.problems]


def contains(problems: list[str], *fragments: str) -> None:
    """Each fragment appears in some problem (a readable failure when one does not)."""
    for fragment in fragments:
        assert any(fragment in p for p in problems), f"{fragment!r} not in:\n" + "\n".join(problems)


# The world of tests/builders.py in the tables' own words.
CALHOUN = {
    "agency_state": "FL",
    "agency_name": "Calhoun County Sheriff's Office",
    "model": "jail_enforcement",
}
BAY = {"agency_state": "FL", "agency_name": "Bay County Sheriff's Office", "model": "task_force"}
COBB = {"agency_state": "GA", "agency_name": "Cobb County Sheriff's Office", "model": "jail_enforcement"}


def actor(database: Database, email: str) -> Actor:
    with database.uow() as uow:
        return actor_for_email(uow, email)


def admin_of(database: Database) -> Actor:
    with database.uow() as uow:
        email = uow.session.execute(select(User.email).where(User.role == "admin")).scalar_one()
    return actor(database, email)
