"""Cover on the rota: "I can't cover" for exactly the stretch asked, ranked replacements for each
role, approval, leave, and gaps taken from their warning.

After every approval the rotation's gaps that someone is eligible for are given to the
first-ranked (`close_gaps`), so the only gaps a rota keeps are those nobody can take.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import (
    COVER_REASONS,
    CoverRoles,
    LeaveKind,
    OnCallRole,
    OverrideReason,
    RequestState,
    Role,
)
from pm_desk.domain.oncall_plan import Candidate
from pm_desk.domain.rota import on_call_at
from pm_desk.services.errors import NotFound, PermissionDenied, Problems, field_error
from pm_desk.services.oncall import require_rotation_office
from pm_desk.services.oncall_duty import Around, best, held, rank, read_around
from pm_desk.services.oncall_gaps import close_gaps, cover_gap
from pm_desk.services.oncall_swaps import approve_swap, decline_swap, holiday_exception, request_swap
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_supervisor_of
from pm_desk.services.records import check_years, load
from pm_desk.store.models import Leave, Override, Rotation, RotationMember, Shift, User
from pm_desk.store.uow import UnitOfWork

__all__ = [
    "approve_cover",
    "approve_swap",
    "cannot_cover",
    "cover_gap",
    "decline_cover",
    "decline_swap",
    "enter_leave",
    "holiday_exception",
    "ranked_replacements",
    "request_swap",
]
MAX_COVER = timedelta(days=366)
LEAVE_REASONS = {LeaveKind.SICK: OverrideReason.SICK, LeaveKind.ANNUAL: OverrideReason.LEAVE}


def _around(uow: UnitOfWork, override: Override) -> Around:
    around = read_around(uow, override.rotation_id, override.starts_at, override.ends_at)
    if around is None:
        raise NotFound("the rotation was not found (it may have been deleted)")
    return around


def _held(around: Around, override: Override, role: OnCallRole) -> tuple[datetime, datetime] | None:
    """The part of the request in which the person covered holds `role` (None: he does not)."""
    if role not in override.roles.roles:
        return None
    if override.covered_user_id is None:
        return override.starts_at, override.ends_at
    return held(around.duty(role), override.covered_user_id, override.starts_at, override.ends_at)


def candidates_for(
    uow: UnitOfWork, override: Override, role: OnCallRole = OnCallRole.PRIMARY
) -> list[Candidate]:
    """Everyone of the rotation who might take the request's `role`, best first (a read); empty
    when the person covered does not hold that role in the request's stretch."""
    around = _around(uow, override)
    span = _held(around, override, role)
    return rank(around, role, override.covered_user_id, *span) if span else []


def ranked_replacements(
    uow: UnitOfWork, override_id: str, role: OnCallRole = OnCallRole.PRIMARY
) -> list[Candidate]:
    with uow:
        return candidates_for(uow, load(uow, Override, override_id, "cover request"), role)


def _name(uow: UnitOfWork, user_id: str) -> str:
    user = uow.get(User, user_id)
    return user.name if user else "?"


def _duty_roles(
    around: Around, person_id: str, start: datetime, end: datetime, roles: CoverRoles
) -> dict[OnCallRole, tuple[datetime, datetime]]:
    spans = {}
    for role in roles.roles:
        span = held(around.duty(role), person_id, start, end)
        if span is not None:
            spans[role] = span
    return spans


def _request(
    uow: UnitOfWork,
    actor: Actor,
    rotation_id: str,
    shift_id: str | None,
    covered_id: str,
    spans: dict[OnCallRole, tuple[datetime, datetime]],
    reason: OverrideReason,
) -> Override:
    """A cover request of the roles in `spans`, over the stretch they span together."""
    roles = CoverRoles.of(set(spans))
    assert roles is not None
    override = Override(
        rotation_id=rotation_id,
        shift_id=shift_id,
        covered_user_id=covered_id,
        starts_at=min(s for s, _e in spans.values()),
        ends_at=max(e for _s, e in spans.values()),
        roles=roles,
        reason=reason,
        state=RequestState.REQUESTED,
        requested_by=actor.user_id,
    )
    uow.session.add(override)
    uow.session.flush()
    return override


