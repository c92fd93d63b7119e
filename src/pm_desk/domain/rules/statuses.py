"""The words of the rules: which rules there are, what each can say about a record, and how
urgent that is. Rule results carry these members, never bare strings; the catalog
(`pm_desk.domain.rules.catalog`) gives each its title, text and place."""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    REFRESHER = "refresher"
    REVOCATION = "revocation"
    INITIAL_TRAINING = "initial_training"
    EQUIPMENT = "equipment"
    HOLD = "hold"
    RENEWAL = "renewal"
    STEERING_COMMITTEE = "steering_committee"
    COMPLAINT = "complaint"
    FINDING = "finding"
    LOAD = "load"
    FATIGUE = "fatigue"
    GAP = "gap"


class Severity(StrEnum):
    """How urgent a status is: a deadline passed, one coming, or something to know."""

    LATE = "late"
    COMING_DUE = "coming_due"
    INFORMATIONAL = "informational"

    @property
    def tone(self) -> str:
        """The colour a status of this severity is shown in (lists, Today, reports)."""
        return "alarm" if self is Severity.LATE else "warn"


class RefresherStatus(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class RevocationStatus(StrEnum):
    REVOCATION_DUE = "revocation_due"


class InitialTrainingStatus(StrEnum):
    WAITING = "waiting"


class EquipmentStatus(StrEnum):
    LATE = "late"
    ALARM = "alarm"


class HoldStatus(StrEnum):
    DUE_SOON = "due_soon"
    BREACHED = "breached"


class RenewalStatus(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class SteeringCommitteeStatus(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class ComplaintStatus(StrEnum):
    REPORT_LATE = "report_late"
    RESOLUTION_OVERDUE = "resolution_overdue"


class FindingStatus(StrEnum):
    OVERDUE = "overdue"


class LoadStatus(StrEnum):
    OVERLOAD = "overload"


class FatigueStatus(StrEnum):
    VIOLATION = "violation"


class GapStatus(StrEnum):
    GAP = "gap"
    # A person on leave still holds a role of the rota: on paper someone is on call, in fact not.
    LEAVE_COLLISION = "leave_collision"


Status = (
    RefresherStatus
    | RevocationStatus
    | InitialTrainingStatus
    | EquipmentStatus
    | HoldStatus
    | RenewalStatus
    | SteeringCommitteeStatus
    | ComplaintStatus
    | FindingStatus
    | LoadStatus
    | FatigueStatus
    | GapStatus
)

STATUSES: dict[Rule, type[StrEnum]] = {
    Rule.REFRESHER: RefresherStatus,
    Rule.REVOCATION: RevocationStatus,
    Rule.INITIAL_TRAINING: InitialTrainingStatus,
    Rule.EQUIPMENT: EquipmentStatus,
    Rule.HOLD: HoldStatus,
    Rule.RENEWAL: RenewalStatus,
    Rule.STEERING_COMMITTEE: SteeringCommitteeStatus,
    Rule.COMPLAINT: ComplaintStatus,
    Rule.FINDING: FindingStatus,
    Rule.LOAD: LoadStatus,
    Rule.FATIGUE: FatigueStatus,
    Rule.GAP: GapStatus,
}
