"""Equipment orders, custody transfers and monthly activity counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.domain.enums import EquipmentItem, RecordKind, TransferStatus
from pm_desk.store.models.base import Base, Record
from pm_desk.store.types import enum_column


class EquipmentOrder(Record, Base):
    __tablename__ = "equipment_orders"
    record_kind = RecordKind.EQUIPMENT_ORDER

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"))
    item: Mapped[EquipmentItem] = mapped_column(enum_column(EquipmentItem))
    quantity: Mapped[int] = mapped_column(default=1)
    requested_on: Mapped[date | None] = mapped_column(default=None)
    ordered_on: Mapped[date | None] = mapped_column(default=None)
    shipped_on: Mapped[date | None] = mapped_column(default=None)
    delivered_on: Mapped[date | None] = mapped_column(default=None)
    operational_on: Mapped[date | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("agreement_id", "item"),)


class CustodyTransfer(Record, Base):
    __tablename__ = "custody_transfers"
    record_kind = RecordKind.TRANSFER

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"))
    # The agency's own reference for the subject (booking number or similar): the natural key.
    subject_ref: Mapped[str] = mapped_column(String(80))
    subject_name: Mapped[str | None] = mapped_column(String(200), default=None)
    subject_dob: Mapped[date | None] = mapped_column(default=None)
    a_number: Mapped[str | None] = mapped_column(String(10), default=None)
    encounter_on: Mapped[date | None] = mapped_column(default=None)
    detainer_issued_at: Mapped[datetime]
    release_eligible_at: Mapped[datetime | None] = mapped_column(default=None)
    pickup_at: Mapped[datetime | None] = mapped_column(default=None)
    released_at: Mapped[datetime | None] = mapped_column(default=None)
    receiving_office: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[TransferStatus] = mapped_column(
        enum_column(TransferStatus), default=TransferStatus.DETAINER_LODGED
    )
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    # The hold deadline under the current policy, kept with the record so the list can sort and
    # filter by it through an index (services set it; a policy change recomputes it).
    hold_deadline_at: Mapped[datetime | None] = mapped_column(default=None)
    # The A-number's last four digits: what people type to find a subject, indexed.
    a_number_last4: Mapped[str | None] = mapped_column(String(4), default=None)

    __table_args__ = (
        UniqueConstraint("agreement_id", "subject_ref", "detainer_issued_at"),
        Index(None, "status", "release_eligible_at"),
        Index(None, "detainer_issued_at"),
        Index(None, "agreement_id", "detainer_issued_at"),
        Index(None, "pickup_at"),
        Index(None, "a_number"),
        Index(None, "subject_ref"),
        Index(None, "status", "hold_deadline_at"),
        Index(None, "a_number_last4"),
    )


class TransferEvent(Record, Base):
    """One step of a custody transfer's timeline, with who entered it (`updated_by`) and when."""

    __tablename__ = "transfer_events"
    record_kind = RecordKind.TRANSFER_EVENT

    transfer_id: Mapped[str] = mapped_column(ForeignKey("custody_transfers.id"))
    # detainer_issued, detainer_served, release_eligible, pickup, released, cancelled,
    # citizenship_claim, note
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text, default=None)
    entered_by: Mapped[str | None] = mapped_column(String(36), default=None)

    __table_args__ = (Index(None, "transfer_id", "occurred_at"),)


class ActivityCount(Record, Base):
    """Monthly counts of one agreement: the basis of the performance measures."""

    __tablename__ = "activity_counts"
    record_kind = RecordKind.ACTIVITY

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"))
    month: Mapped[date]  # the first day of the month
    encounters: Mapped[int] = mapped_column(default=0)
    detainers_lodged: Mapped[int] = mapped_column(default=0)
    charging_documents: Mapped[int] = mapped_column(default=0)
    transfers_completed: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("agreement_id", "month"), Index(None, "month"))
