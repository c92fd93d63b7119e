"""Reports that were filed: the archive that keeps a closed month closed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.domain.enums import RecordKind
from pm_desk.store.models.base import Base, Record


class FiledReport(Record, Base):
    """A report as it was filed: what it said (its content and hash), as of when, and how many
    local changes had not yet reached the central server at that moment."""

    __tablename__ = "filed_reports"
    record_kind = RecordKind.FILED_REPORT

    kind: Mapped[str] = mapped_column(String(40))  # monthly, agreement, program, staffing, oncall
    period_start: Mapped[date | None] = mapped_column(default=None)
    period_end: Mapped[date | None] = mapped_column(default=None)
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    agreement_id: Mapped[str | None] = mapped_column(ForeignKey("agreements.id"), default=None)
    data_as_of: Mapped[datetime]
    filed_at: Mapped[datetime]
    filed_by: Mapped[str | None] = mapped_column(String(36), default=None)
    # The report's figures and lists as canonical JSON, and the SHA-256 of that text.
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    pdf_file: Mapped[str | None] = mapped_column(String(500), default=None)
    unsynced_records: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index(None, "kind", "period_start", "manager_id"),)
