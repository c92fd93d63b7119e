"""Recurrence rules: checked, stored with their zone, and expanded on the wall clock (month ends,
the nth weekday, daylight saving)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.recurrence import (
    Recurrence,
    RecurrenceError,
    day_start,
    next_day_at,
    normalize_rule,
    until_local_date,
)

NEW_YORK = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")


def local(
    year: int, month: int, day: int, hour: int = 9, minute: int = 0, tz: ZoneInfo = NEW_YORK
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def walls(series: Recurrence, start: datetime, count: int) -> list[datetime]:
    found = series.between(start, start + timedelta(days=3660), limit=count)
    return [d.astimezone(series.tz) for d in found]


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("FREQ=MONTHLY;BYDAY=3TU", "FREQ=MONTHLY;BYDAY=3TU"),
        ("rrule:freq=weekly;byday=mo,fr", "FREQ=WEEKLY;BYDAY=MO,FR"),
        (" FREQ=DAILY;INTERVAL=2; ", "FREQ=DAILY;INTERVAL=2"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=6", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"),
        # An UNTIL date is the end of that day in the zone (New York: UTC−5 in December).
        ("FREQ=WEEKLY;UNTIL=20261231", "FREQ=WEEKLY;UNTIL=20270101T045959Z"),
        ("FREQ=WEEKLY;UNTIL=20261231T120000", "FREQ=WEEKLY;UNTIL=20261231T170000Z"),
        ("FREQ=WEEKLY;UNTIL=20261231T120000Z", "FREQ=WEEKLY;UNTIL=20261231T120000Z"),
    ],
)
def test_rules_are_stored_one_way(text: str, stored: str) -> None:
    assert normalize_rule(text, "America/New_York") == stored


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the rule is empty"),
        ("BYDAY=TU", "the rule needs a frequency"),
        ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is not one of"),
        ("FREQ=SECONDLY", "FREQ=SECONDLY is not one of"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0 must be in 1–1000"),
        ("FREQ=DAILY;COUNT=-2", "COUNT=-2 must be in 1–10000"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "either COUNT or UNTIL"),
        ("FREQ=MONTHLY;BYDAY=9TU", "the number must be 1–5"),
        ("FREQ=MONTHLY;BYDAY=TUESDAY", "BYDAY=TUESDAY is not a weekday"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY=32 must be in ±1–31"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0 must be in ±1–31"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13 must be in 1–12"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never happens"),
        ("FREQ=WEEKLY;UNTIL=2026-12-31", "is not a date like 20271231"),
        ("FREQ=WEEKLY;UNTIL=20260231", "is not a real date"),
        ("FREQ=WEEKLY;FOO=1", "FOO is not part of a recurrence rule"),
        ("FREQ=WEEKLY;FREQ=DAILY", "given twice"),
        ("FREQ=WEEKLY;BYDAY", "is not NAME=VALUE"),
        ("DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY", "no DTSTART line"),
        ("FREQ=DAILY;" + "BYHOUR=9;" * 60, "characters long"),
        ("FREQ=DAILY;BYHOUR=x", "BYHOUR=X is not a whole number"),
    ],
)
def test_bad_rules_are_refused_in_words(text: str, message: str) -> None:
    with pytest.raises(RecurrenceError, match=message.replace("(", r"\(")):
        normalize_rule(text)


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(RecurrenceError, match="'Mars/Olympus' is not a time zone"):
        normalize_rule("FREQ=DAILY", "Mars/Olympus")


def test_the_third_tuesday_starts_on_the_next_one_at_the_chosen_wall_time() -> None:
    friday = local(2026, 10, 30, 9, 30)
    series = Recurrence.begin("FREQ=MONTHLY;BYDAY=3TU", "America/New_York", friday)
    assert series.start == local(2026, 11, 17, 9, 30)
    days = [d.date() for d in walls(series, series.start, 14)]
    assert days[:4] == [date(2026, 11, 17), date(2026, 12, 15), date(2027, 1, 19), date(2027, 2, 16)]
    assert all(d.weekday() == 1 and 15 <= d.day <= 21 for d in days)
    assert series.to_text() == "DTSTART;TZID=America/New_York:20261117T093000\nRRULE:FREQ=MONTHLY;BYDAY=3TU"


def test_the_last_friday_of_the_month() -> None:
    series = Recurrence.begin("FREQ=MONTHLY;BYDAY=-1FR", "America/New_York", local(2027, 1, 1))
    days = [d.date() for d in walls(series, series.start, 4)]
    assert days == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26), date(2027, 4, 30)]


def test_day_31_skips_the_months_without_one() -> None:
    series = Recurrence.begin("FREQ=MONTHLY;BYMONTHDAY=31", "America/New_York", local(2027, 1, 1))
    days = [d.date() for d in walls(series, series.start, 5)]
    assert days == [
        date(2027, 1, 31),
        date(2027, 3, 31),
        date(2027, 5, 31),
        date(2027, 7, 31),
        date(2027, 8, 31),
    ]


def test_the_last_day_of_every_month_including_february_in_a_leap_year() -> None:
    series = Recurrence.begin("FREQ=MONTHLY;BYMONTHDAY=-1", "America/New_York", local(2027, 12, 1))
    days = [d.date() for d in walls(series, series.start, 4)]
    assert days == [date(2027, 12, 31), date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]


def test_the_29th_of_february_comes_every_four_years() -> None:
    series = Recurrence.begin(
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "UTC", datetime(2026, 3, 1, 9, tzinfo=UTC)
    )
    assert [d.date() for d in walls(series, series.start, 2)] == [date(2028, 2, 29), date(2032, 2, 29)]


def test_daily_keeps_its_wall_time_across_both_daylight_saving_changes() -> None:
    series = Recurrence.begin("FREQ=DAILY", "America/New_York", local(2026, 10, 30, 9))
    around_fall = walls(series, series.start, 4)  # the clocks go back on 2026-11-01
    assert [d.hour for d in around_fall] == [9, 9, 9, 9]
    assert [d.astimezone(UTC).hour for d in around_fall] == [13, 13, 14, 14]
    spring = series.at_or_after(local(2027, 3, 13, 0))
    assert spring is not None
    following = walls(series, spring, 2)  # the clocks go forward on 2027-03-14
    assert [(d.date().day, d.hour) for d in following] == [(13, 9), (14, 9)]
    assert [d.astimezone(UTC).hour for d in following] == [14, 13]


def test_a_wall_time_that_does_not_exist_falls_an_hour_later() -> None:
    series = Recurrence.begin("FREQ=DAILY", "America/New_York", local(2027, 3, 13, 2, 30))
    spring_day = series.after(series.start)
    assert spring_day is not None
    assert spring_day.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2027, 3, 14, 3, 30)
    after = series.after(spring_day)
    assert after is not None and after.astimezone(NEW_YORK).hour == 2


def test_an_ambiguous_wall_time_is_its_first_instance_and_nothing_is_repeated() -> None:
    series = Recurrence.begin("FREQ=DAILY", "America/New_York", local(2026, 10, 31, 1, 30))
    days = series.between(series.start, series.start + timedelta(days=3))
    assert [d.astimezone(UTC).isoformat() for d in days] == [
        "2026-10-31T05:30:00+00:00",
        "2026-11-01T05:30:00+00:00",  # 01:30 daylight time, the first of the two
        "2026-11-02T06:30:00+00:00",
    ]


def test_a_weekly_rule_keeps_its_local_time_in_another_zone() -> None:
    series = Recurrence.begin(
        "FREQ=WEEKLY;BYDAY=MO", "America/Chicago", datetime(2026, 10, 26, 14, tzinfo=UTC)
    )
    assert [d.hour for d in walls(series, series.start, 3)] == [9, 9, 9]


def test_count_and_until_end_the_series() -> None:
    counted = Recurrence.begin("FREQ=WEEKLY;BYDAY=TU;COUNT=2", "America/New_York", local(2026, 11, 3))
    second = counted.after(counted.start)
    assert second is not None and counted.after(second) is None
    until = Recurrence.begin("FREQ=DAILY;UNTIL=20261105", "America/New_York", local(2026, 11, 3, 23))
    assert [d.day for d in walls(until, until.start, 10)] == [3, 4, 5]
    assert until_local_date(until.rule, until.zone) == date(2026, 11, 5)


def test_no_occurrence_left_after_the_chosen_time_is_refused() -> None:
    with pytest.raises(RecurrenceError, match="no occurrence on or after"):
        Recurrence.begin("FREQ=DAILY;UNTIL=20260101", "UTC", datetime(2026, 6, 1, tzinfo=UTC))


def test_stored_text_reads_back_and_a_bare_rule_is_anchored_in_utc() -> None:
    series = Recurrence.begin("FREQ=MONTHLY;BYDAY=3TU", "America/New_York", local(2026, 11, 17))
    assert Recurrence.from_text(series.to_text(), datetime(2000, 1, 1, tzinfo=UTC)) == series
    anchor = datetime(2026, 11, 17, 14, tzinfo=UTC)
    bare = Recurrence.from_text("FREQ=MONTHLY;BYDAY=3TU", anchor)
    assert (bare.zone, bare.start, bare.after(anchor)) == (
        "UTC",
        anchor,
        datetime(2026, 12, 15, 14, tzinfo=UTC),
    )
    utc = Recurrence("FREQ=DAILY", "UTC", anchor)
    assert utc.to_text() == "DTSTART:20261117T140000Z\nRRULE:FREQ=DAILY"
    assert Recurrence.from_text(utc.to_text(), anchor) == utc
    with pytest.raises(RecurrenceError, match="not a DTSTART line"):
        Recurrence.from_text("DTSTART;VALUE=DATE:20261117\nRRULE:FREQ=DAILY", anchor)


def test_day_helpers_follow_the_wall_clock() -> None:
    assert day_start(date(2026, 11, 1), "America/New_York") == datetime(2026, 11, 1, 4, tzinfo=UTC)
    evening = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 19:30 in New York
    assert next_day_at(evening, "America/New_York", time(8)) == datetime(2026, 11, 1, 13, tzinfo=UTC)


ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu")


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)),
    hour=st.integers(min_value=5, max_value=22),  # not in the hour the clocks change
    rule=st.sampled_from(
        ("FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=MONTHLY;BYDAY=2WE", "FREQ=MONTHLY;BYMONTHDAY=-1")
    ),
)
def test_every_occurrence_keeps_the_first_ones_wall_time(
    zone: str, start: datetime, hour: int, rule: str
) -> None:
    tz = ZoneInfo(zone)
    wanted = start.replace(hour=hour, minute=15, second=0, microsecond=0, tzinfo=tz)
    series = Recurrence.begin(rule, zone, wanted)
    found = series.between(series.start, series.start + timedelta(days=400), limit=40)
    assert found[0] >= wanted.astimezone(UTC)
    assert all(a < b for a, b in pairwise(found))
    assert {(d.astimezone(tz).hour, d.astimezone(tz).minute) for d in found} == {(hour, 15)}
    assert all(series.after(a) == b for a, b in pairwise(found))
