"""Record ids are time-ordered UUIDs, so inserts append to the primary-key index."""

from __future__ import annotations

import time
import uuid

from pm_desk.store.models import new_id


def test_ids_are_version_7_uuids() -> None:
    ids = [new_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    for value in ids[:20]:
        parsed = uuid.UUID(value)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122


def test_ids_sort_by_creation_time() -> None:
    first = new_id()
    time.sleep(0.002)
    second = new_id()
    assert first < second
    millis = int(first.replace("-", "")[:12], 16)
    assert abs(millis - time.time_ns() // 1_000_000) < 5_000
