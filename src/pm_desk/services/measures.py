"""Monthly measures of an agreement's custody transfers, computed from the records themselves."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import or_, select

from pm_desk.domain.enums import TransferStatus
from pm_desk.domain.facts import TransferFacts
from pm_desk.domain.rules import closed_hold_outcome
from pm_desk.store.models import CustodyTransfer
from pm_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class MonthMeasures:
    month: date  # the first day of the month (UTC)
    completed: int  # transfers picked up in the month
    released_without_pickup: int
    breaches: int  # pickups after the hold deadline (DESIGN.md's closed-hold rule), by month of pickup
    median_hours_to_pickup: float | None  # from release-eligible to pickup


def _month(instant: datetime) -> date:
    moment = instant.astimezone(UTC)
    return date(moment.year, moment.month, 1)


def _months_back(today: date, months: int) -> date:
    year, month = today.year, today.month - (months - 1)
    while month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def transfer_measures(uow: UnitOfWork, agreement_id: str, months: int = 12) -> list[MonthMeasures]:
    """The last `months` months (this one included), newest first; a month without any transfer
    ending in it is listed with zeros, so a quiet month shows as quiet rather than missing."""
    now = uow.now()
    first = _months_back(now.date(), months)
    start = datetime(first.year, first.month, 1, tzinfo=UTC)
    rows = uow.session.execute(
        select(
            CustodyTransfer.id,
            CustodyTransfer.status,
            CustodyTransfer.release_eligible_at,
            CustodyTransfer.pickup_at,
            CustodyTransfer.released_at,
        ).where(
            CustodyTransfer.agreement_id == agreement_id,
            CustodyTransfer.deleted_at.is_(None),
            or_(CustodyTransfer.pickup_at >= start, CustodyTransfer.released_at >= start),
        )
    ).all()
    completed: dict[date, int] = defaultdict(int)
    released: dict[date, int] = defaultdict(int)
    breaches: dict[date, int] = defaultdict(int)
    hours: dict[date, list[float]] = defaultdict(list)
    for transfer_id, status, eligible, pickup, released_at in rows:
        if status is TransferStatus.TRANSFERRED and pickup is not None:
            month = _month(pickup)
            completed[month] += 1
            outcome = closed_hold_outcome(TransferFacts(transfer_id, status, eligible, pickup), uow.policy)
            if outcome is not None and eligible is not None:
                breaches[month] += outcome.breached
                hours[month].append((pickup - eligible).total_seconds() / 3600)
        elif status is TransferStatus.RELEASED_NO_PICKUP and released_at is not None:
            month = _month(released_at)
            released[month] += 1
    result = []
    month = _month(now)
    for _ in range(months):
        values = hours.get(month)
        result.append(
            MonthMeasures(
                month,
                completed[month],
                released[month],
                breaches[month],
                round(statistics.median(values), 1) if values else None,
            )
        )
        month = _months_back(month, 2)
    return result
