"""Gaps in the rota: taken from their warning by someone ranked for exactly their interval, and
closed after every approval when someone is eligible (so the only gaps left are those the data
cannot fill, each shown with why)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import CoverRoles, OnCallRole, OverrideReason, RequestState, Role
from pm_desk.domain.oncall_plan import Candidate
from pm_desk.services.errors import NotFound, PermissionDenied, Problems, field_error
from pm_desk.services.oncall_duty import Around, best, rank, read_around, rota_gaps
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_supervisor_of
from pm_desk.services.records import load
from pm_desk.store.models import Override, Rotation
from pm_desk.store.uow import UnitOfWork

# Closing gaps one after the other: each fill changes who is eligible for the next.
MAX_CLOSED = 200


@dataclass(frozen=True)
class GapOffer:
    """A gap as "Cover this gap…" shows it: the rotation, the interval, the people ranked for
    exactly it (eligible first, the others with why) and their names."""

    rotation_id: str
    rotation: str
    zone: str
    starts_at: datetime
    ends_at: datetime
    candidates: tuple[Candidate, ...]
    names: dict[str, str]

    @property
    def eligible(self) -> list[Candidate]:
        return [c for c in self.candidates if c.eligible]


def gap_offer(uow: UnitOfWork, rotation_id: str, starts_at: datetime, ends_at: datetime) -> GapOffer:
    """The people ranked for exactly [starts_at, ends_at) of the rotation (a read)."""
    with uow:
        around = read_around(uow, rotation_id, starts_at, ends_at)
        if around is None:
            raise NotFound("the rotation was not found (it may have been deleted)")
        ranked = rank(around, OnCallRole.PRIMARY, None, starts_at, ends_at)
        snapshot = around.snapshot
        return GapOffer(
            rotation_id,
            snapshot.rotation.name,
            snapshot.rotation.timezone,
            starts_at,
            ends_at,
            tuple(ranked),
            dict(snapshot.names),
        )


def gap_candidates(
    uow: UnitOfWork, rotation_id: str, starts_at: datetime, ends_at: datetime
) -> list[Candidate]:
    """Who could be primary for exactly [starts_at, ends_at) of the rotation, best first (a read)."""
    with uow:
        around = read_around(uow, rotation_id, starts_at, ends_at)
        if around is None:
            raise NotFound("the rotation was not found (it may have been deleted)")
        return rank(around, OnCallRole.PRIMARY, None, starts_at, ends_at)


def _fill(
    uow: UnitOfWork, actor: Actor, around: Around, start: datetime, end: datetime, person_id: str
) -> Override:
    """`person_id` is primary at every instant of [start, end): an approved cover of nobody."""
    planned = sorted(
        (s for s in around.snapshot.shift_rows if s.ends_at > start and s.starts_at < end),
        key=lambda s: s.starts_at,
    )
    override = Override(
        rotation_id=around.snapshot.rotation.id,
        shift_id=planned[0].id if planned else None,
        covered_user_id=None,
        covering_user_id=person_id,
        roles=CoverRoles.PRIMARY,
        starts_at=start,
        ends_at=end,
        reason=OverrideReason.GAP,
        state=RequestState.APPROVED,
        requested_by=actor.user_id,
        approved_by=actor.user_id,
    )
    uow.session.add(override)
    uow.session.flush()
    return override


@write_operation("oncall.cover_gap")
def cover_gap(
    uow: UnitOfWork, actor: Actor, rotation_id: str, starts_at: datetime, ends_at: datetime, person_id: str
) -> str:
    """A gap taken: a supervisor gives exactly [starts_at, ends_at) to an eligible member of the
    rotation; a manager of the rotation may take it himself. Refused when someone is already
    primary at some instant of it (it is not a gap any more). Returns the cover written."""
    rotation = load(uow, Rotation, rotation_id, "rotation")
    volunteer = actor.role is Role.MANAGER and actor.field_office_id == rotation.field_office_id
    if not volunteer:
        require_supervisor_of(actor, rotation.field_office_id, "assign on-call gaps")
    elif person_id != actor.user_id:
        raise PermissionDenied(
            f"{actor.name} can take a gap himself only; a supervisor assigns it to others",
            "rotation",
            rotation.id,
        )
    problems = Problems()
    if ends_at <= starts_at:
        problems.add("ends_at", "must be after the start")
    elif ends_at <= uow.now():
        problems.add("ends_at", "this gap is already over")
    problems.raise_if_any()
    around = read_around(uow, rotation_id, starts_at, ends_at)
    assert around is not None
    if any(s.ends_at > starts_at and s.starts_at < ends_at for s in around.primaries):
        raise field_error(
            "starts_at", "someone is on call in part of this stretch already: look at the rota again"
        )
    candidate = next(
        (c for c in rank(around, OnCallRole.PRIMARY, None, starts_at, ends_at) if c.person_id == person_id),
        None,
    )
    if candidate is None:
        raise field_error("person_id", "choose a member of this rotation")
    if not candidate.eligible:
        raise field_error("person_id", f"cannot cover: {'; '.join(candidate.reasons)}")
    override = _fill(uow, actor, around, starts_at, ends_at, person_id)
    close_gaps(uow, actor, rotation_id)
    return override.id


@dataclass(frozen=True)
class Closed:
    starts_at: datetime
    ends_at: datetime
    person_id: str


def close_gaps(uow: UnitOfWork, actor: Actor, rotation_id: str) -> list[Closed]:
    """Give every gap of the rotation from now over the policy's look-ahead that someone is
    eligible for to the first-ranked, one after the other, as approved by `actor` (part of the
    approval that calls it). What is left are the gaps nobody is eligible for."""
    now = uow.now()
    end = now + timedelta(days=uow.policy.oncall.lookahead_days)
    closed: list[Closed] = []
    for _ in range(MAX_CLOSED):
        gap = next((g for g in rota_gaps(uow, rotation_id, now, end) if g.fillable), None)
        if gap is None:
            break
        person = best(gap.candidates)
        assert person is not None
        around = read_around(uow, rotation_id, gap.starts_at, gap.ends_at)
        assert around is not None
        _fill(uow, actor, around, gap.starts_at, gap.ends_at, person)
        closed.append(Closed(gap.starts_at, gap.ends_at, person))
    return closed
