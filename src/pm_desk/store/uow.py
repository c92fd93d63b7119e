"""The unit of work: one session, one transaction, the acting user and the clock.

Services receive a unit of work, change records through its session and call `commit()`; leaving
the `with` block without a commit rolls everything back. Every flush stamps the bookkeeping
columns (`updated_at`, `updated_by`) and appends audit entries, so no write escapes the trail.
A unit of work that writes calls `lock_for_write()` first, before it reads anything: it is then
the database's one writer until it commits. One that did not say so becomes the writer at its
first flush, before the audit chain's head is read (see store.transactions).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from pm_desk.domain.policy import Policy, load_policy
from pm_desk.store.audit_log import AuditContext, write_after_flush
from pm_desk.store.models import Record, new_id
from pm_desk.store.transactions import WRITE_LOCK, become_writer

Clock = Callable[[], datetime]
# Called before a write takes the lock; raises to refuse writing (a database found damaged).
WriteGuard = Callable[[], None]
R = TypeVar("R", bound=Record)


def system_clock() -> datetime:
    return datetime.now(UTC)


def _stamp_before_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    now = session.info["clock"]()
    context: AuditContext | None = session.info.get("audit_context")
    actor_id = context.actor_id if context else None
    for obj in session.new:
        if isinstance(obj, Record):
            if obj.id is None:
                obj.id = new_id()
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            obj.updated_by = actor_id
    for obj in session.dirty:
        if isinstance(obj, Record) and session.is_modified(obj, include_collections=False):
            obj.updated_at = now
            obj.updated_by = actor_id


def _become_writer_before_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    become_writer(session.connection())


def _note_flush(session: Session, flush_context: UOWTransaction) -> None:
    session.info["flushed"] = True


def install_session_events(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _become_writer_before_flush)
    event.listen(factory, "before_flush", _stamp_before_flush)
    event.listen(factory, "after_flush", write_after_flush)
    event.listen(factory, "after_flush", _note_flush)


class UnitOfWork:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock = system_clock,
        policy: Policy | None = None,
        write_guard: WriteGuard | None = None,
    ) -> None:
        self._factory = session_factory
        self._write_guard = write_guard
        self.clock = clock
        # The policy in force: services that derive values from it (the hold deadline) read it here.
        self.policy = policy if policy is not None else load_policy()
        self._session: Session | None = None
        self._committed = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open")
        self._session = self._factory()
        self._session.info["clock"] = self.clock
        self._committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        session = self._session
        try:
            # A write that was not committed is undone. A unit of work that only read leaves its
            # records loaded (close() ends the transaction without expiring them), so what a
            # read returns can still be looked at afterwards.
            if not self._committed and (
                session.info.get("flushed") or session.new or session.dirty or session.deleted
            ):
                session.rollback()
        finally:
            session.close()
            self._session = None

    def attribute(self, actor_id: str | None, actor_email: str | None, operation: str) -> None:
        """Who does what in this transaction: written into every audit entry it produces."""
        self.session.info["audit_context"] = AuditContext(actor_id, actor_email, operation)

    def lock_for_write(self) -> Connection:
        """Make this unit's transaction the database's one writer and return its connection.

        Call it before anything is read: what the write then reads (the rows it checks, the
        audit chain's head) stays current until it commits, and other writers wait. Called after
        reads, it ends their snapshot first (what they loaded is checked again by versions)."""
        if self._write_guard is not None:
            self._write_guard()
        session = self.session
        if session.in_transaction():
            connection = session.connection()
        else:
            connection = session.connection(execution_options={WRITE_LOCK: True})
        become_writer(connection)
        return connection

    def commit(self) -> None:
        self.session.commit()
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()
        self._committed = False

    def now(self) -> datetime:
        return self.clock()

    def get(self, model: type[R], record_id: str) -> R | None:
        """A live (not soft-deleted) record by id."""
        found = self.session.get(model, record_id)
        if found is None or found.deleted_at is not None:
            return None
        return found

    def live(self, model: type[R]) -> Any:
        """`select(model)` of the records not soft-deleted."""
        return select(model).where(model.deleted_at.is_(None))
