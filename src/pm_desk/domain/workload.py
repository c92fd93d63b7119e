"""Workload units and the staffing arithmetic of DESIGN.md (weights from the policy)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from pm_desk.domain.enums import WORKLOAD_STATUSES, AgreementModel, AgreementStatus
from pm_desk.domain.policy import Policy


@dataclass(frozen=True, slots=True)
class AgreementWork:
    """What one agreement weighs: its model and status, authorized officers, recent transfers."""

    agreement_id: str
    model: AgreementModel
    status: AgreementStatus
    authorized_officers: int
    recent_transfers: int


def agreement_units(work: AgreementWork, policy: Policy) -> float:
    if work.status not in WORKLOAD_STATUSES:
        return 0.0
    weights = policy.workload
    return (
        weights.units_for_model(work.model.value)
        + weights.per_authorized_officer * work.authorized_officers
        + weights.per_recent_transfer * work.recent_transfers
    )


def caseload_units(works: Iterable[AgreementWork], policy: Policy) -> float:
    return sum(agreement_units(w, policy) for w in works)


def capacity_of(own_capacity: float | None, policy: Policy) -> float:
    return own_capacity if own_capacity is not None else policy.workload.default_capacity


def managers_needed(units: float, capacity_per_manager: float) -> int:
    """Managers needed to carry `units`, rounded up; a tiny float residue does not add one."""
    if capacity_per_manager <= 0:
        raise ValueError("capacity per manager must be above zero")
    return max(0, math.ceil(round(units / capacity_per_manager, 9)))


@dataclass(frozen=True, slots=True)
class Move:
    agreement_id: str
    from_manager: str
    to_manager: str
    units: float


def loads_after(units: dict[str, float], moves: Iterable[Move]) -> dict[str, float]:
    """Each manager's units once the moves are made."""
    after = dict(units)
    for move in moves:
        after[move.from_manager] = after.get(move.from_manager, 0.0) - move.units
        after[move.to_manager] = after.get(move.to_manager, 0.0) + move.units
    return after


def suggest_balance(
    caseloads: dict[str, list[tuple[str, float]]], capacities: dict[str, float], overload_ratio: float = 1.0
) -> list[Move]:
    """Moves that bring every manager at or under capacity with few moves, never into overload.

    Greedy: the most overloaded manager gives the agreement that best closes his excess (the
    smallest one that is enough, else the largest) to the manager with the most room who can take
    it without going over; repeat until nobody is over or no such move exists. A manager under
    capacity never gives anything away.
    """
    units = {m: sum(u for _a, u in agreements) for m, agreements in caseloads.items()}
    held = {m: list(agreements) for m, agreements in caseloads.items()}
    limit = {m: capacities[m] * overload_ratio for m in caseloads}
    moves: list[Move] = []
    stuck: set[str] = set()  # overloaded, but nobody can take any of his agreements
    for _ in range(sum(len(a) for a in held.values()) + len(held)):
        over = [m for m in units if units[m] > limit[m] + 1e-9 and m not in stuck]
        if not over:
            break
        giver = max(over, key=lambda m: (units[m] - limit[m], m))
        excess = units[giver] - limit[giver]
        options = sorted(held[giver], key=lambda a: (a[1], a[0]))
        enough = [a for a in options if a[1] >= excess - 1e-9]
        ordered = enough + list(reversed([a for a in options if a[1] < excess - 1e-9]))
        placed = False
        for agreement_id, agreement_units_ in ordered:
            takers = [
                m for m in units
                if m != giver and units[m] + agreement_units_ <= limit[m] + 1e-9
            ]  # fmt: skip
            if not takers:
                continue
            taker = max(takers, key=lambda m: (limit[m] - units[m], m))
            moves.append(Move(agreement_id, giver, taker, agreement_units_))
            held[giver].remove((agreement_id, agreement_units_))
            held[taker].append((agreement_id, agreement_units_))
            units[giver] -= agreement_units_
            units[taker] += agreement_units_
            placed = True
            break
        if not placed:
            stuck.add(giver)
    return moves
