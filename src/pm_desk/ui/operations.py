"""Operations: every write of the app runs off the GUI thread, one at a time, on one database worker.

A page describes a write as an `Operation` — the service to call with its arguments, the record it
changes, the undo step it makes, what to say when it is done — and runs it. While it runs, the
button or action that started it is disabled; when it succeeds, the app hears one notification
(`DataEvents.changed`) and every page refreshes what that names, the undo step is pushed and the
sentence shown; when the service refuses, its sentence is shown and nothing else happens. Long
reads that grow with the data (Today's recompute) and imports share the same worker, so the
window never waits for the database and writes never race each other.

Seen in Anki's `CollectionOp`: `op.success(...).failure(...).run_in_background()`.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from pm_desk.services.errors import ServiceError
from pm_desk.services.failures import failure_sentence
from pm_desk.ui.jobs import Job, run_on, start_job
from pm_desk.ui.undo import ServiceCommand

if TYPE_CHECKING:
    from pm_desk.ui.context import AppContext

log = logging.getLogger(__name__)
T = TypeVar("T")
# The worker runs SQLAlchemy, rules and reports: give it the stack a main thread has.
WORKER_STACK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """How an operation ended: its value, or the service's refusal, or an unexpected failure."""

    value: T | None = None
    refusal: ServiceError | None = None
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None and self.failure is None

    @property
    def message(self) -> str:
        if self.refusal is not None:
            return str(self.refusal)
        return self.failure or ""


def _outcome_of(work: Callable[[], T]) -> Outcome[T]:
    try:
        return Outcome(value=work())
    except ServiceError as exc:
        return Outcome(refusal=exc)
    except Exception as exc:  # a sentence for the person; the detail (never its data) to the log
        log.error("operation failed", exc_info=exc)
        sentence = failure_sentence(exc)
        if sentence is not None:
            return Outcome(failure=f"Nothing was saved: {sentence}.")
        return Outcome(failure="Something went wrong; nothing was saved. The log has the details.")


