"""Designated officers, their authority history and their training."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.domain.enums import AuthorityStatus, BackgroundCheck, EnrollmentResult, RecordKind
from pm_desk.store.models.base import Base, Record
from pm_desk.store.types import enum_column


class Officer(Record, Base):
    __tablename__ = "officers"
    record_kind = RecordKind.OFFICER

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"))
    # The agreement's agency, kept here so a badge is unique within the agency.
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"))
    name: Mapped[str] = mapped_column(String(200))
    badge: Mapped[str] = mapped_column(String(40))
    rank: Mapped[str | None] = mapped_column(String(80), default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    nominated_on: Mapped[date | None] = mapped_column(default=None)
    background_status: Mapped[BackgroundCheck | None] = mapped_column(
        enum_column(BackgroundCheck), default=None
    )
    background_on: Mapped[date | None] = mapped_column(default=None)
    authority_status: Mapped[AuthorityStatus] = mapped_column(
        enum_column(AuthorityStatus), default=AuthorityStatus.NOMINATED
    )

    __table_args__ = (
        UniqueConstraint("agency_id", "badge"),
        Index(None, "agreement_id", "authority_status"),
        Index(None, "authority_status"),
        Index(None, "name"),
    )


class OfficerStatusChange(Record, Base):
    __tablename__ = "officer_status_changes"
    record_kind = RecordKind.OFFICER_STATUS_CHANGE

    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"))
    changed_at: Mapped[datetime]
    from_status: Mapped[AuthorityStatus | None] = mapped_column(enum_column(AuthorityStatus))
    to_status: Mapped[AuthorityStatus] = mapped_column(enum_column(AuthorityStatus))
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    changed_by: Mapped[str | None] = mapped_column(String(36), default=None)

    __table_args__ = (Index(None, "officer_id", "changed_at"), Index(None, "to_status", "changed_at"))


class TrainingClass(Record, Base):
    """A session of the in-person initial course."""

    __tablename__ = "training_classes"
    record_kind = RecordKind.TRAINING_CLASS

    location: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    seats: Mapped[int]

    __table_args__ = (Index(None, "starts_on"),)


class Enrollment(Record, Base):
    __tablename__ = "enrollments"
    record_kind = RecordKind.ENROLLMENT

    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"))
    class_id: Mapped[str] = mapped_column(ForeignKey("training_classes.id"))
    result: Mapped[EnrollmentResult] = mapped_column(
        enum_column(EnrollmentResult), default=EnrollmentResult.ENROLLED
    )

    __table_args__ = (UniqueConstraint("officer_id", "class_id"), Index(None, "class_id", "result"))


class TrainingRecord(Record, Base):
    __tablename__ = "training_records"
    record_kind = RecordKind.TRAINING_RECORD

    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"))
    # `initial`, `refresher`, or the name of another course.
    course: Mapped[str] = mapped_column(String(120))
    completed_on: Mapped[date]
    source: Mapped[str | None] = mapped_column(String(120), default=None)

    __table_args__ = (UniqueConstraint("officer_id", "course", "completed_on"),)
