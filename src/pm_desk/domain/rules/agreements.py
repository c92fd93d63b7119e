"""Rules on agreements: the equipment clock, renewal and the steering committee."""

from __future__ import annotations

from datetime import datetime, timedelta

from pm_desk.domain.clock import utc_date
from pm_desk.domain.enums import IN_FORCE_STATUSES, AgreementStatus, RecordKind
from pm_desk.domain.facts import AgreementFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules.statuses import EquipmentStatus, RenewalStatus, Rule, SteeringCommitteeStatus

DAYS_IN_YEAR = 365


def equipment(agreement: AgreementFacts, as_of: datetime, policy: Policy) -> RuleResult | None:
    """Days from signing while the agency is not yet operational: late past 180, alarm past 200."""
    if agreement.status not in IN_FORCE_STATUSES or agreement.signed_on is None:
        return None
    if agreement.operational_on is not None:
        return None
    days = (utc_date(as_of) - agreement.signed_on).days
    if days > policy.equipment.alarm_days:
        status = EquipmentStatus.ALARM
    elif days > policy.equipment.late_days:
        status = EquipmentStatus.LATE
    else:
        return None
    return RuleResult(
        Rule.EQUIPMENT, status, RecordKind.AGREEMENT, agreement.id, agreement.signed_on, {"days": days}
    )


def renewal(agreement: AgreementFacts, as_of: datetime, policy: Policy) -> RuleResult | None:
    if agreement.status not in IN_FORCE_STATUSES or agreement.expires_on is None:
        return None
    today = utc_date(as_of)
    expires = agreement.expires_on
    if today > expires:
        status = RenewalStatus.OVERDUE
    elif expires - timedelta(days=policy.renewal.due_soon_days) <= today:
        status = RenewalStatus.DUE_SOON
    else:
        return None
    return RuleResult(
        Rule.RENEWAL, status, RecordKind.AGREEMENT, agreement.id, expires, {"days": (today - expires).days}
    )


def steering_committee(agreement: AgreementFacts, as_of: datetime, policy: Policy) -> RuleResult | None:
    if agreement.status is not AgreementStatus.ACTIVE:
        return None
    since = agreement.last_steering_committee_on or agreement.effective_on
    if since is None:
        return None
    due = since + timedelta(days=policy.steering_committee.interval_days)
    today = utc_date(as_of)
    if today > due:
        status = SteeringCommitteeStatus.OVERDUE
    elif due - timedelta(days=policy.steering_committee.due_soon_days) <= today:
        status = SteeringCommitteeStatus.DUE_SOON
    else:
        return None
    return RuleResult(
        Rule.STEERING_COMMITTEE, status, RecordKind.AGREEMENT, agreement.id, due, {"days": (today - due).days}
    )


def equipment_buckets(policy: Policy) -> list[tuple[int, int | None]]:
    """Day ranges (both ends included, the last open) for the distribution of equipment clocks:
    half the target, the target, the alarm, and the rest of the first year and beyond, so the
    program report's chart splits exactly where the policy's thresholds are."""
    late, alarm = policy.equipment.late_days, policy.equipment.alarm_days
    edges = sorted({late // 2, late, alarm, max(alarm + 1, DAYS_IN_YEAR)})
    buckets: list[tuple[int, int | None]] = []
    low = 0
    for edge in edges:
        if edge >= low:
            buckets.append((low, edge))
            low = edge + 1
    return [*buckets, (low, None)]
