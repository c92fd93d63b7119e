"""Sessions of the four-week initial course at FLETC Charleston, and who sits in them."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass

from pm_desk.demo.context import RECORD_COLUMNS, DemoContext, to_date
from pm_desk.domain.enums import AgreementModel, EnrollmentResult
from pm_desk.store.models import Enrollment, TrainingClass

LOCATION = "FLETC Charleston, SC"
COURSE_DAYS = 25  # Monday of the first week to Friday of the fourth
# The course is offered only part of the year.
SEASON_MONTHS = frozenset(range(2, 12))
INITIAL_SOURCES = {
    AgreementModel.JAIL_ENFORCEMENT: LOCATION,
    AgreementModel.TASK_FORCE: "ICE Academy, 40-hour task force course",
    AgreementModel.WARRANT_SERVICE_OFFICER: "ICE Academy, 8-hour warrant service course",
}
REFRESHER_SOURCE = "ICE online refresher (LMS)"


@dataclass(slots=True)
class ClassPlan:
    id: str
    starts_day: int
    ends_day: int
    seats: int
    taken: int = 0

    def has_seat(self, limit: int | None = None) -> bool:
        return self.taken < (self.seats if limit is None else min(limit, self.seats))


class Classes:
    """The sessions in date order, with the lookups officers' training plans need."""

    def __init__(self, classes: list[ClassPlan], today: int) -> None:
        self.all = classes
        self.today = today
        self._ends = [c.ends_day for c in classes]
        self.enrollments: list[tuple[str, ClassPlan, EnrollmentResult]] = []

    def completed_between(self, rng: random.Random, low: int, high: int) -> ClassPlan | None:
        """A past session ending in [low, high] that still has a seat."""
        high = min(high, self.today - 1)
        first = bisect.bisect_left(self._ends, low)
        last = bisect.bisect_right(self._ends, high)
        choices = [c for c in self.all[first:last] if c.has_seat()]
        return rng.choice(choices) if choices else None

    def running(self) -> list[ClassPlan]:
        return [c for c in self.all if c.starts_day <= self.today <= c.ends_day]

    def upcoming(self) -> list[ClassPlan]:
        return [c for c in self.all if c.starts_day > self.today]

    def enroll(self, officer_id: str, session: ClassPlan, result: EnrollmentResult) -> None:
        if result in (EnrollmentResult.ENROLLED, EnrollmentResult.COMPLETED):
            session.taken += 1
        self.enrollments.append((officer_id, session, result))

    def seat_limit(self, session: ClassPlan) -> int:
        """How full the demo fills a future session: the next month's are full, later ones
        keep seats free so the queue shows where the next free seat is."""
        return session.seats if session.starts_day - self.today <= 28 else int(session.seats * 0.7)


def plan_classes(ctx: DemoContext, history_days: int, sessions_every_weeks: int) -> Classes:
    rng = ctx.rng("classes")
    make_id = ctx.ids("classes")
    today = ctx.today
    day = today - history_days
    day -= (day + 3) % 7  # back to a Monday (1970-01-01 was a Thursday)
    classes = []
    while day <= today + 240:
        if to_date(day).month in SEASON_MONTHS:
            classes.append(ClassPlan(make_id(), day, day + COURSE_DAYS, rng.choice((24, 28, 32, 36, 40))))
        day += 7 * sessions_every_weeks
    return Classes(classes, today)


def write_classes(ctx: DemoContext, classes: Classes) -> None:
    stamp = ctx.stamp
    day = ctx.fmt.day
    ctx.writer.write(
        TrainingClass,
        (*RECORD_COLUMNS, "location", "starts_on", "ends_on", "seats"),
        [(c.id, *stamp, LOCATION, day(c.starts_day), day(c.ends_day), c.seats) for c in classes.all],
    )
    make_id = ctx.ids("enrollments")
    ctx.writer.write(
        Enrollment,
        (*RECORD_COLUMNS, "officer_id", "class_id", "result"),
        [
            (make_id(), *stamp, officer_id, c.id, result.value)
            for officer_id, c, result in classes.enrollments
        ],
    )
