"""What every page and dialog gets: the database, the policy, the acting user and the clock.

Pages read through `read(query_fn)` (a store query in a short unit of work) and write through
`call(service_fn, ...)`; they never build a query or a session themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.domain.policy import Policy
from pm_desk.paths import Paths
from pm_desk.settings import Settings
from pm_desk.store.database import Database
from pm_desk.store.queries.listing import Scope

T = TypeVar("T")


class DataEvents(QObject):
    """Tells every open page that records changed, so lists and counts refresh."""

    changed = Signal(str, str)  # record kind, record id
    navigate = Signal(str, str)  # record kind, record id: open that record where it lives


@dataclass
class AppContext:
    db: Database
    policy: Policy
    actor: Actor
    paths: Paths
    settings: Settings
    events: DataEvents
    undo_stack: QUndoStack

    def now(self) -> datetime:
        return self.db.clock()

    def session_read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store query that takes a session."""
        with self.db.uow() as uow:
            return fn(uow.session, *args, **kwargs)

    def call(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a write service as the acting user; its errors reach the caller unchanged."""
        return service(self.db.uow(), self.actor, *args, **kwargs)

    def scope(self, whole_office: bool) -> Scope:
        """A manager sees his caseload; the switch (or another role) widens to the field office."""
        if self.actor.role is Role.MANAGER and not whole_office:
            return Scope(manager_id=self.actor.user_id)
        if self.actor.role in {Role.MANAGER, Role.SUPERVISOR} and self.actor.field_office_id:
            return Scope(field_office_id=self.actor.field_office_id)
        return Scope()
