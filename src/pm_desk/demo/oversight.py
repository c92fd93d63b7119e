"""Inspections of every kind with their findings, steering-committee meetings, and complaints."""

from __future__ import annotations

import random

from pm_desk.demo.agreements import AgreementPlan
from pm_desk.demo.context import DAY, HOUR, RECORD_COLUMNS, DemoContext
from pm_desk.demo.officers import OfficerPlan
from pm_desk.demo.texts import COMPLAINT_OUTCOMES, COMPLAINTS, FINDINGS, INSPECTION_SUMMARIES
from pm_desk.domain.enums import AgreementModel, AgreementStatus, InspectionKind
from pm_desk.store.models import Complaint, Finding, Inspection

K = InspectionKind
HISTORY_DAYS = 3 * 365
INSPECTION_COLUMNS = (*RECORD_COLUMNS, "agreement_id", "held_on", "kind", "summary")
FINDING_COLUMNS = (
    *RECORD_COLUMNS,
    "inspection_id",
    "severity",
    "text",
    "corrective_action",
    "corrective_due",
    "closed_on",
)
COMPLAINT_COLUMNS = (
    *RECORD_COLUMNS,
    "agreement_id",
    "officer_id",
    "received_at",
    "summary",
    "reported_at",
    "referred_at",
    "officer_removed",
    "outcome",
    "closed_on",
)
# Chance that an inspection of each kind finds something.
FINDING_CHANCE = {K.SITE_VISIT: 0.3, K.FILE_REVIEW: 0.5, K.INSPECTION_OFFICE: 0.8, K.STEERING_COMMITTEE: 0.0}
_IN_USE = (AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED, AgreementStatus.TERMINATED)


def _every(rng: random.Random, start: int, end: int, low: int, high: int) -> list[int]:
    days, day = [], start + rng.randint(0, high)
    while day <= end:
        days.append(day)
        day += rng.randint(low, high)
    return days


def _steering_days(rng: random.Random, plan: AgreementPlan, start: int, end: int) -> list[int]:
    if plan.status is AgreementStatus.ACTIVE:
        if plan.last_steering_day is None:
            return []
        days, day = [], plan.last_steering_day
        while day >= start and day >= (plan.effective_day or day) + 300:
            days.append(day)
            day -= rng.randint(340, 380)
        return days[::-1]
    return _every(rng, start + 330, end, 340, 380)


class _Oversight:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("oversight")
        self.inspection_id = ctx.ids("inspections")
        self.finding_id = ctx.ids("findings")
        self.stamp = ctx.stamp
        self.inspections: list[tuple[object, ...]] = []
        self.findings: list[tuple[object, ...]] = []
        self.overdue_forced = False

    def agreement(self, plan: AgreementPlan) -> None:
        rng, today = self.rng, self.ctx.today
        assert plan.effective_day is not None
        start = max(plan.effective_day, today - HISTORY_DAYS)
        end = plan.ended_day if plan.ended_day is not None else today - 1
        visits = [(d, K.SITE_VISIT) for d in _every(rng, start, end, 120, 240)]
        visits += [(d, K.FILE_REVIEW) for d in _every(rng, start + 60, end, 240, 420)]
        if rng.random() < 0.6 and end - start > 200:
            visits.append((rng.randint(start + 150, end), K.INSPECTION_OFFICE))
        visits += [(d, K.STEERING_COMMITTEE) for d in _steering_days(rng, plan, start, end)]
        if not self.overdue_forced and plan.status is AgreementStatus.ACTIVE and end - start > 200:
            visits.append((today - 120, K.INSPECTION_OFFICE))  # its finding is left open past its due date
        for held, kind in sorted(visits, key=lambda v: (v[0], v[1].value)):
            self._inspection(plan, held, kind)

    def _inspection(self, plan: AgreementPlan, held: int, kind: InspectionKind) -> None:
        rng, today, fmt = self.rng, self.ctx.today, self.ctx.fmt
        inspection_id = self.inspection_id()
        summary = rng.choice(INSPECTION_SUMMARIES[kind.value])
        self.inspections.append((inspection_id, *self.stamp, plan.id, fmt.day(held), kind.value, summary))
        force_open = not self.overdue_forced and kind is K.INSPECTION_OFFICE and held == today - 120
        if not force_open and rng.random() >= FINDING_CHANCE[kind]:
            return
        for severity, text, action in rng.sample(
            FINDINGS, rng.randint(1, 3 if kind is K.INSPECTION_OFFICE else 2)
        ):
            due = held + rng.choice((30, 60, 90))
            closed = None
            if force_open:
                self.overdue_forced = True
                due = today - 30
            elif due < today and rng.random() < 0.85:
                closed = min(held + rng.randint(10, due - held + 20), today)
            elif due >= today and rng.random() < 0.3:
                closed = rng.randint(held + 5, today) if held + 5 <= today else None
            self.findings.append(
                (
                    self.finding_id(),
                    *self.stamp,
                    inspection_id,
                    severity,
                    text,
                    action,
                    fmt.day(due),
                    fmt.maybe_day(closed),
                )
            )


