"""The rota's part of the compliance results: fatigue, gaps (each with who could take it, or why
nobody can) and leave during which someone still holds a role, measured on the rota as it will
be worked. Each result's key ends with its exact interval, `start/end` in UTC."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from pm_desk.domain import rules
from pm_desk.domain.enums import OnCallRole
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.keys import instant_key, join_key
from pm_desk.domain.oncall_plan import rank_replacements
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rota import effective_shifts, span_of, widest
from pm_desk.services.oncall_duty import cover_words
from pm_desk.store.queries.compliance import ComplianceInputs

Add = Callable[..., None]


def interval_key(start: datetime, end: datetime) -> str:
    """An interval as the keys carry it: `2026-10-31T13:00:00Z/2026-10-31T23:00:00Z` (ISO 8601)."""
    return f"{instant_key(start)}/{instant_key(end)}"


def add_rota(
    inputs: ComplianceInputs,
    policy: Policy,
    as_of: datetime,
    window_end: datetime,
    one_caseload: bool,
    manager_email: str | None,
    add: Add,
) -> None:
    """Fatigue of the shifts still to be worked and leave still to come (one caseload: his own),
    and gaps from `as_of` to the end of the window inside each rotation's laid-out rota (one
    caseload has none: they are his office's)."""
    primaries = effective_shifts(inputs.planned_shifts, inputs.covers)
    backups = effective_shifts(inputs.planned_backups, inputs.covers, OnCallRole.BACKUP)
    for piece in primaries + backups:
        inputs.shift_rotations[piece.id] = piece.rotation_id
    mine = manager_email.lower() if manager_email else None
    ends: dict[str, datetime] = {}
    for piece in primaries:
        ends[piece.id] = max(ends.get(piece.id, piece.ends_at), piece.ends_at)
    for finding in rules.fatigue_findings(primaries, policy):
        result = finding.result
        person = inputs.people.get(result.detail.get("person_id", ""))
        if ends.get(result.record_id, as_of) <= as_of or (one_caseload and person != mine):
            continue
        what = "rest" if result.detail.get("kind") == "rest" else "run"
        detail = {**result.detail, "starts_at": finding.starts_at, "ends_at": finding.ends_at}
        key = join_key(person, what, interval_key(finding.starts_at, finding.ends_at))
        add(replace(result, detail=detail), None, key, person)
    for result in rules.uncovered_leave(primaries, backups, inputs.absences):
        d = result.detail
        person = inputs.people.get(d["person_id"])
        if d["ends_at"] <= as_of or d["starts_at"] >= window_end or (one_caseload and person != mine):
            continue
        add(result, None, join_key(person, d["role"], interval_key(d["starts_at"], d["ends_at"])), person)
    if one_caseload:
        return
    for rotation_id in inputs.rotations:
        for result in _gaps(inputs, policy, rotation_id, primaries, as_of, window_end):
            start, end = result.detail["starts_at"], result.detail["ends_at"]
            key = join_key(inputs.rotations[rotation_id], inputs.rotation_names.get(rotation_id, ""),
                           interval_key(start, end))  # fmt: skip
            add(result, None, key, None)


def _gaps(
    inputs: ComplianceInputs,
    policy: Policy,
    rotation_id: str,
    primaries: list[ShiftFacts],
    as_of: datetime,
    window_end: datetime,
) -> list[RuleResult]:
    """The rotation's gaps inside its laid-out rota, each with who could take it."""
    shifts = [s for s in primaries if s.rotation_id == rotation_id]
    span = widest(inputs.spans.get(rotation_id), span_of(shifts))
    if span is None:
        return []
    start, end = max(as_of, span[0]), min(window_end, span[1])
    if start >= end:
        return []
    people = inputs.members.get(rotation_id) or sorted({s.person_id for s in shifts})
    found = []
    for result in rules.gaps(rotation_id, shifts, start, end):
        gap_start, gap_end = result.detail["starts_at"], result.detail["ends_at"]
        ranked = rank_replacements(
            people, None, gap_start, gap_end, shifts, inputs.absences, policy, inputs.unavailable
        )
        found.append(replace(result, detail={**result.detail, "cover": cover_words(ranked, inputs.names)}))
    return found
