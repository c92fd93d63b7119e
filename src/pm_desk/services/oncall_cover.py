"""Cover on the rota: "I can't cover", ranked replacements, approval, leave and swaps."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import COVER_REASONS, LeaveKind, OverrideReason, RequestState, Role
from pm_desk.domain.oncall_plan import Candidate, rank_replacements
from pm_desk.domain.rota import effective_shifts
from pm_desk.domain.validation import year_problem
from pm_desk.services.errors import PermissionDenied, Problems, field_error
from pm_desk.services.oncall import plan_of, require_rotation_office
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_supervisor_of
from pm_desk.services.records import check_years, load
from pm_desk.store.models import Leave, Override, Rotation, Shift, SwapRequest, User
from pm_desk.store.queries.oncall import rota_snapshot
from pm_desk.store.uow import UnitOfWork


def candidates_for(uow: UnitOfWork, override: Override) -> list[Candidate]:
    """Everyone of the rotation who might take the override's hours, best first (a read)."""
    rotation = load(uow, Rotation, override.rotation_id, "rotation")
    window = timedelta(days=uow.policy.oncall.fairness_window_days)
    snapshot = rota_snapshot(uow.session, rotation.id, override.starts_at - window, override.ends_at + window)
    assert snapshot is not None
    shifts = effective_shifts(snapshot.planned, snapshot.covers)
    people = list(plan_of(uow, rotation).members)
    return rank_replacements(
        people,
        override.covered_user_id,
        override.starts_at,
        override.ends_at,
        shifts,
        snapshot.absences,
        uow.policy,
    )


def ranked_replacements(uow: UnitOfWork, override_id: str) -> list[Candidate]:
    with uow:
        return candidates_for(uow, load(uow, Override, override_id, "cover request"))


def _shift_for_person(uow: UnitOfWork, shift: Shift, person_id: str) -> None:
    snapshot = rota_snapshot(uow.session, shift.rotation_id, shift.starts_at, shift.ends_at)
    assert snapshot is not None
    mine = [s for s in effective_shifts(snapshot.planned, snapshot.covers) if s.id == shift.id]
    if not any(s.person_id == person_id for s in mine):
        raise field_error("shift", "this shift is not yours to give away")


def _assign_if_policy_says(uow: UnitOfWork, override: Override) -> None:
    if not uow.policy.oncall.auto_assign_first_ranked:
        return
    best = next((c for c in candidates_for(uow, override) if c.eligible), None)
    if best is not None:
        override.covering_user_id = best.person_id
        override.state = RequestState.APPROVED


