"""Writing a plan: bulk inserts and updates, and the audit entries in bulk, in the caller's
transaction.

Every update names the version it was planned against, so a record someone changed meanwhile
stops the whole import instead of being overwritten. On SQLite new rows go in as the text the
store's column types would write (the types' own work, done once per value rather than through
SQLAlchemy's per-parameter machinery), which is what lets 200,000 transfers load in seconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Date, Table, bindparam, func, insert, select, update

from pm_desk.interchange.planning import APPLY_ORDER, Change, Plan, table_of
from pm_desk.store.audit_log import AuditContext, NewEntry, append_entries
from pm_desk.store.models import CustodyTransfer
from pm_desk.store.search import has_transfer_search, rebuild_transfer_search
from pm_desk.store.types import UTCDateTime

OPERATION = "import"
BATCH = 20_000
# A load of at least this many rows into a table no bigger than the load rebuilds its indexes after.
BULK_ROWS = 10_000


class StaleRecords(Exception):
    """Records changed between planning and writing."""


def apply_plan(
    connection: Connection, plan: Plan, context: AuditContext, now: datetime, summary: Mapping[str, Any]
) -> int:
    """Write every change of `plan` and its audit entries; returns how many records were written.

    The import's own entry (with its counts) comes first, then one entry per record, appended
    table by table so a big import never holds every entry in memory at once."""
    append_entries(connection, [NewEntry(now, context, OPERATION, None, None, None, summary)])
    written = 0
    for model in APPLY_ORDER:
        changes = plan.changes.get(model, [])
        if not changes:
            continue
        table = table_of(model)
        creates = [c for c in changes if c.action == "create"]
        updates = [c for c in changes if c.action != "create"]
        audited = _insert(connection, table, creates, now, context.actor_id)
        _update(connection, table, updates, now, context.actor_id)
        kind = model.record_kind
        afters = audited if audited is not None else [_audit(c.values) for c in creates]
        entries = [
            NewEntry(now, context, c.action, kind, c.record_id, None, after)
            for c, after in zip(creates, afters, strict=True)
        ]
        del audited, afters
        entries.extend(
            NewEntry(now, context, c.action, kind, c.record_id, _audit(c.before), _audit(c.values))
            for c in updates
        )
        append_entries(connection, entries)
        written += len(changes)
    return written


def _stored(value: Any) -> Any:
    """A value as SQLite holds it in the store (see store/types.py): instants as naive UTC text."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _audit(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Values as the audit trail writes them (instants as `2026-10-31T14:05:00Z`), formatted here
    in one pass so the trail does not format 200,000 instants one by one."""
    if values is None:
        return None
    result: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, datetime):
            text = _stored(value)
            value = f"{text[:10]}T{text[11:19]}Z"
        elif isinstance(value, Enum):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        result[key] = value
    return result


@contextmanager
def _bulk_load(connection: Connection, table: Table, adding: int) -> Iterator[None]:
    """For a load that at least doubles a SQLite table: its plain indexes (and the search
    triggers of transfers) are dropped, then rebuilt once over the whole table, which is far
    faster than keeping them up to date row by row. All inside the caller's transaction."""
    if connection.dialect.name != "sqlite" or adding < BULK_ROWS:
        yield
        return
    present = connection.execute(select(func.count()).select_from(table)).scalar_one()
    if present > adding:
        yield
        return
    search = table.name == CustodyTransfer.__tablename__ and has_transfer_search(connection)
    kinds = ("index", "trigger") if search else ("index",)
    found = connection.exec_driver_sql(
        f"SELECT type, name, sql FROM sqlite_master WHERE type IN ({', '.join('?' for _ in kinds)}) "
        "AND tbl_name = ? AND sql IS NOT NULL",
        (*kinds, table.name),
    ).fetchall()
    quote = connection.dialect.identifier_preparer.quote
    for kind, name, _sql in found:
        connection.exec_driver_sql(f"DROP {kind.upper()} {quote(name)}")
    yield
    for _kind, _name, sql in found:
        connection.exec_driver_sql(sql)
    if search:
        rebuild_transfer_search(connection)


