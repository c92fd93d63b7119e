"""transfer search: an FTS5 trigram index over subject references and A-numbers, and sort
indexes for the times a transfer list sorts by (SQLite)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An external-content index: it stores only the trigrams and points at custody_transfers' rowid.
# The triggers keep it current on every insert, update of the searched columns, and delete.
CREATE = [
    """CREATE VIRTUAL TABLE transfer_search USING fts5(
        subject_ref, a_number, content='custody_transfers', content_rowid='rowid', tokenize='trigram'
    )""",
    """CREATE TRIGGER transfer_search_insert AFTER INSERT ON custody_transfers BEGIN
        INSERT INTO transfer_search(rowid, subject_ref, a_number)
        VALUES (new.rowid, new.subject_ref, new.a_number);
    END""",
    """CREATE TRIGGER transfer_search_delete AFTER DELETE ON custody_transfers BEGIN
        INSERT INTO transfer_search(transfer_search, rowid, subject_ref, a_number)
        VALUES ('delete', old.rowid, old.subject_ref, old.a_number);
    END""",
    """CREATE TRIGGER transfer_search_update AFTER UPDATE OF subject_ref, a_number ON custody_transfers BEGIN
        INSERT INTO transfer_search(transfer_search, rowid, subject_ref, a_number)
        VALUES ('delete', old.rowid, old.subject_ref, old.a_number);
        INSERT INTO transfer_search(rowid, subject_ref, a_number)
        VALUES (new.rowid, new.subject_ref, new.a_number);
    END""",
    "INSERT INTO transfer_search(transfer_search) VALUES ('rebuild')",
]
# The lists sort empty values last. Ascending, these expression indexes hold the rows in exactly
# that order; descending, SQLite puts empty values last by itself and a plain index serves.
# Either way the first page of a million transfers sorted by a time needs no sort.
ORDER_INDEXES = {
    "ix_order_custody_transfers_release_eligible_at": "release_eligible_at IS NULL, release_eligible_at",
    "ix_order_custody_transfers_pickup_at": "pickup_at IS NULL, pickup_at",
    "ix_order_custody_transfers_hold_deadline_at": "hold_deadline_at IS NULL, hold_deadline_at",
    "ix_order_custody_transfers_release_eligible_at_plain": "release_eligible_at",
    "ix_order_custody_transfers_hold_deadline_at_plain": "hold_deadline_at",
    # Sorting by status orders each status's rows by when the detainer was issued.
    "ix_order_custody_transfers_status_detainer": "status, detainer_issued_at",
    "ix_order_custody_transfers_subject_detainer": "subject_ref, detainer_issued_at",
}
# Counting the rows a list shows (never the deleted ones) reads this small index, not the table.
LIVE_INDEX = (
    "CREATE INDEX ix_order_custody_transfers_live ON custody_transfers (detainer_issued_at) "
    "WHERE deleted_at IS NULL"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL searches with ILIKE (a trigram index there is a later server concern)
    for statement in CREATE:
        op.execute(statement)
    for name, columns in ORDER_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON custody_transfers ({columns})")
    op.execute(LIVE_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in [*ORDER_INDEXES, "ix_order_custody_transfers_live"]:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name in ("transfer_search_insert", "transfer_search_delete", "transfer_search_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS transfer_search")
