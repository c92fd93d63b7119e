"""What the `small` demo's records imply, computed straight from the tables with plain SQL and
date arithmetic (not with the rules the reports call), so a report is checked against an
independent answer."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None


@dataclass(frozen=True)
class Revocation:
    name: str
    badge: str
    days_overdue: int


@dataclass(frozen=True)
class Breach:
    subject_ref: str
    hours_over: float
    still_open: bool


def _manager_clause(email: str | None) -> tuple[str, tuple[str, ...]]:
    if email is None:
        return "", ()
    return " AND a.manager_id = (SELECT id FROM users WHERE email = ?)", (email,)


def revocations_due(db: Path, as_of: datetime, email: str | None = None) -> list[Revocation]:
    """Authorized officers whose latest initial or refresher course is more than 365 + 30 days
    before the report's date (the policy's defaults)."""
    clause, params = _manager_clause(email)
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            f"""
            SELECT o.name, o.badge,
                   (SELECT max(completed_on) FROM training_records t
                     WHERE t.officer_id = o.id AND t.course = 'initial' AND t.deleted_at IS NULL),
                   (SELECT max(completed_on) FROM training_records t
                     WHERE t.officer_id = o.id AND t.course IN ('initial', 'refresher')
                       AND t.deleted_at IS NULL)
            FROM officers o JOIN agreements a ON a.id = o.agreement_id
            WHERE o.authority_status = 'authorized' AND o.deleted_at IS NULL AND a.deleted_at IS NULL{clause}
            """,
            params,
        ).fetchall()
    today = as_of.astimezone(UTC).date()
    out = []
    for name, badge, initial, latest in rows:
        if initial is None or latest is None:
            continue
        due = date.fromisoformat(latest) + timedelta(days=365)
        if today > due + timedelta(days=30):
            out.append(Revocation(name, badge, (today - due).days))
    return out


def hold_breaches(
    db: Path, start: datetime, end: datetime, as_of: datetime, email: str | None
) -> list[Breach]:
    """Pickups in [start, end) more than 48 hours after release-eligibility, and holds still open
    48 hours after it at `as_of`."""
    clause, params = _manager_clause(email)
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            f"""
            SELECT t.subject_ref, t.status, t.release_eligible_at, t.pickup_at
            FROM custody_transfers t JOIN agreements a ON a.id = t.agreement_id
            WHERE t.deleted_at IS NULL AND a.deleted_at IS NULL AND t.release_eligible_at IS NOT NULL
              AND t.status IN ('transferred', 'detainer_lodged', 'awaiting_pickup'){clause}
            """,
            params,
        ).fetchall()
    out = []
    for ref, status, eligible_text, pickup_text in rows:
        eligible, pickup = _instant(eligible_text), _instant(pickup_text)
        assert eligible is not None
        deadline = eligible + timedelta(hours=48)
        if status == "transferred" and pickup is not None and start <= pickup < end and pickup > deadline:
            out.append(Breach(ref, round((pickup - deadline).total_seconds() / 3600, 2), False))
        elif status != "transferred" and as_of > deadline:
            out.append(Breach(ref, round((as_of - deadline).total_seconds() / 3600, 2), True))
    return out


def busiest_manager(db: Path) -> str:
    """The manager with the most agreements."""
    with sqlite3.connect(db) as connection:
        row = connection.execute(
            """
            SELECT u.email FROM users u JOIN agreements a ON a.manager_id = u.id
            WHERE u.role = 'manager' AND u.active GROUP BY u.id ORDER BY count(a.id) DESC, u.email LIMIT 1
            """
        ).fetchone()
    return str(row[0])
