"""Fatigue and coverage gaps of an on-call rota."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pm_desk.domain.clock import require_aware
from pm_desk.domain.enums import OnCallRole, RecordKind
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import Absence, leave_collisions
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rules.statuses import FatigueStatus, GapStatus, Rule


@dataclass(frozen=True, slots=True)
class FatigueFinding:
    """A fatigue result with the stretch it is about: the whole run of primary days, or the rest
    between two shifts (from the end of the one before to the start of the next)."""

    result: RuleResult
    starts_at: datetime
    ends_at: datetime


def fatigue(shifts: Iterable[ShiftFacts], policy: Policy) -> list[RuleResult]:
    """Primary runs longer than the allowed days, and rests shorter than the required hours.

    A run is a chain of one person's primary shifts, each starting when the one before ends.
    Each violation is reported on the shift where it happens (the one that makes the run too long,
    or the one that starts too soon after the person's previous shift). Rest is real elapsed time;
    a run is measured on the rotation's wall clock (`ShiftFacts.zone`), so a weekly shift that
    spans the end of daylight saving (169 real hours) is still seven days. Pieces of one planned
    shift split by an override are not two shifts: the time between them is not a rest.
    """
    return [finding.result for finding in fatigue_findings(shifts, policy)]


def fatigue_findings(shifts: Iterable[ShiftFacts], policy: Policy) -> list[FatigueFinding]:
    """`fatigue`'s results, each with its stretch: a run from its first start to its last end,
    a rest from the end of the shift before to the start of the shift after."""
    max_run = timedelta(days=policy.oncall.max_consecutive_primary_days)
    min_rest = timedelta(hours=policy.oncall.min_rest_hours)
    by_person: dict[str, list[ShiftFacts]] = defaultdict(list)
    for shift in shifts:
        by_person[shift.person_id].append(_in_utc(shift))
    found: list[FatigueFinding] = []
    for person_shifts in by_person.values():
        person_shifts.sort(key=lambda s: (s.starts_at, s.id))
        run_start: datetime | None = None
        previous: ShiftFacts | None = None
        long_run: RuleResult | None = None  # the run being walked, once it is too long
        for shift in person_shifts:
            if previous is None or shift.starts_at > previous.ends_at:
                if previous is not None and long_run is not None and run_start is not None:
                    found.append(FatigueFinding(long_run, run_start, previous.ends_at))
                long_run = None
                resting = previous is not None and previous.id != shift.id
                if resting and previous is not None and shift.starts_at - previous.ends_at < min_rest:
                    rest = (shift.starts_at - previous.ends_at).total_seconds() / 3600
                    result = RuleResult(
                        Rule.FATIGUE,
                        FatigueStatus.VIOLATION,
                        RecordKind.SHIFT,
                        shift.id,
                        shift.starts_at,
                        {"kind": "rest", "person_id": shift.person_id, "rest_hours": round(rest, 2)},
                    )
                    found.append(FatigueFinding(result, previous.ends_at, shift.starts_at))
                run_start = shift.starts_at
            assert run_start is not None
            run = _wall_clock(run_start, shift.ends_at, shift.zone)
            before = _wall_clock(run_start, previous.ends_at, shift.zone) if previous is not None else None
            if run > max_run and (before is None or before <= max_run):
                long_run = RuleResult(
                    Rule.FATIGUE,
                    FatigueStatus.VIOLATION,
                    RecordKind.SHIFT,
                    shift.id,
                    shift.starts_at,
                    {
                        "kind": "consecutive",
                        "person_id": shift.person_id,
                        "run_days": run / timedelta(days=1),
                    },
                )
            if previous is None or shift.ends_at > previous.ends_at:
                previous = shift
        if previous is not None and long_run is not None and run_start is not None:
            found.append(FatigueFinding(long_run, run_start, previous.ends_at))
    return found


def gaps(
    rotation_id: str, shifts: Iterable[ShiftFacts], window_start: datetime, window_end: datetime
) -> list[RuleResult]:
    """Every stretch of the window with no primary on call.

    Instants are taken in UTC (see `_in_utc`); an empty shift covers no instant, so it neither
    fills nor splits a gap.
    """
    window_start = require_aware(window_start, "window_start").astimezone(UTC)
    window_end = require_aware(window_end, "window_end").astimezone(UTC)
    intervals = sorted(
        (s.starts_at, s.ends_at)
        for s in map(_in_utc, shifts)
        if s.ends_at > s.starts_at and s.ends_at > window_start and s.starts_at < window_end
    )
    results: list[RuleResult] = []
    cursor = window_start
    for start, end in intervals:
        if start > cursor:
            results.append(_gap(rotation_id, cursor, start))
        cursor = max(cursor, end)
        if cursor >= window_end:
            break
    if cursor < window_end:
        results.append(_gap(rotation_id, cursor, window_end))
    return results


def uncovered_leave(
    primaries: Iterable[ShiftFacts], backups: Iterable[ShiftFacts], absences: Iterable[Absence]
) -> list[RuleResult]:
    """Stretches of leave during which the person still holds a role (primary or backup) of the
    rota as it will be worked: nobody has taken them over yet. Due at the stretch's start."""
    away = list(absences)
    results: list[RuleResult] = []
    for role, shifts in ((OnCallRole.PRIMARY, primaries), (OnCallRole.BACKUP, backups)):
        for found in leave_collisions(map(_in_utc, shifts), away, role):
            start, end = found.starts_at.astimezone(UTC), found.ends_at.astimezone(UTC)
            detail = {
                "person_id": found.person_id,
                "role": role,
                "kind": found.kind,
                "starts_at": start,
                "ends_at": end,
                "hours": round((end - start).total_seconds() / 3600, 2),
            }
            results.append(
                RuleResult(
                    Rule.GAP, GapStatus.LEAVE_COLLISION, RecordKind.SHIFT, found.shift_id, start, detail
                )
            )
    return sorted(results, key=lambda r: (r.detail["starts_at"], r.detail["person_id"], r.detail["role"]))


def _wall_clock(start: datetime, end: datetime, zone: str) -> timedelta:
    """The time from `start` to `end` as the clocks on the wall of `zone` show it."""
    tz = ZoneInfo(zone)
    return end.astimezone(tz).replace(tzinfo=None) - start.astimezone(tz).replace(tzinfo=None)


def _in_utc(shift: ShiftFacts) -> ShiftFacts:
    # Aware datetimes that share one zone subtract and compare by wall clock in Python; in UTC
    # they subtract and compare as the instants they are.
    return replace(
        shift,
        starts_at=require_aware(shift.starts_at, "shift start").astimezone(UTC),
        ends_at=require_aware(shift.ends_at, "shift end").astimezone(UTC),
    )


def _gap(rotation_id: str, start: datetime, end: datetime) -> RuleResult:
    return RuleResult(
        Rule.GAP,
        GapStatus.GAP,
        RecordKind.ROTATION,
        rotation_id,
        start,
        {"starts_at": start, "ends_at": end, "hours": round((end - start).total_seconds() / 3600, 2)},
    )
