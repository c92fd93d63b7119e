"""Complaints and inspection findings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pm_desk.domain.clock import add_counted_hours, is_weekend, require_aware, utc_date
from pm_desk.domain.enums import RecordKind
from pm_desk.domain.facts import ComplaintFacts, FindingFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules.statuses import ComplaintStatus, FindingStatus, Rule


def complaint_report_due(received_at: datetime, policy: Policy) -> datetime:
    """The agency must report to ICE within the report hours of receipt, weekends excluded."""
    return add_counted_hours(received_at, policy.complaint.report_hours, is_weekend)


def complaint(item: ComplaintFacts, as_of: datetime, policy: Policy) -> list[RuleResult]:
    """A complaint can be both reported late and overdue for resolution: one result each."""
    now = require_aware(as_of, "as_of").astimezone(UTC)
    results: list[RuleResult] = []
    report_due = complaint_report_due(item.received_at, policy)
    reported_late = item.reported_at is not None and item.reported_at > report_due
    unreported_past_due = item.reported_at is None and now > report_due
    if reported_late or unreported_past_due:
        late_by = ((item.reported_at or now) - report_due).total_seconds() / 3600
        results.append(
            RuleResult(
                Rule.COMPLAINT,
                ComplaintStatus.REPORT_LATE,
                RecordKind.COMPLAINT,
                item.id,
                report_due,
                {"hours_late": round(late_by, 2)},
            )
        )
    resolve_by = utc_date(item.received_at) + timedelta(days=policy.complaint.resolution_days)
    if item.closed_on is None and utc_date(now) > resolve_by:
        results.append(
            RuleResult(
                Rule.COMPLAINT,
                ComplaintStatus.RESOLUTION_OVERDUE,
                RecordKind.COMPLAINT,
                item.id,
                resolve_by,
                {"days": (utc_date(now) - resolve_by).days},
            )
        )
    return results


def finding(item: FindingFacts, as_of: datetime) -> RuleResult | None:
    if item.closed_on is not None or item.corrective_due is None:
        return None
    today = utc_date(as_of)
    if today <= item.corrective_due:
        return None
    return RuleResult(
        Rule.FINDING,
        FindingStatus.OVERDUE,
        RecordKind.FINDING,
        item.id,
        item.corrective_due,
        {"days": (today - item.corrective_due).days},
    )
