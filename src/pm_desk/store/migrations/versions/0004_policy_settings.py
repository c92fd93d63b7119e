"""policy settings: the thresholds in force, one audited record per setting, seeded with the
shipped defaults

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from pm_desk.domain.policy import load_policy, policy_items
from pm_desk.store.models.base import new_id

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "policy_settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_settings")),
        sa.UniqueConstraint("key", name=op.f("uq_policy_settings_key")),
    )
    now = datetime.now(UTC)
    record = {"created_at": now, "updated_at": now, "updated_by": None, "version": 1, "deleted_at": None}
    rows = [
        {"key": key, "value": json.dumps(value), "id": new_id(), **record}
        for key, value in policy_items(load_policy()).items()
    ]
    op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("policy_settings")
