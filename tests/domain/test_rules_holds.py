"""The 48-hour hold clock: boundaries as instants, DST changes, and the weekend/holiday option."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.clock import counted_hours_between, is_weekend_or_federal_holiday
from pm_desk.domain.enums import OPEN_HOLD_STATUSES, TransferStatus
from pm_desk.domain.facts import TransferFacts
from pm_desk.domain.policy import Policy, apply_policy_text
from pm_desk.domain.results import RuleResult, iso_due
from pm_desk.domain.rules import closed_hold_outcome, hold, hold_deadline

NEW_YORK = ZoneInfo("America/New_York")
RELEASE = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)  # a Monday
DEADLINE = datetime(2026, 10, 7, 14, 0, tzinfo=UTC)
CLOSED_STATUSES = [s for s in TransferStatus if s not in OPEN_HOLD_STATUSES]


def transfer(
    status: TransferStatus = TransferStatus.AWAITING_PICKUP,
    release: datetime | None = RELEASE,
    pickup: datetime | None = None,
) -> TransferFacts:
    return TransferFacts("tr-1", status, release, pickup)


def status_of(result: RuleResult | None) -> str | None:
    return None if result is None else result.status


def test_deadline_is_48_hours_after_release(policy: Policy) -> None:
    assert hold_deadline(RELEASE, policy) == DEADLINE


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (RELEASE - timedelta(days=3), None),
        (RELEASE, None),
        (DEADLINE - timedelta(hours=6, seconds=1), None),
        (DEADLINE - timedelta(hours=6), "due_soon"),
        (DEADLINE - timedelta(hours=5, minutes=59), "due_soon"),
        (DEADLINE - timedelta(seconds=1), "due_soon"),
        (DEADLINE, "due_soon"),
        (DEADLINE + timedelta(seconds=1), "breached"),
        (DEADLINE + timedelta(days=30), "breached"),
    ],
    ids=[
        "before-release",
        "at-release",
        "6h1s-left",
        "6h-left",
        "5h59-left",
        "1s-left",
        "at-deadline",
        "1s-over",
        "30d",
    ],
)
@pytest.mark.parametrize("status", sorted(OPEN_HOLD_STATUSES))
def test_hold_boundaries(
    policy: Policy, status: TransferStatus, as_of: datetime, expected: str | None
) -> None:
    result = hold(transfer(status), as_of, policy)
    assert status_of(result) == expected
    if result is not None:
        assert (result.rule, result.record, result.record_id, result.due) == (
            "hold",
            "transfer",
            "tr-1",
            DEADLINE,
        )


def test_hold_reports_hours_left_and_over(policy: Policy) -> None:
    soon = hold(transfer(), DEADLINE - timedelta(hours=4, minutes=30), policy)
    assert soon is not None
    assert soon.detail == {"hours_left": 4.5, "hours_over": 0.0}
    late = hold(transfer(), DEADLINE + timedelta(hours=2, minutes=15), policy)
    assert late is not None
    assert late.detail == {"hours_left": -2.25, "hours_over": 2.25}


def test_hold_reads_as_of_in_any_offset(policy: Policy) -> None:
    # 10:00 in New York (EDT, UTC-4) is the deadline instant itself: due soon, not breached.
    assert status_of(hold(transfer(), datetime(2026, 10, 7, 10, 0, tzinfo=NEW_YORK), policy)) == "due_soon"
    assert status_of(hold(transfer(), datetime(2026, 10, 7, 10, 0, 1, tzinfo=NEW_YORK), policy)) == "breached"


@pytest.mark.parametrize("status", CLOSED_STATUSES)
def test_closed_transfers_have_no_hold(policy: Policy, status: TransferStatus) -> None:
    assert hold(transfer(status), DEADLINE + timedelta(days=5), policy) is None


def test_no_release_time_no_hold(policy: Policy) -> None:
    assert hold(transfer(release=None), DEADLINE + timedelta(days=5), policy) is None


def test_naive_instants_are_refused(policy: Policy) -> None:
    with pytest.raises(ValueError, match="time zone"):
        hold(transfer(), datetime(2026, 10, 7, 14, 0), policy)
    with pytest.raises(ValueError, match="time zone"):
        hold(transfer(release=datetime(2026, 10, 5, 14, 0)), DEADLINE, policy)


def test_due_is_written_as_a_utc_instant(policy: Policy) -> None:
    result = hold(transfer(release=datetime(2026, 10, 5, 10, 0, tzinfo=NEW_YORK)), DEADLINE, policy)
    assert result is not None
    assert iso_due(result.due) == "2026-10-07T14:00:00Z"


# --- daylight-saving changes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("release_local", "deadline_utc", "deadline_local"),
    [
        # The evening before the March change (2026-03-08): 47 wall-clock hours are 48 real ones.
        (
            datetime(2026, 3, 7, 20, 0, tzinfo=NEW_YORK),
            datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
            datetime(2026, 3, 9, 21, 0),
        ),
        # The evening before the November change (2026-11-01): 49 wall-clock hours are 48 real ones.
        (
            datetime(2026, 10, 31, 20, 0, tzinfo=NEW_YORK),
            datetime(2026, 11, 3, 0, 0, tzinfo=UTC),
            datetime(2026, 11, 2, 19, 0),
        ),
    ],
    ids=["march", "november"],
)
def test_deadline_is_48_real_hours_across_dst(
    policy: Policy, release_local: datetime, deadline_utc: datetime, deadline_local: datetime
) -> None:
    deadline = hold_deadline(release_local, policy)
    assert deadline == deadline_utc
    assert deadline.utcoffset() == timedelta(0)
    assert (deadline - release_local) == timedelta(hours=48)
    # The local wall clock reads an hour off the release time; naive wall-clock addition would be wrong.
    local = deadline.astimezone(NEW_YORK)
    assert local.replace(tzinfo=None) == deadline_local
    assert local.hour != release_local.hour
    assert release_local + timedelta(hours=48) != deadline

    at_deadline = hold(transfer(release=release_local), deadline_utc, policy)
    just_after = hold(transfer(release=release_local), deadline_utc + timedelta(seconds=1), policy)
    assert (status_of(at_deadline), status_of(just_after)) == ("due_soon", "breached")


# --- the weekends-and-holidays option ---------------------------------------------------------


def test_the_option_is_off_by_default(policy: Policy) -> None:
    assert policy.hold.excludes_weekends_and_holidays is False
    friday_evening = datetime(2026, 10, 16, 20, 0, tzinfo=UTC)
    assert hold_deadline(friday_evening, policy) == datetime(2026, 10, 18, 20, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("release", "deadline"),
    [
        # A weekday release with no weekend in reach is a plain 48 hours.
        (datetime(2026, 10, 19, 9, 0, tzinfo=UTC), datetime(2026, 10, 21, 9, 0, tzinfo=UTC)),
        # Friday 20:00: 4 h on Friday, Saturday and Sunday skipped, 24 h Monday, 20 h Tuesday.
        (datetime(2026, 10, 16, 20, 0, tzinfo=UTC), datetime(2026, 10, 20, 20, 0, tzinfo=UTC)),
        # Released on a Saturday: the clock starts on Monday at midnight.
        (datetime(2026, 10, 17, 10, 0, tzinfo=UTC), datetime(2026, 10, 21, 0, 0, tzinfo=UTC)),
        # Thanksgiving (Thursday 2026-11-26) and the weekend after it are skipped.
        (datetime(2026, 11, 25, 12, 0, tzinfo=UTC), datetime(2026, 11, 30, 12, 0, tzinfo=UTC)),
        # Labor Day (Monday 2026-09-07) extends the weekend.
        (datetime(2026, 9, 4, 18, 0, tzinfo=UTC), datetime(2026, 9, 9, 18, 0, tzinfo=UTC)),
        # Columbus Day (Monday 2026-10-12) too.
        (datetime(2026, 10, 9, 20, 0, tzinfo=UTC), datetime(2026, 10, 14, 20, 0, tzinfo=UTC)),
        # Independence Day observed on Friday 2026-07-03 (the 4th is a Saturday).
        (datetime(2026, 7, 2, 12, 0, tzinfo=UTC), datetime(2026, 7, 7, 12, 0, tzinfo=UTC)),
        # Exactly 48 counted hours ending at midnight before a weekend: Thursday 00:00 to Saturday 00:00.
        (datetime(2026, 10, 22, 0, 0, tzinfo=UTC), datetime(2026, 10, 24, 0, 0, tzinfo=UTC)),
    ],
    ids=[
        "weekday",
        "friday-evening",
        "saturday",
        "thanksgiving",
        "labor-day",
        "columbus-day",
        "july-3",
        "to-midnight",
    ],
)
def test_deadline_skips_weekends_and_federal_holidays(
    skipping_policy: Policy, release: datetime, deadline: datetime
) -> None:
    assert hold_deadline(release, skipping_policy) == deadline
    assert counted_hours_between(release, deadline, is_weekend_or_federal_holiday) == pytest.approx(48)


def test_option_is_read_from_policy_text(policy: Policy) -> None:
    skipping = apply_policy_text(policy, "[hold]\nexcludes_weekends_and_holidays = true\n", "override.toml")
    friday_evening = datetime(2026, 10, 16, 20, 0, tzinfo=UTC)
    assert hold_deadline(friday_evening, skipping) == datetime(2026, 10, 20, 20, 0, tzinfo=UTC)


def test_hold_rule_uses_the_option(policy: Policy, skipping_policy: Policy) -> None:
    friday = transfer(release=datetime(2026, 10, 16, 20, 0, tzinfo=UTC))
    sunday_night = datetime(2026, 10, 18, 20, 0, 1, tzinfo=UTC)
    assert status_of(hold(friday, sunday_night, policy)) == "breached"
    assert hold(friday, sunday_night, skipping_policy) is None
    tuesday = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)
    assert status_of(hold(friday, tuesday, skipping_policy)) == "due_soon"
    assert status_of(hold(friday, tuesday + timedelta(hours=6), skipping_policy)) == "due_soon"
    assert status_of(hold(friday, tuesday + timedelta(hours=6, seconds=1), skipping_policy)) == "breached"


def test_skipped_days_follow_the_given_time_zone(skipping_policy: Policy) -> None:
    # Friday 21:30 in New York is already Saturday in UTC.
    release = datetime(2026, 10, 16, 21, 30, tzinfo=NEW_YORK)
    assert hold_deadline(release, skipping_policy) == datetime(2026, 10, 21, 0, 0, tzinfo=UTC)
    # Counted on New York days: 2.5 h Friday, Monday 24 h, Tuesday 21.5 h.
    local = hold_deadline(release, skipping_policy, tz=NEW_YORK)
    assert local.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2026, 10, 20, 21, 30)


@pytest.mark.parametrize(
    ("release_local", "deadline_local"),
    [
        (datetime(2026, 3, 6, 20, 0, tzinfo=NEW_YORK), datetime(2026, 3, 10, 20, 0)),
        (datetime(2026, 10, 30, 20, 0, tzinfo=NEW_YORK), datetime(2026, 11, 3, 20, 0)),
    ],
    ids=["march", "november"],
)
def test_skipped_dst_weekend_counts_local_days(
    skipping_policy: Policy, release_local: datetime, deadline_local: datetime
) -> None:
    deadline = hold_deadline(release_local, skipping_policy, tz=NEW_YORK)
    assert deadline.astimezone(NEW_YORK).replace(tzinfo=None) == deadline_local
    counted = counted_hours_between(release_local, deadline, is_weekend_or_federal_holiday, NEW_YORK)
    assert counted == pytest.approx(48)


# --- closed transfers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pickup", "breached", "hours_over"),
    [
        (RELEASE + timedelta(hours=3), False, 0.0),
        (DEADLINE - timedelta(seconds=1), False, 0.0),
        (DEADLINE, False, 0.0),
        (DEADLINE + timedelta(minutes=1), True, 0.02),
        (DEADLINE + timedelta(hours=1, minutes=30), True, 1.5),
        # Picked up at 17:00 New York time (EDT): 21:00 UTC, seven hours over.
        (datetime(2026, 10, 7, 17, 0, tzinfo=NEW_YORK), True, 7.0),
    ],
)
def test_closed_hold_outcome(policy: Policy, pickup: datetime, breached: bool, hours_over: float) -> None:
    outcome = closed_hold_outcome(transfer(TransferStatus.TRANSFERRED, pickup=pickup), policy)
    assert outcome is not None
    assert (outcome.transfer_id, outcome.deadline, outcome.pickup_at) == ("tr-1", DEADLINE, pickup)
    assert (outcome.breached, outcome.hours_over) == (breached, hours_over)


def test_closed_outcome_uses_the_option(skipping_policy: Policy) -> None:
    picked_monday = transfer(
        TransferStatus.TRANSFERRED,
        release=datetime(2026, 10, 16, 20, 0, tzinfo=UTC),
        pickup=datetime(2026, 10, 19, 9, 0, tzinfo=UTC),
    )
    outcome = closed_hold_outcome(picked_monday, skipping_policy)
    assert outcome is not None
    assert not outcome.breached


@pytest.mark.parametrize("status", [s for s in TransferStatus if s is not TransferStatus.TRANSFERRED])
def test_closed_outcome_only_for_transferred(policy: Policy, status: TransferStatus) -> None:
    assert closed_hold_outcome(transfer(status, pickup=DEADLINE + timedelta(hours=5)), policy) is None


def test_closed_outcome_needs_both_times(policy: Policy) -> None:
    assert closed_hold_outcome(transfer(TransferStatus.TRANSFERRED, pickup=None), policy) is None
    assert (
        closed_hold_outcome(transfer(TransferStatus.TRANSFERRED, release=None, pickup=DEADLINE), policy)
        is None
    )


# --- properties -------------------------------------------------------------------------------

zones = st.sampled_from([UTC, NEW_YORK, ZoneInfo("America/Los_Angeles"), ZoneInfo("Pacific/Honolulu")])
instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=zones)


@settings(max_examples=300, deadline=None)
@given(release=instants)
def test_plain_deadline_is_exactly_48_hours(policy: Policy, release: datetime) -> None:
    deadline = hold_deadline(release, policy)
    assert deadline - release == timedelta(hours=48)
    assert deadline.utcoffset() == timedelta(0)


@settings(max_examples=300, deadline=None)
@given(release=instants, zone=zones)
def test_skipping_deadline_is_never_earlier_and_counts_48_hours(
    skipping_policy: Policy, release: datetime, zone: ZoneInfo
) -> None:
    deadline = hold_deadline(release, skipping_policy, tz=zone)
    assert deadline >= release.astimezone(UTC) + timedelta(hours=48)
    counted = counted_hours_between(release, deadline, is_weekend_or_federal_holiday, zone)
    assert counted == pytest.approx(48, abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(release=instants, offset_minutes=st.integers(-4000, 4000))
def test_hold_status_matches_the_definition(policy: Policy, release: datetime, offset_minutes: int) -> None:
    deadline = release.astimezone(UTC) + timedelta(hours=48)
    as_of = deadline + timedelta(minutes=offset_minutes)
    result = hold(transfer(release=release), as_of, policy)
    if as_of > deadline:
        assert status_of(result) == "breached"
    elif deadline - as_of <= timedelta(hours=6):
        assert status_of(result) == "due_soon"
    else:
        assert result is None
