"""The value checks the services and the importers share, at their boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pm_desk.domain.enums import EQUIPMENT_STAGES, AgreementStatus, Role
from pm_desk.domain.validation import (
    MAX_CAPACITY,
    MAX_JAIL_BEDS,
    MAX_QUANTITY,
    NUL_CHARACTER,
    Problem,
    agreement_date_problems,
    capacity_problem,
    equipment_stage_problems,
    field_office_problem,
    finding_date_problems,
    future_problem,
    jail_beds_problem,
    outside,
    quantity_problem,
    text_problems,
    too_long,
    transfer_time_problems,
    year_problem,
    year_problems,
)

DAY = date(2026, 3, 1)
BEFORE, AFTER = DAY - timedelta(days=1), DAY + timedelta(days=1)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        (None, 5, []),
        ("", 5, []),
        ("abcd", 5, []),
        ("abcde", 5, []),
        ("abcdef", 5, ["is 6 characters long; at most 5 fit"]),
        ("a\x00b", 5, [NUL_CHARACTER]),
        ("a\x00bcdef", 5, ["is 7 characters long; at most 5 fit", NUL_CHARACTER]),
        ("x" * 20_001, 20_000, ["is 20,001 characters long; at most 20,000 fit"]),
    ],
)
def test_text_fits_its_field(text: str | None, limit: int, expected: list[str]) -> None:
    assert text_problems(text, limit) == expected


def test_too_long_groups_thousands() -> None:
    assert too_long(10_485_760, 20_000) == "is 10,485,760 characters long; at most 20,000 fit"


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-1, False), (0, False), (1, True), (2, True), (9_999, True), (10_000, True), (10_001, False)],
)
def test_quantity_between_one_and_ten_thousand(value: int, expected: bool) -> None:
    assert MAX_QUANTITY == 10_000
    assert quantity_problem(value) == (None if expected else "must be between 1 and 10,000")


@pytest.mark.parametrize(
    ("beds", "expected"),
    [
        (None, None),
        (-1, "must be between 0 and 100,000"),
        (0, None),
        (1, None),
        (MAX_JAIL_BEDS, None),
        (MAX_JAIL_BEDS + 1, "must be between 0 and 100,000"),
    ],
)
def test_jail_beds_may_be_unknown_or_zero(beds: int | None, expected: str | None) -> None:
    assert jail_beds_problem(beds) == expected


@pytest.mark.parametrize(
    ("capacity", "ok"),
    [
        (None, True),
        (-0.5, False),
        (0.0, False),
        (0.01, True),
        (12.0, True),
        (MAX_CAPACITY, True),
        (100.01, False),
    ],
)
def test_capacity_above_zero_and_at_most_one_hundred(capacity: float | None, ok: bool) -> None:
    expected = None if ok else "must be above 0 and at most 100 workload units"
    assert capacity_problem(capacity) == expected


@given(st.integers(), st.integers(min_value=-1000, max_value=1000), st.integers(min_value=0, max_value=1000))
def test_outside_is_the_complement_of_the_range(value: int, low: int, width: int) -> None:
    high = low + width
    assert (outside(value, low, high) is None) == (low <= value <= high)


# --- people ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "has_office", "expected"),
    [
        (Role.MANAGER, False, "a manager belongs to a field office"),
        (Role.SUPERVISOR, False, "a supervisor belongs to a field office"),
        (Role.MANAGER, True, None),
        (Role.SUPERVISOR, True, None),
        (Role.STAFF, False, None),
        (Role.ADMIN, False, None),
        (None, False, None),
    ],
)
def test_managers_and_supervisors_belong_to_a_field_office(
    role: Role | None, has_office: bool, expected: str | None
) -> None:
    assert field_office_problem(role, has_office) == expected


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (None, None),
        (BEFORE, None),
        (DAY, None),
        (AFTER, "is in the future (2026-03-02); record it when it has happened"),
    ],
)
def test_a_date_that_has_happened_is_not_after_today(day: date | None, expected: str | None) -> None:
    assert future_problem(day, DAY) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (None, None),
        (date(1899, 12, 31), "is in the year 1899; dates lie between 1900 and 2100"),
        (date(1900, 1, 1), None),
        (date(2100, 12, 31), None),
        (date(2101, 1, 1), "is in the year 2101; dates lie between 1900 and 2100"),
        (date(1, 1, 1), "is in the year 0001; dates lie between 1900 and 2100"),
        (date(9999, 12, 31), "is in the year 9999; dates lie between 1900 and 2100"),
        (datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC), None),
        (
            datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
            "is in the year 9999; dates lie between 1900 and 2100",
        ),
    ],
)
def test_dates_lie_between_1900_and_2100(day: date | None, expected: str | None) -> None:
    assert year_problem(day) == expected


@given(st.dates())
def test_the_year_range_is_the_only_rule(day: date) -> None:
    assert (year_problem(day) is None) == (1900 <= day.year <= 2100)


def test_year_problems_name_their_fields() -> None:
    found = year_problems(signed_on=date(1, 1, 1), effective_on=DAY, expires_on=date(2200, 1, 1), notes=None)
    assert [p.field for p in found] == ["signed_on", "expires_on"]


def _agreement(
    status: AgreementStatus = AgreementStatus.ACTIVE,
    application_received: date | None = None,
    signed: date | None = DAY,
    effective: date | None = None,
    expires: date | None = None,
) -> list[Problem]:
    return agreement_date_problems(
        status,
        application_received=application_received,
        signed=signed,
        effective=effective,
        expires=expires,
    )


@pytest.mark.parametrize("status", list(AgreementStatus))
def test_a_signed_agreement_needs_its_signed_date(status: AgreementStatus) -> None:
    signed = {AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED}
    expected = [Problem("signed", f"an agreement that is {status.value} needs its signed date")]
    assert _agreement(status, signed=None) == (expected if status in signed else [])
    assert _agreement(status, signed=DAY) == []


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({"application_received": DAY}, []),
        ({"application_received": BEFORE}, []),
        ({"application_received": AFTER}, [("signed", "cannot be before the application was received")]),
        ({"effective": DAY}, []),
        ({"effective": AFTER}, []),
        ({"effective": BEFORE}, [("effective", "cannot be before it was signed")]),
        ({"expires": DAY}, []),
        ({"expires": BEFORE}, [("expires", "cannot be before it took effect")]),
        # Without an effective date the agreement takes effect when signed.
        ({"effective": AFTER, "expires": AFTER}, []),
        ({"effective": AFTER, "expires": DAY}, [("expires", "cannot be before it took effect")]),
        (
            {"signed": None, "effective": AFTER, "expires": DAY},
            [("expires", "cannot be before it took effect")],
        ),
        ({"signed": None, "application_received": AFTER, "expires": BEFORE}, []),
        (
            {"application_received": AFTER, "effective": BEFORE, "expires": BEFORE - timedelta(days=1)},
            [
                ("signed", "cannot be before the application was received"),
                ("effective", "cannot be before it was signed"),
                ("expires", "cannot be before it took effect"),
            ],
        ),
    ],
)
def test_agreement_dates_in_order(dates: dict[str, date | None], expected: list[tuple[str, str]]) -> None:
    found = _agreement(AgreementStatus.APPLICANT, **dates)  # type: ignore[arg-type]
    assert found == [Problem(*p) for p in expected]


def _stages(*days: date | None) -> dict[str, date | None]:
    return dict(zip(EQUIPMENT_STAGES, days, strict=False))


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        (_stages(), []),
        (_stages(DAY, DAY, DAY, DAY, DAY), []),
        (_stages(BEFORE, DAY, AFTER), []),
        (_stages(DAY, BEFORE), [("ordered", "cannot be before the requested date (2026-03-01)")]),
        # An empty stage is skipped: a later one is compared with the last dated one.
        (_stages(DAY, None, BEFORE), [("shipped", "cannot be before the requested date (2026-03-01)")]),
        (_stages(None, None, None, None, DAY), []),
        (
            _stages(AFTER, DAY, BEFORE),
            [
                ("ordered", "cannot be before the requested date (2026-03-02)"),
                ("shipped", "cannot be before the ordered date (2026-03-01)"),
            ],
        ),
    ],
)
def test_a_table_dates_stages_in_order(
    stages: dict[str, date | None], expected: list[tuple[str, str]]
) -> None:
    assert equipment_stage_problems(stages) == [Problem(*p) for p in expected]


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        (_stages(BEFORE, DAY), []),
        (_stages(DAY, AFTER), [("ordered", "is in the future (2026-03-02); record it when it has happened")]),
        (_stages(None, DAY), [("ordered", "record the requested date first")]),
        (_stages(DAY, None, None, DAY), [("delivered", "record the shipped date first")]),
        (
            _stages(AFTER, None, BEFORE),
            [
                ("requested", "is in the future (2026-03-02); record it when it has happened"),
                ("shipped", "record the ordered date first"),
                ("shipped", "cannot be before the requested date (2026-03-02)"),
            ],
        ),
    ],
)
def test_the_editor_records_stages_as_they_happen(
    stages: dict[str, date | None], expected: list[tuple[str, str]]
) -> None:
    found = equipment_stage_problems(stages, today=DAY, in_sequence=True)
    assert found == [Problem(*p) for p in expected]


@given(st.lists(st.dates(date(2020, 1, 1), date(2030, 1, 1)), min_size=5, max_size=5))
def test_sorted_stages_are_always_in_order(days: list[date]) -> None:
    assert equipment_stage_problems(_stages(*sorted(days)), in_sequence=True) == []


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ({}, []),
        ({"encounter_on": DAY, "detainer_issued_at": at(DAY, 0)}, []),
        (
            {"encounter_on": DAY, "detainer_issued_at": at(BEFORE, 23)},
            [("detainer_issued_at", "cannot be before the encounter")],
        ),
        ({"encounter_on": DAY, "release_eligible_at": at(DAY, 0)}, []),
        (
            {"encounter_on": DAY, "release_eligible_at": at(BEFORE)},
            [("release_eligible_at", "cannot be before the encounter")],
        ),
        ({"detainer_issued_at": at(DAY), "pickup_at": at(DAY)}, []),
        (
            {"detainer_issued_at": at(DAY), "pickup_at": at(DAY) - timedelta(seconds=1)},
            [("pickup_at", "cannot be before the detainer was issued")],
        ),
        (
            {"detainer_issued_at": at(DAY), "released_at": at(BEFORE)},
            [("released_at", "cannot be before the detainer was issued")],
        ),
        ({"pickup_at": at(BEFORE), "released_at": at(BEFORE)}, []),
    ],
)
def test_transfer_times_in_order(times: dict[str, object], expected: list[tuple[str, str]]) -> None:
    assert transfer_time_problems(**times) == [Problem(*p) for p in expected]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("held_on", "due", "closed", "expected"),
    [
        (DAY, DAY, DAY, []),
        (DAY, AFTER, AFTER, []),
        (DAY, BEFORE, None, ["corrective_due"]),
        (DAY, None, BEFORE, ["closed_on"]),
        (DAY, BEFORE, BEFORE, ["corrective_due", "closed_on"]),
        (None, BEFORE, BEFORE, []),
    ],
)
def test_findings_not_due_or_closed_before_the_inspection(
    held_on: date | None, due: date | None, closed: date | None, expected: list[str]
) -> None:
    found = finding_date_problems(held_on, corrective_due=due, closed_on=closed)
    assert found == [Problem(f, "cannot be before the inspection") for f in expected]
