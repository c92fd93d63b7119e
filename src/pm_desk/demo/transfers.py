"""Custody transfers over the whole on-call span, and the open holds the anchor finds.

Most transfers happened long before the anchor and ended inside the 48-hour hold; a few were
picked up late (closed breaches), released with no pickup or cancelled. Whatever had not ended
by the anchor is still open, and a handful of open holds are placed on purpose near their
deadline, past it, and comfortably inside it. Rows are written in chunks: a million of them do
not fit in memory at once.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from pm_desk.demo.agreements import AgreementPlan
from pm_desk.demo.context import DAY, HOUR, RECORD_COLUMNS, DemoContext, allocate
from pm_desk.demo.people import SUBJECT_FIRST_NAMES, SUBJECT_LAST_NAMES
from pm_desk.demo.texts import TRANSFER_NOTES
from pm_desk.domain.enums import AgreementModel, AgreementStatus, TransferStatus
from pm_desk.store.models import CustodyTransfer

HOLD = 48 * HOUR
RECENT = 30 * DAY
CHUNK = 50_000
# Transfers per day grow over the span to three times their first day's (the program's surge).
GROWTH = 2.0
_ROOT_FACTOR = 2 * GROWTH * (1 + GROWTH / 2)
# How many transfers an agreement of each model produces, relative to the others.
MODEL_FLOW = {
    AgreementModel.JAIL_ENFORCEMENT: 3.0,
    AgreementModel.WARRANT_SERVICE_OFFICER: 1.6,
    AgreementModel.TASK_FORCE: 0.7,
}
COLUMNS = (
    *RECORD_COLUMNS,
    "agreement_id",
    "subject_ref",
    "subject_name",
    "subject_dob",
    "a_number",
    "encounter_on",
    "detainer_issued_at",
    "release_eligible_at",
    "pickup_at",
    "released_at",
    "receiving_office",
    "status",
    "notes",
    "hold_deadline_at",
    "a_number_last4",
)
_LODGED = TransferStatus.DETAINER_LODGED.value
_AWAITING = TransferStatus.AWAITING_PICKUP.value
_TRANSFERRED = TransferStatus.TRANSFERRED.value
_RELEASED = TransferStatus.RELEASED_NO_PICKUP.value
_CANCELLED = TransferStatus.CANCELLED.value
_CAPITAL = re.compile(r"\b([A-Z])")


@dataclass(slots=True)
class OpenHold:
    """A hold placed on purpose relative to the anchor."""

    detainer_at: int
    release_at: int | None
    status: str


@dataclass
class TransferPlan:
    span_start: int
    forced: dict[str, list[OpenHold]]


def plan_transfers(
    ctx: DemoContext, total: int, span_days: int, agreements: list[AgreementPlan]
) -> TransferPlan:
    """Picks every transfer's detainer instant (sorted per agreement) and counts the recent ones."""
    rng = ctx.rng("transfers:plan")
    now = ctx.now
    span_start = now - span_days * DAY
    windows = []
    for plan in agreements:
        if plan.effective_day is None or plan.status not in (
            AgreementStatus.ACTIVE,
            AgreementStatus.SUSPENDED,
        ):
            continue
        # Transfers start once the agency is operational (or effective, when it works without
        # its own equipment yet).
        begin = max(plan.effective_day, plan.operational_day or plan.effective_day)
        start = max(span_start, begin * DAY + 8 * HOUR)
        end = now if plan.ended_day is None else plan.ended_day * DAY
        if end - start > DAY:
            windows.append((plan, start, end))
    forced = _open_holds(
        ctx, [w[0] for w in windows if w[0].status is AgreementStatus.ACTIVE], len(agreements)
    )
    placed = sum(len(v) for v in forced.values())
    span = max(now - span_start, 1)
    # Each agreement's share of the whole span's volume, which grows over it.
    shares = [
        (_growth_cdf((start - span_start) / span), _growth_cdf((end - span_start) / span))
        for _, start, end in windows
    ]
    weights = [
        MODEL_FLOW[p.model] * (high - low) * rng.lognormvariate(0, 0.6)
        for (p, _, _), (low, high) in zip(windows, shares, strict=True)
    ]
    counts = allocate(total - placed, weights)
    random, root = rng.random, math.sqrt
    for (plan, _, _), (low, high), count in zip(windows, shares, counts, strict=True):
        width = high - low
        # Inverse of the growth curve's distribution: x = (sqrt(1 + 2g(1 + g/2)u) - 1) / g.
        plan.transfer_times = sorted(
            (span_start + int((root(1 + _ROOT_FACTOR * (low + random() * width)) - 1) / GROWTH * span))
            // 60
            * 60
            for _ in range(count)
        )
        recent = len(plan.transfer_times) - bisect.bisect_right(plan.transfer_times, now - RECENT)
        plan.recent_transfers = recent + sum(
            1 for h in forced.get(plan.id, ()) if h.detainer_at > now - RECENT
        )
    return TransferPlan(span_start, forced)


