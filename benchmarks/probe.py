"""How long the GUI thread could not answer: a timer that ticks every few milliseconds on it.

The probe's timer is due every `interval_ms`; while the thread runs other work (a query, a model
reset, a paint, a dialog's save) no tick can run, so the tick that was due waits. How long the
most delayed tick waited past its due instant is the longest stretch in which an event (a key, a
click) arriving at that instant could not have been handled: the longest block of the thread.

A block of B ms reads as at least B − interval_ms and at most B: the tick that waits is due some
time within the first interval of the block. Modal dialogs and nested event loops keep the probe
ticking (they run the same thread's event dispatcher), so a dialog open for minutes is not a block;
only the work between two turns of the event loop is.
"""

from __future__ import annotations

import bisect
import time

from PySide6.QtCore import QObject, Qt, QTimer

INTERVAL_MS = 2


class BlockProbe(QObject):
    """Ticks on the thread it was made on; `longest_block(start, end)` reads what it saw."""

    def __init__(self, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval = interval_ms / 1000
        self.ticks: list[float] = []  # time.perf_counter() of every tick, in order
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.ticks.append(time.perf_counter())
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def has_ticked_after(self, instant: float) -> bool:
        """True once a tick has run after `instant`: what lies before it can be read."""
        return bool(self.ticks) and self.ticks[-1] > instant

    def longest_block(self, start: float, end: float) -> float:
        """The longest wait of a tick, in seconds, counting only the part of each wait that lies
        between `start` and `end` (perf_counter instants): work before the window or after it
        belongs to something else. Read it once `has_ticked_after(end)`."""
        ticks = self.ticks
        first = max(bisect.bisect_right(ticks, start) - 1, 0)
        longest = 0.0
        for before, after in zip(ticks[first:], ticks[first + 1 :], strict=False):
            due = before + self.interval
            if due >= end:
                break
            waited = min(after, end) - max(due, start)
            longest = max(longest, waited)
        return longest
