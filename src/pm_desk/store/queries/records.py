"""One record's stored values as a plain dict, for forms to start from (never a live ORM object)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from pm_desk.domain.enums import RecordKind
from pm_desk.store.models import model_for


def record_values(session: Session, kind: RecordKind | str, record_id: str) -> dict[str, Any] | None:
    record = session.get(model_for(kind), record_id)
    if record is None or record.deleted_at is not None:
        return None
    return {attr.key: getattr(record, attr.key) for attr in inspect(record).mapper.column_attrs}
