"""Swaps between colleagues and a supervisor's holiday exceptions: the rota changes a person asks
of a colleague, or a supervisor decides for a whole day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import CoverRoles, OverrideReason, RequestState
from pm_desk.domain.validation import year_problem
from pm_desk.services.errors import PermissionDenied, field_error
from pm_desk.services.oncall import plan_of, require_rotation_office
from pm_desk.services.oncall_gaps import close_gaps
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_supervisor_of
from pm_desk.services.records import load
from pm_desk.store.models import Override, Rotation, Shift, SwapRequest
from pm_desk.store.uow import UnitOfWork


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
                roles=CoverRoles.PRIMARY,
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
    uow.session.flush()
    close_gaps(uow, actor, rotation.id)


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


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """A local calendar day of `zone` as an interval of instants (23 or 25 hours at DST changes)."""
    tz = ZoneInfo(zone)
    return datetime.combine(day, time(0), tzinfo=tz), datetime.combine(
        day + timedelta(days=1), time(0), tzinfo=tz
    )


@write_operation("oncall.holiday_exception")
def holiday_exception(
    uow: UnitOfWork, actor: Actor, rotation_id: str, day: date, person_id: str | None
) -> str | None:
    """A supervisor sets who is primary on one local day (a holiday): an approved cover of the
    whole day, whoever is on duty then and at instants nobody is (gaps included), earlier covers
    of the day overruled. `person_id` None undoes an earlier exception of the day.
    Generating shifts again keeps it (the shift it names is referenced by an override)."""
    rotation = load(uow, Rotation, rotation_id, "rotation")
    require_supervisor_of(actor, rotation.field_office_id, "set holiday exceptions")
    if why := year_problem(day):
        raise field_error("day", why)
    start, end = day_bounds(day, rotation.timezone)
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
        uow.session.flush()
        close_gaps(uow, actor, rotation_id)
        return None
    if person_id not in plan_of(uow, rotation).members:
        raise field_error("person_id", "choose a member of this rotation")
    first = uow.session.execute(
        select(Shift.id)
        .where(
            Shift.rotation_id == rotation_id,
            Shift.deleted_at.is_(None),
            Shift.ends_at > start,
            Shift.starts_at < end,
        )
        .order_by(Shift.starts_at)
        .limit(1)
    ).scalar()
    if first is None:
        raise field_error("day", "no shift is planned that day: generate the shifts first")
    override = Override(
        rotation_id=rotation_id,
        shift_id=first,
        covered_user_id=None,
        covering_user_id=person_id,
        roles=CoverRoles.PRIMARY,
        starts_at=start,
        ends_at=end,
        reason=OverrideReason.HOLIDAY,
        state=RequestState.APPROVED,
        requested_by=actor.user_id,
        approved_by=actor.user_id,
    )
    uow.session.add(override)
    uow.session.flush()
    close_gaps(uow, actor, rotation_id)
    return override.id
