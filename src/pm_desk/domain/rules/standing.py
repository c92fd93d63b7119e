"""An officer's standing in one phrase: what the training rules say about him, the most urgent
first. The Officers list and the agreement packet both show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pm_desk.domain.enums import AuthorityStatus
from pm_desk.domain.facts import OfficerFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.statuses import RefresherStatus, Severity
from pm_desk.domain.rules.training import initial_training, refresher, revocation


@dataclass(frozen=True)
class Standing:
    text: str  # "revocation due (40 d overdue)"
    severity: Severity | None  # None: in good standing or nothing to say
    rank: int  # the order a list sorts standings in, most urgent first
    current: bool = False  # authorized and within his refresher


def officer_standing(officer: OfficerFacts, as_of: datetime, policy: Policy) -> Standing:
    revoke = revocation(officer, as_of, policy)
    if revoke is not None:
        severity = catalog.entry_of(revoke).severity
        return Standing(f"revocation due ({revoke.detail['days_overdue']} d overdue)", severity, 0)
    due = refresher(officer, as_of, policy)
    if due is not None:
        severity = catalog.entry_of(due).severity
        if due.status is RefresherStatus.OVERDUE:
            return Standing(f"refresher overdue ({due.detail['days']} d)", severity, 1)
        return Standing(f"refresher due in {-due.detail['days']} d", severity, 2)
    waiting = initial_training(officer, as_of, None)
    if waiting is not None:
        days = waiting.detail.get("days_waiting")
        text = f"waiting for initial ({days} d)" if days is not None else "waiting for initial"
        return Standing(text, catalog.entry_of(waiting).severity, 3)
    if officer.authority_status is AuthorityStatus.AUTHORIZED:
        return Standing("current", None, 4, current=True)
    return Standing("—", None, 5)
