"""Agencies, agreements and who manages them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.domain.enums import AgencyKind, AgreementModel, AgreementStatus, RecordKind
from pm_desk.store.models.base import Base, Record
from pm_desk.store.types import enum_column


class Agency(Record, Base):
    __tablename__ = "agencies"
    record_kind = RecordKind.AGENCY

    state: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(300))
    # The name as compared (trimmed, spaces collapsed, apostrophes straight, case folded).
    name_key: Mapped[str] = mapped_column(String(300))
    ori: Mapped[str | None] = mapped_column(String(9), unique=True, default=None)
    kind: Mapped[AgencyKind] = mapped_column(enum_column(AgencyKind), default=AgencyKind.COUNTY)
    county: Mapped[str | None] = mapped_column(String(200), default=None)
    address: Mapped[str | None] = mapped_column(String(500), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    jail_beds: Mapped[int | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("state", "name_key"), Index(None, "name_key"))


class Agreement(Record, Base):
    __tablename__ = "agreements"
    record_kind = RecordKind.AGREEMENT

    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"))
    model: Mapped[AgreementModel] = mapped_column(enum_column(AgreementModel))
    status: Mapped[AgreementStatus] = mapped_column(enum_column(AgreementStatus))
    application_received_on: Mapped[date | None] = mapped_column(default=None)
    signed_on: Mapped[date | None] = mapped_column(default=None)
    effective_on: Mapped[date | None] = mapped_column(default=None)
    expires_on: Mapped[date | None] = mapped_column(default=None)
    field_office_id: Mapped[str] = mapped_column(ForeignKey("field_offices.id"))
    # The manager of the open assignment, kept with it in one transaction for fast caseload reads.
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    next_steering_committee_on: Mapped[date | None] = mapped_column(default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    # ICE's published lists: the date of the latest list that named this agreement, and the date
    # of the first later list that no longer did (flagged for a person to look at, never deleted).
    ice_listed_on: Mapped[date | None] = mapped_column(default=None)
    ice_vanished_on: Mapped[date | None] = mapped_column(default=None)

    __table_args__ = (
        UniqueConstraint("agency_id", "model"),
        Index(None, "manager_id", "status"),
        Index(None, "field_office_id", "status"),
        Index(None, "status", "signed_on"),
        Index(None, "expires_on"),
    )


class Assignment(Record, Base):
    """Who managed an agreement when; the open one (no `ends_at`) is the current manager."""

    __tablename__ = "assignments"
    record_kind = RecordKind.ASSIGNMENT

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"))
    manager_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None] = mapped_column(default=None)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    assigned_by: Mapped[str | None] = mapped_column(String(36), default=None)

    __table_args__ = (Index(None, "agreement_id", "ends_at"), Index(None, "manager_id", "ends_at"))
