"""Long work off the GUI thread: a job reports progress, a result or an error, and can be cancelled.

A rule every worker here keeps: nothing the GUI made is ever released on a worker thread. The
work a job runs is a closure over pages and models; if a worker dropped the last reference to
it, Python would destroy widgets on the wrong thread (and Qt crashes). So a worker takes the
work out of a box, runs it, and hands it back to the GUI thread with its result, where it is
released (`hand_back`).
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from pm_desk.services.errors import ServiceError
from pm_desk.services.failures import failure_sentence

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the person pressed Cancel."""


class _HandBack(QObject):
    """Brings finished work back to the GUI thread. A worker puts (item, then, value) in the
    queue and drops its own references *before* it signals, so the GUI thread, draining the
    queue, is always the one that releases them."""

    arrived = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.queue: queue.SimpleQueue[tuple[Any, Callable[[Any], None], Any]] = queue.SimpleQueue()
        self.arrived.connect(self._drain)

    def _drain(self) -> None:
        while True:
            try:
                _item, then, value = self.queue.get_nowait()
            except queue.Empty:
                return
            then(value)


_hand_back: _HandBack | None = None


def _channel() -> _HandBack:
    # One for the life of the process, made on the GUI thread at the first job: no worker ever
    # holds the last reference to it.
    global _hand_back
    if _hand_back is None:
        _hand_back = _HandBack()
    return _hand_back


def run_on(pool: QThreadPool, item: Any, run: Callable[[Any], Any], then: Callable[[Any], None]) -> None:
    """Run `run(item)` on `pool`, then `then(value)` on the GUI thread, where `item`, `run` and
    `then` are released."""
    box = [(item, run, then)]
    channel = _channel()

    def task() -> None:
        taken, work, after = box.pop()
        value = work(taken)
        channel.queue.put((taken, after, value))
        del taken, work, after, value
        channel.arrived.emit()

    pool.start(task)


class JobSignals(QObject):
    progress = Signal(str, float)
    result = Signal(object)
    error = Signal(str)
    finished = Signal()


class Job(QRunnable):
    """`work(report)` run off the GUI thread; `report(step, fraction)` raises Cancelled when asked."""

    def __init__(self, work: Callable[[Callable[[str, float], None]], Any]) -> None:
        super().__init__()
        self.signals = JobSignals()
        self._work = work
        self._cancelled = False
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def _report(self, step: str, fraction: float) -> None:
        if self._cancelled:
            raise Cancelled()
        self.signals.progress.emit(step, fraction)

    def run(self) -> None:
        try:
            value = self._work(self._report)
        except Cancelled:
            self.signals.error.emit("cancelled")
        except ServiceError as exc:  # a refusal: its sentence is written for the person
            self.signals.error.emit(str(exc))
        except Exception as exc:  # a sentence for the person; the detail (never its data) to the log
            log.error("background job failed", exc_info=exc)
            self.signals.error.emit(
                failure_sentence(exc) or "something unexpected went wrong; the log has the details"
            )
        else:
            self.signals.result.emit(value)
        finally:
            self.signals.finished.emit()


class JobRunner(QObject):
    """Starts jobs on the shared thread pool and keeps them alive until they are back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool.globalInstance()
        self._running: set[Job] = set()

    def start(self, job: Job) -> Job:
        self._running.add(job)
        start_job(self._pool, job, self._running.discard)
        return job

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)


def start_job(pool: QThreadPool, job: Job, release: Callable[[Job], None]) -> None:
    """Run `job` on `pool`; `release(job)` once both its own `finished` signal and the job itself
    are back on the GUI thread (the two arrive in either order), so its signals are never lost
    and nothing of it is released on the worker."""
    pending = {"finished", "back"}

    def arrived(part: str) -> None:
        pending.discard(part)
        if not pending:
            release(job)

    job.signals.finished.connect(lambda: arrived("finished"))
    run_on(pool, job, _run_job, lambda _job: arrived("back"))


def _run_job(job: Job) -> Job:
    job.run()
    return job


@dataclass(frozen=True)
class Finished:
    value: Any = None
    failure: str | None = None  # "cancelled", or what went wrong in a sentence


def run_with_progress(
    parent: Any, title: str, work: Callable[[Callable[[str, float], None]], Any]
) -> Finished:
    """Run `work(report)` off the GUI thread behind a progress window with Cancel, and wait for it
    with the window still answering (an export of a long list)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QProgressDialog

    progress = QProgressDialog(title, "Cancel", 0, 100, parent)
    progress.setWindowTitle(title)
    progress.setMinimumDuration(400)
    job = Job(work)
    done: list[Finished] = []
    loop = QEventLoop()
    job.signals.progress.connect(
        lambda step, fraction: (progress.setLabelText(step), progress.setValue(int(fraction * 100)))
    )
    job.signals.result.connect(lambda value: done.append(Finished(value)))
    job.signals.error.connect(lambda message: done.append(Finished(failure=message)))
    job.signals.finished.connect(loop.quit)
    progress.canceled.connect(job.cancel)
    runner = JobRunner(parent)
    runner.start(job)
    if not done:
        loop.exec()
    progress.close()
    return done[0] if done else Finished(failure="cancelled")


def wait_for(work: Callable[[], Any], pool: QThreadPool | None = None) -> Any:
    """Run `work()` on a worker while the window keeps answering, and return its value (or raise
    its exception) here: for a short wait the person has asked for, such as checking a password
    (Argon2id takes a fraction of a second on purpose). `work` must hold nothing the GUI made."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    done: list[tuple[bool, Any]] = []

    def run(_item: None) -> tuple[bool, Any]:
        try:
            return True, work()
        except BaseException as exc:  # brought back and raised on the GUI thread
            return False, exc

    def then(outcome: tuple[bool, Any]) -> None:
        done.append(outcome)
        loop.quit()

    run_on(pool or QThreadPool.globalInstance(), None, run, then)
    if not done:
        loop.exec()
    ok, value = done[0]
    if ok:
        return value
    raise value