def write_oversight(ctx: DemoContext, agreements: list[AgreementPlan], officers: list[OfficerPlan]) -> None:
    oversight = _Oversight(ctx)
    in_use = [p for p in agreements if p.status in _IN_USE and p.effective_day is not None]
    for plan in in_use:
        oversight.agreement(plan)
    ctx.writer.write(Inspection, INSPECTION_COLUMNS, oversight.inspections)
    ctx.writer.write(Finding, FINDING_COLUMNS, oversight.findings)
    _write_complaints(ctx, in_use, officers)


def _write_complaints(ctx: DemoContext, agreements: list[AgreementPlan], officers: list[OfficerPlan]) -> None:
    rng = ctx.rng("complaints")
    make_id = ctx.ids("complaints")
    stamp, fmt, now, today = ctx.stamp, ctx.fmt, ctx.now, ctx.today
    by_agreement: dict[str, list[OfficerPlan]] = {}
    for officer in officers:
        by_agreement.setdefault(officer.agreement.id, []).append(officer)
    # Situations every demo shows: reported late, never reported, open past 90 days.
    forced = ["reported_late", "unreported", "unresolved"]
    settled = [
        p
        for p in agreements
        if p.status is AgreementStatus.ACTIVE and (p.effective_day or today) < today - 210
    ]
    placed: dict[str, list[str]] = {p.id: [] for p in agreements}
    for situation in forced:
        placed[rng.choice(settled or agreements).id].append(situation)
    rows = []
    for plan in agreements:
        assert plan.effective_day is not None
        start = max(plan.effective_day, today - HISTORY_DAYS)
        end = plan.ended_day if plan.ended_day is not None else today - 1
        rate = 0.25 * (1.5 if plan.model is AgreementModel.JAIL_ENFORCEMENT else 1.0)
        quarters = max(1, round((end - start) / 365 * 4))
        count = sum(1 for _ in range(quarters) if rng.random() < rate / 4)
        situations = placed[plan.id] + ["random"] * count
        for situation in situations:
            received_day = {
                "reported_late": today - rng.randint(20, 60),
                "unreported": today - rng.randint(5, 12),
                "unresolved": today - rng.randint(100, 200),
            }.get(situation) or rng.randint(start, max(start, end))
            received = received_day * DAY + 13 * HOUR + rng.randrange(0, 9 * HOUR, 60)
            if situation == "unreported":
                reported = None
            elif situation == "reported_late" or (situation == "random" and rng.random() < 0.12):
                reported = received + rng.randrange(5 * DAY, 9 * DAY, 60)  # past 48 weekday hours
            else:
                reported = received + rng.randrange(HOUR, 30 * HOUR, 60)
            if reported is not None and reported > now:
                reported = None
            referred = (
                reported + rng.randrange(DAY, 10 * DAY, 60) if reported and rng.random() < 0.6 else None
            )
            if referred is not None and referred > now:
                referred = None
            closed = None
            if situation == "random" and rng.random() < (0.8 if received_day < today - 90 else 0.4):
                closed = min(received_day + rng.randint(20, 120), today)
            staff = by_agreement.get(plan.id, [])
            accused = rng.choice(staff) if staff and rng.random() < 0.7 else None
            rows.append(
                (
                    make_id(),
                    *stamp,
                    plan.id,
                    accused.id if accused else None,
                    fmt.instant(received),
                    rng.choice(COMPLAINTS),
                    fmt.maybe_instant(reported),
                    fmt.maybe_instant(referred),
                    1 if accused is not None and rng.random() < 0.15 else 0,
                    rng.choice(COMPLAINT_OUTCOMES) if closed is not None else None,
                    fmt.maybe_day(closed),
                )
            )
    ctx.writer.write(Complaint, COMPLAINT_COLUMNS, rows)
