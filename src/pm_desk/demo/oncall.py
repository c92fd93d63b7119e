"""The on-call rota: one weekly rotation per field office, its shifts, leave and the cover for it.

Handoffs are at 08:00 on Mondays in the office's own time zone, so a shift is 168 hours except
across a daylight-saving change. Leave that falls in a manager's own primary week is covered by
an override. Near the anchor the demo places what a supervisor must see: a sick manager covered
by the next week's primary (a run past seven days) and a sick day nobody could cover (a gap).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from pm_desk.demo.context import DAY, HOUR, RECORD_COLUMNS, DemoContext, to_date
from pm_desk.demo.org import OfficePlan, Org, Person
from pm_desk.domain.enums import LeaveKind, OverrideReason, RequestState
from pm_desk.store.models import Leave, Override, Rotation, RotationMember, Shift, SwapRequest

WEEK = 7 * DAY
AHEAD_DAYS = 28  # shifts are generated this far past the anchor
LEAVE_REASONS = {LeaveKind.SICK: OverrideReason.SICK, LeaveKind.ANNUAL: OverrideReason.LEAVE}


@dataclass(slots=True)
class ShiftPlan:
    id: str
    starts_at: int
    ends_at: int
    primary: Person
    backup: Person


class _Rota:
    def __init__(self, ctx: DemoContext, office: OfficePlan, years: int) -> None:
        self.ctx = ctx
        self.office = office
        self.rng: random.Random = ctx.rng(f"oncall:{office.info.code}")
        self.ids = ctx.ids(f"oncall:{office.info.code}")
        self.tz = ZoneInfo(office.info.timezone)
        self.rotation_id = self.ids()
        first = ctx.today - years * 365
        self.starts_day = first - (first + 3) % 7  # the Monday on or before
        self.members = list(office.managers)
        self.rng.shuffle(self.members)
        self.shifts = self._shifts()
        self.leave: list[tuple[object, ...]] = []
        self.overrides: list[tuple[object, ...]] = []
        self.swaps: list[tuple[object, ...]] = []
        self.taken: dict[str, list[tuple[int, int]]] = {}  # leave already planned, per person

    def handoff(self, week: int) -> int:
        local = datetime.combine(to_date(self.starts_day + 7 * week), time(8, 0), tzinfo=self.tz)
        return int(local.timestamp())

    def _shifts(self) -> list[ShiftPlan]:
        shifts, week, n = [], 0, len(self.members)
        while self.handoff(week) <= self.ctx.now + AHEAD_DAYS * DAY:
            shifts.append(
                ShiftPlan(self.ids(), self.handoff(week), self.handoff(week + 1), self.members[week % n],
                          self.members[(week + 1) % n])
            )  # fmt: skip
            week += 1
        return shifts

    def week_at(self, instant: int) -> int:
        week = max(min((instant - self.shifts[0].starts_at) // WEEK, len(self.shifts) - 1), 0)
        while week > 0 and self.shifts[week].starts_at > instant:
            week -= 1
        while week + 1 < len(self.shifts) and self.shifts[week].ends_at <= instant:
            week += 1
        return week

    def cover_for(self, person: Person, week: int) -> Person | None:
        """Someone not on primary the week before, of, or after; else that week's backup."""
        busy = {self.shifts[w].primary.id for w in (week - 1, week, week + 1) if 0 <= w < len(self.shifts)}
        free = [m for m in self.members if m.id not in busy and m is not person]
        if free:
            return self.rng.choice(free)
        backup = self.shifts[week].backup
        return backup if backup is not person else None

    def add_leave(self, person: Person, start: int, end: int, kind: LeaveKind) -> None:
        ctx, rng = self.ctx, self.rng
        taken = self.taken.setdefault(person.id, [])
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return  # one absence at a time
        taken.append((start, end))
        self.leave.append((self.ids(), *ctx.stamp, person.id, ctx.fmt.instant(start), ctx.fmt.instant(end), kind.value))
        for week in range(self.week_at(start), self.week_at(end - 1) + 1):
            shift = self.shifts[week]
            if shift.primary is not person or shift.ends_at <= start or shift.starts_at >= end:
                continue
            planned = start > ctx.now and rng.random() < 0.3
            state = RequestState.REQUESTED if planned else RequestState.APPROVED
            self.override(shift, person, self.cover_for(person, week), max(start, shift.starts_at),
                          min(end, shift.ends_at), LEAVE_REASONS.get(kind, OverrideReason.OTHER), state)  # fmt: skip

    def override(
        self, shift: ShiftPlan, covered: Person, covering: Person | None, start: int, end: int,
        reason: OverrideReason, state: RequestState,
    ) -> None:  # fmt: skip
        ctx = self.ctx
        supervisor = self.office.supervisor
        approved_by = supervisor.id if supervisor and state is RequestState.APPROVED else None
        self.overrides.append(
            (self.ids(), *ctx.stamp, self.rotation_id, shift.id, covered.id, covering.id if covering else None,
             ctx.fmt.instant(start), ctx.fmt.instant(end), reason.value, state.value, covered.id, approved_by)
        )  # fmt: skip

    def _sick(self, person: Person, start: int, end: int) -> None:
        """Sick leave placed on purpose: the weeks around it get no other leave for anyone."""
        ctx = self.ctx
        self.leave.append((self.ids(), *ctx.stamp, person.id, ctx.fmt.instant(start), ctx.fmt.instant(end),
                           LeaveKind.SICK.value))  # fmt: skip
        for member in self.members:
            self.taken.setdefault(member.id, []).append((start - WEEK, end + WEEK))

    def local_midnight(self, day: int) -> int:
        return int(datetime.combine(to_date(day), time(0), tzinfo=self.tz).timestamp())

    def plan_leave(self, years: int) -> None:
        rng, today = self.rng, self.ctx.today
        for person in self.members:
            for _ in range(years):
                first = rng.randint(self.starts_day, today + AHEAD_DAYS - 10)
                self.add_leave(person, self.local_midnight(first), self.local_midnight(first + rng.randint(5, 10)),
                               LeaveKind.ANNUAL)  # fmt: skip
                for _ in range(rng.randint(1, 2)):
                    first = rng.randint(self.starts_day, today - 3)
                    self.add_leave(person, self.local_midnight(first), self.local_midnight(first + rng.randint(1, 3)),
                                   LeaveKind.SICK)  # fmt: skip

    def plan_near_anchor(self, with_gap: bool) -> None:
        """A pending swap; in the first office also a sick primary covered by the next week's
        primary (over seven days in a row) and a sick day with no one to cover (a gap)."""
        if len(self.members) < 2:
            return
        now_week = self.week_at(self.ctx.now)
        if now_week + 3 < len(self.shifts):
            mine, theirs = self.shifts[now_week + 2], self.shifts[now_week + 3]
            if mine.primary is not theirs.primary:
                self.swaps.append(
                    (self.ids(), *self.ctx.stamp, mine.primary.id, theirs.primary.id, mine.id, theirs.id,
                     RequestState.REQUESTED.value, None)
                )  # fmt: skip
        if not with_gap or now_week + 1 >= len(self.shifts):
            return
        current, following = self.shifts[now_week], self.shifts[now_week + 1]
        sick_from = current.ends_at - 2 * DAY
        self._sick(current.primary, sick_from, current.ends_at)
        self.override(current, current.primary, following.primary, sick_from, current.ends_at,
                      OverrideReason.SICK, RequestState.APPROVED)  # fmt: skip
        gap_from = following.starts_at + 2 * DAY
        self._sick(following.primary, gap_from, gap_from + 10 * HOUR)
        self.override(following, following.primary, None, gap_from, gap_from + 10 * HOUR, OverrideReason.SICK,
                      RequestState.APPROVED)  # fmt: skip


