"""Field offices and users."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.domain.enums import RecordKind, Role
from pm_desk.store.models.base import Base, Record
from pm_desk.store.types import enum_column


class FieldOffice(Record, Base):
    __tablename__ = "field_offices"
    record_kind = RecordKind.FIELD_OFFICE

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Record, Base):
    __tablename__ = "users"
    record_kind = RecordKind.USER

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    field_office_id: Mapped[str | None] = mapped_column(ForeignKey("field_offices.id"))
    # Workload units this user can carry; None means the policy's default.
    capacity: Mapped[float | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(default=True)
    # Set at first sign-in (Argon2); imported users have none until then.
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)

    __table_args__ = (Index(None, "field_office_id", "role"),)
