"""What the models leave to SQLite-only migrations (the full-text index of transfers, expression
indexes for sorting): left out when the migrated schema is compared with the models."""

from __future__ import annotations

from typing import Any

SEARCH_TABLE_PREFIX = "transfer_search"
HAND_MADE_INDEX_PREFIX = "ix_order_"


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(SEARCH_TABLE_PREFIX)
    if type_ == "index":
        return not name.startswith(HAND_MADE_INDEX_PREFIX)
    return True
