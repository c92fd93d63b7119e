"""The on-call rota: one weekly rotation per field office, its shifts, leave and the cover for it.

Handoffs are at 08:00 on Mondays in the office's own time zone, so a shift is 168 hours except
across a daylight-saving change. Leave that falls in a manager's own primary week is covered by
an override. Near the anchor the demo places what a supervisor must see: a primary falls sick,
nobody can take over for ten hours (a gap), then the next week's primary covers the rest of the
week and runs on into his own (more than seven days in a row).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from pm_desk.demo.context import DAY, HOUR, DemoContext, to_date
from pm_desk.demo.org import OfficePlan, Org, Person
from pm_desk.domain.enums import CoverRoles, LeaveKind, OverrideReason, RequestState

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


class Rota:
    """One field office's rotation being planned: its weekly shifts and what changes them."""

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
                ShiftPlan(
                    self.ids(),
                    self.handoff(week),
                    self.handoff(week + 1),
                    self.members[week % n],
                    self.members[(week + 1) % n],
                )
            )
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

    def add_leave(self, person: Person, start: int, end: int, kind: LeaveKind, cover: bool = True) -> None:
        """Leave, and an override for each of the person's primary and backup shifts it falls in."""
        ctx, rng = self.ctx, self.rng
        taken = self.taken.setdefault(person.id, [])
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return  # one absence at a time
        taken.append((start, end))
        self.leave.append(
            (self.ids(), *ctx.stamp, person.id, ctx.fmt.instant(start), ctx.fmt.instant(end), kind.value)
        )
        if not cover:
            return
        for week in range(self.week_at(start), self.week_at(end - 1) + 1):
            shift = self.shifts[week]
            if (
                person not in (shift.primary, shift.backup)
                or shift.ends_at <= start
                or shift.starts_at >= end
            ):
                continue
            planned = start > ctx.now and rng.random() < 0.3
            state = RequestState.REQUESTED if planned else RequestState.APPROVED
            reason = LEAVE_REASONS.get(kind, OverrideReason.OTHER)
            stretch = (max(start, shift.starts_at), min(end, shift.ends_at))
            if shift.primary is person:
                self.override(shift, person, self.cover_for(person, week), *stretch, reason, state)
                continue
            free = [m for m in self.members if m is not person and m is not shift.primary]
            backup = rng.choice(free) if free else None
            self.override(shift, person, None, *stretch, reason, state, CoverRoles.BACKUP, backup)

    def override(
        self,
        shift: ShiftPlan,
        covered: Person,
        covering: Person | None,
        start: int,
        end: int,
        reason: OverrideReason,
        state: RequestState,
        roles: CoverRoles = CoverRoles.PRIMARY,
        backup: Person | None = None,
    ) -> None:
        ctx = self.ctx
        supervisor = self.office.supervisor
        approved_by = supervisor.id if supervisor and state is RequestState.APPROVED else None
        self.overrides.append(
            (
                self.ids(),
                *ctx.stamp,
                self.rotation_id,
                shift.id,
                covered.id,
                covering.id if covering else None,
                ctx.fmt.instant(start),
                ctx.fmt.instant(end),
                reason.value,
                state.value,
                covered.id,
                approved_by,
                roles.value,
                backup.id if backup else None,
            )
        )

    def _sick(self, person: Person, start: int, end: int) -> None:
        """Sick leave placed on purpose: the weeks around it get no other leave for anyone."""
        self.add_leave(person, start, end, LeaveKind.SICK, cover=False)
        for member in self.members:
            self.taken.setdefault(member.id, []).append((start - WEEK, end + WEEK))

    def local_midnight(self, day: int) -> int:
        return int(datetime.combine(to_date(day), time(0), tzinfo=self.tz).timestamp())

    def plan_leave(self, years: int) -> None:
        rng, today = self.rng, self.ctx.today
        for person in self.members:
            for _ in range(years):
                first = rng.randint(self.starts_day, today + AHEAD_DAYS - 10)
                self.add_leave(
                    person,
                    self.local_midnight(first),
                    self.local_midnight(first + rng.randint(5, 10)),
                    LeaveKind.ANNUAL,
                )
                for _ in range(rng.randint(1, 2)):
                    first = rng.randint(self.starts_day, today - 3)
                    self.add_leave(
                        person,
                        self.local_midnight(first),
                        self.local_midnight(first + rng.randint(1, 3)),
                        LeaveKind.SICK,
                    )

    def plan_near_anchor(self, with_gap: bool) -> None:
        """A pending swap; in the first office also a primary who falls sick: nobody can take
        over for the first ten hours (a gap), then next week's primary covers the rest of the
        week and runs on into his own (more than seven days in a row)."""
        if len(self.members) < 2:
            return
        now, now_week = self.ctx.now, self.week_at(self.ctx.now)
        if now_week + 3 < len(self.shifts):
            mine, theirs = self.shifts[now_week + 2], self.shifts[now_week + 3]
            if mine.primary is not theirs.primary:
                self.swaps.append(
                    (
                        self.ids(),
                        *self.ctx.stamp,
                        mine.primary.id,
                        theirs.primary.id,
                        mine.id,
                        theirs.id,
                        RequestState.REQUESTED.value,
                        None,
                    )
                )
        week = now_week if self.shifts[now_week].ends_at - now > 2 * DAY else now_week + 1
        if not with_gap or week + 1 >= len(self.shifts):
            return
        sick, cover = self.shifts[week], self.shifts[week + 1]
        sick_from = (max(now, sick.starts_at) + HOUR) // HOUR * HOUR
        covered_from = sick_from + 10 * HOUR
        self._sick(sick.primary, sick_from, sick.ends_at)
        self.override(
            sick, sick.primary, None, sick_from, covered_from, OverrideReason.SICK, RequestState.APPROVED
        )
        self.override(
            sick,
            sick.primary,
            cover.primary,
            covered_from,
            sick.ends_at,
            OverrideReason.SICK,
            RequestState.APPROVED,
        )


def plan_oncall(ctx: DemoContext, org: Org, years: int) -> list[Rota]:
    """One rotation per field office, with its shifts, leave, overrides and swap requests."""
    rotas = []
    for office in org.offices:
        rota = Rota(ctx, office, years)
        rota.plan_near_anchor(with_gap=office.index == 0)
        rota.plan_leave(years)
        rotas.append(rota)
    return rotas
