"""One cell of an interchange table: read into a typed value, or written out.

Reading is strict and says what was expected: ISO dates (`2026-10-31`), instants with a zone
(`2026-10-31T14:05:00Z`), the allowed words of an enum. Text a spreadsheet would run as a
formula is written with a leading apostrophe, and that apostrophe is taken off again on import,
so an export read back gives the same text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pm_desk.domain.keys import instant_key, state_code
from pm_desk.domain.validation import NUL_CHARACTER, too_long, year_problem
from pm_desk.interchange.problems import shown
from pm_desk.interchange.tables import Column, Kind
from pm_desk.tabular import FORMULA_STARTS
from pm_desk.timeparse import OutsideYears, TimeParseError, parse_instant

_ESCAPED_STARTS = (*FORMULA_STARTS, "'")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]{1,12}")


class Unreadable:
    """A cell the reader already reported (a formula, a spreadsheet error): no value, no more noise."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = Unreadable()
# The problem of a cell the reader already reported: the row is refused without a second message.
ALREADY_REPORTED = ""


def escape(text: str) -> str:
    """Text no spreadsheet runs: a leading apostrophe before =, +, -, @ (and before an apostrophe,
    so that `unescape` can tell the two apart)."""
    return "'" + text if text.startswith(_ESCAPED_STARTS) else text


def unescape(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_ESCAPED_STARTS):
        return text[1:]
    return text


def choice_text(choices: type[StrEnum]) -> str:
    return ", ".join(m.value for m in choices)


def parse_enum(choices: type[StrEnum], text: str) -> StrEnum | None:
    """A member by its value, in any case, with spaces or hyphens for underscores."""
    word = re.sub(r"[\s\-]+", "_", text.strip().lower())
    for member in choices:
        if member.value == word:
            return member
    return None


