"""Every model, imported in one place so the metadata (and Alembic) sees them all."""

from pm_desk.store.models.audit import AuditEntry
from pm_desk.store.models.base import Base, Record, new_id, utcnow
from pm_desk.store.models.caseload import Agency, Agreement, Assignment
from pm_desk.store.models.officers import (
    Enrollment,
    Officer,
    OfficerStatusChange,
    TrainingClass,
    TrainingRecord,
)
from pm_desk.store.models.oncall import Leave, Override, Rotation, RotationMember, Shift, SwapRequest
from pm_desk.store.models.operations import ActivityCount, CustodyTransfer, EquipmentOrder
from pm_desk.store.models.org import FieldOffice, User
from pm_desk.store.models.oversight import Complaint, Finding, Inspection
from pm_desk.store.models.reminders import Reminder

__all__ = [
    "ActivityCount",
    "Agency",
    "Agreement",
    "Assignment",
    "AuditEntry",
    "Base",
    "Complaint",
    "CustodyTransfer",
    "Enrollment",
    "EquipmentOrder",
    "FieldOffice",
    "Finding",
    "Inspection",
    "Leave",
    "Officer",
    "OfficerStatusChange",
    "Override",
    "Record",
    "Reminder",
    "Rotation",
    "RotationMember",
    "Shift",
    "SwapRequest",
    "TrainingClass",
    "TrainingRecord",
    "User",
    "new_id",
    "utcnow",
]