@write_operation("oncall.cannot_cover")
def cannot_cover(
    uow: UnitOfWork,
    actor: Actor,
    shift_id: str,
    reason: OverrideReason = OverrideReason.SICK,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> str:
    """ "I can't cover": the person on a shift (or his supervisor) asks for someone else to take
    it, from now (or `starts_at`) to its end (or `ends_at`). Returns the cover request; the
    supervisor approves a replacement, or the policy lets the first-ranked take it at once."""
    shift = load(uow, Shift, shift_id, "shift")
    rotation = load(uow, Rotation, shift.rotation_id, "rotation")
    require_rotation_office(actor, rotation, "ask for cover")
    if reason not in COVER_REASONS:
        raise field_error("reason", f"{reason.value} is not a reason to ask for cover")
    covered = shift.primary_id
    if actor.role is Role.MANAGER:
        _shift_for_person(uow, shift, actor.user_id)
        covered = actor.user_id
    start = max(
        starts_at or shift.starts_at, shift.starts_at, uow.now() if starts_at is None else shift.starts_at
    )
    end = min(ends_at or shift.ends_at, shift.ends_at)
    if end <= start:
        raise field_error("ends_at", "the shift is already over")
    override = Override(
        rotation_id=rotation.id,
        shift_id=shift.id,
        covered_user_id=covered,
        starts_at=start,
        ends_at=end,
        reason=reason,
        state=RequestState.REQUESTED,
        requested_by=actor.user_id,
    )
    uow.session.add(override)
    uow.session.flush()
    _assign_if_policy_says(uow, override)
    return override.id


@write_operation("oncall.approve_cover")
def approve_cover(uow: UnitOfWork, actor: Actor, override_id: str, covering_user_id: str) -> None:
    """A supervisor gives a cover request to an eligible member (never to himself for his own)."""
    override = load(uow, Override, override_id, "cover request")
    rotation = load(uow, Rotation, override.rotation_id, "rotation")
    require_supervisor_of(actor, rotation.field_office_id, "approve cover")
    if actor.user_id in {override.covered_user_id, override.requested_by}:
        raise PermissionDenied(f"{actor.name} cannot approve his own cover request", "override", override.id)
    if override.state is not RequestState.REQUESTED:
        raise field_error("state", f"this request was already {override.state.value}")
    candidate = next((c for c in candidates_for(uow, override) if c.person_id == covering_user_id), None)
    if candidate is None:
        raise field_error("covering_user_id", "choose a member of this rotation other than the one covered")
    if not candidate.eligible:
        raise field_error("covering_user_id", f"cannot cover: {'; '.join(candidate.reasons)}")
    override.covering_user_id = covering_user_id
    override.state = RequestState.APPROVED
    override.approved_by = actor.user_id


@write_operation("oncall.decline_cover")
def decline_cover(uow: UnitOfWork, actor: Actor, override_id: str) -> None:
    override = load(uow, Override, override_id, "cover request")
    rotation = load(uow, Rotation, override.rotation_id, "rotation")
    require_supervisor_of(actor, rotation.field_office_id, "decline cover requests")
    if override.state is not RequestState.REQUESTED:
        raise field_error("state", f"this request was already {override.state.value}")
    override.state = RequestState.DECLINED
    override.approved_by = actor.user_id


@write_operation("oncall.leave")
def enter_leave(
    uow: UnitOfWork, actor: Actor, user_id: str, starts_at: datetime, ends_at: datetime, kind: LeaveKind
) -> str:
    """Leave entered ahead (by the person or his supervisor): every on-call shift of his that it
    touches gets a cover request at once."""
    user = load(uow, User, user_id, "user")
    if actor.user_id != user_id:
        require_supervisor_of(actor, user.field_office_id, "enter leave for someone else")
    problems = Problems()
    check_years(problems, starts_at=starts_at, ends_at=ends_at)
    problems.raise_if_any()
    if ends_at <= starts_at:
        problems.add("ends_at", "must be after the start")
    if (ends_at - starts_at).days > 366:
        problems.add("ends_at", "leave of more than a year is not on-call leave")
    problems.raise_if_any()
    leave = Leave(user_id=user_id, starts_at=starts_at, ends_at=ends_at, kind=kind)
    uow.session.add(leave)
    shifts = uow.session.execute(
        select(Shift).where(
            Shift.deleted_at.is_(None),
            Shift.primary_id == user_id,
            Shift.ends_at > starts_at,
            Shift.starts_at < ends_at,
        )
    ).scalars()
    reason = OverrideReason.SICK if kind is LeaveKind.SICK else OverrideReason.LEAVE
    for shift in shifts:
        override = Override(
            rotation_id=shift.rotation_id,
            shift_id=shift.id,
            covered_user_id=user_id,
            starts_at=max(shift.starts_at, starts_at),
            ends_at=min(shift.ends_at, ends_at),
            reason=reason,
            state=RequestState.REQUESTED,
            requested_by=actor.user_id,
        )
        uow.session.add(override)
        uow.session.flush()
        _assign_if_policy_says(uow, override)
    uow.session.flush()
    return leave.id


@write_operation("oncall.request_swap")
def request_swap(
    uow: UnitOfWork, actor: Actor, shift_id: str, with_user_id: str, other_shift_id: str | None = None
) -> str:
    """A manager offers his shift to a colleague (taking the colleague's `other_shift_id` back)."""
    shift = load(uow, Shift, shift_id, "shift")
    rotation = load(uow, Rotation, shift.rotation_id, "rotation")
    require_rotation_office(actor, rotation, "ask for swaps")
    if shift.primary_id != actor.user_id:
        raise field_error("shift", "you can only swap a shift of yours")
    plan = plan_of(uow, rotation)
    if with_user_id not in plan.members or with_user_id == actor.user_id:
        raise field_error("with_user_id", "choose another member of this rotation")
    if other_shift_id is not None:
        other = load(uow, Shift, other_shift_id, "shift")
        if other.primary_id != with_user_id or other.rotation_id != rotation.id:
            raise field_error("other_shift_id", "choose a shift of that colleague in this rotation")
    swap = SwapRequest(
        requested_by=actor.user_id,
        with_user_id=with_user_id,
        shift_id=shift_id,
        other_shift_id=other_shift_id,
        state=RequestState.REQUESTED,
    )
    uow.session.add(swap)
    uow.session.flush()
    return swap.id


@write_operation("oncall.approve_swap")
def approve_swap(uow: UnitOfWork, actor: Actor, swap_id: str) -> None:
    """A supervisor approves a swap: each takes the other's shift, as approved covers."""
    swap = load(uow, SwapRequest, swap_id, "swap request")
    shift = load(uow, Shift, swap.shift_id, "shift")
    rotation = load(uow, Rotation, shift.rotation_id, "rotation")
    require_supervisor_of(actor, rotation.field_office_id, "approve swaps")
    if actor.user_id in {swap.requested_by, swap.with_user_id}:
        raise PermissionDenied(f"{actor.name} cannot approve a swap of his own", "swap_request", swap.id)
    if swap.state is not RequestState.REQUESTED:
        raise field_error("state", f"this swap was already {swap.state.value}")
    pairs = [(shift, swap.requested_by, swap.with_user_id)]
    if swap.other_shift_id:
        other = load(uow, Shift, swap.other_shift_id, "shift")
        pairs.append((other, swap.with_user_id, swap.requested_by))
    for given, covered, covering in pairs:
        uow.session.add(
            Override(
                rotation_id=rotation.id,
                shift_id=given.id,
                covered_user_id=covered,
                covering_user_id=covering,
                starts_at=given.starts_at,
                ends_at=given.ends_at,
                reason=OverrideReason.SWAP,
                state=RequestState.APPROVED,
                requested_by=swap.requested_by,
                approved_by=actor.user_id,
            )
        )
    swap.state = RequestState.APPROVED
    swap.approved_by = actor.user_id


@write_operation("oncall.decline_swap")
def decline_swap(uow: UnitOfWork, actor: Actor, swap_id: str) -> None:
    swap = load(uow, SwapRequest, swap_id, "swap request")
    shift = load(uow, Shift, swap.shift_id, "shift")
    rotation = load(uow, Rotation, shift.rotation_id, "rotation")
    require_supervisor_of(actor, rotation.field_office_id, "decline swaps")
    if swap.state is not RequestState.REQUESTED:
        raise field_error("state", f"this swap was already {swap.state.value}")
    swap.state = RequestState.DECLINED
    swap.approved_by = actor.user_id


@write_operation("oncall.holiday_exception")
def holiday_exception(
    uow: UnitOfWork, actor: Actor, rotation_id: str, day: date, person_id: str | None
) -> str | None:
    """A supervisor sets who is primary on one local day (a holiday): approved `holiday` covers
    of that whole day for whoever is on duty then, earlier covers of the day included.
    `person_id` None undoes an earlier exception of the day.
    Generating shifts again keeps it (the shifts it touches are referenced by an override)."""
    rotation = load(uow, Rotation, rotation_id, "rotation")
    require_supervisor_of(actor, rotation.field_office_id, "set holiday exceptions")
    if why := year_problem(day):
        raise field_error("day", why)
    tz = ZoneInfo(rotation.timezone)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    for earlier in uow.session.execute(
        select(Override).where(
            Override.rotation_id == rotation_id,
            Override.deleted_at.is_(None),
            Override.reason == OverrideReason.HOLIDAY,
            Override.starts_at >= start,
            Override.ends_at <= end,
        )
    ).scalars():
        earlier.deleted_at = uow.now()
    if person_id is None:
        return None
    if person_id not in plan_of(uow, rotation).members:
        raise field_error("person_id", "choose a member of this rotation")
    uow.session.flush()
    snapshot = rota_snapshot(uow.session, rotation_id, start, end)
    assert snapshot is not None
    if not snapshot.planned:
        raise field_error("day", "no shift is planned that day: generate the shifts first")
    first_id = None
    # Whoever is on duty then (after earlier covers) is covered, so a sick cover is overruled too.
    for piece in effective_shifts(snapshot.planned, snapshot.covers):
        if piece.person_id == person_id or piece.ends_at <= start or piece.starts_at >= end:
            continue
        override = Override(
            rotation_id=rotation_id,
            shift_id=piece.id,
            covered_user_id=piece.person_id,
            covering_user_id=person_id,
            starts_at=max(piece.starts_at, start),
            ends_at=min(piece.ends_at, end),
            reason=OverrideReason.HOLIDAY,
            state=RequestState.APPROVED,
            requested_by=actor.user_id,
            approved_by=actor.user_id,
        )
        uow.session.add(override)
        uow.session.flush()
        first_id = first_id or override.id
    return first_id
