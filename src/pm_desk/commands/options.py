"""argparse types that turn a typo into a one-line usage error."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from pm_desk.timeparse import OutsideYears, TimeParseError, parse_date, parse_instant


def instant_argument(text: str) -> datetime:
    try:
        return parse_instant(text, "")
    except TimeParseError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(": ")) from None


def date_argument(text: str) -> date:
    try:
        return parse_date(text, "")
    except TimeParseError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(": ")) from None


def month_argument(text: str) -> date:
    try:
        return parse_date(f"{text.strip()}-01", "")
    except OutsideYears as exc:
        raise argparse.ArgumentTypeError(f"{text.strip()} {exc.problem}") from None
    except TimeParseError:
        raise argparse.ArgumentTypeError(f"{text.strip()!r} is not a month like 2026-10") from None
