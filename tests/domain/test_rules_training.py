"""Refresher compliance, revocation and the initial-training queue at their boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.enums import AuthorityStatus
from pm_desk.domain.facts import ClassFacts, OfficerFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules import initial_training, refresher, refresher_due, revocation
from pm_desk.domain.rules.training import next_class_with_seats

LAST_COURSE = date(2025, 6, 15)
DUE = date(2026, 6, 15)  # LAST_COURSE + 365 days


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def status_of(result: RuleResult | None) -> str | None:
    return None if result is None else result.status


def officer(
    status: AuthorityStatus = AuthorityStatus.AUTHORIZED,
    initial: date | None = LAST_COURSE,
    latest: date | None = None,
    nominated: date | None = date(2024, 1, 2),
) -> OfficerFacts:
    latest_completed = latest if latest is not None else initial
    return OfficerFacts("off-1", status, nominated, initial, latest_completed)


def test_due_date_is_a_year_after_the_last_course(policy: Policy) -> None:
    assert refresher_due(officer(), policy) == DUE


def test_a_later_refresher_moves_the_due_date(policy: Policy) -> None:
    refreshed = officer(initial=date(2023, 3, 1), latest=date(2025, 6, 15))
    assert refresher_due(refreshed, policy) == DUE


@pytest.mark.parametrize(
    ("offset_days", "expected"),
    [
        (-31, None),
        (-30, "due_soon"),
        (-29, "due_soon"),
        (-1, "due_soon"),
        (0, "due_soon"),
        (1, "overdue"),
        (30, "overdue"),
        (31, "overdue"),
    ],
)
def test_refresher_boundaries(policy: Policy, offset_days: int, expected: str | None) -> None:
    result = refresher(officer(), noon(DUE + timedelta(days=offset_days)), policy)
    if expected is None:
        assert result is None
    else:
        assert result is not None
        assert (result.rule, result.status, result.record, result.record_id) == (
            "refresher",
            expected,
            "officer",
            "off-1",
        )
        assert result.due == DUE
        assert result.detail["days"] == offset_days


@pytest.mark.parametrize(("offset_days", "expected"), [(29, None), (30, None), (31, "revocation_due")])
def test_revocation_boundaries(policy: Policy, offset_days: int, expected: str | None) -> None:
    result = revocation(officer(), noon(DUE + timedelta(days=offset_days)), policy)
    if expected is None:
        assert result is None
    else:
        assert result is not None
        assert (result.rule, result.status, result.record_id) == ("revocation", expected, "off-1")
        assert result.due == DUE
        assert result.detail == {"days_overdue": 31, "revoke_by": DUE + timedelta(days=30)}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Date rules read as_of as a UTC date: late evening in New York is already the next day.
        (datetime(2026, 6, 15, 19, 59, tzinfo=timezone(timedelta(hours=-4))), "due_soon"),
        (datetime(2026, 6, 15, 20, 0, tzinfo=timezone(timedelta(hours=-4))), "overdue"),
        (datetime(2026, 6, 15, 23, 59, 59, tzinfo=UTC), "due_soon"),
        (datetime(2026, 6, 16, 0, 0, tzinfo=UTC), "overdue"),
    ],
)
def test_as_of_is_taken_as_its_utc_date(policy: Policy, as_of: datetime, expected: str) -> None:
    result = refresher(officer(), as_of, policy)
    assert result is not None
    assert result.status == expected


@pytest.mark.parametrize(
    ("initial", "due"),
    [
        (date(2024, 2, 29), date(2025, 2, 28)),  # from a leap day into a common year
        (date(2023, 3, 1), date(2024, 2, 29)),  # landing on a leap day
        (date(2023, 2, 28), date(2024, 2, 28)),  # a year that contains Feb 29 is still 365 days
    ],
)
def test_leap_years_count_365_days(policy: Policy, initial: date, due: date) -> None:
    subject = officer(initial=initial)
    assert refresher_due(subject, policy) == due
    assert refresher(subject, noon(due - timedelta(days=31)), policy) is None
    assert status_of(refresher(subject, noon(due - timedelta(days=30)), policy)) == "due_soon"
    assert status_of(refresher(subject, noon(due), policy)) == "due_soon"
    assert status_of(refresher(subject, noon(due + timedelta(days=1)), policy)) == "overdue"
    assert revocation(subject, noon(due + timedelta(days=30)), policy) is None
    assert revocation(subject, noon(due + timedelta(days=31)), policy) is not None


@pytest.mark.parametrize("status", [s for s in AuthorityStatus if s is not AuthorityStatus.AUTHORIZED])
def test_only_authorized_officers_owe_a_refresher(policy: Policy, status: AuthorityStatus) -> None:
    lapsed = officer(status=status)
    long_after = noon(DUE + timedelta(days=400))
    assert refresher_due(lapsed, policy) is None
    assert refresher(lapsed, long_after, policy) is None
    assert revocation(lapsed, long_after, policy) is None


def test_an_officer_without_an_initial_course_owes_no_refresher(policy: Policy) -> None:
    refresher_only = OfficerFacts("off-1", AuthorityStatus.AUTHORIZED, None, None, LAST_COURSE)
    never_trained = OfficerFacts("off-1", AuthorityStatus.AUTHORIZED, None, None, None)
    long_after = noon(DUE + timedelta(days=400))
    for subject in (refresher_only, never_trained):
        assert refresher(subject, long_after, policy) is None
        assert revocation(subject, long_after, policy) is None


def test_policy_thresholds_are_used(policy: Policy) -> None:
    strict = replace(
        policy,
        refresher=replace(policy.refresher, interval_days=180, due_soon_days=10, revocation_grace_days=0),
    )
    due = LAST_COURSE + timedelta(days=180)
    assert refresher(officer(), noon(due - timedelta(days=11)), strict) is None
    assert status_of(refresher(officer(), noon(due - timedelta(days=10)), strict)) == "due_soon"
    assert revocation(officer(), noon(due), strict) is None
    assert revocation(officer(), noon(due + timedelta(days=1)), strict) is not None


# --- initial training -------------------------------------------------------------------------


def waiting_officer(status: AuthorityStatus, nominated: date | None = date(2026, 1, 1)) -> OfficerFacts:
    return OfficerFacts("off-2", status, nominated, None, None)


def a_class(
    class_id: str, starts: date, seats: int = 24, taken: int = 0, location: str = "FLETC Charleston"
) -> ClassFacts:
    return ClassFacts(class_id, location, starts, starts + timedelta(days=27), seats, taken)


@pytest.mark.parametrize("status", [AuthorityStatus.NOMINATED, AuthorityStatus.IN_TRAINING])
def test_nominated_and_in_training_officers_wait(status: AuthorityStatus) -> None:
    result = initial_training(waiting_officer(status), noon(date(2026, 3, 1)), None)
    assert result is not None
    assert (result.rule, result.status, result.record, result.record_id) == (
        "initial_training",
        "waiting",
        "officer",
        "off-2",
    )
    assert result.due == date(2026, 1, 1)
    assert result.detail == {"days_waiting": 59}


def test_days_waiting_across_a_leap_day() -> None:
    result = initial_training(
        waiting_officer(AuthorityStatus.NOMINATED, date(2024, 2, 28)), noon(date(2024, 3, 1)), None
    )
    assert result is not None
    assert result.detail["days_waiting"] == 2


def test_waiting_without_a_nomination_date_has_no_day_count() -> None:
    result = initial_training(waiting_officer(AuthorityStatus.NOMINATED, None), noon(date(2026, 3, 1)), None)
    assert result is not None
    assert result.detail["days_waiting"] is None
    assert result.due is None


@pytest.mark.parametrize(
    "status",
    [
        AuthorityStatus.AUTHORIZED,
        AuthorityStatus.SUSPENDED,
        AuthorityStatus.REVOKED,
        AuthorityStatus.SEPARATED,
    ],
)
def test_other_statuses_are_not_waiting(status: AuthorityStatus) -> None:
    assert initial_training(waiting_officer(status), noon(date(2026, 3, 1)), None) is None


def test_an_officer_with_an_initial_course_is_not_waiting() -> None:
    trained = OfficerFacts(
        "off-2", AuthorityStatus.IN_TRAINING, date(2026, 1, 1), date(2026, 2, 1), date(2026, 2, 1)
    )
    assert initial_training(trained, noon(date(2026, 3, 1)), None) is None


def test_waiting_result_names_the_next_class() -> None:
    upcoming = a_class("cls-7", date(2026, 4, 6), seats=24, taken=20)
    result = initial_training(waiting_officer(AuthorityStatus.NOMINATED), noon(date(2026, 3, 1)), upcoming)
    assert result is not None
    assert result.detail == {
        "days_waiting": 59,
        "next_class_id": "cls-7",
        "next_class_starts_on": date(2026, 4, 6),
        "next_class_location": "FLETC Charleston",
        "next_class_free_seats": 4,
    }


TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("classes", "expected_id"),
    [
        ([], None),
        ([a_class("started", TODAY - timedelta(days=1))], None),
        ([a_class("today", TODAY)], "today"),
        ([a_class("full", TODAY + timedelta(days=3), seats=24, taken=24)], None),
        ([a_class("overbooked", TODAY + timedelta(days=3), seats=24, taken=30)], None),
        ([a_class("one-left", TODAY + timedelta(days=3), seats=24, taken=23)], "one-left"),
        (
            [
                a_class("later", TODAY + timedelta(days=60)),
                a_class("full-sooner", TODAY + timedelta(days=5), taken=24),
                a_class("sooner", TODAY + timedelta(days=30)),
                a_class("past", TODAY - timedelta(days=10)),
            ],
            "sooner",
        ),
        ([a_class("b", TODAY + timedelta(days=9)), a_class("a", TODAY + timedelta(days=9))], "a"),
    ],
    ids=[
        "none",
        "started-yesterday",
        "starts-today",
        "full",
        "overbooked",
        "one-seat",
        "earliest-open",
        "tie-by-id",
    ],
)
def test_next_class_with_seats(classes: list[ClassFacts], expected_id: str | None) -> None:
    found = next_class_with_seats(classes, noon(TODAY))
    assert (found.id if found else None) == expected_id


def test_overbooked_class_reports_no_negative_seats() -> None:
    assert a_class("x", TODAY, seats=10, taken=12).free_seats == 0


# --- properties -------------------------------------------------------------------------------

STATUS_RANK = {None: 0, "due_soon": 1, "overdue": 2}
course_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@st.composite
def authorized_officers(draw: st.DrawFn) -> OfficerFacts:
    initial = draw(course_dates)
    refreshed = draw(st.one_of(st.none(), st.dates(min_value=initial, max_value=date(2060, 12, 31))))
    return OfficerFacts("off-p", AuthorityStatus.AUTHORIZED, None, initial, refreshed or initial)


@settings(max_examples=300)
@given(subject=authorized_officers(), first=course_dates, gap_days=st.integers(0, 2000))
def test_refresher_status_never_goes_back(
    policy: Policy, subject: OfficerFacts, first: date, gap_days: int
) -> None:
    earlier = refresher(subject, noon(first), policy)
    later = refresher(subject, noon(first + timedelta(days=gap_days)), policy)
    assert STATUS_RANK[earlier.status if earlier else None] <= STATUS_RANK[later.status if later else None]


@settings(max_examples=300)
@given(subject=authorized_officers(), day=course_dates)
def test_revocation_implies_refresher_overdue(policy: Policy, subject: OfficerFacts, day: date) -> None:
    if revocation(subject, noon(day), policy) is not None:
        result = refresher(subject, noon(day), policy)
        assert result is not None
        assert result.status == "overdue"
        assert result.detail["days"] > policy.refresher.revocation_grace_days


@settings(max_examples=300)
@given(subject=authorized_officers(), day=course_dates)
def test_refresher_due_is_exactly_one_interval_after_the_latest_course(
    policy: Policy, subject: OfficerFacts, day: date
) -> None:
    due = refresher_due(subject, policy)
    assert subject.latest_completed_on is not None
    assert due == subject.latest_completed_on + timedelta(days=policy.refresher.interval_days)
    result = refresher(subject, noon(day), policy)
    assert (result is not None) == (day >= due - timedelta(days=policy.refresher.due_soon_days))
