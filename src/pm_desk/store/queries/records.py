"""One record's stored values as a plain dict, for forms to start from (never a live ORM object)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from pm_desk.store.models import (
    Agency,
    Agreement,
    Complaint,
    CustodyTransfer,
    Enrollment,
    EquipmentOrder,
    Finding,
    Inspection,
    Officer,
    Record,
    Reminder,
    TrainingClass,
    TrainingRecord,
    User,
)

MODELS: dict[str, type[Record]] = {
    "agency": Agency,
    "agreement": Agreement,
    "complaint": Complaint,
    "transfer": CustodyTransfer,
    "enrollment": Enrollment,
    "equipment_order": EquipmentOrder,
    "finding": Finding,
    "inspection": Inspection,
    "officer": Officer,
    "reminder": Reminder,
    "training_class": TrainingClass,
    "training_record": TrainingRecord,
    "user": User,
}


def record_values(session: Session, kind: str, record_id: str) -> dict[str, Any] | None:
    record = session.get(MODELS[kind], record_id)
    if record is None or record.deleted_at is not None:
        return None
    return {attr.key: getattr(record, attr.key) for attr in inspect(record).mapper.column_attrs}
