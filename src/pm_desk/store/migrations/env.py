"""Alembic environment: runs on the connection PM Desk hands in (see store.database)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context
from sqlalchemy import create_engine

from pm_desk.store.models import Base
from pm_desk.store.schema_filters import include_name
from pm_desk.store.types import UTCDateTime

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # `alembic` run by hand (autogenerate while developing): url from -x url=...
        url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///migrations-dev.sqlite3")
        with create_engine(url, hide_parameters=True).connect() as own:
            _run(own)
            own.commit()
        return
    _run(connection)


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # PM Desk hands in a connection already in a transaction that holds the write lock
        # (store.database): every migration of an upgrade runs in it, whole or not at all.
        transaction_per_migration=False,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def _render_item(type_: str, obj: Any, autogen_context: Any) -> Any:
    """Write plain SQL types into migrations, so they never import the app's Python types."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, sa.Enum):
        return f"sa.String(length={obj.length})"
    return False


if context.is_offline_mode():
    raise SystemExit("PM Desk migrations run online only (they need the database connection)")
run_migrations_online()
