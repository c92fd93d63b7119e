"""The stretches the on-call results are about: a whole run of primary days, a rest too short,
and leave during which someone still holds a role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pm_desk.domain.enums import OnCallRole
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import Absence
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import fatigue, fatigue_findings, uncovered_leave

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
DAY, HOUR = timedelta(days=1), timedelta(hours=1)


def chain(start: datetime, days: int, person: str = "ana") -> list[ShiftFacts]:
    return [
        ShiftFacts(f"{person}-{n}", "rot", person, start + n * DAY, start + (n + 1) * DAY)
        for n in range(days)
    ]


def test_a_long_run_is_reported_once_with_the_whole_run(policy: Policy) -> None:
    shifts = chain(T0, 10) + chain(T0 + 12 * DAY, 3)
    [finding] = fatigue_findings(shifts, policy)
    assert (finding.starts_at, finding.ends_at) == (T0, T0 + 10 * DAY)
    assert finding.result == fatigue(shifts, policy)[0]
    assert finding.result.record_id == "ana-7"  # where the run passes seven days


def test_a_short_rest_is_reported_with_the_rest_itself(policy: Policy) -> None:
    first = ShiftFacts("a", "rot", "ana", T0, T0 + 12 * HOUR)
    second = ShiftFacts("b", "rot", "ana", T0 + 17 * HOUR, T0 + 30 * HOUR)
    [finding] = fatigue_findings([second, first], policy)
    assert (finding.starts_at, finding.ends_at) == (first.ends_at, second.starts_at)
    assert finding.result.detail["rest_hours"] == 5.0


def test_leave_during_a_role_still_held_is_reported_for_that_role_and_stretch() -> None:
    primaries = [ShiftFacts("s1", "rot", "ana", T0, T0 + DAY)]
    backups = [ShiftFacts("s1", "rot", "ben", T0, T0 + DAY)]
    away = [
        Absence("ana", T0 + 20 * HOUR, T0 + 3 * DAY, "sick"),
        Absence("ben", T0 - DAY, T0 + 2 * HOUR, "annual"),
    ]
    results = uncovered_leave(primaries, backups, away)
    assert [
        (r.detail["person_id"], r.detail["role"], r.detail["starts_at"], r.detail["ends_at"]) for r in results
    ] == [
        ("ben", OnCallRole.BACKUP, T0, T0 + 2 * HOUR),
        ("ana", OnCallRole.PRIMARY, T0 + 20 * HOUR, T0 + DAY),
    ]
    assert {(r.rule, r.status, r.record, r.record_id) for r in results} == {
        ("gap", "leave_collision", "shift", "s1")
    }
    assert [r.due for r in results] == [T0, T0 + 20 * HOUR]
