"""The compliance rules of DESIGN.md, one pure function each.

Each takes plain facts, an `as_of` instant and the policy, and returns a `RuleResult` when the
record is not ok (or None). Reports, Today, reminders and `pm-desk compliance` all call these.
"""

from pm_desk.domain.rules.agreements import equipment, renewal, steering_committee
from pm_desk.domain.rules.cases import complaint, finding
from pm_desk.domain.rules.holds import HoldOutcome, closed_hold_outcome, hold, hold_deadline
from pm_desk.domain.rules.oncall import fatigue, fatigue_findings, gaps, uncovered_leave
from pm_desk.domain.rules.staffing import load
from pm_desk.domain.rules.training import initial_training, refresher, refresher_due, revocation

__all__ = [
    "HoldOutcome",
    "closed_hold_outcome",
    "complaint",
    "equipment",
    "fatigue",
    "fatigue_findings",
    "finding",
    "gaps",
    "hold",
    "hold_deadline",
    "initial_training",
    "load",
    "refresher",
    "refresher_due",
    "renewal",
    "revocation",
    "steering_committee",
    "uncovered_leave",
]
