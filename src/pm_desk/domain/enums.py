"""The closed vocabularies of the 287(g) domain.

Each enum's value is the text stored in the database and written in the interchange tables.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    STAFF = "staff"
    ADMIN = "admin"


class AgencyKind(StrEnum):
    COUNTY = "county"
    MUNICIPALITY = "municipality"
    STATE_AGENCY = "state_agency"
    OTHER = "other"


class AgreementModel(StrEnum):
    JAIL_ENFORCEMENT = "jail_enforcement"
    TASK_FORCE = "task_force"
    WARRANT_SERVICE_OFFICER = "warrant_service_officer"


class AgreementStatus(StrEnum):
    APPLICANT = "applicant"
    PENDING_SIGNATURE = "pending_signature"
    SIGNED = "signed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    EXPIRED = "expired"


# Agreements that carry work (equipment clock, renewal, workload).
IN_FORCE_STATUSES = frozenset({AgreementStatus.SIGNED, AgreementStatus.ACTIVE})
WORKLOAD_STATUSES = frozenset({AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED})
PIPELINE_STATUSES = frozenset({AgreementStatus.APPLICANT, AgreementStatus.PENDING_SIGNATURE})


class AuthorityStatus(StrEnum):
    NOMINATED = "nominated"
    IN_TRAINING = "in_training"
    AUTHORIZED = "authorized"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SEPARATED = "separated"


# Which authority changes are possible; anything else is refused.
AUTHORITY_TRANSITIONS: dict[AuthorityStatus, frozenset[AuthorityStatus]] = {
    AuthorityStatus.NOMINATED: frozenset(
        {AuthorityStatus.IN_TRAINING, AuthorityStatus.AUTHORIZED, AuthorityStatus.SEPARATED}
    ),
    AuthorityStatus.IN_TRAINING: frozenset(
        {AuthorityStatus.NOMINATED, AuthorityStatus.AUTHORIZED, AuthorityStatus.SEPARATED}
    ),
    AuthorityStatus.AUTHORIZED: frozenset(
        {AuthorityStatus.SUSPENDED, AuthorityStatus.REVOKED, AuthorityStatus.SEPARATED}
    ),
    AuthorityStatus.SUSPENDED: frozenset(
        {AuthorityStatus.AUTHORIZED, AuthorityStatus.REVOKED, AuthorityStatus.SEPARATED}
    ),
    # Reinstating a revoked officer (authority restored, or a revocation entered in error).
    AuthorityStatus.REVOKED: frozenset(
        {AuthorityStatus.AUTHORIZED, AuthorityStatus.NOMINATED, AuthorityStatus.SEPARATED}
    ),
    AuthorityStatus.SEPARATED: frozenset(),
}


class BackgroundCheck(StrEnum):
    PENDING = "pending"
    CLEARED = "cleared"
    DENIED = "denied"


class Course(StrEnum):
    INITIAL = "initial"
    REFRESHER = "refresher"


class EnrollmentResult(StrEnum):
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


# Enrollments that hold a seat in a class.
SEAT_HOLDING_RESULTS = frozenset({EnrollmentResult.ENROLLED, EnrollmentResult.COMPLETED})


class EquipmentItem(StrEnum):
    WORKSTATION = "workstation"
    LIVESCAN_FINGERPRINT = "livescan_fingerprint"
    PRINTER = "printer"
    NETWORK_CIRCUIT = "network_circuit"
    SYSTEM_ACCOUNTS = "system_accounts"
    OTHER = "other"


# The stages of an equipment order, in order.
EQUIPMENT_STAGES = ("requested", "ordered", "shipped", "delivered", "operational")


class TransferStatus(StrEnum):
    DETAINER_LODGED = "detainer_lodged"
    AWAITING_PICKUP = "awaiting_pickup"
    TRANSFERRED = "transferred"
    RELEASED_NO_PICKUP = "released_no_pickup"
    CANCELLED = "cancelled"


OPEN_HOLD_STATUSES = frozenset({TransferStatus.DETAINER_LODGED, TransferStatus.AWAITING_PICKUP})

TRANSFER_TRANSITIONS: dict[TransferStatus, frozenset[TransferStatus]] = {
    TransferStatus.DETAINER_LODGED: frozenset(
        {
            TransferStatus.AWAITING_PICKUP,
            TransferStatus.TRANSFERRED,
            TransferStatus.RELEASED_NO_PICKUP,
            TransferStatus.CANCELLED,
        }
    ),
    TransferStatus.AWAITING_PICKUP: frozenset(
        {TransferStatus.TRANSFERRED, TransferStatus.RELEASED_NO_PICKUP, TransferStatus.CANCELLED}
    ),
    TransferStatus.TRANSFERRED: frozenset(),
    TransferStatus.RELEASED_NO_PICKUP: frozenset(),
    TransferStatus.CANCELLED: frozenset(),
}


class InspectionKind(StrEnum):
    SITE_VISIT = "site_visit"
    FILE_REVIEW = "file_review"
    INSPECTION_OFFICE = "inspection_office"
    STEERING_COMMITTEE = "steering_committee"


class FindingSeverity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ReminderState(StrEnum):
    OPEN = "open"
    SNOOZED = "snoozed"
    DONE = "done"
    DISMISSED = "dismissed"


class OverrideReason(StrEnum):
    SICK = "sick"
    LEAVE = "leave"
    SWAP = "swap"
    OTHER = "other"
    HOLIDAY = "holiday"  # a supervisor's choice of who covers one whole day
    GAP = "gap"  # someone takes a stretch nobody was on call for


# What a person may give when he asks for cover (swaps and holidays have their own actions).
COVER_REASONS = (OverrideReason.SICK, OverrideReason.LEAVE, OverrideReason.OTHER)


class OnCallRole(StrEnum):
    PRIMARY = "primary"
    BACKUP = "backup"


class CoverRoles(StrEnum):
    """The roles a cover takes over from the person covered."""

    PRIMARY = "primary"
    BACKUP = "backup"
    BOTH = "primary_and_backup"

    @property
    def roles(self) -> tuple[OnCallRole, ...]:
        if self is CoverRoles.BOTH:
            return (OnCallRole.PRIMARY, OnCallRole.BACKUP)
        return (OnCallRole(self.value),)

    @classmethod
    def of(cls, roles: set[OnCallRole]) -> CoverRoles | None:
        if roles >= {OnCallRole.PRIMARY, OnCallRole.BACKUP}:
            return cls.BOTH
        return cls(next(iter(roles)).value) if roles else None


class LeaveKind(StrEnum):
    ANNUAL = "annual"
    SICK = "sick"
    TRAINING = "training"
    OTHER = "other"


class RequestState(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class RecordKind(StrEnum):
    """Every kind of record, in the domain's words: the audit trail, the compliance output, the
    links between pages and (later) sync name records by these. The store maps each to its table."""

    FIELD_OFFICE = "field_office"
    USER = "user"
    AGENCY = "agency"
    AGREEMENT = "agreement"
    ASSIGNMENT = "assignment"
    OFFICER = "officer"
    OFFICER_STATUS_CHANGE = "officer_status_change"
    TRAINING_CLASS = "training_class"
    ENROLLMENT = "enrollment"
    TRAINING_RECORD = "training_record"
    EQUIPMENT_ORDER = "equipment_order"
    TRANSFER = "transfer"
    TRANSFER_EVENT = "transfer_event"
    ACTIVITY = "activity"
    INSPECTION = "inspection"
    FINDING = "finding"
    COMPLAINT = "complaint"
    REMINDER = "reminder"
    ROTATION = "rotation"
    ROTATION_MEMBER = "rotation_member"
    SHIFT = "shift"
    OVERRIDE = "override"
    LEAVE = "leave"
    SWAP_REQUEST = "swap_request"
    FILED_REPORT = "filed_report"
    POLICY_SETTING = "policy_setting"


def label(value: StrEnum | str | None) -> str:
    """An enum value in words, as shown to people: `jail_enforcement` → `jail enforcement`."""
    if value is None:
        return ""
    return str(value).replace("_", " ")
