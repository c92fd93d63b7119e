"""The 48-hour hold clock of custody transfers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from pm_desk.domain.clock import add_counted_hours, is_weekend_or_federal_holiday, require_aware
from pm_desk.domain.enums import OPEN_HOLD_STATUSES, RecordKind, TransferStatus
from pm_desk.domain.facts import TransferFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules.statuses import HoldStatus, Rule


def hold_deadline(release_eligible_at: datetime, policy: Policy, tz: tzinfo = UTC) -> datetime:
    """Release-eligible plus the hold hours, in UTC; with the policy option, weekends and
    federal holidays (calendar days in `tz`) do not count."""
    skip = is_weekend_or_federal_holiday if policy.hold.excludes_weekends_and_holidays else None
    return add_counted_hours(release_eligible_at, policy.hold.hours, skip, tz)


def hold(transfer: TransferFacts, as_of: datetime, policy: Policy) -> RuleResult | None:
    """An open hold is breached past its deadline and due soon within the last hours of it."""
    if transfer.status not in OPEN_HOLD_STATUSES or transfer.release_eligible_at is None:
        return None
    now = require_aware(as_of, "as_of").astimezone(UTC)
    deadline = hold_deadline(transfer.release_eligible_at, policy)
    left_hours = (deadline - now).total_seconds() / 3600
    if now > deadline:
        status = HoldStatus.BREACHED
    elif left_hours <= policy.hold.due_soon_hours:
        status = HoldStatus.DUE_SOON
    else:
        return None
    return RuleResult(
        Rule.HOLD,
        status,
        RecordKind.TRANSFER,
        transfer.id,
        deadline,
        {"hours_left": round(left_hours, 2), "hours_over": round(max(-left_hours, 0.0), 2)},
    )


@dataclass(frozen=True, slots=True)
class HoldOutcome:
    """How a completed transfer ended against its clock."""

    transfer_id: str
    deadline: datetime
    pickup_at: datetime
    breached: bool
    hours_over: float


def closed_hold_outcome(transfer: TransferFacts, policy: Policy) -> HoldOutcome | None:
    """For a transfer picked up: whether the pickup came after the deadline, and by how much."""
    if (
        transfer.status is not TransferStatus.TRANSFERRED
        or transfer.release_eligible_at is None
        or transfer.pickup_at is None
    ):
        return None
    deadline = hold_deadline(transfer.release_eligible_at, policy)
    over = (transfer.pickup_at.astimezone(UTC) - deadline).total_seconds() / 3600
    return HoldOutcome(transfer.id, deadline, transfer.pickup_at, over > 0, round(max(over, 0.0), 2))
