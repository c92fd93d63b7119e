"""The acting person's scope at a moment: whose records he sees, and whether he is the one on
call outside office hours (then his field office's holds at risk are his to watch too)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pm_desk.domain.actor import Actor
from pm_desk.domain.clock import is_office_hours
from pm_desk.domain.policy import Policy
from pm_desk.domain.scope import Scope, scope_of
from pm_desk.store.queries.oncall import on_call_now
from pm_desk.store.uow import UnitOfWork


def acting_scope(
    uow: UnitOfWork, actor: Actor, policy: Policy, now: datetime, whole_office: bool = False
) -> Scope:
    """`actor`'s scope at `now` (see `pm_desk.domain.scope`). Open `uow` must be usable for reads."""
    scope = scope_of(actor, whole_office)
    if actor.field_office_id is None:
        return scope
    current = on_call_now(uow.session, actor.field_office_id, now)
    if current is None or current.primary_id != actor.user_id:
        return scope
    hours = policy.oncall
    if is_office_hours(now, ZoneInfo(current.zone), hours.office_hours_start, hours.office_hours_end):
        return scope
    return scope.on_call(actor.field_office_id)
