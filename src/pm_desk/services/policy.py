"""The policy in force: read by everyone, changed only by an administrator, each change checked,
audited with its value before and after, and printed on every report from then on.

The stored hold deadlines follow the hold settings: a change to them recomputes every open
deadline in the same transaction, so no list sorts by a deadline of the old policy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.domain.policy import Policy, PolicyError, flatten_text, policy_from_items, policy_items
from pm_desk.services.errors import field_error
from pm_desk.services.maintenance import hold_deadlines_are_current, refresh_hold_deadlines
from pm_desk.services.operation import write_operation
from pm_desk.services.permissions import require_role
from pm_desk.store.models import PolicySetting
from pm_desk.store.queries.policy import stored_policy
from pm_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class PolicyChange:
    """What a change did: each setting it changed, from and to, and the policy now in force."""

    changed: dict[str, tuple[Any, Any]]
    policy: Policy
    deadlines_recomputed: int = 0


def policy_in_force(uow: UnitOfWork) -> Policy:
    """The policy the rules use now (a read: it opens its own unit of work)."""
    with uow:
        return stored_policy(uow.session)


@write_operation("policy.change")
def change_policy(
    uow: UnitOfWork, actor: Actor, settings: Mapping[str, Any], source: str = "the settings given"
) -> PolicyChange:
    """An administrator sets some settings (`section.key` → value). Every value is checked as a
    policy file's would be; nothing is written unless all are good."""
    require_role(actor, {Role.ADMIN}, "change the policy")
    session = uow.session
    before = stored_policy(session)
    try:
        after = policy_from_items(before, dict(settings), source)
    except PolicyError as exc:
        raise field_error("policy", str(exc).removeprefix(f"{source}: ")) from exc
    old, new = policy_items(before), policy_items(after)
    changed = {key: (old[key], new[key]) for key in new if new[key] != old[key]}
    rows = {row.key: row for row in session.execute(select(PolicySetting)).scalars()}
    for key, (_was, value) in changed.items():
        row = rows.get(key)
        if row is None:
            session.add(PolicySetting(key=key, value=json.dumps(value)))
        else:
            row.value, row.deleted_at = json.dumps(value), None
    session.flush()
    recomputed = 0
    connection = session.connection()
    if not hold_deadlines_are_current(connection, after):
        recomputed = refresh_hold_deadlines(connection, after)
    uow.policy = after
    return PolicyChange(changed, after, recomputed)


def import_policy(uow: UnitOfWork, actor: Actor, text: str, source: str) -> PolicyChange:
    """An administrator brings a policy file (TOML, the shape of `resources/policy.toml`) in:
    the settings it names are set, the others kept."""
    try:
        settings = flatten_text(text, source)
    except PolicyError as exc:
        raise field_error("policy", str(exc)) from exc
    return change_policy(uow, actor, settings, source)
