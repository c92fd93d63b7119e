"""The equipment clock, renewal and the steering committee at their boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.enums import AgreementModel, AgreementStatus
from pm_desk.domain.facts import AgreementFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult, iso_due
from pm_desk.domain.rules import equipment, renewal, steering_committee

SIGNED = date(2026, 1, 1)
IN_FORCE = [AgreementStatus.SIGNED, AgreementStatus.ACTIVE]
NOT_IN_FORCE = [s for s in AgreementStatus if s not in IN_FORCE]


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def status_of(result: RuleResult | None) -> str | None:
    return None if result is None else result.status


def agreement(
    status: AgreementStatus = AgreementStatus.ACTIVE,
    signed: date | None = SIGNED,
    effective: date | None = None,
    expires: date | None = None,
    operational: date | None = None,
    last_steering: date | None = None,
) -> AgreementFacts:
    return AgreementFacts(
        "agr-1",
        status,
        AgreementModel.JAIL_ENFORCEMENT,
        signed,
        effective,
        expires,
        operational,
        last_steering,
    )


# --- equipment --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, None),
        (179, None),
        (180, None),
        (181, "late"),
        (199, "late"),
        (200, "late"),
        (201, "alarm"),
        (900, "alarm"),
    ],
)
@pytest.mark.parametrize("status", IN_FORCE)
def test_equipment_boundaries(
    policy: Policy, status: AgreementStatus, days: int, expected: str | None
) -> None:
    result = equipment(agreement(status), noon(SIGNED + timedelta(days=days)), policy)
    if expected is None:
        assert result is None
    else:
        assert result is not None
        assert (result.rule, result.status, result.record, result.record_id) == (
            "equipment",
            expected,
            "agreement",
            "agr-1",
        )
        assert result.due == SIGNED
        assert result.detail == {"days": days}


def test_equipment_days_are_calendar_days_in_utc(policy: Policy) -> None:
    day_180 = SIGNED + timedelta(days=180)
    assert equipment(agreement(), datetime.combine(day_180, time(23, 59, 59), tzinfo=UTC), policy) is None
    result = equipment(
        agreement(), datetime.combine(day_180 + timedelta(days=1), time(0), tzinfo=UTC), policy
    )
    assert result is not None
    assert result.status == "late"


def test_equipment_clock_over_a_leap_year(policy: Policy) -> None:
    signed = date(2024, 1, 1)
    # 2024-06-29 is day 180 because February 2024 has 29 days.
    assert equipment(agreement(signed=signed), noon(date(2024, 6, 29)), policy) is None
    result = equipment(agreement(signed=signed), noon(date(2024, 6, 30)), policy)
    assert result is not None
    assert (result.status, result.detail["days"]) == ("late", 181)


@pytest.mark.parametrize("status", NOT_IN_FORCE)
def test_equipment_ignores_agreements_not_in_force(policy: Policy, status: AgreementStatus) -> None:
    assert equipment(agreement(status), noon(SIGNED + timedelta(days=400)), policy) is None


def test_equipment_needs_a_signed_date(policy: Policy) -> None:
    assert equipment(agreement(signed=None), noon(SIGNED + timedelta(days=400)), policy) is None


@pytest.mark.parametrize("operational", [SIGNED + timedelta(days=30), SIGNED + timedelta(days=250)])
def test_operational_agreements_have_no_equipment_result(policy: Policy, operational: date) -> None:
    assert equipment(agreement(operational=operational), noon(SIGNED + timedelta(days=400)), policy) is None


def test_equipment_thresholds_come_from_the_policy(policy: Policy) -> None:
    tight = replace(policy, equipment=replace(policy.equipment, late_days=30, alarm_days=60))
    assert equipment(agreement(), noon(SIGNED + timedelta(days=30)), tight) is None
    assert status_of(equipment(agreement(), noon(SIGNED + timedelta(days=31)), tight)) == "late"
    assert status_of(equipment(agreement(), noon(SIGNED + timedelta(days=61)), tight)) == "alarm"


@settings(max_examples=200)
@given(days=st.integers(-30, 2000))
def test_equipment_status_follows_the_day_count(policy: Policy, days: int) -> None:
    result = equipment(agreement(), noon(SIGNED + timedelta(days=days)), policy)
    expected = "alarm" if days > 200 else "late" if days > 180 else None
    assert (result.status if result else None) == expected


# --- renewal ----------------------------------------------------------------------------------

EXPIRES = date(2027, 3, 31)


@pytest.mark.parametrize(
    ("offset_days", "expected"),
    [
        (-91, None),
        (-90, "due_soon"),
        (-89, "due_soon"),
        (0, "due_soon"),
        (1, "overdue"),
        (365, "overdue"),
    ],
)
@pytest.mark.parametrize("status", IN_FORCE)
def test_renewal_boundaries(
    policy: Policy, status: AgreementStatus, offset_days: int, expected: str | None
) -> None:
    result = renewal(agreement(status, expires=EXPIRES), noon(EXPIRES + timedelta(days=offset_days)), policy)
    if expected is None:
        assert result is None
    else:
        assert result is not None
        assert (result.rule, result.status, result.record_id) == ("renewal", expected, "agr-1")
        assert result.due == EXPIRES
        assert result.detail == {"days": offset_days}


def test_renewal_window_over_a_leap_day(policy: Policy) -> None:
    expires = date(2028, 5, 29)  # 90 days before it is the leap day 2028-02-29
    assert expires - timedelta(days=90) == date(2028, 2, 29)
    assert renewal(agreement(expires=expires), noon(date(2028, 2, 28)), policy) is None
    assert status_of(renewal(agreement(expires=expires), noon(date(2028, 2, 29)), policy)) == "due_soon"


@pytest.mark.parametrize("status", NOT_IN_FORCE)
def test_renewal_ignores_agreements_not_in_force(policy: Policy, status: AgreementStatus) -> None:
    assert renewal(agreement(status, expires=EXPIRES), noon(EXPIRES + timedelta(days=10)), policy) is None


def test_open_ended_agreements_never_come_up_for_renewal(policy: Policy) -> None:
    assert renewal(agreement(expires=None), noon(date(2099, 1, 1)), policy) is None


# --- steering committee -----------------------------------------------------------------------

EFFECTIVE = date(2025, 4, 1)
MEETING_DUE = date(2026, 4, 1)


@pytest.mark.parametrize(
    ("offset_days", "expected"),
    [
        (-31, None),
        (-30, "due_soon"),
        (-1, "due_soon"),
        (0, "due_soon"),
        (1, "overdue"),
    ],
)
def test_steering_committee_boundaries(policy: Policy, offset_days: int, expected: str | None) -> None:
    result = steering_committee(
        agreement(effective=EFFECTIVE), noon(MEETING_DUE + timedelta(days=offset_days)), policy
    )
    if expected is None:
        assert result is None
    else:
        assert result is not None
        assert (result.rule, result.status, result.record_id) == ("steering_committee", expected, "agr-1")
        assert result.due == MEETING_DUE
        assert result.detail == {"days": offset_days}


def test_the_latest_meeting_restarts_the_year(policy: Policy) -> None:
    met = agreement(effective=EFFECTIVE, last_steering=date(2026, 2, 10))
    assert steering_committee(met, noon(MEETING_DUE + timedelta(days=20)), policy) is None
    result = steering_committee(met, noon(date(2027, 2, 11)), policy)
    assert result is not None
    assert (result.status, result.due) == ("overdue", date(2027, 2, 10))


def test_steering_committee_from_a_leap_day(policy: Policy) -> None:
    leap = agreement(effective=date(2024, 2, 29))
    on_the_day = steering_committee(leap, noon(date(2025, 2, 28)), policy)
    assert on_the_day is not None
    assert (on_the_day.status, on_the_day.due) == ("due_soon", date(2025, 2, 28))
    assert status_of(steering_committee(leap, noon(date(2025, 3, 1)), policy)) == "overdue"


@pytest.mark.parametrize("status", [s for s in AgreementStatus if s is not AgreementStatus.ACTIVE])
def test_steering_committee_only_for_active_agreements(policy: Policy, status: AgreementStatus) -> None:
    assert steering_committee(agreement(status, effective=EFFECTIVE), noon(date(2030, 1, 1)), policy) is None


def test_steering_committee_needs_a_start(policy: Policy) -> None:
    assert (
        steering_committee(agreement(effective=None, last_steering=None), noon(date(2030, 1, 1)), policy)
        is None
    )


def test_date_due_is_written_as_an_iso_date(policy: Policy) -> None:
    result = equipment(agreement(), noon(SIGNED + timedelta(days=250)), policy)
    assert result is not None
    assert iso_due(result.due) == "2026-01-01"
    assert iso_due(None) is None
