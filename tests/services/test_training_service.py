"""Initial-training classes, enrollments with their results, and training records."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from builders import (
    CLASS_STARTS,
    World,
    add_class,
    add_enrollment,
    add_officer,
    audit_rows,
    count,
    fetch,
    refused_without_writing,
    status_changes,
    version_of,
)
from pm_desk.domain.enums import AuthorityStatus, EnrollmentResult
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.services.training import (
    create_class,
    enroll_officer,
    record_enrollment_result,
    record_training,
    update_class,
)
from pm_desk.store.database import Database
from pm_desk.store.models import Enrollment, Officer, TrainingClass, TrainingRecord

TEN_MB = "x" * (10 * 1024 * 1024)


def waiting_officer(db: Database, world: World, badge: str = "C-150") -> str:
    return add_officer(
        db,
        world.agreement_m1,
        badge,
        name=f"Officer {badge}",
        status=AuthorityStatus.NOMINATED,
        nominated_on=date(2026, 9, 1),
        initial_on=None,
    )


def past_class(db: Database) -> str:
    return add_class(db, date(2026, 9, 7), date(2026, 10, 2), seats=24, location="FLETC Charleston")


def training_records(db: Database, officer_id: str) -> list[tuple[str, date, str | None]]:
    with db.uow() as uow:
        rows = uow.session.execute(
            select(TrainingRecord.course, TrainingRecord.completed_on, TrainingRecord.source)
            .where(TrainingRecord.officer_id == officer_id)
            .order_by(TrainingRecord.completed_on)
        ).all()
        return [tuple(r) for r in rows]


# --- classes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor_a", "admin"])
def test_supervisor_or_admin_schedules_a_class(db: Database, world: World, who: str) -> None:
    actor = getattr(world, who)
    class_id = create_class(db.uow(), actor, " FLETC Charleston ", date(2027, 2, 1), date(2027, 2, 26), 24)
    session = fetch(db, TrainingClass, class_id)
    assert (session.location, session.starts_on, session.ends_on, session.seats) == (
        "FLETC Charleston",
        date(2027, 2, 1),
        date(2027, 2, 26),
        24,
    )
    assert (session.version, session.updated_by) == (1, actor.user_id)
    [entry] = audit_rows(db, operation="training_class.create")
    assert (entry.action, entry.record_id, entry.actor_id) == ("create", class_id, actor.user_id)
    assert entry.after is not None
    assert entry.after["starts_on"] == "2027-02-01"


def test_admin_moves_a_class_and_adds_seats(db: Database, world: World) -> None:
    update_class(
        db.uow(), world.admin, world.training_class, "FLETC Glynco", CLASS_STARTS, date(2027, 1, 1), 30, 1
    )
    session = fetch(db, TrainingClass, world.training_class)
    assert (session.location, session.seats, session.version) == ("FLETC Glynco", 30, 2)
    assert session.updated_by == world.admin.user_id
    [entry] = audit_rows(db, operation="training_class.update")
    assert entry.before == {"location": "FLETC Charleston", "seats": 2}
    assert entry.after == {"location": "FLETC Glynco", "seats": 30}


@pytest.mark.parametrize("who", ["m1", "staff"])
def test_managers_and_staff_cannot_schedule_or_change_classes(db: Database, world: World, who: str) -> None:
    actor = getattr(world, who)
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        create_class(db.uow(), actor, "FLETC", date(2027, 2, 1), date(2027, 2, 26), 24)
    assert str(refused.value).endswith("and cannot schedule training classes")
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        update_class(
            db.uow(),
            actor,
            world.training_class,
            "FLETC",
            CLASS_STARTS,
            date(2027, 1, 1),
            40,
            expected_version=version_of(db, "training_class", world.training_class),
        )
    assert str(refused.value).endswith("and cannot change training classes")
    assert [d.operation for d in audit_rows(db, action="denied")] == [
        "training_class.create",
        "training_class.update",
    ]


def test_class_needs_location_dates_and_seats(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_class(db.uow(), world.supervisor_a, "  ", None, None, 0)  # type: ignore[arg-type]
    assert refused.value.for_field("location") == "location is required"
    assert refused.value.for_field("starts_on") == "start date is required"
    assert refused.value.for_field("ends_on") == "end date is required"
    assert refused.value.for_field("seats") == "must be between 1 and 500"


def test_class_cannot_end_before_it_starts(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_class(db.uow(), world.supervisor_a, "FLETC", date(2027, 2, 26), date(2027, 2, 1), 501)
    assert refused.value.for_field("ends_on") == "cannot be before the start date"
    assert refused.value.for_field("seats") == "must be between 1 and 500"


def test_a_ten_megabyte_class_location_is_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        create_class(db.uow(), world.supervisor_a, TEN_MB, date(2027, 2, 1), date(2027, 2, 26), 24)
    assert refused.value.for_field("location") == "is 10,485,760 characters long; at most 200 fit"


def test_a_class_cannot_offer_fewer_seats_than_are_taken(db: Database, world: World) -> None:
    add_enrollment(db, waiting_officer(db, world, "C-150"), world.training_class)
    add_enrollment(db, waiting_officer(db, world, "C-151"), world.training_class)
    with refused_without_writing(db, ValidationError) as refused:
        update_class(
            db.uow(),
            world.supervisor_a,
            world.training_class,
            "FLETC",
            CLASS_STARTS,
            date(2027, 1, 1),
            1,
            expected_version=version_of(db, "training_class", world.training_class),
        )
    assert refused.value.for_field("seats") == "2 officers already hold seats; cannot offer fewer"


# --- enrollments --------------------------------------------------------------------------------


def test_manager_enrolls_a_waiting_officer_who_is_then_in_training(db: Database, world: World) -> None:
    officer_id = waiting_officer(db, world)
    enrollment_id = enroll_officer(db.uow(), world.m1, officer_id, world.training_class)

    enrollment = fetch(db, Enrollment, enrollment_id)
    assert (enrollment.officer_id, enrollment.class_id) == (officer_id, world.training_class)
    assert (enrollment.result, enrollment.updated_by) == (EnrollmentResult.ENROLLED, world.m1.user_id)
    officer = fetch(db, Officer, officer_id)
    assert (officer.authority_status, officer.version) == (AuthorityStatus.IN_TRAINING, 2)
    [change] = status_changes(db, officer_id)
    assert (change.to_status, change.reason) == (AuthorityStatus.IN_TRAINING, "enrolled in initial training")
    entries = audit_rows(db, operation="enrollment.create")
    assert {(e.record_kind, e.action) for e in entries} == {
        ("enrollment", "create"),
        ("officer", "update"),
        ("officer_status_change", "create"),
    }
    officer_entry = next(e for e in entries if e.record_kind == "officer")
    assert officer_entry.before == {"authority_status": "nominated"}
    assert officer_entry.after == {"authority_status": "in_training"}


def test_an_officer_who_withdrew_can_enroll_in_the_same_class_again(db: Database, world: World) -> None:
    officer_id = waiting_officer(db, world)
    enrollment_id = enroll_officer(db.uow(), world.m1, officer_id, world.training_class)
    record_enrollment_result(db.uow(), world.m1, enrollment_id, EnrollmentResult.WITHDRAWN)
    again = enroll_officer(db.uow(), world.m1, officer_id, world.training_class)
    assert fetch(db, Enrollment, again).result is EnrollmentResult.ENROLLED
    assert fetch(db, Officer, officer_id).authority_status is AuthorityStatus.IN_TRAINING
    assert count(db, Enrollment) == 1


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff"])
def test_others_cannot_enroll_m1s_officer(db: Database, world: World, who: str) -> None:
    officer_id = waiting_officer(db, world)
    with refused_without_writing(db, PermissionDenied, denied=True):
        enroll_officer(db.uow(), getattr(world, who), officer_id, world.training_class)
    [denial] = audit_rows(db, action="denied")
    assert (denial.operation, denial.record_id) == ("enrollment.create", world.agreement_m1)


def test_a_full_class_takes_no_one_more(db: Database, world: World) -> None:
    add_enrollment(db, waiting_officer(db, world, "C-150"), world.training_class)
    add_enrollment(db, waiting_officer(db, world, "C-151"), world.training_class)
    late = waiting_officer(db, world, "C-152")
    with refused_without_writing(db, ValidationError) as refused:
        enroll_officer(db.uow(), world.m1, late, world.training_class)
    assert refused.value.for_field("class") == "the class of 2026-12-07 has no free seat"


def test_a_seat_freed_by_a_withdrawal_can_be_taken(db: Database, world: World) -> None:
    first = waiting_officer(db, world, "C-150")
    add_enrollment(db, first, world.training_class, EnrollmentResult.WITHDRAWN)
    add_enrollment(db, waiting_officer(db, world, "C-151"), world.training_class)
    enroll_officer(db.uow(), world.m1, waiting_officer(db, world, "C-152"), world.training_class)
    assert count(db, Enrollment) == 3


def test_a_class_that_has_started_takes_no_one(db: Database, world: World) -> None:
    started = add_class(db, date(2026, 10, 26), date(2026, 11, 20), seats=24)
    officer_id = waiting_officer(db, world)
    with refused_without_writing(db, ValidationError) as refused:
        enroll_officer(db.uow(), world.m1, officer_id, started)
    assert refused.value.for_field("class") == "the class of 2026-10-26 has already started"


def test_an_authorized_officer_is_not_waiting_for_training(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        enroll_officer(db.uow(), world.m1, world.officer_m1, world.training_class)
    assert refused.value.for_field("officer") == "Carl Deputy is authorized, not waiting for training"


def test_an_officer_holds_one_seat_at_a_time(db: Database, world: World) -> None:
    officer_id = waiting_officer(db, world)
    add_enrollment(db, officer_id, world.training_class)
    later = add_class(db, date(2027, 3, 1), date(2027, 3, 26), seats=24)
    with refused_without_writing(db, ValidationError) as refused:
        enroll_officer(db.uow(), world.m1, officer_id, later)
    assert refused.value.for_field("class") == "Officer C-150 is already enrolled in the class of 2026-12-07"


def test_completing_the_class_records_the_initial_course(db: Database, world: World) -> None:
    officer_id = waiting_officer(db, world)
    class_id = past_class(db)
    enrollment_id = add_enrollment(db, officer_id, class_id)
    record_enrollment_result(db.uow(), world.m1, enrollment_id, EnrollmentResult.COMPLETED)

    enrollment = fetch(db, Enrollment, enrollment_id)
    assert (enrollment.result, enrollment.version, enrollment.updated_by) == (
        EnrollmentResult.COMPLETED,
        2,
        world.m1.user_id,
    )
    assert training_records(db, officer_id) == [
        ("initial", date(2026, 10, 2), "class FLETC Charleston 2026-09-07")
    ]
    entries = audit_rows(db, operation="enrollment.result")
    enrollment_entry = next(e for e in entries if e.record_kind == "enrollment")
    assert enrollment_entry.before == {"result": "enrolled"}
    assert enrollment_entry.after == {"result": "completed"}
    assert any(e.record_kind == "training_record" and e.action == "create" for e in entries)


def test_failing_the_class_puts_the_officer_back_in_the_queue(db: Database, world: World) -> None:
    officer_id = waiting_officer(db, world)
    enrollment_id = add_enrollment(db, officer_id, past_class(db))
    record_enrollment_result(db.uow(), world.m1, enrollment_id, EnrollmentResult.FAILED)
    assert fetch(db, Officer, officer_id).authority_status is AuthorityStatus.NOMINATED
    [change] = status_changes(db, officer_id)
    assert (change.from_status, change.to_status, change.reason) == (
        AuthorityStatus.IN_TRAINING,
        AuthorityStatus.NOMINATED,
        "initial training failed",
    )
    assert training_records(db, officer_id) == []


def test_others_cannot_record_m1s_results(db: Database, world: World) -> None:
    enrollment_id = add_enrollment(db, waiting_officer(db, world), past_class(db))
    with refused_without_writing(db, PermissionDenied, denied=True):
        record_enrollment_result(db.uow(), world.m2, enrollment_id, EnrollmentResult.COMPLETED)
    [denial] = audit_rows(db, action="denied")
    assert denial.operation == "enrollment.result"


def test_a_result_is_recorded_once(db: Database, world: World) -> None:
    enrollment_id = add_enrollment(db, waiting_officer(db, world), past_class(db))
    record_enrollment_result(db.uow(), world.m1, enrollment_id, EnrollmentResult.COMPLETED)
    with refused_without_writing(db, ValidationError) as refused:
        record_enrollment_result(db.uow(), world.m1, enrollment_id, EnrollmentResult.FAILED)
    assert refused.value.for_field("result") == "the result was already recorded as completed"


def test_enrolled_is_not_a_result(db: Database, world: World) -> None:
    enrollment_id = add_enrollment(db, waiting_officer(db, world), past_class(db))
    with refused_without_writing(db, ValidationError) as refused:
        record_enrollment_result(db.uow(), world.m1, enrollment_id, EnrollmentResult.ENROLLED)
    assert refused.value.for_field("result") == "choose completed, failed or withdrawn"


def test_a_class_that_has_not_ended_cannot_be_completed_yet(db: Database, world: World) -> None:
    enrollment_id = add_enrollment(db, waiting_officer(db, world), world.training_class)
    with refused_without_writing(db, ValidationError) as refused:
        record_enrollment_result(db.uow(), world.m1, enrollment_id, EnrollmentResult.COMPLETED)
    assert refused.value.for_field("completed_on") == (
        "is in the future (2027-01-01); record it when it has happened"
    )


# --- training records ---------------------------------------------------------------------------


def test_manager_records_a_refresher(db: Database, world: World) -> None:
    record_id = record_training(
        db.uow(), world.m1, world.officer_m1, " refresher ", date(2026, 10, 15), "online (PALMS)"
    )
    record = fetch(db, TrainingRecord, record_id)
    assert (record.course, record.completed_on, record.source) == (
        "refresher",
        date(2026, 10, 15),
        "online (PALMS)",
    )
    assert (record.version, record.updated_by) == (1, world.m1.user_id)
    [entry] = audit_rows(db, operation="training_record.create")
    assert (entry.action, entry.record_kind, entry.record_id) == ("create", "training_record", record_id)
    assert entry.after is not None
    assert (entry.after["course"], entry.after["completed_on"]) == ("refresher", "2026-10-15")


@pytest.mark.parametrize("who", ["m2", "supervisor_b", "staff", "admin"])
def test_others_cannot_record_training_of_m1s_officer(db: Database, world: World, who: str) -> None:
    with refused_without_writing(db, PermissionDenied, denied=True):
        record_training(db.uow(), getattr(world, who), world.officer_m1, "refresher", date(2026, 10, 15))
    [denial] = audit_rows(db, action="denied")
    assert denial.operation == "training_record.create"


def test_training_record_needs_course_and_date(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        record_training(db.uow(), world.m1, world.officer_m1, "  ", None)  # type: ignore[arg-type]
    assert refused.value.for_field("course") == "course is required"
    assert refused.value.for_field("completed_on") == "completion date is required"


def test_training_cannot_be_completed_in_the_future(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        record_training(db.uow(), world.m1, world.officer_m1, "refresher", date(2026, 11, 1))
    assert refused.value.for_field("completed_on") == (
        "is in the future (2026-11-01); record it when it has happened"
    )


def test_training_cannot_precede_the_nomination(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        record_training(db.uow(), world.m1, world.officer_m1, "refresher", date(2025, 11, 30))
    assert refused.value.for_field("completed_on") == "cannot be before the officer was nominated"


def test_the_same_course_on_the_same_day_is_recorded_once(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        record_training(db.uow(), world.m1, world.officer_m1, "initial", date(2026, 3, 1))
    assert refused.value.for_field("completed_on") == "initial on 2026-03-01 is already recorded"


def test_a_ten_megabyte_training_source_is_refused(db: Database, world: World) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        record_training(db.uow(), world.m1, world.officer_m1, "refresher", date(2026, 10, 15), TEN_MB)
    assert refused.value.for_field("source") == "is 10,485,760 characters long; at most 120 fit"
