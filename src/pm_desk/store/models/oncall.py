"""The on-call rota: rotations, their members, shifts, overrides, leave and swaps."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.domain.enums import CoverRoles, LeaveKind, OverrideReason, RecordKind, RequestState
from pm_desk.store.models.base import Base, Record
from pm_desk.store.types import enum_column


class Rotation(Record, Base):
    __tablename__ = "rotations"
    record_kind = RecordKind.ROTATION

    field_office_id: Mapped[str] = mapped_column(ForeignKey("field_offices.id"))
    name: Mapped[str] = mapped_column(String(200))
    handoff_weekday: Mapped[int] = mapped_column(default=0)  # Monday is 0
    handoff_time: Mapped[str] = mapped_column(String(5), default="08:00")  # local wall time
    shift_hours: Mapped[int] = mapped_column(default=168)
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    starts_on: Mapped[date]


class RotationMember(Record, Base):
    __tablename__ = "rotation_members"
    record_kind = RecordKind.ROTATION_MEMBER

    rotation_id: Mapped[str] = mapped_column(ForeignKey("rotations.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    position: Mapped[int]

    __table_args__ = (UniqueConstraint("rotation_id", "user_id"),)


class Shift(Record, Base):
    __tablename__ = "shifts"
    record_kind = RecordKind.SHIFT

    rotation_id: Mapped[str] = mapped_column(ForeignKey("rotations.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    primary_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    backup_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Set on holiday exceptions and hand edits so regeneration leaves the shift alone.
    note: Mapped[str | None] = mapped_column(String(300), default=None)

    __table_args__ = (
        Index(None, "rotation_id", "starts_at"),
        Index(None, "primary_id", "starts_at"),
        Index(None, "backup_id", "starts_at"),
    )


class Override(Record, Base):
    """Who covers whom, when and why; approved ones replace the person in the roles they name
    for their hours. No covered person: whoever holds the primary role then, and the instants
    nobody does (a holiday exception, a gap someone takes)."""

    __tablename__ = "overrides"
    record_kind = RecordKind.OVERRIDE

    rotation_id: Mapped[str] = mapped_column(ForeignKey("rotations.id"))
    shift_id: Mapped[str | None] = mapped_column(ForeignKey("shifts.id"), default=None)
    covered_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Who takes the primary role (None: nobody, the stretch is left uncovered) ...
    covering_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    roles: Mapped[CoverRoles] = mapped_column(enum_column(CoverRoles), default=CoverRoles.PRIMARY)
    # ... and who takes the backup role, when the cover is of the backup role too.
    backup_covering_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[OverrideReason] = mapped_column(enum_column(OverrideReason))
    state: Mapped[RequestState] = mapped_column(enum_column(RequestState), default=RequestState.REQUESTED)
    requested_by: Mapped[str | None] = mapped_column(String(36), default=None)
    approved_by: Mapped[str | None] = mapped_column(String(36), default=None)

    __table_args__ = (Index(None, "rotation_id", "starts_at"), Index(None, "state"))


class Leave(Record, Base):
    __tablename__ = "leave"
    record_kind = RecordKind.LEAVE

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    kind: Mapped[LeaveKind] = mapped_column(enum_column(LeaveKind))

    __table_args__ = (Index(None, "user_id", "starts_at"),)


class SwapRequest(Record, Base):
    __tablename__ = "swap_requests"
    record_kind = RecordKind.SWAP_REQUEST

    requested_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    with_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"))
    other_shift_id: Mapped[str | None] = mapped_column(ForeignKey("shifts.id"), default=None)
    state: Mapped[RequestState] = mapped_column(enum_column(RequestState), default=RequestState.REQUESTED)
    approved_by: Mapped[str | None] = mapped_column(String(36), default=None)

    __table_args__ = (Index(None, "state"),)
