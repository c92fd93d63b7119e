"""Rota planning: shifts across daylight saving and the year end, ranking who can cover,
leave that falls on a shift, and fairness."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import (
    Absence,
    RotationPlan,
    fairness,
    generate_shifts,
    leave_collisions,
    rank_replacements,
    spread,
)
from pm_desk.domain.policy import Policy

NY = ZoneInfo("America/New_York")
MEMBERS = ("ana", "ben", "cal")


def weekly(start: date = date(2026, 10, 19), members: tuple[str, ...] = MEMBERS) -> RotationPlan:
    return RotationPlan("rota", members, "America/New_York", start)


def test_weekly_handoffs_stay_at_eight_local_across_the_end_of_daylight_saving() -> None:
    shifts = generate_shifts(weekly(), datetime(2026, 10, 20, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC))
    starts = [s.starts_at.astimezone(NY) for s in shifts]
    assert [(s.month, s.day, s.hour) for s in starts] == [(10, 19, 8), (10, 26, 8), (11, 2, 8), (11, 9, 8)]
    hours = [(s.ends_at.astimezone(UTC) - s.starts_at.astimezone(UTC)).total_seconds() / 3600 for s in shifts]
    assert hours == [168, 169, 168, 168]  # the week the clocks go back is an hour longer
    assert [s.primary_id for s in shifts] == ["ana", "ben", "cal", "ana"]
    assert [s.backup_id for s in shifts] == ["ben", "cal", "ana", "ben"]


def test_daily_shifts_across_the_start_of_daylight_saving() -> None:
    plan = RotationPlan(
        "rota", MEMBERS, "America/New_York", date(2027, 3, 12), handoff_time="07:00", shift_hours=24
    )
    shifts = generate_shifts(plan, datetime(2027, 3, 13, 12, tzinfo=UTC), datetime(2027, 3, 16, tzinfo=UTC))
    assert [s.starts_at.astimezone(NY).hour for s in shifts] == [7, 7, 7]
    real = [(s.ends_at.astimezone(UTC) - s.starts_at.astimezone(UTC)).total_seconds() / 3600 for s in shifts]
    assert real == [23, 24, 24]  # the night the clocks go forward (14 March) is an hour shorter


def test_generation_runs_over_the_year_end_without_a_seam() -> None:
    shifts = generate_shifts(weekly(date(2026, 12, 21)), datetime(2026, 12, 20, tzinfo=UTC),
                             datetime(2027, 1, 20, tzinfo=UTC))  # fmt: skip
    assert [s.starts_at.astimezone(NY).date() for s in shifts] == [
        date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)
    ]  # fmt: skip
    assert all(a.ends_at == b.starts_at for a, b in pairwise(shifts))
    assert [s.index for s in shifts] == [0, 1, 2, 3, 4]


def test_weekly_shifts_hand_off_on_the_rotation_weekday() -> None:
    plan = RotationPlan(
        "rota", MEMBERS, "America/Chicago", date(2026, 11, 4), handoff_weekday=4
    )  # a Wednesday
    first = generate_shifts(plan, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 8, tzinfo=UTC))[0]
    assert first.starts_at.astimezone(ZoneInfo("America/Chicago")).strftime("%A %H:%M") == "Friday 08:00"


def shift(person: str, start: datetime, hours: float, shift_id: str | None = None) -> ShiftFacts:
    return ShiftFacts(
        shift_id or f"{person}-{start.isoformat()}", "rota", person, start, start + timedelta(hours=hours)
    )


T = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)


def test_replacements_rank_eligible_people_by_fewest_recent_hours(policy: Policy) -> None:
    history = [shift("ben", T - timedelta(days=30), 168), shift("cal", T - timedelta(days=60), 24)]
    ranked = rank_replacements(
        ["ana", "ben", "cal", "dee"], "ana", T, T + timedelta(hours=24), history, [], policy
    )
    assert [c.person_id for c in ranked] == ["dee", "cal", "ben"]
    assert [c.hours_last_window for c in ranked] == [0.0, 24.0, 168.0]
    assert all(c.eligible for c in ranked)


@pytest.mark.parametrize(("gap_hours", "eligible"), [(11.99, False), (12, True)])
def test_rest_before_the_cover_is_checked_at_twelve_hours(
    policy: Policy, gap_hours: float, eligible: bool
) -> None:
    before = shift("ben", T - timedelta(hours=24 + gap_hours), 24)
    [ranked] = rank_replacements(["ben"], "ana", T, T + timedelta(hours=12), [before], [], policy)
    assert ranked.eligible is eligible
    if not eligible:
        assert ranked.reasons == ("less than 12 h rest after the shift before",)


def test_people_on_leave_or_on_a_long_run_are_not_eligible(policy: Policy) -> None:
    leave = [Absence("cal", T - timedelta(hours=1), T + timedelta(hours=1), "sick")]
    run = [shift("ben", T - timedelta(days=7), 168)]  # ends as the cover starts: a run of 8 days
    candidates = rank_replacements(["ben", "cal"], "ana", T, T + timedelta(days=1), run, leave, policy)
    ranked = {c.person_id: c for c in candidates}
    assert ranked["cal"].reasons == ("on leave",)
    assert ranked["ben"].reasons == ("more than 7 days in a row",)
    exactly_seven = [shift("ben", T - timedelta(days=6), 144)]
    [ben] = rank_replacements(["ben"], "ana", T, T + timedelta(days=1), exactly_seven, [], policy)
    assert ben.eligible


def test_leave_that_falls_on_a_shift_is_a_collision() -> None:
    shifts = [shift("ana", T, 48, "s1"), shift("ben", T + timedelta(hours=48), 48, "s2")]
    leave = [Absence("ana", T + timedelta(hours=40), T + timedelta(hours=60), "annual")]
    [collision] = leave_collisions(shifts, leave)
    assert (collision.shift_id, collision.person_id) == ("s1", "ana")
    assert (collision.starts_at, collision.ends_at) == (T + timedelta(hours=40), T + timedelta(hours=48))
    touching = [Absence("ana", T + timedelta(hours=48), T + timedelta(hours=50), "annual")]
    assert leave_collisions(shifts, touching) == []


def test_fairness_counts_hours_nights_weekends_and_holidays() -> None:
    # Wednesday 25 November 2026 08:00 New York to Monday 08:00: Thanksgiving and a weekend.
    start = datetime(2026, 11, 25, 8, tzinfo=NY)
    shifts = [ShiftFacts("s", "rota", "ana", start, start + timedelta(days=5))]
    [ana, ben] = fairness(shifts, ["ana", "ben"], start - timedelta(days=1), start + timedelta(days=6),
                          "America/New_York")  # fmt: skip
    assert (ana.hours, ana.nights, ana.weekend_hours, ana.holiday_hours) == (120.0, 5, 48.0, 24.0)
    assert (ben.hours, ben.nights) == (0.0, 0)
    assert spread([ana.hours, ben.hours]) == (0.0, 120.0, 120.0)
