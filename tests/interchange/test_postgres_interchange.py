"""The interchange tables on a real PostgreSQL server: the same import and export as on SQLite
(SQLAlchemy Core inserts instead of SQLite's bulk path), and the same files come back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tables_support import admin_of, run, write_table

from pm_desk.interchange.tables import TABLES
from pm_desk.services.imports import export_interchange
from pm_desk.store.audit_log import iter_chain_problems
from pm_desk.store.database import open_database

pytestmark = pytest.mark.postgres
SESSION_IN_PACIFIC = "?options=-c%20timezone%3DAmerica/Los_Angeles"


def test_round_trip_and_updates_on_postgresql(
    postgres_url: str, clock, small_export: Path, tmp_path: Path
) -> None:
    database = open_database(postgres_url + SESSION_IN_PACIFIC, clock=clock)
    try:
        report = run(database, None, small_export)
        assert report.applied and report.counts["transfers"]["new"] == 2000
        again = tmp_path / "again"
        admin = admin_of(database)
        export_interchange(database.uow(), admin, again)
        for spec in TABLES:
            assert (again / spec.file).read_bytes() == (small_export / spec.file).read_bytes(), spec.file
        assert run(database, admin, small_export).records_written == 0
        with (again / "officers.csv").open(encoding="utf-8", newline="") as source:
            first = next(csv.DictReader(source))
        first["rank"] = "Captain"
        changed = tmp_path / "changed"
        write_table(changed, "officers", [first])
        assert run(database, admin, changed).counts["officers"] == {"new": 0, "changed": 1, "unchanged": 0}
        with database.engine.connect() as connection:
            assert list(iter_chain_problems(connection)) == []
    finally:
        database.close()
