"""Suggesting a balance of caseloads: few moves, never into overload."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.workload import loads_after, suggest_balance


def test_one_move_fixes_one_overload() -> None:
    moves = suggest_balance(
        {"a": [("x", 5), ("y", 5), ("z", 4)], "b": [("w", 2)], "c": []}, {"a": 10, "b": 10, "c": 10}
    )
    assert [(m.agreement_id, m.from_manager, m.to_manager) for m in moves] == [("z", "a", "c")]


def test_nothing_moves_when_nobody_has_room() -> None:
    assert suggest_balance({"a": [("x", 8), ("y", 8)], "b": [("w", 9)]}, {"a": 10, "b": 10}) == []


def test_managers_under_capacity_give_nothing() -> None:
    assert suggest_balance({"a": [("x", 3)], "b": []}, {"a": 10, "b": 10}) == []


caseloads = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e"]),
    st.lists(st.floats(min_value=0.5, max_value=3.0, allow_nan=False), max_size=12),
    min_size=2,
)


@settings(max_examples=300, deadline=None)
@given(caseloads, st.floats(min_value=4.0, max_value=15.0))
def test_no_move_ever_lands_on_someone_over_capacity(raw: dict[str, list[float]], capacity: float) -> None:
    loads = {m: [(f"{m}{i}", u) for i, u in enumerate(units)] for m, units in raw.items()}
    capacities = dict.fromkeys(loads, capacity)
    units = {m: sum(u for _a, u in agreements) for m, agreements in loads.items()}
    moves = suggest_balance(loads, capacities)
    running = dict(units)
    for move in moves:
        running = loads_after(running, [move])
        assert running[move.to_manager] <= capacity + 1e-9  # the receiver stays within capacity
        assert units[move.from_manager] > capacity  # only the overloaded give
    assert len({m.agreement_id for m in moves}) == len(moves)  # nothing moves twice
    after = loads_after(units, moves)
    assert sum(after.values()) == sum(units.values()) or abs(sum(after.values()) - sum(units.values())) < 1e-6
