"""The lists of the Training page: classes with their seats, and the queue of waiting officers."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, func, select

from pm_desk.domain.enums import SEAT_HOLDING_RESULTS, AuthorityStatus, Course, EnrollmentResult
from pm_desk.store.models import Agency, Agreement, Enrollment, Officer, TrainingClass, TrainingRecord
from pm_desk.store.queries.caseload_lists import Manager
from pm_desk.store.queries.listing import Column, ListSpec, Scope, restrict

_taken = (
    select(func.count())
    .where(
        Enrollment.class_id == TrainingClass.id,
        Enrollment.result.in_(SEAT_HOLDING_RESULTS),
        Enrollment.deleted_at.is_(None),
    )
    .correlate(TrainingClass)
    .scalar_subquery()
)


def _classes_base(scope: Scope) -> Select:
    # Classes are program-wide: every manager enrolls officers into the same sessions.
    return select(TrainingClass.id).select_from(TrainingClass).where(TrainingClass.deleted_at.is_(None))


CLASSES = ListSpec(
    name="training_classes",
    title="Classes",
    record_kind="training_class",
    id_expr=TrainingClass.id,
    base=_classes_base,
    default_sort=("starts_on", True),
    columns=(
        Column("starts_on", "Starts", TrainingClass.starts_on, kind="date", width=95),
        Column("ends_on", "Ends", TrainingClass.ends_on, kind="date", width=95),
        Column("location", "Location", TrainingClass.location, searchable=True, width=240),
        Column("seats", "Seats", TrainingClass.seats, kind="number", width=60),
        Column("taken", "Taken", _taken, kind="number", width=60),
        Column("free", "Free", TrainingClass.seats - _taken, kind="number", width=60),
    ),
)

_has_initial = exists().where(
    TrainingRecord.officer_id == Officer.id,
    TrainingRecord.course == Course.INITIAL.value,
    TrainingRecord.deleted_at.is_(None),
)
_enrolled_class = (
    select(TrainingClass.starts_on)
    .join(Enrollment, Enrollment.class_id == TrainingClass.id)
    .where(
        Enrollment.officer_id == Officer.id,
        Enrollment.result == EnrollmentResult.ENROLLED,
        Enrollment.deleted_at.is_(None),
    )
    .correlate(Officer)
    .limit(1)
    .scalar_subquery()
)


def _queue_base(scope: Scope) -> Select:
    statement = (
        select(Officer.id)
        .select_from(Officer)
        .join(Agreement, Agreement.id == Officer.agreement_id)
        .join(Agency, Agency.id == Officer.agency_id)
        .outerjoin(Manager, Manager.id == Agreement.manager_id)
        .where(
            Officer.deleted_at.is_(None),
            Agreement.deleted_at.is_(None),
            Officer.authority_status.in_([AuthorityStatus.NOMINATED, AuthorityStatus.IN_TRAINING]),
            ~_has_initial,
        )
    )
    return restrict(statement, scope)


QUEUE = ListSpec(
    name="training_queue",
    title="Waiting for initial training",
    record_kind="officer",
    id_expr=Officer.id,
    base=_queue_base,
    default_sort=("nominated_on", False),
    columns=(
        Column("name", "Officer", Officer.name, searchable=True, width=190),
        Column("badge", "Badge", Officer.badge, searchable=True, width=80),
        Column("agency", "Agency", Agency.name, searchable=True, width=240),
        Column("state", "State", Agency.state, width=50),
        Column("authority", "Authority", Officer.authority_status, kind="status", width=110),
        Column("nominated_on", "Nominated", Officer.nominated_on, kind="date", width=95),
        Column("enrolled_class", "Enrolled in class of", _enrolled_class, kind="date", width=120),
        Column("manager", "Manager", Manager.name, searchable=True, width=150, visible=False),
    ),
    derived=(
        Column(
            "days_waiting",
            "Days waiting",
            Officer.nominated_on,
            kind="derived",
            width=90,
            sort_expr=Officer.nominated_on,
            after="nominated_on",
        ),
    ),
    quick_filters={
        "not_enrolled": ("Not yet enrolled", lambda _query: and_(_enrolled_class.is_(None))),
    },
)