def _insert(
    connection: Connection, table: Table, creates: list[Change], now: datetime, actor_id: str | None
) -> list[dict[str, Any]] | None:
    """Insert the new records; on SQLite also returns their values as the audit trail writes them."""
    if not creates:
        return None
    stamp = {"created_at": now, "updated_at": now, "updated_by": actor_id, "version": 1, "deleted_at": None}
    with _bulk_load(connection, table, len(creates)):
        if connection.dialect.name == "sqlite":
            return _insert_sqlite(connection, table, creates, stamp)
        _insert_core(connection, table, creates, stamp)
    return None


def _defaults(table: Table) -> dict[str, Any]:
    """Each column's value when a row does not give one: its scalar default, else NULL."""
    result: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        arg = getattr(default, "arg", None) if default is not None and default.is_scalar else None
        result[column.name] = arg
    return result


_PLAIN, _INSTANT, _DATE = 0, 1, 2


def _column_kinds(table: Table) -> list[tuple[str, int]]:
    kinds = []
    for column in table.columns:
        if isinstance(column.type, UTCDateTime):
            kinds.append((column.name, _INSTANT))
        elif isinstance(column.type, Date):
            kinds.append((column.name, _DATE))
        else:
            kinds.append((column.name, _PLAIN))
    return kinds


def _insert_sqlite(
    connection: Connection, table: Table, creates: list[Change], stamp: dict[str, Any]
) -> list[dict[str, Any]]:
    """Rows as SQLite stores them, each value converted once and used for both the row and its
    audit entry (instants: `2026-10-31 14:05:00.000000` stored, `2026-10-31T14:05:00Z` audited)."""
    defaults = {name: _stored(value) for name, value in _defaults(table).items()}
    columns = _column_kinds(table)
    names = [name for name, _kind in columns]
    stamped = {k: _stored(v) for k, v in stamp.items()}
    quote = connection.dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    audited: list[dict[str, Any]] = []
    for start in range(0, len(creates), BATCH):
        rows = []
        for change in creates[start : start + BATCH]:
            values = change.values
            after: dict[str, Any] = {}
            row: list[Any] = []
            for name, kind in columns:
                if name == "id":
                    row.append(change.record_id)
                elif name in stamped:
                    row.append(stamped[name])
                elif name not in values:
                    row.append(defaults[name])
                else:
                    value = values[name]
                    if value is None or kind == _PLAIN:
                        stored = shown = value.value if isinstance(value, Enum) else value
                    elif kind == _INSTANT:
                        stored = _stored(value)
                        shown = f"{stored[:10]}T{stored[11:19]}Z"
                    else:
                        stored = shown = value.isoformat()
                    row.append(stored)
                    after[name] = shown
            rows.append(tuple(row))
            audited.append(after)
        connection.exec_driver_sql(statement, rows)
    return audited


def _insert_core(connection: Connection, table: Table, creates: list[Change], stamp: dict[str, Any]) -> None:
    names: set[str] = set()
    for change in creates:
        names.update(change.values)
    statement = insert(table)
    for start in range(0, len(creates), BATCH):
        rows = []
        for change in creates[start : start + BATCH]:
            row = dict.fromkeys(names)
            row.update(change.values)
            row.update(stamp)
            row["id"] = change.record_id
            rows.append(row)
        connection.execute(statement, rows)


def _update(
    connection: Connection, table: Table, updates: list[Change], now: datetime, actor_id: str | None
) -> None:
    groups: dict[tuple[str, ...], list[Change]] = {}
    for change in updates:
        groups.setdefault(tuple(sorted(change.values)), []).append(change)
    for columns, changes in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
            .values(
                {table.c[name]: bindparam(f"_new_{name}") for name in columns}
                | {
                    table.c.version: table.c.version + 1,
                    table.c.updated_at: bindparam("_now"),
                    table.c.updated_by: bindparam("_by"),
                }
            )
        )
        for start in range(0, len(changes), BATCH):
            batch = changes[start : start + BATCH]
            params = [
                {
                    "_id": c.record_id,
                    "_version": c.version,
                    "_now": now,
                    "_by": actor_id,
                    **{f"_new_{name}": c.values[name] for name in columns},
                }
                for c in batch
            ]
            result = connection.execute(statement, params)
            if connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(batch):
                raise StaleRecords(f"{len(batch) - result.rowcount} {table.name} changed during the import")
