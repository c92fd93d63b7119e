"""Names people recognise for records listed by id (officer names, agency names, subjects)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import RecordKind, label
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
    model_for,
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


def _stamp(at: datetime, pattern: str) -> str:
    return at.astimezone().strftime(pattern)


# Per kind of record: the columns its label is made of (the record's id first), and the label.
_LABELS: dict[str, tuple[Select, Callable[..., str]]] = {
    RecordKind.OFFICER: (
        select(Officer.id, Officer.name, Officer.badge, Agency.name, Agency.state).join(
            Agency, Agency.id == Officer.agency_id
        ),
        lambda n, b, a, s: f"{n} (badge {b}) — {a}, {s}",
    ),
    RecordKind.AGREEMENT: (
        select(Agreement.id, Agency.name, Agency.state, Agreement.model).join(
            Agency, Agency.id == Agreement.agency_id
        ),
        lambda a, s, m: f"{a}, {s} — {label(m)}",
    ),
    RecordKind.TRANSFER: (
        select(CustodyTransfer.id, CustodyTransfer.subject_ref, Agency.name, Agency.state)
        .join(Agreement, Agreement.id == CustodyTransfer.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id),
        lambda r, a, s: f"Subject {r} — {a}, {s}",
    ),
    RecordKind.FINDING: (
        select(Finding.id, Finding.text, Agency.name)
        .join(Inspection, Inspection.id == Finding.inspection_id)
        .join(Agreement, Agreement.id == Inspection.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id),
        lambda t, a: f"{_short(t)} — {a}",
    ),
    RecordKind.COMPLAINT: (
        select(Complaint.id, Complaint.received_at, Agency.name)
        .join(Agreement, Agreement.id == Complaint.agreement_id)
        .join(Agency, Agency.id == Agreement.agency_id),
        lambda r, a: f"Complaint of {_stamp(r, '%Y-%m-%d')} — {a}",
    ),
    RecordKind.USER: (select(User.id, User.name), lambda n: n),
    RecordKind.SHIFT: (
        select(Shift.id, User.name, Shift.starts_at).join(User, User.id == Shift.primary_id),
        lambda n, s: f"{n}, shift of {_stamp(s, '%Y-%m-%d %H:%M')}",
    ),
    RecordKind.ROTATION: (select(Rotation.id, Rotation.name), lambda n: f"Rotation {n}"),
}


def _labels(session: Session, kind: str, ids: list[str]) -> list[tuple[str, str]]:
    if kind not in _LABELS:
        return []
    statement, text = _LABELS[kind]
    rows = session.execute(statement.where(model_for(kind).id.in_(ids)))
    return [(record_id, text(*values)) for record_id, *values in rows]


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
