"""The on-call rota as it will really be worked: planned shifts with approved overrides applied.

A rotation has two roles, primary and backup. Each role is worked out on its own: the planned
holders of the role (a shift's primary, or its backup), then every approved cover of that role in
the order it was approved. A cover names the person it covers, or nobody: a cover of nobody (a
holiday exception, a gap taken by someone) puts its person in the role for every instant of its
interval, whoever held it and whether or not anyone did.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from pm_desk.domain.enums import OnCallRole
from pm_desk.domain.facts import ShiftFacts


@dataclass(frozen=True, slots=True)
class Cover:
    """An approved override of one role: `covering_id` holds it instead of `covered_id` in
    [starts_at, ends_at).

    `covered_id` None: `covering_id` holds the role at every instant of the interval (whoever
    did, and where nobody did). `covering_id` None: the covered person is taken off and nobody
    replaces him (a gap, when the role is primary). `id` is the override's: stretches it fills
    where no shift was planned are named by it (or by `shift_id` when given)."""

    rotation_id: str
    covered_id: str | None
    covering_id: str | None
    starts_at: datetime
    ends_at: datetime
    role: OnCallRole = OnCallRole.PRIMARY
    id: str = ""
    shift_id: str | None = None
    zone: str = "UTC"


@dataclass(frozen=True, slots=True)
class _Piece:
    shift: ShiftFacts
    holder: str | None  # None: nobody holds the role in this piece (someone was taken off)
    vacated_by: str | None = None  # who was taken off, so a later cover of him fills it


def effective_shifts(
    planned: Iterable[ShiftFacts], covers: Iterable[Cover], role: OnCallRole = OnCallRole.PRIMARY
) -> list[ShiftFacts]:
    """Who holds `role` when: `planned` are the role's planned holders (each shift's primary, or
    each shift's backup), `covers` the approved overrides in the order they were approved.

    The pieces of a planned shift keep its id, so a warning still points at the shift a person
    sees. A cover of a person reaches the stretches he was taken off too: once a replacement is
    approved, the stretch left uncovered earlier is his. Instants are returned in UTC.
    """
    pieces = _pieces(planned, covers, role)
    result = [replace(p.shift, person_id=p.holder) for p in pieces if p.holder is not None]
    result.sort(key=lambda s: (s.starts_at, s.rotation_id, s.person_id))
    return result


def vacated_shifts(
    planned: Iterable[ShiftFacts], covers: Iterable[Cover], role: OnCallRole = OnCallRole.PRIMARY
) -> list[ShiftFacts]:
    """The stretches of `role` someone was taken off with nobody in his place, each named by the
    person taken off (`person_id`): what a later cover of him fills."""
    pieces = _pieces(planned, covers, role)
    result = [
        replace(p.shift, person_id=p.vacated_by)
        for p in pieces
        if p.holder is None and p.vacated_by is not None
    ]
    result.sort(key=lambda s: (s.starts_at, s.rotation_id, s.person_id))
    return result


def _pieces(planned: Iterable[ShiftFacts], covers: Iterable[Cover], role: OnCallRole) -> list[_Piece]:
    by_rotation: dict[str, list[_Piece]] = {}
    for shift in planned:
        by_rotation.setdefault(shift.rotation_id, []).append(_Piece(_in_utc(shift), shift.person_id))
    applied: dict[str, list[Cover]] = {}
    for cover in covers:
        if cover.role is role and cover.ends_at > cover.starts_at:
            applied.setdefault(cover.rotation_id, []).append(cover)
    result: list[_Piece] = []
    for rotation_id in {*by_rotation, *applied}:
        pieces = by_rotation.get(rotation_id, [])
        for cover in applied.get(rotation_id, []):
            pieces = _apply(pieces, cover)
        result.extend(pieces)
    return result


def _in_utc(shift: ShiftFacts) -> ShiftFacts:
    return replace(shift, starts_at=shift.starts_at.astimezone(UTC), ends_at=shift.ends_at.astimezone(UTC))


def _apply(pieces: list[_Piece], cover: Cover) -> list[_Piece]:
    start, end = cover.starts_at.astimezone(UTC), cover.ends_at.astimezone(UTC)
    everyone = cover.covered_id is None
    if everyone and cover.covering_id is None:
        return pieces  # nobody covers nobody: nothing changes
    out: list[_Piece] = []
    for piece in pieces:
        shift = piece.shift
        mine = (
            everyone
            or piece.holder == cover.covered_id
            or (piece.holder is None and piece.vacated_by == cover.covered_id)
        )
        if not mine or end <= shift.starts_at or start >= shift.ends_at:
            out.append(piece)
            continue
        cut_start, cut_end = max(shift.starts_at, start), min(shift.ends_at, end)
        if shift.starts_at < cut_start:
            out.append(replace(piece, shift=replace(shift, ends_at=cut_start)))
        middle = replace(shift, starts_at=cut_start, ends_at=cut_end)
        vacated = cover.covered_id if cover.covering_id is None else None
        out.append(_Piece(middle, cover.covering_id, vacated))
        if cut_end < shift.ends_at:
            out.append(replace(piece, shift=replace(shift, starts_at=cut_end)))
    if everyone:
        assert cover.covering_id is not None
        for hole_start, hole_end in _holes(out, start, end):
            name = cover.shift_id or cover.id
            facts = ShiftFacts(name, cover.rotation_id, cover.covering_id, hole_start, hole_end, cover.zone)
            out.append(_Piece(facts, cover.covering_id))
    return out


def _holes(pieces: list[_Piece], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The stretches of [start, end) that no piece spans."""
    spans = sorted((p.shift.starts_at, p.shift.ends_at) for p in pieces if p.shift.ends_at > start)
    holes: list[tuple[datetime, datetime]] = []
    cursor = start
    for span_start, span_end in spans:
        if span_start >= end:
            break
        if span_start > cursor:
            holes.append((cursor, span_start))
        cursor = max(cursor, span_end)
    if cursor < end:
        holes.append((cursor, end))
    return holes


def on_call_at(shifts: Iterable[ShiftFacts], instant: datetime) -> list[ShiftFacts]:
    """The effective shifts that cover `instant`."""
    return [s for s in shifts if s.starts_at <= instant < s.ends_at]


def span_of(shifts: Iterable[ShiftFacts]) -> tuple[datetime, datetime] | None:
    """From the first start to the last end of `shifts` (None for no shifts)."""
    starts_ends = [(s.starts_at, s.ends_at) for s in shifts]
    if not starts_ends:
        return None
    return min(s for s, _e in starts_ends), max(e for _s, e in starts_ends)


Span = tuple[datetime, datetime]


def widest(*spans: Span | None) -> Span | None:
    """The stretch from the earliest start to the latest end of the spans given."""
    known = [s for s in spans if s is not None]
    if not known:
        return None
    return min(s for s, _e in known), max(e for _s, e in known)
