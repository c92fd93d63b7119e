"""Dates and instants typed by people: what is read, and the sentence for what is not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pm_desk.timeparse import OutsideYears, TimeParseError, parse_date, parse_instant


def test_a_date_and_an_instant_are_read() -> None:
    assert parse_date(" 2026-10-31 ") == date(2026, 10, 31)
    assert parse_instant("2026-10-31") == datetime(2026, 10, 31, tzinfo=UTC)
    assert parse_instant("2026-10-31T09:05:00-05:00") == datetime(2026, 10, 31, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0001-01-01", "when: 0001-01-01 is in the year 0001; dates lie between 1900 and 2100"),
        ("9999-12-31", "when: 9999-12-31 is in the year 9999; dates lie between 1900 and 2100"),
        ("1899-12-31", "when: 1899-12-31 is in the year 1899; dates lie between 1900 and 2100"),
    ],
)
def test_a_date_outside_the_years_of_records_is_refused(text: str, message: str) -> None:
    with pytest.raises(OutsideYears) as refused:
        parse_date(text, "when")
    assert str(refused.value) == message
    with pytest.raises(OutsideYears):
        parse_instant(text, "when")


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-05:00",  # past the last instant Python knows once in UTC
        "0001-01-01T00:00:00+05:00",  # before the first
        "2100-12-31T23:00:00-05:00",  # 2101 in UTC
        "1900-01-01T00:00:00+01:00",  # 1899 in UTC
    ],
)
def test_an_instant_outside_the_years_of_records_is_refused_never_overflows(text: str) -> None:
    with pytest.raises(OutsideYears) as refused:
        parse_instant(text, "at")
    assert "dates lie between 1900 and 2100" in str(refused.value)


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "", "2026-10-31T12:00"])
def test_text_that_is_no_date_is_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_instant(text, "at")
