"""Names people recognise for records listed by id (officer names, agency names, subjects)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import label
from pm_desk.store.models import (
    Agency,
    Agreement,
    Complaint,
    CustodyTransfer,
    Finding,
    Inspection,
    Officer,
    Rotation,
    Shift,
    User,
)


def record_labels(session: Session, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(kind, id) → a one-line description, fetched in one query per kind."""
    by_kind: dict[str, set[str]] = {}
    for kind, record_id in wanted:
        by_kind.setdefault(kind, set()).add(record_id)
    out: dict[tuple[str, str], str] = {}
    chunks = {kind: sorted(ids) for kind, ids in by_kind.items()}
    for kind, ids in chunks.items():
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            for record_id, text in _labels(session, kind, part):
                out[(kind, record_id)] = text
    return out


def _labels(session: Session, kind: str, ids: list[str]) -> list[tuple[str, str]]:
    rows: Any
    if kind == "officer":
        rows = session.execute(
            select(Officer.id, Officer.name, Officer.badge, Agency.name, Agency.state)
            .join(Agency, Agency.id == Officer.agency_id)
            .where(Officer.id.in_(ids))
        )
        return [(i, f"{n} (badge {b}) — {a}, {s}") for i, n, b, a, s in rows]
    if kind == "agreement":
        rows = session.execute(
            select(Agreement.id, Agency.name, Agency.state, Agreement.model)
            .join(Agency, Agency.id == Agreement.agency_id)
            .where(Agreement.id.in_(ids))
        )
        return [(i, f"{a}, {s} — {label(m)}") for i, a, s, m in rows]
    if kind == "transfer":
        rows = session.execute(
            select(CustodyTransfer.id, CustodyTransfer.subject_ref, Agency.name, Agency.state)
            .join(Agreement, Agreement.id == CustodyTransfer.agreement_id)
            .join(Agency, Agency.id == Agreement.agency_id)
            .where(CustodyTransfer.id.in_(ids))
        )
        return [(i, f"Subject {r} — {a}, {s}") for i, r, a, s in rows]
    if kind == "finding":
        rows = session.execute(
            select(Finding.id, Finding.text, Agency.name)
            .join(Inspection, Inspection.id == Finding.inspection_id)
            .join(Agreement, Agreement.id == Inspection.agreement_id)
            .join(Agency, Agency.id == Agreement.agency_id)
            .where(Finding.id.in_(ids))
        )
        return [(i, f"{_short(t)} — {a}") for i, t, a in rows]
    if kind == "complaint":
        rows = session.execute(
            select(Complaint.id, Complaint.received_at, Agency.name)
            .join(Agreement, Agreement.id == Complaint.agreement_id)
            .join(Agency, Agency.id == Agreement.agency_id)
            .where(Complaint.id.in_(ids))
        )
        return [(i, f"Complaint of {r.astimezone().strftime('%Y-%m-%d')} — {a}") for i, r, a in rows]
    if kind == "user":
        return [(i, n) for i, n in session.execute(select(User.id, User.name).where(User.id.in_(ids)))]
    if kind == "shift":
        rows = session.execute(
            select(Shift.id, User.name, Shift.starts_at)
            .join(User, User.id == Shift.primary_id)
            .where(Shift.id.in_(ids))
        )
        return [(i, f"{n}, shift of {s.astimezone().strftime('%Y-%m-%d %H:%M')}") for i, n, s in rows]
    if kind == "rotation":
        return [
            (i, f"Rotation {n}")
            for i, n in session.execute(select(Rotation.id, Rotation.name).where(Rotation.id.in_(ids)))
        ]
    return []


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
