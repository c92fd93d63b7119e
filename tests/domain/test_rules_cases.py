"""Complaints (48 hours to report, weekends excluded; 90 days to resolve) and findings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.clock import counted_hours_between, is_weekend
from pm_desk.domain.facts import ComplaintFacts, FindingFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import complaint, finding
from pm_desk.domain.rules.cases import complaint_report_due

NEW_YORK = ZoneInfo("America/New_York")


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def a_complaint(
    received: datetime, reported: datetime | None = None, closed: date | None = None
) -> ComplaintFacts:
    return ComplaintFacts("cmp-1", received, reported, closed)


def statuses(results: list) -> list[str]:
    return [r.status for r in results]


# --- the report clock -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Monday morning: a plain 48 hours.
        (datetime(2026, 10, 5, 9, 0, tzinfo=UTC), datetime(2026, 10, 7, 9, 0, tzinfo=UTC)),
        # Thursday afternoon: Friday counts, the weekend does not.
        (datetime(2026, 10, 8, 15, 0, tzinfo=UTC), datetime(2026, 10, 12, 15, 0, tzinfo=UTC)),
        # Friday 17:00: 7 h Friday, Monday 24 h, Tuesday 17 h.
        (datetime(2026, 10, 9, 17, 0, tzinfo=UTC), datetime(2026, 10, 13, 17, 0, tzinfo=UTC)),
        # Received on a Sunday: the clock starts Monday at midnight.
        (datetime(2026, 10, 11, 22, 0, tzinfo=UTC), datetime(2026, 10, 14, 0, 0, tzinfo=UTC)),
        # Weekends only: Thanksgiving (2026-11-26) counts toward the 48 hours.
        (datetime(2026, 11, 25, 12, 0, tzinfo=UTC), datetime(2026, 11, 27, 12, 0, tzinfo=UTC)),
        # Across a leap day (Thursday 2024-02-29).
        (datetime(2024, 2, 28, 8, 0, tzinfo=UTC), datetime(2024, 3, 1, 8, 0, tzinfo=UTC)),
    ],
    ids=["monday", "thursday", "friday", "sunday", "thanksgiving-counts", "leap-day"],
)
def test_report_due_excludes_weekends(policy: Policy, received: datetime, due: datetime) -> None:
    assert complaint_report_due(received, policy) == due
    assert counted_hours_between(received, due, is_weekend) == pytest.approx(48)


FRIDAY = datetime(2026, 10, 9, 17, 0, tzinfo=UTC)
FRIDAY_DUE = datetime(2026, 10, 13, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reported", "late"),
    [
        (FRIDAY + timedelta(hours=1), False),
        # 73 elapsed hours, but only 31 counted: on time.
        (datetime(2026, 10, 12, 18, 0, tzinfo=UTC), False),
        (FRIDAY_DUE - timedelta(seconds=1), False),
        (FRIDAY_DUE, False),
        (FRIDAY_DUE + timedelta(seconds=1), True),
        (FRIDAY_DUE + timedelta(hours=3), True),
    ],
)
def test_reported_complaint_boundaries(policy: Policy, reported: datetime, late: bool) -> None:
    results = complaint(a_complaint(FRIDAY, reported), FRIDAY_DUE + timedelta(days=10), policy)
    assert statuses(results) == (["report_late"] if late else [])
    if late:
        assert results[0].due == FRIDAY_DUE
        assert (results[0].rule, results[0].record, results[0].record_id) == (
            "complaint",
            "complaint",
            "cmp-1",
        )


def test_report_late_says_by_how_much(policy: Policy) -> None:
    [result] = complaint(a_complaint(FRIDAY, FRIDAY_DUE + timedelta(hours=3, minutes=15)), FRIDAY_DUE, policy)
    assert result.detail == {"hours_late": 3.25}


@pytest.mark.parametrize(
    ("as_of", "late"),
    [
        (FRIDAY + timedelta(days=3), False),  # Monday 17:00, 31 counted hours
        (FRIDAY_DUE - timedelta(seconds=1), False),
        (FRIDAY_DUE, False),
        (FRIDAY_DUE + timedelta(seconds=1), True),
    ],
)
def test_unreported_complaint_is_late_once_the_time_has_passed(
    policy: Policy, as_of: datetime, late: bool
) -> None:
    results = complaint(a_complaint(FRIDAY), as_of, policy)
    assert statuses(results) == (["report_late"] if late else [])


def test_unreported_lateness_runs_to_as_of(policy: Policy) -> None:
    [result] = complaint(a_complaint(FRIDAY), FRIDAY_DUE + timedelta(hours=5), policy)
    assert result.detail == {"hours_late": 5.0}


def test_report_late_stays_late_when_closed(policy: Policy) -> None:
    late_and_closed = a_complaint(FRIDAY, FRIDAY_DUE + timedelta(hours=1), closed=date(2026, 10, 20))
    assert statuses(complaint(late_and_closed, noon(date(2026, 12, 1)), policy)) == ["report_late"]


def test_naive_as_of_is_refused(policy: Policy) -> None:
    with pytest.raises(ValueError, match="time zone"):
        complaint(a_complaint(FRIDAY), datetime(2026, 10, 20, 12, 0), policy)


# --- resolution -------------------------------------------------------------------------------

RECEIVED = datetime(2026, 1, 10, 15, 0, tzinfo=UTC)
RESOLVE_BY = date(2026, 4, 10)


@pytest.mark.parametrize(
    ("day", "overdue_days"),
    [(date(2026, 4, 9), None), (RESOLVE_BY, None), (date(2026, 4, 11), 1), (date(2026, 6, 9), 60)],
)
def test_resolution_boundaries(policy: Policy, day: date, overdue_days: int | None) -> None:
    on_time = a_complaint(RECEIVED, RECEIVED + timedelta(hours=2))
    results = complaint(on_time, noon(day), policy)
    if overdue_days is None:
        assert results == []
    else:
        [result] = results
        assert (result.status, result.due, result.detail) == (
            "resolution_overdue",
            RESOLVE_BY,
            {"days": overdue_days},
        )


@pytest.mark.parametrize(
    ("received", "resolve_by"),
    [
        (datetime(2024, 1, 1, 9, 0, tzinfo=UTC), date(2024, 3, 31)),  # February has 29 days
        (datetime(2026, 1, 1, 9, 0, tzinfo=UTC), date(2026, 4, 1)),
        # 21:00 in New York in January is 02:00 UTC of the next day: the UTC date counts.
        (datetime(2026, 1, 10, 21, 0, tzinfo=NEW_YORK), date(2026, 4, 11)),
    ],
)
def test_resolution_date_is_90_days_from_the_utc_date_of_receipt(
    policy: Policy, received: datetime, resolve_by: date
) -> None:
    item = a_complaint(received, received + timedelta(hours=1))
    assert complaint(item, noon(resolve_by), policy) == []
    [result] = complaint(item, noon(resolve_by + timedelta(days=1)), policy)
    assert result.due == resolve_by


def test_closed_complaints_are_not_overdue(policy: Policy) -> None:
    closed = a_complaint(RECEIVED, RECEIVED + timedelta(hours=2), closed=date(2026, 5, 1))
    assert complaint(closed, noon(date(2026, 12, 1)), policy) == []


def test_one_complaint_can_be_late_and_overdue(policy: Policy) -> None:
    results = complaint(a_complaint(RECEIVED), noon(date(2026, 5, 1)), policy)
    assert statuses(results) == ["report_late", "resolution_overdue"]


@settings(max_examples=300, deadline=None)
@given(
    received=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
    ),
    hours_after=st.floats(0, 300, allow_nan=False),
)
def test_report_late_matches_counted_hours(policy: Policy, received: datetime, hours_after: float) -> None:
    reported = received + timedelta(hours=hours_after)
    results = complaint(a_complaint(received, reported), reported, policy)
    counted = counted_hours_between(received, reported, is_weekend)
    late = "report_late" in statuses(results)
    if late:
        assert counted >= 48 - 1e-6
    else:
        assert counted <= 48 + 1e-6


# --- findings ---------------------------------------------------------------------------------

CORRECTIVE_DUE = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("day", "overdue_days"),
    [(date(2026, 3, 30), None), (CORRECTIVE_DUE, None), (date(2026, 4, 1), 1), (date(2026, 4, 30), 30)],
)
def test_finding_boundaries(day: date, overdue_days: int | None) -> None:
    result = finding(FindingFacts("fnd-1", CORRECTIVE_DUE, None), noon(day))
    if overdue_days is None:
        assert result is None
    else:
        assert result is not None
        assert (result.rule, result.status, result.record, result.record_id) == (
            "finding",
            "overdue",
            "finding",
            "fnd-1",
        )
        assert (result.due, result.detail) == (CORRECTIVE_DUE, {"days": overdue_days})


def test_finding_due_on_a_leap_day() -> None:
    leap = FindingFacts("fnd-1", date(2028, 2, 29), None)
    assert finding(leap, noon(date(2028, 2, 29))) is None
    assert finding(leap, noon(date(2028, 3, 1))) is not None


def test_finding_reads_as_of_as_a_utc_date() -> None:
    open_finding = FindingFacts("fnd-1", CORRECTIVE_DUE, None)
    # 20:00 in New York (EDT) on the due date is already 1 April in UTC.
    assert finding(open_finding, datetime(2026, 3, 31, 19, 59, tzinfo=NEW_YORK)) is None
    assert finding(open_finding, datetime(2026, 3, 31, 20, 0, tzinfo=NEW_YORK)) is not None


@pytest.mark.parametrize(
    "item",
    [
        FindingFacts("fnd-1", CORRECTIVE_DUE, date(2026, 3, 1)),
        FindingFacts("fnd-1", CORRECTIVE_DUE, date(2026, 5, 1)),
        FindingFacts("fnd-1", None, None),
    ],
    ids=["closed-on-time", "closed-late", "no-due-date"],
)
def test_closed_or_undated_findings_are_not_overdue(item: FindingFacts) -> None:
    assert finding(item, noon(date(2027, 1, 1))) is None
