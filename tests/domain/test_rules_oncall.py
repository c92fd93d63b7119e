"""On-call fatigue (runs of primary days, short rests) and coverage gaps."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import count, pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules import fatigue, gaps

NEW_YORK = ZoneInfo("America/New_York")
T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
_ids = count(1)


def shift(start: datetime, length: timedelta, person: str = "ana", shift_id: str | None = None) -> ShiftFacts:
    return ShiftFacts(shift_id or f"s{next(_ids)}", "rot-1", person, start, start + length)


def chain(start: datetime, lengths: list[timedelta], person: str = "ana") -> list[ShiftFacts]:
    """Back-to-back shifts of one person, each starting when the one before ends."""
    shifts = []
    for n, length in enumerate(lengths, 1):
        shifts.append(shift(start, length, person, shift_id=f"{person}-{n}"))
        start += length
    return shifts


def of_kind(results: list[RuleResult], kind: str) -> list[RuleResult]:
    return [r for r in results if r.detail["kind"] == kind]


# --- runs of primary days ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lengths", "flagged_on"),
    [
        ([7 * DAY], None),
        ([DAY] * 7, None),
        ([12 * HOUR] * 14, None),
        ([3 * DAY, 4 * DAY], None),
        ([7 * DAY + timedelta(minutes=1)], "ana-1"),
        ([DAY] * 8, "ana-8"),
        ([7 * DAY, 7 * DAY], "ana-2"),
        ([DAY] * 14, "ana-8"),
        ([6 * DAY, 12 * HOUR, 12 * HOUR, 12 * HOUR, DAY], "ana-4"),
    ],
    ids=[
        "one-7-day-shift",
        "seven-1-day-shifts",
        "fourteen-half-days",
        "3-plus-4",
        "7-days-1-minute",
        "eight-days",
        "two-weeks",
        "fourteen-days-once",
        "crossing-mid-chain",
    ],
)
def test_runs_longer_than_seven_days_are_flagged_once(
    policy: Policy, lengths: list[timedelta], flagged_on: str | None
) -> None:
    results = fatigue(chain(T0, lengths), policy)
    runs = of_kind(results, "consecutive")
    assert of_kind(results, "rest") == []
    if flagged_on is None:
        assert runs == []
    else:
        [result] = runs
        assert (result.rule, result.status, result.record, result.record_id) == (
            "fatigue",
            "violation",
            "shift",
            flagged_on,
        )
        assert result.detail["person_id"] == "ana"
        assert result.detail["run_days"] > 7


def test_run_days_are_reported(policy: Policy) -> None:
    [result] = fatigue(chain(T0, [DAY] * 8), policy)
    assert result.detail == {"kind": "consecutive", "person_id": "ana", "run_days": 8.0}
    assert result.due == T0 + 7 * DAY


def test_each_long_run_is_flagged_once(policy: Policy) -> None:
    first = chain(T0, [DAY] * 8, "ana")
    second_start = first[-1].ends_at + 2 * DAY
    second = [shift(second_start + n * DAY, DAY, "ana", f"ana-b{n}") for n in range(9)]
    results = fatigue(second + first, policy)  # order of input does not matter
    assert sorted(r.record_id for r in results) == ["ana-8", "ana-b7"]


def test_overlapping_shifts_of_one_person_make_one_run(policy: Policy) -> None:
    shifts = [
        shift(T0, 5 * DAY, shift_id="long"),
        shift(T0 + DAY, 2 * DAY, shift_id="inside"),
        shift(T0 + 5 * DAY, 3 * DAY, shift_id="next"),
    ]
    [result] = fatigue(shifts, policy)
    assert (result.record_id, result.detail["kind"], result.detail["run_days"]) == (
        "next",
        "consecutive",
        8.0,
    )


def test_runs_are_per_person(policy: Policy) -> None:
    # Ana and Ben hand over to each other every 4 days for 24 days: the rota is covered and
    # neither is on call more than 4 days in a row, nor gets less than 4 days of rest.
    shifts = [shift(T0 + 4 * n * DAY, 4 * DAY, "ana" if n % 2 == 0 else "ben") for n in range(6)]
    assert fatigue(shifts, policy) == []


def test_run_limit_comes_from_the_policy(policy: Policy) -> None:
    strict = replace(policy, oncall=replace(policy.oncall, max_consecutive_primary_days=3))
    assert fatigue(chain(T0, [DAY] * 3), strict) == []
    [result] = fatigue(chain(T0, [DAY] * 4), strict)
    assert result.record_id == "ana-4"


# --- rest between shifts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rest", "flagged"),
    [
        (timedelta(minutes=1), True),
        (timedelta(hours=11, minutes=59), True),
        (timedelta(hours=11, minutes=59, seconds=59), True),
        (timedelta(hours=12), False),
        (timedelta(hours=12, minutes=1), False),
        (timedelta(days=3), False),
    ],
)
def test_rest_shorter_than_12_hours_is_flagged(policy: Policy, rest: timedelta, flagged: bool) -> None:
    first = shift(T0, 12 * HOUR, shift_id="first")
    second = shift(first.ends_at + rest, 12 * HOUR, shift_id="second")
    results = fatigue([second, first], policy)
    if flagged:
        [result] = results
        assert (result.record_id, result.due) == ("second", second.starts_at)
        assert result.detail == {
            "kind": "rest",
            "person_id": "ana",
            "rest_hours": round(rest.total_seconds() / 3600, 2),
        }
    else:
        assert results == []


def test_back_to_back_shifts_are_a_run_not_a_short_rest(policy: Policy) -> None:
    assert fatigue(chain(T0, [12 * HOUR, 12 * HOUR]), policy) == []


def test_rest_is_per_person(policy: Policy) -> None:
    shifts = [shift(T0, 12 * HOUR, "ana"), shift(T0 + 13 * HOUR, 12 * HOUR, "ben")]
    assert fatigue(shifts, policy) == []


def test_rest_counts_from_the_latest_end_of_earlier_shifts(policy: Policy) -> None:
    shifts = [
        shift(T0, 2 * DAY, shift_id="long"),
        shift(T0 + HOUR, 2 * HOUR, shift_id="inside"),
        shift(T0 + 2 * DAY + 6 * HOUR, HOUR, shift_id="soon-after"),
    ]
    [result] = fatigue(shifts, policy)
    assert (result.record_id, result.detail["rest_hours"]) == ("soon-after", 6.0)


@pytest.mark.parametrize(
    ("first_end_local", "second_start_local", "flagged"),
    [
        # November change (2026-11-01 02:00 EDT -> 01:00 EST): 11 wall-clock hours are 12 real ones.
        (datetime(2026, 10, 31, 21, 0), datetime(2026, 11, 1, 8, 0), False),
        # March change (2026-03-08 02:00 EST -> 03:00 EDT): 12 wall-clock hours are 11 real ones.
        (datetime(2026, 3, 7, 21, 0), datetime(2026, 3, 8, 9, 0), True),
    ],
    ids=["november", "march"],
)
def test_rest_is_measured_in_real_hours_across_dst(
    policy: Policy, first_end_local: datetime, second_start_local: datetime, flagged: bool
) -> None:
    first_end = first_end_local.replace(tzinfo=NEW_YORK)
    second_start = second_start_local.replace(tzinfo=NEW_YORK)
    first = ShiftFacts("first", "rot-1", "ana", first_end - 8 * HOUR, first_end)
    second = ShiftFacts("second", "rot-1", "ana", second_start, second_start + 8 * HOUR)
    results = fatigue([first, second], policy)
    assert bool(results) is flagged
    if flagged:
        assert results[0].detail["rest_hours"] == 11.0


def test_a_short_rest_starts_a_new_run(policy: Policy) -> None:
    # 6 days, 1 hour off, 6 days: the short rest is the violation, and no run exceeds 7 days.
    first = chain(T0, [DAY] * 6, "ana")
    second = chain(first[-1].ends_at + HOUR, [DAY] * 6, "ana")
    second = [replace(s, id=f"b-{s.id}") for s in second]
    results = fatigue(first + second, policy)
    assert [(r.record_id, r.detail["kind"]) for r in results] == [("b-ana-1", "rest")]


# --- coverage gaps ----------------------------------------------------------------------------

W0 = datetime(2026, 10, 5, 0, 0, tzinfo=UTC)
W1 = datetime(2026, 10, 12, 0, 0, tzinfo=UTC)


NEW_YORK = ZoneInfo("America/New_York")


def test_a_weekly_shift_across_the_end_of_daylight_saving_is_seven_days(policy: Policy) -> None:
    """Monday 08:00 to Monday 08:00 local over 1 November 2026 is 169 real hours: still a week."""
    start = datetime(2026, 10, 26, 8, 0, tzinfo=NEW_YORK)
    end = datetime(2026, 11, 2, 8, 0, tzinfo=NEW_YORK)
    assert (end.astimezone(UTC) - start.astimezone(UTC)) == timedelta(hours=169)
    week = ShiftFacts("w", "rota", "ana", start, end, zone="America/New_York")
    assert fatigue([week], policy) == []
    # Measured without the rotation's zone, the same week is one hour too long.
    assert of_kind(fatigue([replace(week, zone="UTC")], policy), "consecutive")


def test_a_run_one_hour_past_seven_local_days_is_flagged(policy: Policy) -> None:
    start = datetime(2026, 10, 26, 8, 0, tzinfo=NEW_YORK)
    end = datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK)
    assert of_kind(
        fatigue([ShiftFacts("w", "rota", "ana", start, end, zone="America/New_York")], policy), "consecutive"
    )


def test_pieces_of_one_shift_around_a_cover_are_not_a_short_rest(policy: Policy) -> None:
    """Ana is sick for an afternoon inside her week: her shift is split, she did not rest 6 h."""
    first = shift(T0, timedelta(days=2), shift_id="week")
    second = shift(T0 + timedelta(days=2, hours=6), timedelta(days=4), shift_id="week")
    assert of_kind(fatigue([first, second], policy), "rest") == []
    other = replace(second, id="next-week")
    assert len(of_kind(fatigue([first, other], policy), "rest")) == 1


def spans(results: list[RuleResult]) -> list[tuple[datetime, datetime]]:
    return [(r.detail["starts_at"], r.detail["ends_at"]) for r in results]


@pytest.mark.parametrize(
    ("shifts", "expected"),
    [
        ([], [(W0, W1)]),
        ([shift(W0, 7 * DAY)], []),
        ([shift(W0 - DAY, 9 * DAY)], []),
        (chain(W0, [DAY] * 7), []),
        (chain(W0 - 12 * HOUR, [DAY] * 8), []),
        ([shift(W0, 3 * DAY), shift(W0 + 4 * DAY, 3 * DAY)], [(W0 + 3 * DAY, W0 + 4 * DAY)]),
        ([shift(W0 + 6 * HOUR, 7 * DAY)], [(W0, W0 + 6 * HOUR)]),
        ([shift(W0 - DAY, 7 * DAY)], [(W1 - DAY, W1)]),
        ([shift(W0 - DAY, DAY), shift(W1, DAY)], [(W0, W1)]),
        ([shift(W0, 4 * DAY), shift(W0 + DAY, DAY), shift(W0 + 2 * DAY, 5 * DAY)], []),
        (
            [shift(W0, 3 * DAY), shift(W0 + 3 * DAY + timedelta(seconds=1), 5 * DAY)],
            [(W0 + 3 * DAY, W0 + 3 * DAY + timedelta(seconds=1))],
        ),
        (
            [shift(W0 + 5 * DAY, DAY), shift(W0 + DAY, DAY), shift(W0 + 3 * DAY, DAY)],
            [
                (W0, W0 + DAY),
                (W0 + 2 * DAY, W0 + 3 * DAY),
                (W0 + 4 * DAY, W0 + 5 * DAY),
                (W0 + 6 * DAY, W1),
            ],
        ),
    ],
    ids=[
        "no-shifts",
        "exactly-the-window",
        "beyond-both-edges",
        "daily-chain",
        "chain-straddling-edges",
        "hole-in-the-middle",
        "late-start",
        "early-end",
        "touching-edges-outside",
        "overlaps",
        "one-second-hole",
        "unsorted-alternating",
    ],
)
def test_gaps(shifts: list[ShiftFacts], expected: list[tuple[datetime, datetime]]) -> None:
    results = gaps("rot-1", shifts, W0, W1)
    assert spans(results) == expected
    for result, (start, end) in zip(results, expected, strict=True):
        assert (result.rule, result.status, result.record, result.record_id) == (
            "gap",
            "gap",
            "rotation",
            "rot-1",
        )
        assert result.due == start
        assert result.detail["hours"] == round((end - start).total_seconds() / 3600, 2)


def test_gap_hours_are_real_hours_across_dst() -> None:
    # Saturday 20:00 EDT to Sunday 20:00 EST on the November change is 25 hours.
    start = datetime(2026, 10, 31, 20, 0, tzinfo=NEW_YORK)
    end = datetime(2026, 11, 1, 20, 0, tzinfo=NEW_YORK)
    [result] = gaps("rot-1", [], start, end)
    assert result.detail["hours"] == 25.0


def test_gap_in_the_repeated_hour_of_the_november_change() -> None:
    # Covered until 01:30 EDT, then the clocks go back: from 01:30 EDT to 01:30 EST is a real hour
    # with no primary, although both ends read 01:30 on the wall.
    edt_end = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    est_start = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK)
    assert (edt_end.utcoffset(), est_start.utcoffset()) == (timedelta(hours=-4), timedelta(hours=-5))
    shifts = [
        ShiftFacts("a", "rot-1", "ana", edt_end - DAY, edt_end),
        ShiftFacts("b", "rot-1", "ben", est_start, est_start + DAY),
    ]
    window_start = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    window_end = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    [result] = gaps("rot-1", shifts, window_start, window_end)
    assert result.detail["starts_at"].astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert result.detail["ends_at"].astimezone(UTC) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert result.detail["hours"] == 1.0


# --- properties -------------------------------------------------------------------------------

MINUTE = timedelta(minutes=1)
shift_specs = st.lists(st.tuples(st.integers(-2000, 12000), st.integers(0, 3000)), max_size=12)


def union_length(intervals: list[tuple[datetime, datetime]]) -> timedelta:
    total = timedelta()
    cursor: datetime | None = None
    for start, end in sorted(intervals):
        if cursor is None or start > cursor:
            total += end - start
            cursor = end
        elif end > cursor:
            total += end - cursor
            cursor = end
    return total


@settings(max_examples=400)
@given(specs=shift_specs, window_minutes=st.integers(0, 10080))
def test_gaps_and_shifts_cover_the_window_exactly(specs: list[tuple[int, int]], window_minutes: int) -> None:
    window_end = W0 + window_minutes * MINUTE
    shifts = [shift(W0 + offset * MINUTE, length * MINUTE) for offset, length in specs]
    found = spans(gaps("rot-1", shifts, W0, window_end))
    # Gaps lie inside the window, in order, are not empty and do not touch one another.
    for start, end in found:
        assert W0 <= start < end <= window_end
    for (_, previous_end), (next_start, _) in pairwise(found):
        assert previous_end < next_start
    # No shift covers any instant of a gap.
    for s in shifts:
        for start, end in found:
            assert max(s.starts_at, start) >= min(s.ends_at, end)
    # Together, gaps and the shifts clipped to the window fill it, with nothing left over.
    clipped = [
        (max(s.starts_at, W0), min(s.ends_at, window_end))
        for s in shifts
        if s.ends_at > W0 and s.starts_at < window_end
    ]
    assert union_length(clipped + found) == window_end - W0
    assert union_length(clipped) + union_length(found) == window_end - W0


@settings(max_examples=300)
@given(lengths_minutes=st.lists(st.integers(1, 3 * 24 * 60), min_size=1, max_size=12))
def test_a_chain_is_flagged_exactly_when_it_exceeds_seven_days(
    policy: Policy, lengths_minutes: list[int]
) -> None:
    lengths = [m * MINUTE for m in lengths_minutes]
    results = fatigue(chain(T0, lengths), policy)
    assert all(r.detail["kind"] == "consecutive" for r in results)
    assert len(results) == (1 if sum(lengths, timedelta()) > 7 * DAY else 0)


def test_naive_instants_are_refused(policy: Policy) -> None:
    naive = ShiftFacts("n", "rot-1", "ana", datetime(2026, 10, 5, 9, 0), datetime(2026, 10, 6, 9, 0))
    with pytest.raises(ValueError, match="time zone"):
        fatigue([naive], policy)
    with pytest.raises(ValueError, match="time zone"):
        gaps("rot-1", [naive], W0, W1)
    with pytest.raises(ValueError, match="time zone"):
        gaps("rot-1", [], datetime(2026, 10, 5), W1)
