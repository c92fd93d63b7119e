"""Initial-training classes, enrollments and training records (refreshers among them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import (
    SEAT_HOLDING_RESULTS,
    AuthorityStatus,
    Course,
    EnrollmentResult,
    Role,
    label,
)
from pm_desk.domain.validation import MAX_COURSE
from pm_desk.services.errors import Problems, field_error
from pm_desk.services.officers import change_authority_in
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_agreement_write, require_role
from pm_desk.services.records import (
    check_not_future,
    check_text,
    check_version,
    check_years,
    clean_text,
    load,
)
from pm_desk.store.models import Agreement, Enrollment, Officer, TrainingClass, TrainingRecord
from pm_desk.store.uow import UnitOfWork

MAX_SEATS = 500


def _validate_class(
    location: str, starts_on: date | None, ends_on: date | None, seats: int | None
) -> Problems:
    problems = Problems()
    problems.require("location", location)
    check_text(problems, "location", location, 200)
    problems.require("starts_on", starts_on, "start date")
    problems.require("ends_on", ends_on, "end date")
    if starts_on and ends_on and ends_on < starts_on:
        problems.add("ends_on", "cannot be before the start date")
    check_years(problems, starts_on=starts_on, ends_on=ends_on)
    if seats is None or not 1 <= seats <= MAX_SEATS:
        problems.add("seats", f"must be between 1 and {MAX_SEATS}")
    return problems


@write_operation("training_class.create")
def create_class(
    uow: UnitOfWork, actor: Actor, location: str, starts_on: date, ends_on: date, seats: int
) -> str:
    """Supervisors and administrators schedule sessions of the initial course."""
    require_role(actor, {Role.SUPERVISOR, Role.ADMIN}, "schedule training classes")
    _validate_class(location, starts_on, ends_on, seats).raise_if_any()
    session = TrainingClass(location=location.strip(), starts_on=starts_on, ends_on=ends_on, seats=seats)
    uow.session.add(session)
    uow.session.flush()
    return session.id


def seats_taken(uow: UnitOfWork, class_id: str) -> int:
    return uow.session.execute(
        select(func.count()).where(
            Enrollment.class_id == class_id,
            Enrollment.result.in_(SEAT_HOLDING_RESULTS),
            Enrollment.deleted_at.is_(None),
        )
    ).scalar_one()


@write_operation("training_class.update")
def update_class(
    uow: UnitOfWork,
    actor: Actor,
    class_id: str,
    location: str,
    starts_on: date,
    ends_on: date,
    seats: int,
    expected_version: int | None = None,
) -> int:
    require_role(actor, {Role.SUPERVISOR, Role.ADMIN}, "change training classes")
    session = load(uow, TrainingClass, class_id, "training class")
    check_version(session, expected_version, "training class")
    problems = _validate_class(location, starts_on, ends_on, seats)
    taken = seats_taken(uow, class_id)
    if seats is not None and seats < taken:
        problems.add("seats", f"{taken} officers already hold seats; cannot offer fewer")
    problems.raise_if_any()
    session.location, session.starts_on, session.ends_on, session.seats = (
        location.strip(),
        starts_on,
        ends_on,
        seats,
    )
    uow.session.flush()
    return session.version


def _officer_and_agreement(uow: UnitOfWork, actor: Actor, officer_id: str, doing: str) -> Officer:
    officer = load(uow, Officer, officer_id, "officer")
    agreement = load(uow, Agreement, officer.agreement_id, "agreement")
    require_agreement_write(uow, actor, agreement, doing)
    return officer


@write_operation("enrollment.create")
def enroll_officer(uow: UnitOfWork, actor: Actor, officer_id: str, class_id: str) -> str:
    """Give a waiting officer a seat in an upcoming class; he is then in training."""
    officer = _officer_and_agreement(uow, actor, officer_id, "enroll officers")
    session = load(uow, TrainingClass, class_id, "training class")
    if officer.authority_status not in {AuthorityStatus.NOMINATED, AuthorityStatus.IN_TRAINING}:
        raise field_error(
            "officer", f"{officer.name} is {label(officer.authority_status)}, not waiting for training"
        )
    if session.starts_on < uow.now().date():
        raise field_error("class", f"the class of {session.starts_on.isoformat()} has already started")
    if seats_taken(uow, class_id) >= session.seats:
        raise field_error("class", f"the class of {session.starts_on.isoformat()} has no free seat")
    existing = uow.session.execute(
        select(Enrollment).where(
            Enrollment.officer_id == officer_id,
            Enrollment.result == EnrollmentResult.ENROLLED,
            Enrollment.deleted_at.is_(None),
        )
    ).scalar()
    if existing is not None:
        other = uow.session.get(TrainingClass, existing.class_id)
        when = other.starts_on.isoformat() if other else "another date"
        raise field_error("class", f"{officer.name} is already enrolled in the class of {when}")
    # One enrollment per officer and class: one who withdrew takes his seat back on the same row.
    enrollment = uow.session.execute(
        select(Enrollment).where(
            Enrollment.officer_id == officer_id,
            Enrollment.class_id == class_id,
            Enrollment.deleted_at.is_(None),
        )
    ).scalar()
    if enrollment is not None:
        enrollment.result = EnrollmentResult.ENROLLED
    else:
        enrollment = Enrollment(officer_id=officer_id, class_id=class_id, result=EnrollmentResult.ENROLLED)
        uow.session.add(enrollment)
    if officer.authority_status is AuthorityStatus.NOMINATED:
        change_authority_in(
            uow, actor, officer, AuthorityStatus.IN_TRAINING, "enrolled in initial training", checked=False
        )
    uow.session.flush()
    return enrollment.id


@write_operation("enrollment.result")
def record_enrollment_result(
    uow: UnitOfWork,
    actor: Actor,
    enrollment_id: str,
    result: EnrollmentResult,
    completed_on: date | None = None,
) -> None:
    """Completed adds the initial course to the officer's record; failed or withdrawn frees the
    seat and puts him back in the queue."""
    enrollment = load(uow, Enrollment, enrollment_id, "enrollment")
    officer = _officer_and_agreement(uow, actor, enrollment.officer_id, "record training results")
    session = load(uow, TrainingClass, enrollment.class_id, "training class")
    if enrollment.result is not EnrollmentResult.ENROLLED:
        raise field_error("result", f"the result was already recorded as {label(enrollment.result)}")
    if result is EnrollmentResult.ENROLLED:
        raise field_error("result", "choose completed, failed or withdrawn")
    enrollment.result = result
    if result is EnrollmentResult.COMPLETED:
        day = completed_on or session.ends_on
        problems = Problems()
        check_not_future(problems, "completed_on", day, uow.now().date())
        check_years(problems, completed_on=day)
        problems.raise_if_any()
        uow.session.add(
            TrainingRecord(
                officer_id=officer.id,
                course=Course.INITIAL.value,
                completed_on=day,
                source=f"class {session.location} {session.starts_on.isoformat()}",
            )
        )
    elif officer.authority_status is AuthorityStatus.IN_TRAINING:
        change_authority_in(
            uow, actor, officer, AuthorityStatus.NOMINATED, f"initial training {result.value}", checked=False
        )


@write_operation("training_record.create")
def record_training(
    uow: UnitOfWork, actor: Actor, officer_id: str, course: str, completed_on: date, source: str | None = None
) -> str:
    """Record a completed course, typically the yearly online refresher."""
    officer = _officer_and_agreement(uow, actor, officer_id, "record training")
    problems = Problems()
    course_name = (course or "").strip()
    problems.require("course", course_name)
    check_text(problems, "course", course_name, MAX_COURSE)
    problems.require("completed_on", completed_on, "completion date")
    check_not_future(problems, "completed_on", completed_on, uow.now().date())
    check_years(problems, completed_on=completed_on)
    if completed_on and officer.nominated_on and completed_on < officer.nominated_on:
        problems.add("completed_on", "cannot be before the officer was nominated")
    check_text(problems, "source", source, 120)
    problems.raise_if_any()
    duplicate = uow.session.execute(
        select(TrainingRecord.id).where(
            TrainingRecord.officer_id == officer_id,
            TrainingRecord.course == course_name,
            TrainingRecord.completed_on == completed_on,
            TrainingRecord.deleted_at.is_(None),
        )
    ).scalar()
    if duplicate:
        raise field_error("completed_on", f"{course_name} on {completed_on.isoformat()} is already recorded")
    record = TrainingRecord(
        officer_id=officer_id, course=course_name, completed_on=completed_on, source=clean_text(source)
    )
    uow.session.add(record)
    uow.session.flush()
    return record.id
