"""Plain, immutable inputs of the compliance rules.

The store reads these from the database; tests build them by hand. None of them knows about
sessions or widgets, so every rule runs on them without a database or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pm_desk.domain.enums import (
    AgreementModel,
    AgreementStatus,
    AuthorityStatus,
    TransferStatus,
)


@dataclass(frozen=True, slots=True)
class OfficerFacts:
    id: str
    authority_status: AuthorityStatus
    nominated_on: date | None
    # Latest completed `initial` course, and latest completed `initial` or `refresher`.
    initial_completed_on: date | None
    latest_completed_on: date | None


@dataclass(frozen=True, slots=True)
class ClassFacts:
    """An initial-training class and how many of its seats are taken."""

    id: str
    location: str
    starts_on: date
    ends_on: date
    seats: int
    taken: int

    @property
    def free_seats(self) -> int:
        return max(self.seats - self.taken, 0)


@dataclass(frozen=True, slots=True)
class AgreementFacts:
    id: str
    status: AgreementStatus
    model: AgreementModel
    signed_on: date | None
    effective_on: date | None
    expires_on: date | None
    # The latest operational date when every equipment order of the agreement has one; None
    # while any order (or the agreement itself, having none) is not yet operational.
    operational_on: date | None
    last_steering_committee_on: date | None


@dataclass(frozen=True, slots=True)
class TransferFacts:
    id: str
    status: TransferStatus
    release_eligible_at: datetime | None
    pickup_at: datetime | None


@dataclass(frozen=True, slots=True)
class FindingFacts:
    id: str
    corrective_due: date | None
    closed_on: date | None


@dataclass(frozen=True, slots=True)
class ComplaintFacts:
    id: str
    received_at: datetime
    reported_at: datetime | None
    closed_on: date | None


@dataclass(frozen=True, slots=True)
class ManagerLoadFacts:
    user_id: str
    units: float
    capacity: float


@dataclass(frozen=True, slots=True)
class ShiftFacts:
    """One primary shift as it will really be worked (overrides already applied)."""

    id: str
    rotation_id: str
    person_id: str
    starts_at: datetime
    ends_at: datetime
    # The rotation's time zone: runs of days are counted on its wall clock, so the week that
    # gains an hour when daylight saving ends is still seven days.
    zone: str = "UTC"
