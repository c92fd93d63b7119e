"""An officer's latest completed course, as the SQL the training rules and lists read.

The refresher rule counts from the latest completed `initial` or `refresher` course, and
applies only to officers with a completed `initial` one (DESIGN.md, Compliance rules). Both
dates are correlated subqueries on `Officer`: the unique index on (officer, course, completed
on) answers each with one probe per course, so a page of a million-row list, or one manager's
officers, costs a few index lookups per officer rather than a pass over every training record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ScalarSelect, func, select

from pm_desk.domain.enums import Course
from pm_desk.store.models import Officer, TrainingRecord


def latest_course_on(*courses: Course) -> ScalarSelect[Any]:
    """The date of the officer's latest completed course of these kinds (NULL without one)."""
    names = [course.value for course in courses]
    kind = TrainingRecord.course == names[0] if len(names) == 1 else TrainingRecord.course.in_(names)
    return (
        select(func.max(TrainingRecord.completed_on))
        .where(TrainingRecord.officer_id == Officer.id, kind, TrainingRecord.deleted_at.is_(None))
        .correlate(Officer)
        .scalar_subquery()
    )


def initial_course_on() -> ScalarSelect[Any]:
    """When the officer completed the initial course (the latest, if more than once)."""
    return latest_course_on(Course.INITIAL)


def last_course_on() -> ScalarSelect[Any]:
    """The latest completed initial or refresher course: what the next refresher counts from."""
    return latest_course_on(Course.INITIAL, Course.REFRESHER)
