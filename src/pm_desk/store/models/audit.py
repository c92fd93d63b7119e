"""The audit trail: one entry per write, chained by hashes so an edit by hand is detectable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.store.models.base import Base, new_id


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    # The position in the chain; SQLite's rowid, a sequence on PostgreSQL.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(String(36))
    actor_email: Mapped[str | None] = mapped_column(String(254))
    # The use case (`officer.revoke`, `agreement.reassign`, `denied`, `import`...).
    operation: Mapped[str] = mapped_column(String(80))
    # What happened to the record: create, update, delete, or the operation's own word.
    action: Mapped[str] = mapped_column(String(40))
    record_kind: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(36))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index(None, "record_kind", "record_id"), Index(None, "actor_id", "at"))
