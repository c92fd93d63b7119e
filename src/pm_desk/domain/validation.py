"""The checks of a record's values that every writer makes, as pure functions of plain values.

The services behind the editors and the importers of the interchange tables call these same
functions, so a rule and its message are written once. A check returns None (or no problems)
when the values are fine, else the sentence to show next to the field. Checks of several fields
return `Problem`s naming the field in the domain's words (`signed`, `shipped`, `pickup_at`); a
form that calls its date fields `signed_on` adds the suffix itself.

Dates are compared only with each other here; whether a date may lie after today is the
caller's choice (an editor records what has happened, an import carries history).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from pm_desk.domain.enums import EQUIPMENT_STAGES, AgreementStatus, Role


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


# --- text ----------------------------------------------------------------------------------------

# How long a text may be, the same in a form and in a table.
MAX_NAME = 200  # a person's name
MAX_AGENCY_NAME = 300  # an agency's name in a table or in ICE's lists
MAX_EMAIL = 254
MAX_BADGE = 40
MAX_RANK = 80
MAX_COURSE = 120
MAX_SUBJECT_REF = 80
MAX_OFFICE_NAME = 200  # the receiving office of a transfer
MAX_LONG_TEXT = 20_000  # notes, summaries, findings and corrective actions

NUL_CHARACTER = "contains a NUL character"


def too_long(length: int, limit: int) -> str:
    """The message for a text of `length` characters where `limit` fit."""
    return f"is {length:,} characters long; at most {limit:,} fit"


def text_problems(text: str | None, limit: int) -> list[str]:
    """What is wrong with a text for a field that holds at most `limit` characters."""
    if text is None:
        return []
    found = []
    if len(text) > limit:
        found.append(too_long(len(text), limit))
    if "\x00" in text:
        found.append(NUL_CHARACTER)
    return found


# --- numbers -------------------------------------------------------------------------------------

MAX_QUANTITY = 10_000  # items of one equipment order
MAX_JAIL_BEDS = 100_000
MAX_CAPACITY = 100.0  # workload units one manager can carry


def outside(value: int, low: int, high: int) -> str | None:
    """None when low ≤ value ≤ high, else the sentence that gives the range."""
    if low <= value <= high:
        return None
    return f"must be between {low:,} and {high:,}"


def quantity_problem(quantity: int) -> str | None:
    return outside(quantity, 1, MAX_QUANTITY)


def jail_beds_problem(beds: int | None) -> str | None:
    return None if beds is None else outside(beds, 0, MAX_JAIL_BEDS)


def capacity_problem(capacity: float | None) -> str | None:
    if capacity is None or 0 < capacity <= MAX_CAPACITY:
        return None
    return f"must be above 0 and at most {MAX_CAPACITY:g} workload units"


# --- people --------------------------------------------------------------------------------------

OFFICE_ROLES = frozenset({Role.MANAGER, Role.SUPERVISOR})


def field_office_problem(role: Role | None, has_field_office: bool) -> str | None:
    """Managers and supervisors belong to a field office; staff and administrators may not."""
    if role in OFFICE_ROLES and not has_field_office:
        return f"a {role.value} belongs to a field office"
    return None


# --- dates ---------------------------------------------------------------------------------------

# The years a record's date may lie in: wide enough for every date of birth and every agreement's
# expiry, narrow enough to catch a mistyped year (0206, 20266) before arithmetic on it overflows.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def year_problem(day: date | datetime | None) -> str | None:
    """A date or instant (an instant by its UTC day) outside the years PM Desk keeps records of."""
    if day is None or EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return None
    return f"is in the year {day.year:04d}; dates lie between {EARLIEST_YEAR} and {LATEST_YEAR}"


def year_problems(**days: date | datetime | None) -> list[Problem]:
    """`year_problem` of each named date, as problems of those fields."""
    return [Problem(name, message) for name, day in days.items() if (message := year_problem(day))]


def future_problem(day: date | None, today: date) -> str | None:
    """A date of something that has happened cannot lie after today."""
    if day is not None and day > today:
        return f"is in the future ({day.isoformat()}); record it when it has happened"
    return None


def _order(
    earlier: date | datetime | None, later_field: str, later: date | datetime | None, message: str
) -> list[Problem]:
    if earlier is not None and later is not None and later < earlier:
        return [Problem(later_field, message)]
    return []


SIGNED_STATUSES = frozenset({AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED})


def agreement_date_problems(
    status: AgreementStatus | None,
    *,
    application_received: date | None,
    signed: date | None,
    effective: date | None,
    expires: date | None,
) -> list[Problem]:
    """A signed agreement has its signed date, and application received ≤ signed ≤ effective ≤
    expires (an agreement without an effective date takes effect when signed)."""
    found = []
    if status is not None and status in SIGNED_STATUSES and signed is None:
        found.append(Problem("signed", f"an agreement that is {status.value} needs its signed date"))
    found += _order(application_received, "signed", signed, "cannot be before the application was received")
    found += _order(signed, "effective", effective, "cannot be before it was signed")
    found += _order(effective or signed, "expires", expires, "cannot be before it took effect")
    return found


def equipment_stage_problems(
    stages: Mapping[str, date | None], *, today: date | None = None, in_sequence: bool = False
) -> list[Problem]:
    """An order's stages (requested → ordered → shipped → delivered → operational) dated in order:
    none before the latest earlier stage that has a date.

    With `today`, no stage lies after it. With `in_sequence`, no stage has a date while an earlier
    one has none: the editor records stages as they happen, whereas a table may leave an earlier
    stage empty (an order known only to be operational is still operational)."""
    found: list[Problem] = []
    previous: tuple[str, date] | None = None
    for index, stage in enumerate(EQUIPMENT_STAGES):
        day = stages.get(stage)
        if day is None:
            continue
        if today is not None and (future := future_problem(day, today)):
            found.append(Problem(stage, future))
        if in_sequence:
            missing = [s for s in EQUIPMENT_STAGES[:index] if stages.get(s) is None]
            if missing:
                found.append(Problem(stage, f"record the {missing[-1]} date first"))
        if previous is not None and day < previous[1]:
            earlier, earlier_day = previous
            found.append(Problem(stage, f"cannot be before the {earlier} date ({earlier_day.isoformat()})"))
        previous = (stage, day)
    return found


def transfer_time_problems(
    *,
    encounter_on: date | None = None,
    detainer_issued_at: datetime | None = None,
    release_eligible_at: datetime | None = None,
    pickup_at: datetime | None = None,
    released_at: datetime | None = None,
) -> list[Problem]:
    """A custody transfer's times in order: the detainer and the end of local custody not before
    the day of the encounter; the pickup or the release not before the detainer was issued."""
    found: list[Problem] = []
    since_encounter = {"detainer_issued_at": detainer_issued_at, "release_eligible_at": release_eligible_at}
    for field, instant in since_encounter.items():
        if encounter_on is not None and instant is not None and instant.date() < encounter_on:
            found.append(Problem(field, "cannot be before the encounter"))
    for field, instant in {"pickup_at": pickup_at, "released_at": released_at}.items():
        found += _order(detainer_issued_at, field, instant, "cannot be before the detainer was issued")
    return found


def finding_date_problems(
    held_on: date | None, *, corrective_due: date | None = None, closed_on: date | None = None
) -> list[Problem]:
    """A finding's corrective action is neither due nor closed before the inspection was held."""
    message = "cannot be before the inspection"
    return _order(held_on, "corrective_due", corrective_due, message) + _order(
        held_on, "closed_on", closed_on, message
    )


# --- identifiers ---------------------------------------------------------------------------------

A_NUMBER_SHAPE = "A followed by 8 or 9 digits"
