"""Migrations: the schema they build is the models' schema, on SQLite and on PostgreSQL, and
opening a database of another schema version does the safe thing (refuse, or back up then upgrade)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from pm_desk.store import database as store_database
from pm_desk.store.database import DatabaseError, NewerDatabaseError, head_revision, open_database
from pm_desk.store.models import Base, FieldOffice
from pm_desk.store.schema_filters import include_name

# A revision the next version of PM Desk might add; only these tests ever see it.
NEXT_REVISION = '''"""test only: a column a later PM Desk adds

Revision ID: 9001
Revises: {current}
"""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{current}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("field_offices") as batch_op:
        batch_op.add_column(sa.Column("test_only_phone", sa.String(length=40), nullable=True))
'''


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new store goes: a SQLite file, or a fresh database on the test PostgreSQL server."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "pm-desk.sqlite3")


def revision_of(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_build_exactly_the_models_schema(database_location: str) -> None:
    database = open_database(database_location)
    try:
        with database.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            current = MigrationContext.configure(connection).get_current_revision()
            # The same comparison `alembic revision --autogenerate` makes (env.py compares types too).
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_name}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        database.close()
    assert set(Base.metadata.tables) <= tables
    # Besides the models: Alembic's own table, and on SQLite the full-text index of transfers.
    search = {
        "transfer_search",
        *(f"transfer_search_{part}" for part in ("data", "idx", "docsize", "config")),
    }
    extra = tables - set(Base.metadata.tables)
    assert extra == (
        {"alembic_version"} | search if database_location.endswith(".sqlite3") else {"alembic_version"}
    )
    assert current == head_revision()
    assert differences == []


def test_database_written_by_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    open_database(str(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")

    with pytest.raises(NewerDatabaseError, match="newer") as refused:
        open_database(str(path), backup_dir=tmp_path / "backups")

    assert "9999_from_the_future" in str(refused.value)
    assert revision_of(path) == "9999_from_the_future"  # left exactly as it was
    assert not (tmp_path / "backups").exists()


def use_next_version_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's migrations plus a test-only revision 9001, as a later PM Desk would ship them."""
    folder = tmp_path / "migrations"
    current = head_revision()
    shutil.copytree(store_database.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_test_only_phone.py").write_text(NEXT_REVISION.format(current=current))
    monkeypatch.setattr(store_database, "MIGRATIONS_DIR", folder)
    return folder


def test_older_database_is_backed_up_before_it_is_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    backup_dir = tmp_path / "backups"
    old = open_database(str(path), backup_dir=backup_dir)
    assert old.backups == []  # a new database has nothing to back up
    with old.uow() as uow:
        uow.session.add(FieldOffice(code="MIA", name="Miami"))
        uow.commit()
    old.close()
    shipped = head_revision()
    assert revision_of(path) == shipped

    use_next_version_migrations(tmp_path, monkeypatch)
    assert head_revision() == "9001"
    upgraded = open_database(str(path), backup_dir=backup_dir)
    try:
        with upgraded.engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("field_offices")}
            current = MigrationContext.configure(connection).get_current_revision()
        with upgraded.uow() as uow:
            codes = uow.session.scalars(select(FieldOffice.code)).all()
    finally:
        upgraded.close()

    assert current == "9001"
    assert "test_only_phone" in columns
    assert codes == ["MIA"]
    assert len(upgraded.backups) == 1
    backup = upgraded.backups[0]
    assert backup.parent == backup_dir and backup.exists()
    assert list(backup_dir.iterdir()) == [backup]
    assert revision_of(backup) == shipped  # the copy is of the database as it was before the upgrade
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT code FROM field_offices").fetchall() == [("MIA",)]


def test_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "recipes.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
        connection.execute("INSERT INTO recipes (title) VALUES ('gumbo')")

    with pytest.raises(DatabaseError, match="not a PM Desk database") as refused:
        open_database(str(path), backup_dir=tmp_path / "backups")

    assert not isinstance(refused.value, NewerDatabaseError)
    with sqlite3.connect(path) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {"recipes"}  # nothing of PM Desk was added
        assert connection.execute("SELECT title FROM recipes").fetchall() == [("gumbo",)]
