"""The hash-chained audit trail, written on every flush of a unit of work.

Each flushed insert, update or soft delete of a record becomes one entry with its before and
after values. Entries are chained: an entry's hash covers its content and the previous entry's
hash, so editing or deleting a row by hand breaks the chain where `verify_chain` finds it
(store.audit_chain). The head is read inside the write transaction, which holds the database's
write lock (store.transactions): two writers never extend the chain from the same entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from pm_desk.domain.keys import instant_key
from pm_desk.store.audit_chain import ChainProblem, iter_chain_problems
from pm_desk.store.audit_hash import GENESIS_HASH, entry_hash
from pm_desk.store.models import AuditEntry, Record, new_id
from pm_desk.store.transactions import become_writer

__all__ = [
    "GENESIS_HASH",
    "AuditContext",
    "ChainProblem",
    "NewEntry",
    "append_entries",
    "entry_hash",
    "iter_chain_problems",
    "last_hash",
]

# Columns every record has that say nothing about the change itself.
_BOOKKEEPING = frozenset({"created_at", "updated_at", "updated_by", "version"})
# Never written to the audit trail in clear: a hash-only marker shows that it changed.
_SECRET_COLUMNS = frozenset({"password_hash"})


@dataclass(frozen=True)
class AuditContext:
    actor_id: str | None
    actor_email: str | None
    operation: str


@dataclass(frozen=True)
class NewEntry:
    at: datetime
    context: AuditContext
    action: str
    record_kind: str | None
    record_id: str | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


def to_json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return instant_key(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _dump(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps({k: to_json_value(v) for k, v in values.items()}, sort_keys=True, ensure_ascii=False)


def last_hash(connection: Connection) -> str:
    """The chain's head, read as the database's one writer."""
    become_writer(connection)
    found = connection.execute(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
    return found or GENESIS_HASH


def append_entries(connection: Connection, entries: Iterable[NewEntry]) -> int:
    """Append entries to the chain on `connection`, inside its open transaction."""
    rows = []
    prev = None
    for entry in entries:
        if prev is None:
            prev = last_hash(connection)
        row: dict[str, Any] = {
            "id": new_id(),
            "at": entry.at,
            "actor_id": entry.context.actor_id,
            "actor_email": entry.context.actor_email,
            "operation": entry.context.operation,
            "action": entry.action,
            "record_kind": entry.record_kind,
            "record_id": entry.record_id,
            "before": _dump(entry.before),
            "after": _dump(entry.after),
            "prev_hash": prev,
        }
        row["hash"] = entry_hash(prev, row)
        prev = row["hash"]
        rows.append(row)
    if rows:
        connection.execute(insert(AuditEntry), rows)
    return len(rows)


def _column_values(obj: Record, names: Iterable[str]) -> dict[str, Any]:
    return {name: _visible(name, getattr(obj, name)) for name in names}


def _visible(name: str, value: Any) -> Any:
    if name in _SECRET_COLUMNS and value is not None:
        return "(set)"
    return value


def _changes(obj: Record) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _BOOKKEEPING:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before[attr.key] = _visible(attr.key, history.deleted[0] if history.deleted else None)
            after[attr.key] = _visible(attr.key, history.added[0] if history.added else None)
    return before, after


def collect_flush_entries(session: Session, context: AuditContext, at: datetime) -> list[NewEntry]:
    """What a flush changes, as audit entries.

    Called from `after_flush`, where column defaults have been applied but the session still
    shows the flush's new, dirty and deleted objects with their attribute history.
    """
    entries: list[NewEntry] = []
    for obj in session.new:
        if isinstance(obj, Record):
            names = [a.key for a in inspect(obj).mapper.column_attrs if a.key not in _BOOKKEEPING]
            entries.append(
                NewEntry(
                    at,
                    context,
                    "create",
                    obj.record_kind,
                    obj.id,
                    None,
                    _column_values(obj, names),
                )
            )
    for obj in session.dirty:
        if isinstance(obj, Record) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if not after:
                continue
            action = "delete" if before.get("deleted_at") is None and after.get("deleted_at") else "update"
            entries.append(NewEntry(at, context, action, obj.record_kind, obj.id, before, after))
    for obj in session.deleted:
        if isinstance(obj, Record):
            names = [a.key for a in inspect(obj).mapper.column_attrs]
            entries.append(
                NewEntry(
                    at,
                    context,
                    "purge",
                    obj.record_kind,
                    obj.id,
                    _column_values(obj, names),
                    None,
                )
            )
    return entries


def write_after_flush(session: Session, flush_context: UOWTransaction) -> None:
    context: AuditContext | None = session.info.get("audit_context")
    if context is None:
        context = AuditContext(None, None, "unattributed")
    entries = collect_flush_entries(session, context, session.info["clock"]())
    append_entries(session.connection(), entries)
