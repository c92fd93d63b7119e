"""Writes the officers, their authority history and their training records."""

from __future__ import annotations

from pm_desk.demo.context import DAY, HOUR, RECORD_COLUMNS, DemoContext
from pm_desk.demo.officers import OfficerPlan
from pm_desk.demo.training import INITIAL_SOURCES, REFRESHER_SOURCE
from pm_desk.domain.enums import Course
from pm_desk.store.models import Officer, OfficerStatusChange, TrainingRecord

OFFICER_COLUMNS = (
    *RECORD_COLUMNS,
    "agreement_id",
    "agency_id",
    "name",
    "badge",
    "rank",
    "email",
    "nominated_on",
    "background_status",
    "background_on",
    "authority_status",
)
CHANGE_COLUMNS = (
    *RECORD_COLUMNS,
    "officer_id",
    "changed_at",
    "from_status",
    "to_status",
    "reason",
    "changed_by",
)
TRAINING_COLUMNS = (*RECORD_COLUMNS, "officer_id", "course", "completed_on", "source")


def write_officers(ctx: DemoContext, officers: list[OfficerPlan]) -> None:
    rng = ctx.rng("officers:rows")
    stamp = ctx.stamp
    day = ctx.fmt.day
    instant = ctx.fmt.instant
    maybe_day = ctx.fmt.maybe_day
    officer_rows = []
    change_rows = []
    training_rows = []
    change_id = ctx.ids("officer_status_changes").ascending(sum(len(o.history) for o in officers)).__next__
    training_id = ctx.ids("training_records").ascending(sum(_courses(o) for o in officers)).__next__
    for officer in officers:
        plan = officer.agreement
        officer_rows.append(
            (
                officer.id,
                *stamp,
                plan.id,
                plan.agency.id,
                officer.name,
                officer.badge,
                officer.rank,
                officer.email,
                day(officer.nominated_day),
                officer.background.value if officer.background else None,
                maybe_day(officer.background_day),
                officer.status.value,
            )
        )
        manager_id = plan.manager.id if plan.manager else None
        for when, before, after, reason in officer.history:
            # During US office hours (13:00 to 22:00 UTC).
            at = when * DAY + 13 * HOUR + rng.randrange(0, 9 * HOUR, 60)
            change_rows.append(
                (
                    change_id(),
                    *stamp,
                    officer.id,
                    instant(at),
                    before.value if before else None,
                    after.value,
                    reason,
                    manager_id,
                )
            )
        if officer.initial_day is not None:
            source = INITIAL_SOURCES[plan.model]
            training_rows.append(
                (training_id(), *stamp, officer.id, Course.INITIAL.value, day(officer.initial_day), source)
            )
            for done in officer.refresher_days:
                training_rows.append(
                    (training_id(), *stamp, officer.id, Course.REFRESHER.value, day(done), REFRESHER_SOURCE)
                )
        if officer.other_course_day is not None:
            training_rows.append(
                (
                    training_id(),
                    *stamp,
                    officer.id,
                    "Civil Rights and Civil Liberties",
                    day(officer.other_course_day),
                    "DHS Office for Civil Rights and Civil Liberties",
                )
            )
    writer = ctx.writer
    with writer.indexes_built_after(Officer):
        writer.write(Officer, OFFICER_COLUMNS, officer_rows)
    with writer.indexes_built_after(OfficerStatusChange):
        writer.write(OfficerStatusChange, CHANGE_COLUMNS, change_rows)
    writer.write(TrainingRecord, TRAINING_COLUMNS, training_rows)


def _courses(officer: OfficerPlan) -> int:
    initial = 1 if officer.initial_day is not None else 0
    other = 1 if officer.other_course_day is not None else 0
    return initial + len(officer.refresher_days) + other
