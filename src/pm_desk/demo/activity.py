"""Monthly activity counts of the last 24 months: computed from the transfers where they cover
the month, estimated from the agreement's usual rate before that."""

from __future__ import annotations

from datetime import date

from pm_desk.demo.agreements import AgreementPlan
from pm_desk.demo.context import DAY, RECORD_COLUMNS, DemoContext, epoch_day, to_date
from pm_desk.demo.transfers import MODEL_FLOW, MonthlyCounts
from pm_desk.domain.enums import AgreementModel, AgreementStatus
from pm_desk.store.models import ActivityCount

MONTHS = 24
COLUMNS = (
    *RECORD_COLUMNS,
    "agreement_id",
    "month",
    "encounters",
    "detainers_lodged",
    "charging_documents",
    "transfers_completed",
)
_IN_USE = (AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED, AgreementStatus.TERMINATED)


def month_starts(ctx: DemoContext, months: int = MONTHS) -> list[int]:
    """Epoch seconds of the first instant of each of the last `months` months (the anchor's last)."""
    today = to_date(ctx.today)
    year, month = today.year, today.month
    firsts = []
    for _ in range(months):
        firsts.append(epoch_day(date(year, month, 1)) * DAY)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def write_activity(
    ctx: DemoContext, agreements: list[AgreementPlan], counts: MonthlyCounts, span_start: int
) -> None:
    rng = ctx.rng("activity")
    make_id = ctx.ids("activity")
    stamp = ctx.stamp
    starts = counts.month_starts
    ends = [*starts[1:], (ctx.today + 1) * DAY]
    rows = []
    for plan in agreements:
        if plan.status not in _IN_USE or plan.effective_day is None:
            continue
        lodged, completed = counts.arrays(plan.id)
        window_months = max((ctx.now - max(span_start, plan.effective_day * DAY)) / (30.4 * DAY), 1.0)
        usual = len(plan.transfer_times) / window_months or MODEL_FLOW[plan.model] * 3
        for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if plan.effective_day * DAY >= end or (
                plan.ended_day is not None and plan.ended_day * DAY < start
            ):
                continue
            if start >= span_start:
                detainers, transferred = lodged[index], completed[index]
            else:
                detainers = round(usual * rng.uniform(0.7, 1.3))
                transferred = round(detainers * rng.uniform(0.85, 0.95))
            field_work = 2.5 if plan.model is AgreementModel.TASK_FORCE else 1.0
            encounters = round(detainers * rng.uniform(1.6, 3.2) * field_work) + rng.randint(0, 5)
            rows.append(
                (
                    make_id(),
                    *stamp,
                    plan.id,
                    ctx.fmt.day(start // DAY),
                    encounters,
                    detainers,
                    round(detainers * rng.uniform(0.3, 0.7)),
                    transferred,
                )
            )
    ctx.writer.write(ActivityCount, COLUMNS, rows)
