"""Equipment orders: the IT an agency needs before it can take part, stage by stage.

An operational agreement's slowest order (usually the network circuit) becomes operational on
the planned day; an agreement still waiting has that order stuck before its last stage.
"""

from __future__ import annotations

import random

from pm_desk.demo.agreements import AgreementPlan
from pm_desk.demo.context import RECORD_COLUMNS, DemoContext
from pm_desk.domain.enums import AgreementModel, EquipmentItem
from pm_desk.store.models import EquipmentOrder

EQ = EquipmentItem
ITEMS = {
    AgreementModel.JAIL_ENFORCEMENT: (
        (EQ.NETWORK_CIRCUIT, 1, 1),
        (EQ.WORKSTATION, 2, 6),
        (EQ.LIVESCAN_FINGERPRINT, 1, 2),
        (EQ.PRINTER, 1, 2),
        (EQ.SYSTEM_ACCOUNTS, 4, 30),
    ),
    AgreementModel.TASK_FORCE: (
        (EQ.NETWORK_CIRCUIT, 1, 1),
        (EQ.WORKSTATION, 1, 3),
        (EQ.LIVESCAN_FINGERPRINT, 1, 1),
        (EQ.SYSTEM_ACCOUNTS, 3, 20),
    ),
    AgreementModel.WARRANT_SERVICE_OFFICER: (
        (EQ.WORKSTATION, 1, 2),
        (EQ.PRINTER, 1, 1),
        (EQ.SYSTEM_ACCOUNTS, 2, 10),
    ),
}
# Days each stage usually takes after the one before: requested, ordered, shipped, delivered,
# operational (from the signing for the first).
STAGE_DAYS = ((3, 30), (5, 40), (15, 70), (3, 20), (5, 45))
COLUMNS = (
    *RECORD_COLUMNS,
    "agreement_id",
    "item",
    "quantity",
    "requested_on",
    "ordered_on",
    "shipped_on",
    "delivered_on",
    "operational_on",
)


def _chain(rng: random.Random, start: int) -> list[int]:
    days, day = [], start
    for low, high in STAGE_DAYS:
        day += rng.randint(low, high)
        days.append(day)
    return days


def _fit(chain: list[int], start: int, end: int) -> list[int]:
    """The chain stretched or squeezed so its last stage falls on `end`."""
    span = max(chain[-1] - start, 1)
    return [start + round((d - start) * (end - start) / span) for d in chain]


def write_equipment(ctx: DemoContext, agreements: list[AgreementPlan]) -> None:
    rng = ctx.rng("equipment")
    make_id = ctx.ids("equipment")
    stamp = ctx.stamp
    today = ctx.today
    maybe_day = ctx.fmt.maybe_day
    rows = []
    for plan in agreements:
        signed = plan.signed_day
        if plan.equipment == "none" or signed is None or signed > today - 3:
            continue
        for position, (item, low, high) in enumerate(ITEMS[plan.model]):
            slowest = position == 0
            chain = _chain(rng, signed)
            if plan.equipment == "operational":
                assert plan.operational_day is not None
                end = (
                    plan.operational_day
                    if slowest
                    else signed + round((plan.operational_day - signed) * rng.uniform(0.5, 0.95))
                )
                chain = _fit(chain, signed, end)
            elif slowest:
                # Still waiting: the slowest order (already requested) would be done weeks from now.
                chain = _fit(chain, signed, today + rng.randint(10, 120))
                chain[0] = min(chain[0], today)
            stages = [d if d <= today else None for d in chain]
            for i in range(1, len(stages)):  # a stage not reached leaves the later ones empty
                if stages[i - 1] is None:
                    stages[i] = None
            if stages[0] is None:
                continue
            rows.append(
                (make_id(), *stamp, plan.id, item.value, rng.randint(low, high), *map(maybe_day, stages))
            )
    ctx.writer.write(EquipmentOrder, COLUMNS, rows)
