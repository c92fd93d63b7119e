"""Long work off the GUI thread: a job reports progress, a result or an error, and can be cancelled."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the person pressed Cancel."""


class JobSignals(QObject):
    progress = Signal(str, float)
    result = Signal(object)
    error = Signal(str)
    finished = Signal()


class Job(QRunnable):
    """Runs `work(report)` on the thread pool; `report(step, fraction)` raises Cancelled when asked."""

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
        except Exception as exc:  # shown to the person as a sentence; the detail goes to the log
            log.error("background job failed: %s\n%s", exc, traceback.format_exc())
            self.signals.error.emit(str(exc) or exc.__class__.__name__)
        else:
            self.signals.result.emit(value)
        finally:
            self.signals.finished.emit()


class JobRunner(QObject):
    """Starts jobs and keeps them alive until they finish."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool.globalInstance()
        self._running: set[Job] = set()

    def start(self, job: Job) -> Job:
        self._running.add(job)
        job.signals.finished.connect(lambda: self._running.discard(job))
        self._pool.start(job)
        return job

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
