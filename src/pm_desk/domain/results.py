"""What a rule says about one record when it is not ok."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the rules package imports this module: its words are only named here
    from pm_desk.domain.enums import RecordKind
    from pm_desk.domain.rules.statuses import Rule, Status


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: Rule
    status: Status
    record: RecordKind  # officer, agreement, transfer, finding, complaint, user, shift, rotation
    record_id: str
    # The date or instant the status is measured from (refresher due date, expiry, deadline...).
    due: date | datetime | None
    # Figures a person wants next to the status: days waiting, hours over, next class, load...
    detail: dict[str, Any] = field(default_factory=dict, compare=False)


def iso_due(due: date | datetime | None) -> str | None:
    """`due` as written in the compliance output: a date, or a UTC instant ending in Z."""
    if due is None:
        return None
    if isinstance(due, datetime):
        return due.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return due.isoformat()