def _text_of(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return instant_key(raw if raw.tzinfo else raw.replace(tzinfo=UTC))
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


Parser = Callable[[object], tuple[Any, str | None]]


def parser_for(column: Column) -> Parser:
    """The reader of one column's cells, chosen once per column rather than once per cell."""
    typed = _TYPED.get(column.kind)
    typed_text = _TYPED_TEXT.get(column.kind, typed)
    text_rule = None if typed else _text_rule(column)
    required, default, limit = column.required, column.default, column.max_len

    def parse(raw: object) -> tuple[Any, str | None]:
        if type(raw) is str:  # every CSV cell: the short way
            text = raw.strip()
            if not text:
                return (None, "is required but empty") if required else (default, None)
            if "\x00" in text:
                return None, NUL_CHARACTER
            if typed_text is not None:
                return typed_text(text)
            text = unescape(text)
            if len(text) > limit:
                return None, too_long(len(text), limit)
            return text_rule(text) if text_rule is not None else (text, None)
        if raw is UNREADABLE:
            return None, ALREADY_REPORTED
        if raw is None or raw == "" or (isinstance(raw, str) and not raw.strip()):
            if required:
                return None, "is required but empty"
            return default, None
        if isinstance(raw, str) and "\x00" in raw:
            return None, NUL_CHARACTER
        if typed is not None:
            return typed(raw)
        text = unescape((raw if isinstance(raw, str) else _text_of(raw)).strip())
        if len(text) > limit:
            return None, too_long(len(text), limit)
        return text_rule(text) if text_rule is not None else (text, None)

    return parse


def _text_rule(column: Column) -> Parser | None:
    kind = column.kind
    if kind is Kind.NAME:
        return lambda text: (" ".join(str(text).split()), None)
    if kind is Kind.EMAIL:
        return _email
    if kind is Kind.STATE:
        return _state
    if kind is Kind.ENUM:
        choices = column.choices
        assert choices is not None
        by_value = {m.value: m for m in choices}
        allowed = choice_text(choices)

        def enum(text: object) -> tuple[Any, str | None]:
            member = by_value.get(str(text)) or parse_enum(choices, str(text))
            if member is None:
                return None, f"{shown(text)} is not one of: {allowed}"
            return member, None

        return enum
    return None


def _email(raw: object) -> tuple[str | None, str | None]:
    text = str(raw)
    if "@" not in text or any(c.isspace() for c in text) or text.startswith("@") or text.endswith("@"):
        return None, f"{shown(text)} is not an email address"
    return text, None


@lru_cache(maxsize=4096)
def _state(raw: object) -> tuple[str | None, str | None]:
    code = state_code(str(raw))
    if code is None:
        return None, f"{shown(raw)} is not a US state or territory (use the two-letter code, like FL)"
    return code, None


def _typed(raw: object) -> str:
    """A cell as it was typed, for a message: dates and date-times of a workbook in ISO form."""
    if isinstance(raw, datetime):
        if raw.tzinfo is None or raw.utcoffset() == timedelta(0):
            return raw.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
        return raw.isoformat(timespec="seconds")
    if isinstance(raw, date):
        return raw.isoformat()
    return _text_of(raw).strip()


def _in_years(value: Any, raw: object) -> tuple[Any, str | None]:
    """The date or instant read, unless its year lies outside the years records are kept for."""
    if problem := year_problem(value):
        return None, f"{shown(_typed(raw))} {problem}"
    return value, None


def _date(raw: object) -> tuple[date | None, str | None]:
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            return None, f"{shown(_text_of(raw))} has a time of day; a date like 2026-10-31 is expected"
        return _in_years(raw.date(), raw.date())
    if isinstance(raw, date):
        return _in_years(raw, raw)
    return _date_text(_text_of(raw).strip())


def _instant(raw: object) -> tuple[datetime | None, str | None]:
    if isinstance(raw, datetime):
        # A workbook has no time zones: its date-times are UTC, as PM Desk writes them.
        if problem := year_problem(raw):  # before any arithmetic, which would overflow at 9999
            return None, f"{shown(_typed(raw))} {problem}"
        value = raw if raw.tzinfo else raw.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        rounded = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
        return _in_years(rounded, raw)
    if isinstance(raw, date):
        return _in_years(datetime(raw.year, raw.month, raw.day, tzinfo=UTC), raw)
    text = _text_of(raw).strip()
    if len(text) > 40:
        return None, f"{shown(text)} is not an instant like 2026-10-31T14:05:00Z"
    try:
        return parse_instant(text, ""), None
    except OutsideYears as exc:
        return None, f"{shown(text)} {exc.problem}"
    except TimeParseError as exc:
        message = str(exc).removeprefix(": ")
        if "has no time zone" not in message:
            message = f"{shown(text)} is not an instant like 2026-10-31T14:05:00Z (or with an offset)"
        return None, message
    except (ValueError, OverflowError):
        return None, f"{shown(text)} is not an instant like 2026-10-31T14:05:00Z"


def _date_text(text: object) -> tuple[date | None, str | None]:
    if _ISO_DATE.fullmatch(str(text)):
        try:
            return _in_years(date.fromisoformat(str(text)), text)
        except ValueError:
            return None, f"{shown(text)} is not a real date"
    return None, f"{shown(text)} is not a date like 2026-10-31"


def _instant_text(text: object) -> tuple[datetime | None, str | None]:
    """`2026-10-31T14:05:00Z` and the like straight away; anything else the long way."""
    if len(str(text)) <= 40:
        try:
            value = datetime.fromisoformat(str(text))
        except ValueError:
            return _instant(text)
        if value.tzinfo is not None and not year_problem(value):
            return _in_years(value.astimezone(UTC), text)
    return _instant(text)


def _int(raw: object) -> tuple[int | None, str | None]:
    if isinstance(raw, bool):
        return None, f"{shown(raw)} is not a whole number"
    if isinstance(raw, int):
        return raw, None
    if isinstance(raw, float):
        if math.isfinite(raw) and raw.is_integer():
            return int(raw), None
        return None, f"{shown(raw)} is not a whole number"
    text = _text_of(raw).strip().replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not _INTEGER.fullmatch(text):
        return None, f"{shown(_text_of(raw).strip())} is not a whole number"
    return int(text), None


def _float(raw: object) -> tuple[float | None, str | None]:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = _text_of(raw).strip()
        try:
            value = float(text) if len(text) <= 40 else math.nan
        except ValueError:
            value = math.nan
        if math.isnan(value):
            return None, f"{shown(text)} is not a number"
    if not math.isfinite(value):
        return None, f"{shown(raw)} is not a number"
    return value, None


# --- writing ------------------------------------------------------------------------------------


def csv_text(value: Any) -> str:
    """A value as the CSV files carry it."""
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return instant_key(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return escape(str(value))


def xlsx_value(value: Any) -> Any:
    """A value as a workbook cell holds it: real dates, date-times in UTC, numbers, escaped text."""
    if value is None:
        return None
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    if isinstance(value, date | int | float):
        return value
    return escape(str(value))


_TYPED_TEXT: dict[Kind, Parser] = {Kind.DATE: _date_text, Kind.INSTANT: _instant_text}
_TYPED: dict[Kind, Parser] = {
    Kind.DATE: _date,
    Kind.INSTANT: _instant,
    Kind.INT: _int,
    Kind.FLOAT: _float,
}


def instant_second(value: datetime) -> datetime:
    """An instant to the whole second, in UTC: how the tables compare instants (they show seconds)."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(microsecond=0) if value.microsecond else value
