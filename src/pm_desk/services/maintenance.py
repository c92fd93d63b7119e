"""Keeping derived columns true to the policy: the hold deadline stored with each transfer.

The deadline is a cache of `rules.hold_deadline` under the policy in force, so lists can sort
and filter by it through an index. It is recomputed whenever the hold settings of the policy
differ from the ones it was computed under (a fingerprint kept in `app_meta`). This changes no
record's meaning, so it is neither audited nor versioned: it is not a person's write.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Connection, bindparam, func, insert, select, update

from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import hold_deadline
from pm_desk.store.models import AppMeta, CustodyTransfer
from pm_desk.store.uow import UnitOfWork

HOLD_POLICY_KEY = "hold_deadline_policy"
BATCH = 20_000


def hold_policy_fingerprint(policy: Policy) -> str:
    hold = policy.hold
    return json.dumps({"hours": hold.hours, "skip": hold.excludes_weekends_and_holidays}, sort_keys=True)


def stored_fingerprint(connection: Connection) -> str | None:
    return connection.execute(select(AppMeta.value).where(AppMeta.key == HOLD_POLICY_KEY)).scalar()


def mark_hold_deadlines_current(connection: Connection, policy: Policy) -> None:
    value = hold_policy_fingerprint(policy)
    if stored_fingerprint(connection) is None:
        connection.execute(insert(AppMeta).values(key=HOLD_POLICY_KEY, value=value))
    else:
        connection.execute(update(AppMeta).where(AppMeta.key == HOLD_POLICY_KEY).values(value=value))


def hold_deadlines_are_current(connection: Connection, policy: Policy) -> bool:
    return stored_fingerprint(connection) == hold_policy_fingerprint(policy)


def refresh_hold_deadlines(
    connection: Connection, policy: Policy, progress: Callable[[str, float], None] | None = None
) -> int:
    """Recompute every transfer's stored deadline under `policy`, in batches; returns how many.

    Runs inside the caller's transaction on `connection`.
    """
    table = CustodyTransfer.__table__
    total = connection.execute(select(func.count()).select_from(CustodyTransfer)).scalar_one()
    statement = (
        update(CustodyTransfer)
        .where(CustodyTransfer.id == bindparam("row_id"))
        .values(hold_deadline_at=bindparam("deadline"))
    )
    done, last_id = 0, ""
    while True:
        rows = connection.execute(
            select(table.c.id, table.c.release_eligible_at)
            .where(table.c.id > last_id)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            statement,
            [
                {"row_id": row_id, "deadline": hold_deadline(eligible, policy) if eligible else None}
                for row_id, eligible in rows
            ],
        )
        done += len(rows)
        last_id = rows[-1][0]
        if progress is not None:
            progress("Updating hold deadlines to the policy", done / max(total, 1))
    mark_hold_deadlines_current(connection, policy)
    return done


def ensure_hold_deadlines(connection: Connection, policy: Policy) -> int:
    """Refresh the stored deadlines only when the policy changed since they were computed."""
    if hold_deadlines_are_current(connection, policy):
        return 0
    return refresh_hold_deadlines(connection, policy)


def deadlines_follow_policy(uow: UnitOfWork, policy: Policy) -> bool:
    """Whether the stored hold deadlines were computed under `policy` (a read)."""
    with uow:
        return hold_deadlines_are_current(uow.session.connection(), policy)


def bring_deadlines_to_policy(
    uow: UnitOfWork, policy: Policy, progress: Callable[[str, float], None] | None = None
) -> int:
    """Recompute the stored hold deadlines under `policy`, in one transaction; returns how many."""
    with uow:
        count = refresh_hold_deadlines(uow.session.connection(), policy, progress)
        uow.commit()
        return count
