"""Soft delete and restore: nothing is ever removed, so any deletion can be taken back."""

from __future__ import annotations

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import RecordKind
from pm_desk.services.errors import NotFound, field_error
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_agreement_write
from pm_desk.services.records import load
from pm_desk.store.models import (
    Agreement,
    Enrollment,
    Finding,
    Inspection,
    Officer,
    Record,
    TrainingRecord,
    model_for,
)
from pm_desk.store.uow import UnitOfWork

# The kinds of record a person can delete (and restore) one at a time.
DELETABLE: frozenset[RecordKind] = frozenset(
    {
        RecordKind.TRAINING_RECORD,
        RecordKind.ENROLLMENT,
        RecordKind.EQUIPMENT_ORDER,
        RecordKind.INSPECTION,
        RecordKind.FINDING,
        RecordKind.COMPLAINT,
        RecordKind.OFFICER,
        RecordKind.TRANSFER,
    }
)


def _agreement_of(uow: UnitOfWork, record: Record) -> Agreement:
    agreement_id = getattr(record, "agreement_id", None)
    if isinstance(record, TrainingRecord | Enrollment):
        agreement_id = load(uow, Officer, record.officer_id, "officer").agreement_id
    elif isinstance(record, Finding):
        agreement_id = load(uow, Inspection, record.inspection_id, "inspection").agreement_id
    if agreement_id is None:
        raise NotFound("the record's agreement was not found")
    return load(uow, Agreement, agreement_id, "agreement")


def _model(kind: str) -> type[Record]:
    if kind not in DELETABLE:
        raise field_error("kind", f"a {kind.replace('_', ' ')} cannot be deleted")
    return model_for(kind)


@write_operation("record.delete")
def delete_record(uow: UnitOfWork, actor: Actor, kind: str, record_id: str) -> None:
    """Mark a record deleted (whoever may write its agreement); `restore_record` takes it back."""
    record = load(uow, _model(kind), record_id, kind.replace("_", " "))
    require_agreement_write(uow, actor, _agreement_of(uow, record), f"delete this {kind.replace('_', ' ')}")
    record.deleted_at = uow.now()


@write_operation("record.restore")
def restore_record(uow: UnitOfWork, actor: Actor, kind: str, record_id: str) -> None:
    record = uow.session.get(_model(kind), record_id)
    if record is None:
        raise NotFound(f"the {kind.replace('_', ' ')} was not found")
    require_agreement_write(uow, actor, _agreement_of(uow, record), f"restore this {kind.replace('_', ' ')}")
    record.deleted_at = None
