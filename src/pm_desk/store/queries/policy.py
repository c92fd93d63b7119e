"""The policy in force, as the database holds it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pm_desk.domain.policy import Policy, load_policy, policy_from_items, policy_items
from pm_desk.store.models import PolicySetting


def stored_settings(session: Session) -> dict[str, Any]:
    """Every setting stored, `section.key` → value."""
    rows = session.execute(
        select(PolicySetting.key, PolicySetting.value).where(PolicySetting.deleted_at.is_(None))
    )
    return {key: json.loads(value) for key, value in rows}


def stored_policy(session: Session) -> Policy:
    """The shipped defaults with the stored settings laid over them. A setting this version added
    and the database does not hold yet keeps its default; one it no longer knows is left out."""
    defaults = load_policy()
    known = policy_items(defaults)
    settings = {key: value for key, value in stored_settings(session).items() if key in known}
    return policy_from_items(defaults, settings, "the policy stored in the database")
