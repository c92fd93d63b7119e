"""How every write runs: authorize, validate, change, audit, commit, in one transaction.

A service function decorated with `@write_operation("area.verb")` receives an open unit of work
that already holds the database's write lock (taken before the function reads anything), with
the actor and operation set for the audit trail; it commits when the function returns. A
refusal (`PermissionDenied`) rolls the change back and is itself written to the audit trail, in
a transaction of its own that takes the write lock too; a stale version becomes a `Conflict`
with a sentence saying what to do.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError

from pm_desk.domain.actor import Actor
from pm_desk.services.errors import Conflict, PermissionDenied, ServiceError
from pm_desk.store.audit_log import AuditContext, NewEntry, append_entries
from pm_desk.store.errors import DamagedDatabaseError
from pm_desk.store.uow import UnitOfWork

P = ParamSpec("P")
T = TypeVar("T")


def write_operation(
    operation: str,
) -> Callable[
    [Callable[Concatenate[UnitOfWork, Actor, P], T]], Callable[Concatenate[UnitOfWork, Actor, P], T]
]:
    def decorate(
        fn: Callable[Concatenate[UnitOfWork, Actor, P], T],
    ) -> Callable[Concatenate[UnitOfWork, Actor, P], T]:
        @functools.wraps(fn)
        def run(uow: UnitOfWork, actor: Actor, *args: P.args, **kwargs: P.kwargs) -> T:
            with uow:
                uow.attribute(actor.user_id, actor.email, operation)
                try:
                    take_write_lock(uow)
                    result = fn(uow, actor, *args, **kwargs)
                    uow.commit()
                except PermissionDenied as denied:
                    record_denial(uow, actor, operation, denied)
                    raise
                except StaleDataError as exc:
                    raise Conflict(
                        "someone else changed this record since you opened it; reload it and make "
                        "your change again"
                    ) from exc
                return result

        run.operation = operation  # type: ignore[attr-defined]
        return run

    return decorate


def take_write_lock(uow: UnitOfWork) -> Connection:
    """Take the write lock for `uow`; a damaged database or a writer that keeps the lock past the
    busy timeout is a refusal with a sentence, nothing written."""
    try:
        return uow.lock_for_write()
    except DamagedDatabaseError as exc:
        raise ServiceError(str(exc)) from exc
    except sa_exc.OperationalError as exc:
        if "locked" not in str(exc.orig):
            raise
        raise Conflict(
            "the database is busy: another program (or another PM Desk) is writing to it; nothing "
            "was saved: try again in a moment"
        ) from exc


def record_denial(uow: UnitOfWork, actor: Actor, operation: str, denied: PermissionDenied) -> None:
    """Write the refusal to the audit trail in its own transaction (whatever the refused write
    had begun is rolled back first), as the database's one writer."""
    uow.rollback()
    take_write_lock(uow)
    context = AuditContext(actor.user_id, actor.email, operation)
    entry = NewEntry(
        at=uow.now(),
        context=context,
        action="denied",
        record_kind=getattr(denied, "record_kind", None),
        record_id=getattr(denied, "record_id", None),
        before=None,
        after={"reason": str(denied), "role": actor.role.value},
    )
    append_entries(uow.session.connection(), [entry])
    uow.commit()