def _check_stretch(uow: UnitOfWork, start: datetime, end: datetime) -> None:
    problems = Problems()
    check_years(problems, starts_at=start, ends_at=end)
    problems.raise_if_any()
    if end <= start:
        problems.add("ends_at", "must be after the start")
    elif end <= uow.now():
        problems.add("ends_at", "this stretch is already over")
    elif end - start > MAX_COVER:
        problems.add("ends_at", "cover of more than a year is not on-call cover")
    problems.raise_if_any()


@write_operation("oncall.cannot_cover")
def cannot_cover(
    uow: UnitOfWork,
    actor: Actor,
    shift_id: str,
    reason: OverrideReason = OverrideReason.SICK,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    roles: CoverRoles = CoverRoles.BOTH,
    person_id: str | None = None,
) -> str:
    """ "I can't cover": a person on the rota (or his supervisor, naming him with `person_id`)
    asks for someone else to take his `roles` from `starts_at` (default: now, or the shift's
    start) to `ends_at` (default: the shift's end) — exactly that stretch, whatever the shifts
    around it. Returns the cover request; the supervisor approves a replacement for each role,
    or the policy lets the first-ranked take it at once."""
    shift = load(uow, Shift, shift_id, "shift")
    rotation = load(uow, Rotation, shift.rotation_id, "rotation")
    require_rotation_office(actor, rotation, "ask for cover")
    if reason not in COVER_REASONS:
        raise field_error("reason", f"{reason.value} is not a reason to ask for cover")
    if actor.role is Role.MANAGER and person_id not in {None, actor.user_id}:
        raise PermissionDenied(f"{actor.name} can ask for cover for himself only", "shift", shift.id)
    start = starts_at or max(shift.starts_at, uow.now())
    end = ends_at or shift.ends_at
    _check_stretch(uow, start, end)
    around = read_around(uow, rotation.id, start, end)
    assert around is not None
    covered = actor.user_id if actor.role is Role.MANAGER else person_id or _on_duty(around, shift, start)
    spans = _duty_roles(around, covered, start, end, roles)
    if not spans:
        who = "you are" if covered == actor.user_id else f"{_name(uow, covered)} is"
        what = "on call" if roles is CoverRoles.BOTH else f"the {roles.value}"
        raise field_error("starts_at", f"{who} not {what} then")
    override = _request(uow, actor, rotation.id, shift.id, covered, spans, reason)
    _assign_if_policy_says(uow, actor, override)
    return override.id


def _on_duty(around: Around, shift: Shift, start: datetime) -> str:
    """Who holds the shift's primary role when the stretch starts (its planned primary if no one)."""
    mine = [s for s in around.primaries if s.id == shift.id]
    now = on_call_at(mine, max(start, shift.starts_at))
    return now[0].person_id if now else shift.primary_id


def _assign_if_policy_says(uow: UnitOfWork, actor: Actor, override: Override) -> None:
    if not uow.policy.oncall.auto_assign_first_ranked:
        return
    primary = best(candidates_for(uow, override, OnCallRole.PRIMARY))
    if (
        OnCallRole.PRIMARY in override.roles.roles
        and _holds(uow, override, OnCallRole.PRIMARY)
        and not primary
    ):
        return  # nobody to take it: the supervisor decides
    override.covering_user_id = primary
    override.backup_covering_user_id = best(candidates_for(uow, override, OnCallRole.BACKUP), {primary})
    override.state = RequestState.APPROVED
    uow.session.flush()
    close_gaps(uow, actor, override.rotation_id)


def _holds(uow: UnitOfWork, override: Override, role: OnCallRole) -> bool:
    return _held(_around(uow, override), override, role) is not None


