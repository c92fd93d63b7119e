"""The on-call rota as it will really be worked: planned shifts with approved overrides applied."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from pm_desk.domain.facts import ShiftFacts


@dataclass(frozen=True, slots=True)
class Cover:
    """An approved override: `covering_id` is primary instead of `covered_id` in [starts_at, ends_at)."""

    rotation_id: str
    covered_id: str
    covering_id: str | None
    starts_at: datetime
    ends_at: datetime


def effective_shifts(planned: Iterable[ShiftFacts], covers: Iterable[Cover]) -> list[ShiftFacts]:
    """Split each planned primary shift where an override covers part of it.

    The pieces keep the planned shift's id, so a warning still points at the shift a person sees.
    An override without a covering person leaves that stretch uncovered (a gap). Covers apply in
    the order given, which is the order they were approved: a later one covers whoever an earlier
    one put on duty (a holiday exception over a sick cover).
    """
    by_rotation: dict[str, list[Cover]] = {}
    for cover in covers:
        by_rotation.setdefault(cover.rotation_id, []).append(cover)
    result: list[ShiftFacts] = []
    for shift in planned:
        pieces = [shift]
        for cover in by_rotation.get(shift.rotation_id, []):
            pieces = [p for piece in pieces for p in _apply(piece, cover)]
        result.extend(pieces)
    result.sort(key=lambda s: (s.starts_at, s.rotation_id, s.person_id))
    return result


def _apply(piece: ShiftFacts, cover: Cover) -> list[ShiftFacts]:
    if (
        cover.covered_id != piece.person_id
        or cover.ends_at <= piece.starts_at
        or cover.starts_at >= piece.ends_at
    ):
        return [piece]
    out: list[ShiftFacts] = []
    start = max(piece.starts_at, cover.starts_at)
    end = min(piece.ends_at, cover.ends_at)
    if piece.starts_at < start:
        out.append(replace(piece, ends_at=start))
    if cover.covering_id is not None:
        out.append(replace(piece, person_id=cover.covering_id, starts_at=start, ends_at=end))
    if end < piece.ends_at:
        out.append(replace(piece, starts_at=end))
    return out


def on_call_at(shifts: Iterable[ShiftFacts], instant: datetime) -> list[ShiftFacts]:
    """The effective shifts that cover `instant`."""
    return [s for s in shifts if s.starts_at <= instant < s.ends_at]
