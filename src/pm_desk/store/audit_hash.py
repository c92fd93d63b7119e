"""The hash of an audit entry: its content and the hash of the entry it follows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pm_desk.domain.keys import instant_key

# What the first entry of a chain follows.
GENESIS_HASH = "0" * 64


def entry_hash(prev_hash: str, row: Mapping[str, Any] | Any) -> str:
    """The hash of one entry: its content and the hash of the entry before it."""
    content = [
        prev_hash,
        row["id"],
        instant_key(row["at"]),
        row["actor_id"],
        row["actor_email"],
        row["operation"],
        row["action"],
        row["record_kind"],
        row["record_id"],
        row["before"],
        row["after"],
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
