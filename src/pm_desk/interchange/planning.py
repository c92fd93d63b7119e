"""The plan of an import: for every row, the record it creates, changes or leaves alone.

A row is compared with the stored record of its natural key column by column; only the columns
that differ are written (the record's version goes up by one), and a row equal to its record
writes nothing, so importing the same files twice changes nothing the second time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table

from pm_desk.interchange.cells import instant_second
from pm_desk.interchange.problems import Findings, RowProblem
from pm_desk.store.models import (
    Agency,
    Agreement,
    Assignment,
    CustodyTransfer,
    EquipmentOrder,
    FieldOffice,
    Finding,
    Inspection,
    Leave,
    Officer,
    OfficerStatusChange,
    Record,
    Rotation,
    RotationMember,
    Shift,
    TrainingRecord,
    User,
)

# Parents before children: the order the plan is written in.
APPLY_ORDER: tuple[type[Record], ...] = (
    FieldOffice,
    User,
    Agency,
    Agreement,
    Assignment,
    Officer,
    OfficerStatusChange,
    TrainingRecord,
    EquipmentOrder,
    CustodyTransfer,
    Inspection,
    Finding,
    Rotation,
    RotationMember,
    Shift,
    Leave,
)
OUTCOMES = ("new", "changed", "unchanged")
_random = random.Random()


def new_id() -> str:
    """A time-ordered UUID (version 7) like `store.models.new_id`, drawn from a fast generator:
    ids are not secrets, and an import makes hundreds of thousands of them."""
    millis = time.time_ns() // 1_000_000 & ((1 << 48) - 1)
    rand = _random.getrandbits(74)
    value = millis << 80 | 0x7 << 76 | (rand >> 62) << 64 | 0b10 << 62 | (rand & ((1 << 62) - 1))
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(slots=True)
class Change:
    model: type[Record]
    record_id: str
    action: str  # create, update or restore
    values: dict[str, Any]  # create: every value; update: the new values of the changed columns
    before: dict[str, Any] | None = None  # update: the old values of those columns
    version: int = 0  # update: the version the record had when the plan was made


@dataclass
class Plan:
    changes: dict[type[Record], list[Change]] = field(default_factory=dict)
    # Per table of the import: how many rows are new, changed and unchanged.
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    findings: Findings = field(default_factory=Findings)
    denials: list[RowProblem] = field(default_factory=list)

    @property
    def problems(self) -> list[RowProblem]:
        return self.findings.problems

    @property
    def notes(self) -> list[str]:
        return self.findings.notes

    @property
    def change_count(self) -> int:
        return sum(len(c) for c in self.changes.values())

    def add(self, change: Change) -> None:
        self.changes.setdefault(change.model, []).append(change)

    def count(self, table: str, outcome: str) -> None:
        counts = self.counts.setdefault(table, dict.fromkeys(OUTCOMES, 0))
        counts[outcome] = counts.get(outcome, 0) + 1

    def records_changed(self) -> dict[str, dict[str, int]]:
        """Per kind of record: how many are created, updated and restored."""
        result: dict[str, dict[str, int]] = {}
        for model, changes in self.changes.items():
            for change in changes:
                kinds = result.setdefault(model.record_kind, {})
                kinds[change.action] = kinds.get(change.action, 0) + 1
        return result


def table_of(model: type[Record]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def same(old: Any, new: Any) -> bool:
    """Equal as the interchange tables can tell: instants to the second."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return instant_second(old) == instant_second(new)
    return bool(old == new)


def upsert(
    plan: Plan,
    model: type[Record],
    stored: dict[str, Any] | None,
    values: dict[str, Any],
    authorize: Callable[[], str | None],
    where: tuple[str, int],
    new_record_id: str | None = None,
) -> tuple[str | None, Change | None, str]:
    """Plan one record: (its id, the change or None, outcome). A refused change is noted in
    `plan.denials` and planned as nothing (id None when the record does not exist yet)."""
    if stored is None:
        why = authorize()
        if why is not None:
            plan.denials.append(RowProblem(where[0], where[1], "", why))
            return None, None, "denied"
        change = Change(model, new_record_id or new_id(), "create", dict(values))
        plan.add(change)
        return change.record_id, change, "new"
    changed = {k: v for k, v in values.items() if not same(stored.get(k), v)}
    restoring = stored.get("deleted_at") is not None
    if restoring:
        changed["deleted_at"] = None
    if not changed:
        return stored["id"], None, "unchanged"
    why = authorize()
    if why is not None:
        plan.denials.append(RowProblem(where[0], where[1], "", why))
        return stored["id"], None, "denied"
    change = Change(
        model,
        stored["id"],
        "restore" if restoring else "update",
        changed,
        {k: stored.get(k) for k in changed},
        stored["version"],
    )
    plan.add(change)
    stored.update(changed)
    return stored["id"], change, "changed"