def _growth_cdf(x: float) -> float:
    """Share of the span's transfers before position x (0 to 1) when the volume grows
    linearly to 1 + GROWTH times its start (the program's surge)."""
    return (x + GROWTH * x * x / 2) / (1 + GROWTH / 2)


def _open_holds(
    ctx: DemoContext, active: list[AgreementPlan], agreement_count: int
) -> dict[str, list[OpenHold]]:
    rng = ctx.rng("transfers:open")
    now = ctx.now
    holds: dict[str, list[OpenHold]] = {}
    if not active:
        return holds
    weights = [MODEL_FLOW[p.model] for p in active]

    def place(hold: OpenHold) -> None:
        plan = rng.choices(active, weights)[0]
        holds.setdefault(plan.id, []).append(hold)

    def detainer_before(release: int) -> int:
        return (release - rng.randint(6 * HOUR, 4 * DAY)) // 60 * 60

    for _ in range(max(3, agreement_count // 80)):  # due within six hours
        release = now + rng.randint(30 * 60, 330 * 60) - HOLD
        place(OpenHold(detainer_before(release), release, _AWAITING))
    for _ in range(max(2, agreement_count // 150)):  # breached and still open
        release = now - rng.randint(HOUR, 60 * HOUR) - HOLD
        place(OpenHold(detainer_before(release), release, _AWAITING if rng.random() < 0.8 else _LODGED))
    for _ in range(max(3, agreement_count // 60)):  # more than six hours left
        if rng.random() < 0.5:
            release = now + rng.randint(8 * HOUR, 46 * HOUR) - HOLD
            place(OpenHold(detainer_before(release), release, _AWAITING))
        else:
            place(
                OpenHold(
                    (now - rng.randint(HOUR, 10 * DAY)) // 60 * 60, now + rng.randint(DAY, 60 * DAY), _LODGED
                )
            )
    return holds


class MonthlyCounts:
    """Detainers lodged and transfers completed per agreement and month, for the activity table."""

    def __init__(self, month_starts: list[int]) -> None:
        self.month_starts = month_starts  # epoch seconds of each month's first instant, ascending
        self.lodged: dict[str, list[int]] = {}
        self.completed: dict[str, list[int]] = {}

    def arrays(self, agreement_id: str) -> tuple[list[int], list[int]]:
        size = len(self.month_starts)
        return self.lodged.setdefault(agreement_id, [0] * size), self.completed.setdefault(
            agreement_id, [0] * size
        )


def booking_prefix(agency_name: str) -> str:
    return "".join(_CAPITAL.findall(agency_name))[:5] or "BK"


def write_transfers(
    ctx: DemoContext, agreements: list[AgreementPlan], plan: TransferPlan, counts: MonthlyCounts, total: int
) -> None:
    rng = ctx.rng("transfers:rows")
    random = rng.random
    ids = ctx.ids("transfers").ascending(total)
    now = ctx.now
    today = ctx.today
    # Tables instead of calls for the three million instants: days and seconds of the day.
    first_day = plan.span_start // DAY - 3
    days = ctx.fmt.day_table(first_day, today + 200)
    clocks = ctx.fmt.clock_table()
    births = ctx.fmt.day_table(today - 6570 - 17000, today - 6570)
    c, u, by, version, deleted = ctx.stamp
    firsts, lasts = SUBJECT_FIRST_NAMES, SUBJECT_LAST_NAMES
    n_first, n_last = len(firsts), len(lasts)
    notes_by = TRANSFER_NOTES
    starts = counts.month_starts
    months = len(starts)
    first_month = starts[0]
    rows: list[tuple[object, ...]] = []
    written = 0
    for agreement in agreements:
        opened = plan.forced.get(agreement.id, [])
        if not agreement.transfer_times and not opened:
            continue
        events: list[tuple[int, OpenHold | None]] = [(t, None) for t in agreement.transfer_times]
        if opened:
            events = sorted(events + [(h.detainer_at, h) for h in opened], key=lambda e: e[0])
        lodged, completed = counts.arrays(agreement.id)
        receiving = agreement.office.info.receiving
        prefix = booking_prefix(agreement.agency.name)
        agreement_id = agreement.id
        seq = rng.randint(1_000, 400_000)
        for t, hold in events:
            seq += 1 + int(random() * 40)
            pickup = released = None
            note = None
            if hold is not None:
                release, status = hold.release_at, hold.status
            else:
                r = random()
                if r < 0.30:
                    stay = 2 * HOUR + int(random() * 28 * HOUR)
                elif r < 0.72:
                    stay = DAY + int(random() * 13 * DAY)
                else:
                    stay = 14 * DAY + int(random() * 136 * DAY)
                release = (t + stay) // 300 * 300
                deadline = release + HOLD
                o = random()
                if o < 0.03:
                    ends = t + int(random() * (release - t))
                    status = _CANCELLED
                elif o < 0.07:
                    ends = released = deadline + int(random() * 90) * 60
                    status = _RELEASED
                elif random() < 0.025:
                    ends = pickup = deadline + 15 * 60 + int(random() * 47 * HOUR) // 60 * 60
                    status = _TRANSFERRED
                    if random() < 0.5:
                        note = notes_by["late"][int(random() * 2)]
                else:
                    ends = pickup = release + int(random() * random() * 47 * HOUR) // 60 * 60
                    status = _TRANSFERRED
                if ends > now:  # not over yet at the anchor: an open hold
                    pickup = released = note = None
                    status = _LODGED if release > now else _AWAITING
                    if status == _LODGED and random() < 0.1:
                        release = None  # release date not known yet
                elif status in (_CANCELLED, _RELEASED):
                    options = notes_by[status]
                    note = options[int(random() * len(options))]
            if t >= first_month:
                lodged[bisect.bisect_right(starts, t) - 1] += 1
                if pickup is not None and pickup >= first_month:
                    month = bisect.bisect_right(starts, pickup) - 1
                    if month < months:
                        completed[month] += 1
            name = f"{firsts[int(random() * n_first)]} {lasts[int(random() * n_last)]}"
            if random() < 0.35:
                name = f"{name} {lasts[int(random() * n_last)]}"
            issued = days[t // DAY - first_day]
            a_number = None if random() < 0.08 else f"A{int(random() * 300_000_000):09d}"
            rows.append(
                (
                    next(ids),
                    c,
                    u,
                    by,
                    version,
                    deleted,
                    agreement_id,
                    f"{prefix}{issued[2:4]}-{seq:06d}",
                    name,
                    births[int(random() * 17000)],
                    a_number,
                    days[(t - int(random() * 2 * DAY)) // DAY - first_day],
                    issued + clocks[t % DAY],
                    None if release is None else days[release // DAY - first_day] + clocks[release % DAY],
                    None if pickup is None else days[pickup // DAY - first_day] + clocks[pickup % DAY],
                    None if released is None else days[released // DAY - first_day] + clocks[released % DAY],
                    receiving[int(random() * len(receiving))],
                    status,
                    note,
                    # The deadline under the default policy; generate_demo refreshes it for another.
                    None
                    if release is None
                    else days[(release + HOLD) // DAY - first_day] + clocks[(release + HOLD) % DAY],
                    a_number[-4:] if a_number else None,
                )
            )
            if len(rows) >= CHUNK:
                written += ctx.writer.write(CustodyTransfer, COLUMNS, rows)
                rows = []
                ctx.report(f"Custody transfers: {written:,} of {total:,}", written / max(total, 1))
    written += ctx.writer.write(CustodyTransfer, COLUMNS, rows)
    ctx.report(f"Custody transfers: {written:,} of {total:,}", 1.0)
