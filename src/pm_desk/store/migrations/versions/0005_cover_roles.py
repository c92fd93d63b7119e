"""cover roles: an override covers the primary role, the backup role or both; a cover of nobody
(a holiday exception, a gap someone takes)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("roles", sa.String(length=32), nullable=False, server_default="primary")
        )
        batch_op.add_column(sa.Column("backup_covering_user_id", sa.String(length=36), nullable=True))
        batch_op.alter_column("covered_user_id", existing_type=sa.String(length=36), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_overrides_backup_covering_user_id_users"),
            "users",
            ["backup_covering_user_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_overrides_backup_covering_user_id_users"), type_="foreignkey")
        batch_op.alter_column("covered_user_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.drop_column("backup_covering_user_id")
        batch_op.drop_column("roles")
