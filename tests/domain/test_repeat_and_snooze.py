"""The repeat picker's choices as RRULEs and in words; snooze times; due buckets; derived keys."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pm_desk.domain.recurrence import RecurrenceError, normalize_rule
from pm_desk.domain.reminders import (
    SnoozeChoice,
    bucket,
    derived_key,
    due_instant,
    end_of_day,
    is_derived_key,
    snooze_until,
    start_of_day,
)
from pm_desk.domain.repeat import RepeatChoice, default_choice, describe, from_rule, to_rule

NY = "America/New_York"


@pytest.mark.parametrize(
    ("choice", "rule", "words"),
    [
        (RepeatChoice("daily"), "FREQ=DAILY", "Daily"),
        (RepeatChoice("daily", interval=3), "FREQ=DAILY;INTERVAL=3", "Every 3 days"),
        (RepeatChoice("weekly", weekdays=(0, 4)), "FREQ=WEEKLY;BYDAY=MO,FR", "Weekly on Monday and Friday"),
        (
            RepeatChoice("weekly", interval=2, weekdays=(0, 2, 4)),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR",
            "Every 2 weeks on Monday, Wednesday and Friday",
        ),
        (
            RepeatChoice("monthly", monthly_by="weekday", nth=3, weekday=1),
            "FREQ=MONTHLY;BYDAY=3TU",
            "Monthly on the third Tuesday",
        ),
        (
            RepeatChoice("monthly", monthly_by="weekday", nth=-1, weekday=4, ends="after", count=6),
            "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6",
            "Monthly on the last Friday, 6 times",
        ),
        (
            RepeatChoice("monthly", monthly_by="day", month_day=31),
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "Monthly on day 31",
        ),
        (
            RepeatChoice("monthly", monthly_by="day", month_day=-1, ends="after", count=1),
            "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=1",
            "Monthly on the last day, once",
        ),
        (
            RepeatChoice("yearly", month=10, month_day=1, ends="on", until=date(2030, 10, 1)),
            "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1;UNTIL=20301001",
            "Yearly on 1 October, until 2030-10-01",
        ),
    ],
)
def test_choices_are_rules_and_read_back(choice: RepeatChoice, rule: str, words: str) -> None:
    assert to_rule(choice) == rule
    stored = normalize_rule(rule, NY)
    until = date(2030, 10, 1) if choice.until else None
    assert from_rule(stored, until) == choice
    assert describe(stored, until) == words


@pytest.mark.parametrize(
    ("choice", "problem"),
    [
        (RepeatChoice("weekly", weekdays=()), "choose at least one day of the week"),
        (RepeatChoice("hourly"), "is not daily, weekly, monthly or yearly"),
        (RepeatChoice("daily", interval=0), "repeat every 1 to 1,000 periods"),
        (RepeatChoice("daily", ends="on"), "choose the last date"),
        (RepeatChoice("daily", ends="after", count=0), "end after 1 to 10,000 times"),
        (RepeatChoice("monthly", monthly_by="day", month_day=-3), "the day of the month"),
    ],
)
def test_incomplete_choices_say_what_is_missing(choice: RepeatChoice, problem: str) -> None:
    assert problem in (choice.problem() or "")
    with pytest.raises(RecurrenceError, match=problem):
        to_rule(choice)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=1MO,3MO",
        "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
        "FREQ=HOURLY",
        "FREQ=WEEKLY",
    ],
)
def test_rules_the_picker_cannot_show_are_custom(rule: str) -> None:
    assert from_rule(rule) is None
    assert describe(rule) == f"Custom: {rule}"


def test_weekdays_are_written_in_week_order() -> None:
    assert to_rule(RepeatChoice("weekly", weekdays=(4, 0, 4))) == "FREQ=WEEKLY;BYDAY=MO,FR"


def test_no_rule_does_not_repeat_and_the_picker_opens_on_the_start() -> None:
    assert describe(None) == "Does not repeat"
    choice = default_choice(datetime(2026, 11, 17, 9), "monthly")  # the third Tuesday
    assert (choice.nth, choice.weekday, choice.weekdays, choice.month_day) == (3, 1, (1,), 17)
    assert default_choice(datetime(2026, 10, 30, 9)).nth == -1  # the fifth Friday: "last"


@given(
    st.builds(
        RepeatChoice,
        frequency=st.sampled_from(("daily", "weekly", "monthly", "yearly")),
        interval=st.integers(1, 12),
        weekdays=st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(
            lambda d: tuple(sorted(d))
        ),
        monthly_by=st.sampled_from(("day", "weekday")),
        month_day=st.sampled_from((1, 15, 28, -1)),
        nth=st.sampled_from((1, 2, 3, 4, -1)),
        weekday=st.integers(0, 6),
        month=st.integers(1, 12),
        ends=st.sampled_from(("never", "after")),
        count=st.integers(1, 50),
    )
)
def test_every_choice_survives_a_round_trip(choice: RepeatChoice) -> None:
    rule = normalize_rule(to_rule(choice), NY)
    back = from_rule(rule)
    assert back is not None
    assert to_rule(back) == to_rule(choice)
    assert not describe(rule).startswith("Custom")


def test_snooze_choices() -> None:
    now = datetime(2026, 10, 31, 23, 50, tzinfo=UTC)  # 19:50 in New York
    assert snooze_until(SnoozeChoice.QUARTER_HOUR, now, NY) == datetime(2026, 11, 1, 0, 5, tzinfo=UTC)
    assert snooze_until("1h", now, NY) == datetime(2026, 11, 1, 0, 50, tzinfo=UTC)
    # Tomorrow 08:00 on the wall clock: the clocks go back that night, so it is 13:00 UTC.
    assert snooze_until(SnoozeChoice.TOMORROW, now, NY) == datetime(2026, 11, 1, 13, tzinfo=UTC)
    with pytest.raises(ValueError):
        snooze_until("2d", now, NY)


def test_buckets_on_the_persons_calendar() -> None:
    now = datetime(2026, 10, 31, 16, tzinfo=UTC)  # Saturday 12:00 in New York
    at = lambda *args: datetime(*args, tzinfo=UTC)  # noqa: E731
    assert bucket(at(2026, 10, 31, 15, 59), now, NY) == "overdue"
    assert bucket(now, now, NY) == "overdue"
    assert bucket(at(2026, 11, 1, 3, 59), now, NY) == "today"  # 23:59 in New York
    assert bucket(at(2026, 11, 1, 4, 1), now, NY) == "week"
    assert bucket(at(2026, 11, 7, 3, 59), now, NY) == "week"  # Friday 23:59: six days on
    assert bucket(at(2026, 11, 7, 12), now, NY) == "later"
    midnight, whole = due_instant(date(2026, 10, 31), NY)
    assert (midnight, whole) == (datetime(2026, 10, 31, 4, tzinfo=UTC), True)
    assert bucket(midnight, now, NY, all_day=True) == "today"  # a date rule due today is not overdue yet
    assert bucket(due_instant(date(2026, 10, 30), NY)[0], now, NY, all_day=True) == "overdue"
    assert start_of_day(now, NY) == midnight
    assert end_of_day(now, NY) == datetime(2026, 11, 1, 4, tzinfo=UTC)


def test_derived_keys_name_rule_record_and_due() -> None:
    instant = datetime(2026, 11, 2, 17, 30, tzinfo=UTC)
    assert derived_key("refresher", "abc", date(2026, 11, 15)) == "refresher:abc:2026-11-15"
    assert derived_key("hold", "abc", instant) == "hold:abc:2026-11-02T17:30:00Z"
    assert is_derived_key("refresher:abc:2026-11-15")
    assert not is_derived_key("01a20870-f0db-74b3-a578-3e623382ba9c")
    assert due_instant(instant, NY) == (instant, False)
