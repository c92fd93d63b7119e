"""The legal clocks' arithmetic: UTC math, skipped days, and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.clock import (
    DayFilter,
    add_counted_hours,
    counted_hours_between,
    is_federal_holiday,
    is_weekend,
    is_weekend_or_federal_holiday,
    require_aware,
    start_of_utc_day,
    utc_date,
)

NEW_YORK = ZoneInfo("America/New_York")


def never(day: date) -> bool:
    return False


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="start must carry a time zone: 2026-10-05T09:00:00"):
        add_counted_hours(datetime(2026, 10, 5, 9, 0), 48)
    with pytest.raises(ValueError, match="end must carry a time zone"):
        counted_hours_between(datetime(2026, 10, 5, 9, 0, tzinfo=UTC), datetime(2026, 10, 7, 9, 0))
    with pytest.raises(ValueError, match="as_of must carry a time zone"):
        utc_date(datetime(2026, 10, 5, 9, 0))


def test_aware_instants_pass_through() -> None:
    instant = datetime(2026, 10, 5, 9, 0, tzinfo=NEW_YORK)
    assert require_aware(instant) is instant


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (datetime(2026, 10, 5, 23, 59, 59, tzinfo=UTC), date(2026, 10, 5)),
        (datetime(2026, 10, 5, 19, 59, tzinfo=NEW_YORK), date(2026, 10, 5)),
        (datetime(2026, 10, 5, 20, 0, tzinfo=NEW_YORK), date(2026, 10, 6)),
        (datetime(2026, 1, 5, 19, 0, tzinfo=NEW_YORK), date(2026, 1, 6)),
        (datetime(2026, 10, 6, 8, 0, tzinfo=timezone(timedelta(hours=9))), date(2026, 10, 5)),
        (datetime(2024, 2, 29, 23, 0, tzinfo=timezone(timedelta(hours=-2))), date(2024, 3, 1)),
    ],
)
def test_utc_date(instant: datetime, day: date) -> None:
    assert utc_date(instant) == day


def test_start_of_utc_day() -> None:
    assert start_of_utc_day(date(2024, 2, 29)) == datetime(2024, 2, 29, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "weekend", "holiday"),
    [
        (date(2026, 10, 16), False, False),  # Friday
        (date(2026, 10, 17), True, False),  # Saturday
        (date(2026, 10, 18), True, False),  # Sunday
        (date(2026, 11, 26), False, True),  # Thanksgiving
        (date(2026, 11, 27), False, False),  # the Friday after is not a federal holiday
        (date(2026, 9, 7), False, True),  # Labor Day
        (date(2026, 7, 3), False, True),  # Independence Day observed
        (date(2026, 7, 4), True, True),
        (date(2027, 1, 18), False, True),  # Martin Luther King Jr. Day
        (date(2024, 2, 29), False, False),
        (date(2026, 12, 25), False, True),
    ],
)
def test_day_kinds(day: date, weekend: bool, holiday: bool) -> None:
    assert is_weekend(day) is weekend
    assert is_federal_holiday(day) is holiday
    assert is_weekend_or_federal_holiday(day) is (weekend or holiday)


# --- adding and counting hours ----------------------------------------------------------------


def test_plain_addition_is_utc() -> None:
    start = datetime(2026, 3, 7, 20, 0, tzinfo=NEW_YORK)
    result = add_counted_hours(start, 48)
    assert result == datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    assert result.tzinfo is UTC
    assert counted_hours_between(start, result) == 48


@pytest.mark.parametrize(
    ("start", "hours", "skip", "end"),
    [
        (
            datetime(2026, 10, 16, 20, 0, tzinfo=UTC),
            48,
            is_weekend,
            datetime(2026, 10, 20, 20, 0, tzinfo=UTC),
        ),
        (datetime(2026, 10, 17, 10, 0, tzinfo=UTC), 0, is_weekend, datetime(2026, 10, 19, 0, 0, tzinfo=UTC)),
        (datetime(2026, 10, 16, 10, 0, tzinfo=UTC), 0, is_weekend, datetime(2026, 10, 16, 10, 0, tzinfo=UTC)),
        (datetime(2026, 10, 16, 0, 0, tzinfo=UTC), 24, is_weekend, datetime(2026, 10, 17, 0, 0, tzinfo=UTC)),
        (
            datetime(2026, 10, 16, 0, 0, tzinfo=UTC),
            24.5,
            is_weekend,
            datetime(2026, 10, 19, 0, 30, tzinfo=UTC),
        ),
        (
            datetime(2026, 10, 15, 12, 0, tzinfo=UTC),
            1.5,
            is_weekend,
            datetime(2026, 10, 15, 13, 30, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
            48,
            is_weekend_or_federal_holiday,
            datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
        ),
        # A long clock skips every weekend it meets: 120 hours from Monday are the working week.
        (datetime(2026, 10, 5, 0, 0, tzinfo=UTC), 120, is_weekend, datetime(2026, 10, 10, 0, 0, tzinfo=UTC)),
        (datetime(2026, 10, 5, 0, 0, tzinfo=UTC), 121, is_weekend, datetime(2026, 10, 12, 1, 0, tzinfo=UTC)),
        # Across a leap day, which is a Thursday and counts.
        (datetime(2024, 2, 28, 6, 0, tzinfo=UTC), 48, is_weekend, datetime(2024, 3, 1, 6, 0, tzinfo=UTC)),
    ],
    ids=[
        "friday-evening",
        "zero-on-saturday",
        "zero-on-friday",
        "to-friday-midnight",
        "past-friday-midnight",
        "within-a-day",
        "thanksgiving",
        "whole-week",
        "one-hour-past-the-week",
        "leap-day",
    ],
)
def test_add_counted_hours_skipping(start: datetime, hours: float, skip: DayFilter, end: datetime) -> None:
    assert add_counted_hours(start, hours, skip) == end


@pytest.mark.parametrize(
    ("start", "end", "skip", "hours"),
    [
        (
            datetime(2026, 10, 16, 20, 0, tzinfo=UTC),
            datetime(2026, 10, 20, 20, 0, tzinfo=UTC),
            is_weekend,
            48,
        ),
        (datetime(2026, 10, 17, 1, 0, tzinfo=UTC), datetime(2026, 10, 18, 23, 0, tzinfo=UTC), is_weekend, 0),
        (datetime(2026, 10, 16, 20, 0, tzinfo=UTC), datetime(2026, 10, 20, 20, 0, tzinfo=UTC), None, 96),
        (
            datetime(2026, 10, 20, 20, 0, tzinfo=UTC),
            datetime(2026, 10, 16, 20, 0, tzinfo=UTC),
            is_weekend,
            -48,
        ),
        (datetime(2026, 10, 16, 20, 0, tzinfo=UTC), datetime(2026, 10, 16, 20, 0, tzinfo=UTC), is_weekend, 0),
    ],
    ids=["over-a-weekend", "inside-a-weekend", "not-skipping", "backwards", "empty"],
)
def test_counted_hours_between(start: datetime, end: datetime, skip: DayFilter | None, hours: float) -> None:
    assert counted_hours_between(start, end, skip) == hours


# --- daylight-saving changes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 3, 7, 20, 0, tzinfo=NEW_YORK),
        datetime(2026, 10, 31, 20, 0, tzinfo=NEW_YORK),
        datetime(2026, 3, 8, 1, 30, tzinfo=NEW_YORK),
        datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK),
    ],
    ids=["eve-of-march", "eve-of-november", "just-before-spring-forward", "repeated-hour"],
)
def test_walking_local_days_without_skipping_is_real_time(start: datetime) -> None:
    # The 23- and 25-hour days of the changes are walked in real hours, not wall-clock ones.
    # (In UTC: Python adds a timedelta to a New York time on the wall clock.)
    real_48_hours_later = start.astimezone(UTC) + timedelta(hours=48)
    assert add_counted_hours(start, 48, never, NEW_YORK) == real_48_hours_later
    assert counted_hours_between(start, real_48_hours_later, never, NEW_YORK) == 48
    assert counted_hours_between(start, real_48_hours_later) == 48


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (datetime(2026, 3, 7, 20, 0, tzinfo=NEW_YORK), datetime(2026, 3, 9, 20, 0, tzinfo=NEW_YORK), 47),
        (datetime(2026, 10, 31, 20, 0, tzinfo=NEW_YORK), datetime(2026, 11, 2, 20, 0, tzinfo=NEW_YORK), 49),
        (
            datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK),
            datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK),
            1,
        ),
        (
            datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK),
            datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK),
            -1,
        ),
    ],
    ids=["march", "november", "repeated-hour", "repeated-hour-backwards"],
)
def test_counting_between_two_local_times_is_real_time(start: datetime, end: datetime, hours: int) -> None:
    assert counted_hours_between(start, end) == hours
    assert counted_hours_between(start, end, never, NEW_YORK) == hours


@pytest.mark.parametrize(
    ("start", "sunday", "end_local", "real_hours"),
    [
        # Skipping the 23-hour Sunday of the March change.
        (datetime(2026, 3, 7, 20, 0, tzinfo=NEW_YORK), date(2026, 3, 8), datetime(2026, 3, 10, 20, 0), 71),
        # Skipping the 25-hour Sunday of the November change.
        (datetime(2026, 10, 31, 20, 0, tzinfo=NEW_YORK), date(2026, 11, 1), datetime(2026, 11, 3, 20, 0), 73),
    ],
    ids=["march", "november"],
)
def test_skipping_a_dst_day_in_local_time(
    start: datetime, sunday: date, end_local: datetime, real_hours: int
) -> None:
    def skip(day: date) -> bool:
        return day == sunday

    end = add_counted_hours(start, 48, skip, NEW_YORK)
    assert end.astimezone(NEW_YORK).replace(tzinfo=None) == end_local
    assert end - start == timedelta(hours=real_hours)
    assert counted_hours_between(start, end, skip, NEW_YORK) == 48


# --- properties -------------------------------------------------------------------------------

zones = st.sampled_from([UTC, NEW_YORK, ZoneInfo("America/Chicago"), ZoneInfo("America/Phoenix")])
instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=zones)
skips = st.sampled_from([None, is_weekend, is_weekend_or_federal_holiday])
hour_counts = st.floats(0, 500, allow_nan=False)
PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(start=instants, hours=hour_counts, skip=skips, zone=zones)
def test_counting_undoes_adding(start: datetime, hours: float, skip: DayFilter | None, zone: tzinfo) -> None:
    end = add_counted_hours(start, hours, skip, zone)
    assert counted_hours_between(start, end, skip, zone) == pytest.approx(hours, abs=1e-6)


@PROPERTY
@given(start=instants, hours=hour_counts, more=hour_counts, skip=skips, zone=zones)
def test_adding_is_monotone_and_never_faster_than_real_time(
    start: datetime, hours: float, more: float, skip: DayFilter | None, zone: tzinfo
) -> None:
    end = add_counted_hours(start, hours, skip, zone)
    assert end >= start.astimezone(UTC) + timedelta(hours=hours)
    assert add_counted_hours(start, hours + more, skip, zone) >= end


@PROPERTY
@given(start=instants, hours=st.floats(0.001, 500, allow_nan=False), zone=zones)
def test_a_skipping_clock_never_ends_inside_a_skipped_day(
    start: datetime, hours: float, zone: tzinfo
) -> None:
    end = add_counted_hours(start, hours, is_weekend_or_federal_holiday, zone)
    last_counted_moment = end - timedelta(microseconds=1)
    assert not is_weekend_or_federal_holiday(last_counted_moment.astimezone(zone).date())


@PROPERTY
@given(a=instants, b=instants, c=instants, skip=skips, zone=zones)
def test_counted_hours_add_up_and_change_sign(
    a: datetime, b: datetime, c: datetime, skip: DayFilter | None, zone: tzinfo
) -> None:
    a, b, c = sorted([a, b, c], key=lambda instant: instant.astimezone(UTC))
    ab = counted_hours_between(a, b, skip, zone)
    bc = counted_hours_between(b, c, skip, zone)
    assert counted_hours_between(a, c, skip, zone) == pytest.approx(ab + bc, abs=1e-6)
    assert counted_hours_between(b, a, skip, zone) == -ab
    assert 0 <= ab <= (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds() / 3600 + 1e-9
