"""Reading dates and instants typed by people, with messages that say what was expected.

A date outside the years PM Desk keeps records of (domain/validation.py) is refused here too, so
a mistyped year never reaches date arithmetic that would overflow.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from pm_desk.domain.validation import year_problem


class TimeParseError(ValueError):
    pass


class OutsideYears(TimeParseError):
    """A real date or instant in a year no record may lie in; `problem` says so without the value."""

    def __init__(self, what: str, value: str, problem: str) -> None:
        super().__init__(f"{what}: {value} {problem}")
        self.problem = problem


def parse_date(text: str, what: str = "date") -> date:
    value = text.strip()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise TimeParseError(f"{what}: {value!r} is not a date like 2026-10-31") from None
    if problem := year_problem(day):
        raise OutsideYears(what, value, problem)
    return day


def parse_instant(text: str, what: str = "instant", local: tzinfo | None = None) -> datetime:
    """An instant like `2026-10-31T14:05:00Z` or with an offset; a bare date means 00:00 UTC.

    A time without a zone is read in `local` when given, else refused (it would be ambiguous).
    """
    value = text.strip()
    if not value:
        raise TimeParseError(f"{what}: empty")
    if len(value) == 10:
        day = parse_date(value, what)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise TimeParseError(
            f"{what}: {value!r} is not a date or an instant like 2026-10-31T14:05:00Z"
        ) from None
    if parsed.tzinfo is None:
        if local is None:
            raise TimeParseError(f"{what}: {value!r} has no time zone; add Z or an offset like -05:00")
        parsed = parsed.replace(tzinfo=local)
    try:
        instant = parsed.astimezone(UTC)
    except OverflowError:  # an offset that moves the first or last instant Python knows past it
        instant = parsed.replace(tzinfo=None)
    if problem := year_problem(instant):
        raise OutsideYears(what, value, problem)
    return instant
