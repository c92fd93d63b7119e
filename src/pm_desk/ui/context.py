"""What every page and dialog gets: the database, the policy, the acting user and the clock.

Pages read through `read(view, ...)` (a read service: it opens its own unit of work and returns
plain data) and write through `op(service, ...)` (an operation on the database worker); they
never open a unit of work or build a query themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy
from pm_desk.domain.scope import Scope, scope_of
from pm_desk.paths import Paths
from pm_desk.settings import Settings
from pm_desk.store.database import Database
from pm_desk.ui.operations import Operation, OperationRunner

if TYPE_CHECKING:
    from pm_desk.services.access import Opened

T = TypeVar("T")


class DataEvents(QObject):
    """Tells every open page that records changed, so lists and counts refresh."""

    changed = Signal(str, str)  # record kind, record id: one per finished operation
    navigate = Signal(str, str)  # record kind, record id: open that record where it lives
    failed = Signal(str)  # an operation's refusal that no page showed


@dataclass
class AppContext:
    db: Database
    policy: Policy
    actor: Actor
    paths: Paths
    settings: Settings
    events: DataEvents
    undo_stack: QUndoStack
    ops: OperationRunner = field(default_factory=OperationRunner)
    # The signed-in session (the key that opened the database): None in tests that build a context
    # on a database directly, and on a server's URL.
    access: Opened | None = None

    def now(self) -> datetime:
        return self.db.clock()

    def read(self, view: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a read service (`pm_desk.services.reads` and the like) in a unit of work of its own."""
        return view(self.db.uow(), *args, **kwargs)

    def op(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> Operation[T]:
        """A write as the acting user, to describe and run (see `pm_desk.ui.operations`)."""
        return Operation(self, service, *args, **kwargs)

    def scope(self, whole_office: bool) -> Scope:
        """Whose records the lists show (see `pm_desk.domain.scope`)."""
        return scope_of(self.actor, whole_office)
