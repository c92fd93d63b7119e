"""Inspections with their findings, and complaints."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.domain.enums import FindingSeverity, InspectionKind, RecordKind
from pm_desk.store.models.base import Base, Record
from pm_desk.store.types import enum_column


class Inspection(Record, Base):
    __tablename__ = "inspections"
    record_kind = RecordKind.INSPECTION

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"))
    held_on: Mapped[date]
    kind: Mapped[InspectionKind] = mapped_column(enum_column(InspectionKind))
    summary: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (Index(None, "agreement_id", "kind", "held_on"), Index(None, "held_on"))


class Finding(Record, Base):
    __tablename__ = "findings"
    record_kind = RecordKind.FINDING

    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id"))
    severity: Mapped[FindingSeverity] = mapped_column(
        enum_column(FindingSeverity), default=FindingSeverity.MEDIUM
    )
    text: Mapped[str] = mapped_column(Text)
    corrective_action: Mapped[str | None] = mapped_column(Text, default=None)
    corrective_due: Mapped[date | None] = mapped_column(default=None)
    closed_on: Mapped[date | None] = mapped_column(default=None)

    __table_args__ = (Index(None, "inspection_id"), Index(None, "closed_on", "corrective_due"))


class Complaint(Record, Base):
    __tablename__ = "complaints"
    record_kind = RecordKind.COMPLAINT

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"))
    officer_id: Mapped[str | None] = mapped_column(ForeignKey("officers.id"), default=None)
    received_at: Mapped[datetime]
    summary: Mapped[str | None] = mapped_column(Text, default=None)
    reported_at: Mapped[datetime | None] = mapped_column(default=None)
    referred_at: Mapped[datetime | None] = mapped_column(default=None)
    officer_removed: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(500), default=None)
    closed_on: Mapped[date | None] = mapped_column(default=None)

    __table_args__ = (Index(None, "agreement_id", "received_at"), Index(None, "closed_on"))