def write_oncall(ctx: DemoContext, org: Org, years: int) -> None:
    stamp, fmt = ctx.stamp, ctx.fmt
    rotations, members, shifts, leave, overrides, swaps = [], [], [], [], [], []
    for office in org.offices:
        rota = _Rota(ctx, office, years)
        rota.plan_near_anchor(with_gap=office.index == 0)
        rota.plan_leave(years)
        rotations.append(
            (rota.rotation_id, *stamp, office.id, f"{office.info.name} program managers", 0, "08:00", 168,
             office.info.timezone, fmt.day(rota.starts_day))
        )  # fmt: skip
        members += [(rota.ids(), *stamp, rota.rotation_id, m.id, i) for i, m in enumerate(rota.members)]
        shifts += [
            (s.id, *stamp, rota.rotation_id, fmt.instant(s.starts_at), fmt.instant(s.ends_at), s.primary.id,
             s.backup.id if s.backup is not s.primary else None, None)
            for s in rota.shifts
        ]  # fmt: skip
        leave += rota.leave
        overrides += rota.overrides
        swaps += rota.swaps
    write = ctx.writer.write
    write(Rotation.__table__, (*RECORD_COLUMNS, "field_office_id", "name", "handoff_weekday", "handoff_time",
                               "shift_hours", "timezone", "starts_on"), rotations)  # fmt: skip
    write(RotationMember.__table__, (*RECORD_COLUMNS, "rotation_id", "user_id", "position"), members)
    write(Shift.__table__, (*RECORD_COLUMNS, "rotation_id", "starts_at", "ends_at", "primary_id", "backup_id", "note"),
          shifts)  # fmt: skip
    write(Leave.__table__, (*RECORD_COLUMNS, "user_id", "starts_at", "ends_at", "kind"), leave)
    write(Override.__table__, (*RECORD_COLUMNS, "rotation_id", "shift_id", "covered_user_id", "covering_user_id",
                               "starts_at", "ends_at", "reason", "state", "requested_by", "approved_by"),
          overrides)  # fmt: skip
    write(SwapRequest.__table__, (*RECORD_COLUMNS, "requested_by", "with_user_id", "shift_id", "other_shift_id",
                                  "state", "approved_by"), swaps)  # fmt: skip