@write_operation("oncall.approve_cover")
def approve_cover(
    uow: UnitOfWork,
    actor: Actor,
    override_id: str,
    covering_user_id: str | None,
    backup_covering_user_id: str | None = None,
) -> None:
    """A supervisor gives a cover request's roles to eligible members (never to himself for his
    own request): `covering_user_id` takes the primary role, `backup_covering_user_id` the backup
    role (default: the first-ranked eligible). A role nobody is eligible for may be left to
    nobody (None): the person still gets his time off, and the gap is shown with its reason.
    A supervisor who took a colleague's sick call (and asked on his behalf) approves it too."""
    override = load(uow, Override, override_id, "cover request")
    rotation = load(uow, Rotation, override.rotation_id, "rotation")
    require_supervisor_of(actor, rotation.field_office_id, "approve cover")
    if actor.user_id == override.covered_user_id:
        raise PermissionDenied(f"{actor.name} cannot approve his own cover request", "override", override.id)
    if override.state is not RequestState.REQUESTED:
        raise field_error("state", f"this request was already {override.state.value}")
    primary = _chosen(uow, override, OnCallRole.PRIMARY, covering_user_id, "covering_user_id", set())
    backup = _chosen(
        uow, override, OnCallRole.BACKUP, backup_covering_user_id, "backup_covering_user_id", {primary}, True
    )
    override.covering_user_id, override.backup_covering_user_id = primary, backup
    override.state = RequestState.APPROVED
    override.approved_by = actor.user_id
    uow.session.flush()
    close_gaps(uow, actor, rotation.id)


def _chosen(
    uow: UnitOfWork,
    override: Override,
    role: OnCallRole,
    person_id: str | None,
    field: str,
    taken: set[str | None],
    default_to_best: bool = False,
) -> str | None:
    """The person given `role`, checked against the ranking for exactly the stretch held."""
    ranked = candidates_for(uow, override, role)
    if not ranked and not _holds(uow, override, role):
        return None  # the person covered does not hold this role then: nothing to give
    if person_id is None:
        found = best(ranked, taken) if default_to_best else None
        if found is None and any(c.eligible and c.person_id not in taken for c in ranked):
            raise field_error(field, f"choose who takes the {role.value} role: someone is eligible")
        return found
    if person_id in taken:
        raise field_error(field, "one person cannot be primary and backup at once")
    candidate = next((c for c in ranked if c.person_id == person_id), None)
    if candidate is None:
        raise field_error(field, "choose a member of this rotation other than the one covered")
    if not candidate.eligible:
        raise field_error(field, f"cannot cover: {'; '.join(candidate.reasons)}")
    return person_id


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
    """Leave entered ahead (by the person or his supervisor): in every rotation where the person
    holds a role during it (primary or backup), one cover request of those roles at once."""
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
    uow.session.flush()
    reason = LEAVE_REASONS.get(kind, OverrideReason.OTHER)
    for rotation_id in _rotations_of(uow, user_id):
        around = read_around(uow, rotation_id, starts_at, ends_at)
        if around is None:
            continue
        spans = _duty_roles(around, user_id, starts_at, ends_at, CoverRoles.BOTH)
        if not spans:
            continue
        override = _request(
            uow, actor, rotation_id, _first_shift(around, user_id, spans), user_id, spans, reason
        )
        _assign_if_policy_says(uow, actor, override)
    uow.session.flush()
    return leave.id


def _rotations_of(uow: UnitOfWork, user_id: str) -> list[str]:
    """The rotations a person is a member of, or on a shift of."""
    members = select(RotationMember.rotation_id).where(
        RotationMember.user_id == user_id, RotationMember.deleted_at.is_(None)
    )
    on_shifts = select(Shift.rotation_id).where(
        Shift.deleted_at.is_(None), (Shift.primary_id == user_id) | (Shift.backup_id == user_id)
    )
    found = set(uow.session.execute(members).scalars()) | set(
        uow.session.execute(on_shifts.distinct()).scalars()
    )
    live = uow.session.execute(
        select(Rotation.id).where(Rotation.id.in_(found), Rotation.deleted_at.is_(None))
    ).scalars()
    return sorted(live)


def _first_shift(
    around: Around, person_id: str, spans: dict[OnCallRole, tuple[datetime, datetime]]
) -> str | None:
    """The shift a request is shown on: the first of the person's primary duty in it, else of
    his backup duty."""
    for role in (OnCallRole.PRIMARY, OnCallRole.BACKUP):
        if role not in spans:
            continue
        start, end = spans[role]
        shifts = around.duty(role)
        planned = {s.id for s in around.snapshot.shift_rows}
        mine = sorted(
            (s for s in shifts if s.person_id == person_id and s.ends_at > start and s.starts_at < end),
            key=lambda s: s.starts_at,
        )
        found = next((s.id for s in mine if s.id in planned), None)
        if found is not None:
            return found
    return None
