"""Refresher compliance, revocation and the initial-training queue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from pm_desk.domain.clock import utc_date
from pm_desk.domain.enums import AuthorityStatus, RecordKind
from pm_desk.domain.facts import ClassFacts, OfficerFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules.statuses import InitialTrainingStatus, RefresherStatus, RevocationStatus, Rule

_WAITING_STATUSES = frozenset({AuthorityStatus.NOMINATED, AuthorityStatus.IN_TRAINING})


def refresher_due(officer: OfficerFacts, policy: Policy) -> date | None:
    """The date the next refresher is due, for officers the refresher rule applies to."""
    if officer.authority_status is not AuthorityStatus.AUTHORIZED:
        return None
    if officer.initial_completed_on is None or officer.latest_completed_on is None:
        return None
    latest = max(officer.latest_completed_on, officer.initial_completed_on)
    return latest + timedelta(days=policy.refresher.interval_days)


def refresher(officer: OfficerFacts, as_of: datetime, policy: Policy) -> RuleResult | None:
    due = refresher_due(officer, policy)
    if due is None:
        return None
    today = utc_date(as_of)
    if today > due:
        status = RefresherStatus.OVERDUE
    elif due - timedelta(days=policy.refresher.due_soon_days) <= today:
        status = RefresherStatus.DUE_SOON
    else:
        return None
    return RuleResult(
        Rule.REFRESHER, status, RecordKind.OFFICER, officer.id, due, {"days": (today - due).days}
    )


def revocation(officer: OfficerFacts, as_of: datetime, policy: Policy) -> RuleResult | None:
    due = refresher_due(officer, policy)
    if due is None:
        return None
    today = utc_date(as_of)
    revoke_by = due + timedelta(days=policy.refresher.revocation_grace_days)
    if today <= revoke_by:
        return None
    return RuleResult(
        Rule.REVOCATION,
        RevocationStatus.REVOCATION_DUE,
        RecordKind.OFFICER,
        officer.id,
        due,
        {"days_overdue": (today - due).days, "revoke_by": revoke_by},
    )


def next_class_with_seats(classes: Iterable[ClassFacts], as_of: datetime) -> ClassFacts | None:
    """The earliest class that has not started and still has a free seat."""
    today = utc_date(as_of)
    open_classes = [c for c in classes if c.starts_on >= today and c.free_seats > 0]
    return min(open_classes, key=lambda c: (c.starts_on, c.id), default=None)


def initial_training(
    officer: OfficerFacts, as_of: datetime, next_class: ClassFacts | None
) -> RuleResult | None:
    """Officers nominated or in training who have no initial course yet are waiting."""
    if officer.authority_status not in _WAITING_STATUSES or officer.initial_completed_on is not None:
        return None
    today = utc_date(as_of)
    days = (today - officer.nominated_on).days if officer.nominated_on else None
    detail: dict[str, object] = {"days_waiting": days}
    if next_class is not None:
        detail |= {
            "next_class_id": next_class.id,
            "next_class_starts_on": next_class.starts_on,
            "next_class_location": next_class.location,
            "next_class_free_seats": next_class.free_seats,
        }
    return RuleResult(
        Rule.INITIAL_TRAINING,
        InitialTrainingStatus.WAITING,
        RecordKind.OFFICER,
        officer.id,
        officer.nominated_on,
        detail,
    )
