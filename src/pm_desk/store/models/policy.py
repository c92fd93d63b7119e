"""The policy in force: one row per setting (`section.key`), so each change is its own audited,
versioned record and syncs like any other."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pm_desk.domain.enums import RecordKind
from pm_desk.store.models.base import Base, Record


class PolicySetting(Record, Base):
    __tablename__ = "policy_settings"
    record_kind = RecordKind.POLICY_SETTING

    key: Mapped[str] = mapped_column(String(80), unique=True)
    value: Mapped[str] = mapped_column(Text)  # the setting as JSON: a number, true/false, or text
