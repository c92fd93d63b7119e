"""Small helpers every service uses to load, check and change records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

# The name limit is the domain's; services that name it from here keep doing so.
from pm_desk.domain.validation import MAX_NAME as MAX_NAME
from pm_desk.domain.validation import Problem, future_problem, text_problems, year_problems
from pm_desk.services.errors import Conflict, NotFound, Problems
from pm_desk.store.models import Record
from pm_desk.store.uow import UnitOfWork

R = TypeVar("R", bound=Record)

MAX_TEXT = 2000


def load(uow: UnitOfWork, model: type[R], record_id: str, what: str) -> R:
    record = uow.get(model, record_id)
    if record is None:
        raise NotFound(f"the {what} was not found (it may have been deleted)")
    return record


def check_version(record: Record, expected_version: int | None, what: str) -> None:
    """Refuse an edit made on a copy older than the stored record, or on no known copy: a save
    that did not say which version it was made on could silently undo someone else's change."""
    if expected_version is None:
        raise Conflict(
            f"a change of the {what} must say which version of it was changed; reload it and make "
            "your change again"
        )
    if record.version != expected_version:
        raise Conflict(
            f"the {what} was changed by someone else since you opened it (now version "
            f"{record.version}, yours {expected_version}); reload it and make your change again"
        )


def apply_changes(record: Record, changes: Mapping[str, Any], allowed: frozenset[str], what: str) -> bool:
    """Set the given attributes; returns whether anything actually changed."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))} of a {what}")
    changed = False
    for key, value in changes.items():
        if getattr(record, key) != value:
            setattr(record, key, value)
            changed = True
    return changed


def clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def check_text(problems: Problems, field: str, value: str | None, limit: int = MAX_TEXT) -> None:
    for message in text_problems(value, limit):
        problems.add(field, message)


def check_order(
    problems: Problems,
    earlier_field: str,
    earlier: date | datetime | None,
    later_field: str,
    later: date | datetime | None,
    message: str | None = None,
) -> None:
    if earlier is not None and later is not None and later < earlier:
        problems.add(later_field, message or f"cannot be before {earlier_field.replace('_', ' ')}")


def check_years(problems: Problems, **days: date | datetime | None) -> None:
    """Each named date or instant within the years records are kept for (domain/validation.py)."""
    add_problems(problems, year_problems(**days))


def check_not_future(problems: Problems, field: str, value: date | None, today: date) -> None:
    message = future_problem(value, today)
    if message is not None:
        problems.add(field, message)


def add_problems(problems: Problems, found: Iterable[Problem], suffix: str = "") -> None:
    """The domain's problems under the form's field names: a form names the domain's `signed`
    date `signed_on`, so it passes the suffix `_on`."""
    for problem in found:
        problems.add(f"{problem.field}{suffix}", problem.message)
