"""Rules on agreements: the equipment clock, renewal and the steering committee."""

from __future__ import annotations

from datetime import datetime, timedelta

from pm_desk.domain.clock import utc_date
from pm_desk.domain.enums import IN_FORCE_STATUSES, AgreementStatus
from pm_desk.domain.facts import AgreementFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult


def equipment(agreement: AgreementFacts, as_of: datetime, policy: Policy) -> RuleResult | None:
    """Days from signing while the agency is not yet operational: late past 180, alarm past 200."""
    if agreement.status not in IN_FORCE_STATUSES or agreement.signed_on is None:
        return None
    if agreement.operational_on is not None:
        return None
    days = (utc_date(as_of) - agreement.signed_on).days
    if days > policy.equipment.alarm_days:
        status = "alarm"
    elif days > policy.equipment.late_days:
        status = "late"
    else:
        return None
    return RuleResult("equipment", status, "agreement", agreement.id, agreement.signed_on, {"days": days})


def renewal(agreement: AgreementFacts, as_of: datetime, policy: Policy) -> RuleResult | None:
    if agreement.status not in IN_FORCE_STATUSES or agreement.expires_on is None:
        return None
    today = utc_date(as_of)
    expires = agreement.expires_on
    if today > expires:
        status = "overdue"
    elif expires - timedelta(days=policy.renewal.due_soon_days) <= today:
        status = "due_soon"
    else:
        return None
    return RuleResult("renewal", status, "agreement", agreement.id, expires, {"days": (today - expires).days})


def steering_committee(agreement: AgreementFacts, as_of: datetime, policy: Policy) -> RuleResult | None:
    if agreement.status is not AgreementStatus.ACTIVE:
        return None
    since = agreement.last_steering_committee_on or agreement.effective_on
    if since is None:
        return None
    due = since + timedelta(days=policy.steering_committee.interval_days)
    today = utc_date(as_of)
    if today > due:
        status = "overdue"
    elif due - timedelta(days=policy.steering_committee.due_soon_days) <= today:
        status = "due_soon"
    else:
        return None
    return RuleResult(
        "steering_committee", status, "agreement", agreement.id, due, {"days": (today - due).days}
    )
