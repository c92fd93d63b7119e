"""Every model, imported in one place so the metadata (and Alembic) sees them all."""

from pm_desk.store.models.audit import AuditEntry
from pm_desk.store.models.base import Base, Record, new_id, utcnow
from pm_desk.store.models.caseload import Agency, Agreement, Assignment
from pm_desk.store.models.meta import AppMeta
from pm_desk.store.models.officers import (
    Enrollment,
    Officer,
    OfficerStatusChange,
    TrainingClass,
    TrainingRecord,
)
from pm_desk.store.models.oncall import Leave, Override, Rotation, RotationMember, Shift, SwapRequest
from pm_desk.store.models.operations import ActivityCount, CustodyTransfer, EquipmentOrder, TransferEvent
from pm_desk.store.models.org import FieldOffice, User
from pm_desk.store.models.oversight import Complaint, Finding, Inspection
from pm_desk.store.models.policy import PolicySetting
from pm_desk.store.models.registry import model_for, models_by_kind
from pm_desk.store.models.reminders import Reminder
from pm_desk.store.models.reports import FiledReport

__all__ = [
    "ActivityCount",
    "Agency",
    "Agreement",
    "AppMeta",
    "Assignment",
    "AuditEntry",
    "Base",
    "Complaint",
    "CustodyTransfer",
    "Enrollment",
    "EquipmentOrder",
    "FieldOffice",
    "FiledReport",
    "Finding",
    "Inspection",
    "Leave",
    "Officer",
    "OfficerStatusChange",
    "Override",
    "PolicySetting",
    "Record",
    "Reminder",
    "Rotation",
    "RotationMember",
    "Shift",
    "SwapRequest",
    "TrainingClass",
    "TrainingRecord",
    "TransferEvent",
    "User",
    "model_for",
    "models_by_kind",
    "new_id",
    "utcnow",
]