class OperationRunner(QObject):
    """The database worker: one thread, one write (or long read) at a time, in order."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # one thread for the life of the app
        self._pool.setStackSize(WORKER_STACK_BYTES)
        self._waiting: dict[int, tuple[Callable[[Any], None], QObject | None]] = {}
        self._tickets = itertools.count()

    @property
    def busy(self) -> bool:
        return bool(self._waiting)

    def submit(
        self, work: Callable[[], T], done: Callable[[Outcome[T]], None], owner: QObject | None = None
    ) -> None:
        """Run `work` on the worker; `done(outcome)` is called on the GUI thread, unless `owner`
        (the page that asked) has been closed meanwhile."""
        ticket = next(self._tickets)
        self._waiting[ticket] = (done, owner)
        run_on(self._pool, work, _outcome_of, lambda outcome: self._finished(ticket, outcome))

    def _finished(self, ticket: int, outcome: Outcome[Any]) -> None:
        done, owner = self._waiting.pop(ticket)
        try:
            if owner is None or shiboken6.isValid(owner):
                done(outcome)
        finally:
            if not self._waiting:
                self.idle.emit()

    def start_job(self, job: Job) -> Job:
        """A job with progress and cancel (an import) on the same worker."""
        ticket = next(self._tickets)
        self._waiting[ticket] = (lambda _outcome: None, None)
        start_job(self._pool, job, lambda _job: self._finished(ticket, Outcome()))
        return job

    def wait(self, msecs: int = 30_000) -> bool:
        """Process events until every operation has finished, including the ones that finishing
        ones set off (for shutdown and tests); False if some are still running at the deadline."""
        deadline = time.monotonic() + msecs / 1000
        while self._waiting:
            left = int((deadline - time.monotonic()) * 1000)
            if left <= 0:
                return False
            loop = QEventLoop()
            self.idle.connect(loop.quit)
            QTimer.singleShot(left, loop.quit)
            loop.exec()
            self.idle.disconnect(loop.quit)
            QApplication.processEvents()
        return True


class Operation(Generic[T]):
    """One write: `service(uow, actor, *args)` run on the worker, and what follows it."""

    def __init__(self, ctx: AppContext, service: Callable[..., T], *args: Any, **kwargs: Any) -> None:
        self.ctx = ctx
        self._call = lambda: service(ctx.db.uow(), ctx.actor, *args, **kwargs)
        self._changes: list[tuple[str, str | Callable[[T], str]]] = []
        self._success: list[Callable[[T], None]] = []
        self._failure: Callable[[str], None] | None = None
        self._triggers: list[QWidget | QAction] = []
        self._undo: tuple[str, Callable[[T], Operation[Any]], Callable[[T], Operation[Any]]] | None = None
        self._message: str | Callable[[T], str] | None = None
        self._tell: Callable[[str], None] | None = None
        self._owner: QObject | None = None

    # -- what it is ----------------------------------------------------------------------------
    def changes(self, kind: str, record_id: str | Callable[[T], str]) -> Operation[T]:
        """The record it changes (an id, or how to read it from the result, for a new record)."""
        self._changes.append((kind, record_id))
        return self

    def owner(self, widget: QObject) -> Operation[T]:
        """The page it is run for: closed meanwhile, it is not told how the operation ended (the
        write itself is done and the other pages hear of it)."""
        self._owner = widget
        return self

    def success(self, then: Callable[[T], None]) -> Operation[T]:
        self._success.append(then)
        return self

    def failure(self, then: Callable[[str], None]) -> Operation[T]:
        """Where the service's refusal is shown (a page's message bar)."""
        self._failure = then
        return self

    def trigger(self, *triggers: QWidget | QAction | None) -> Operation[T]:
        """The buttons and actions that started it: disabled while it runs."""
        self._triggers += [t for t in triggers if t is not None]
        return self

    def undoable(
        self, text: str, redo: Callable[[T], Operation[Any]], undo: Callable[[T], Operation[Any]]
    ) -> Operation[T]:
        """Edit → Undo takes it back with `undo(result)` (itself an operation), Redo with `redo`."""
        self._undo = (text, redo, undo)
        return self

    def tell(self, message: str | Callable[[T], str], show: Callable[[str], None]) -> Operation[T]:
        self._message, self._tell = message, show
        return self

    # -- running it ----------------------------------------------------------------------------
    def run(self) -> None:
        """Start it on the worker and return at once."""
        self._set_enabled(False)
        self.ctx.ops.submit(self._call, self._finish)  # the write ends even if its page is gone

    def run_and_wait(self) -> Outcome[T]:
        """Start it on the worker and wait for it with the window still answering (a dialog's
        Save: the dialog stays open to show what the service refused)."""
        seen: list[Outcome[T]] = []
        loop = QEventLoop()
        self._set_enabled(False)

        def finish(outcome: Outcome[T]) -> None:
            seen.append(outcome)
            self._finish(outcome, show_failure=False)
            loop.quit()

        self.ctx.ops.submit(self._call, finish)
        if not seen:
            loop.exec()
        return seen[0]

    def _notify(self, outcome: Outcome[T]) -> None:
        """The one notification every page listens to: these records changed."""
        for kind, record in self._changes:
            self.ctx.events.changed.emit(kind, record(outcome.value) if callable(record) else record)

    def _set_enabled(self, enabled: bool) -> None:
        for trigger in self._triggers:
            trigger.setEnabled(enabled)

    def _finish(self, outcome: Outcome[T], show_failure: bool = True) -> None:
        if self._owner is not None and not shiboken6.isValid(self._owner):
            if outcome.ok:
                self._notify(outcome)
            return
        self._set_enabled(True)
        if not outcome.ok:
            if show_failure:
                (self._failure or self.ctx.events.failed.emit)(outcome.message)
            return
        value: T = outcome.value  # type: ignore[assignment]
        if self._undo is not None:
            text, redo, undo = self._undo
            self.ctx.undo_stack.push(
                ServiceCommand(text, lambda: redo(value).run(), lambda: undo(value).run())
            )
        self._notify(outcome)
        for then in self._success:
            then(value)
        if self._message is not None and self._tell is not None:
            self._tell(self._message(value) if callable(self._message) else self._message)


class Versions:
    """The version of one record as this session last left it, so that every save, undo and redo
    says which version it was made on (a stale one is refused, never silently overwritten)."""

    def __init__(self, seen: int) -> None:
        self.current = seen

    def track(self, operation: Operation[int]) -> Operation[int]:
        """`operation` returns the record's new version: remember it when it succeeds."""
        return operation.success(self._remember)

    def _remember(self, version: int) -> None:
        self.current = version
