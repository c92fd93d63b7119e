"""Python's cycle collector on the GUI thread only.

Python collects reference cycles on whichever thread happens to allocate when a threshold is
crossed — a database worker, say. A cycle that holds a widget (a page and a closure of its
own) would then be destroyed on that thread, and Qt objects must die on the thread that owns
them: the app crashes. So automatic collection is turned off and this collector runs it on a
GUI-thread timer instead, by the same generation thresholds Python would have used.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> None:
        counts = gc.get_count()
        if counts[0] <= self.threshold[0]:
            return
        generation = 0
        if counts[1] > self.threshold[1]:
            generation = 2 if counts[2] > self.threshold[2] else 1
        gc.collect(generation)


def collect_on_gui_thread(app: QObject) -> None:
    """Install the collector once per application (it is a child of `app`)."""
    if app.findChild(MainThreadCollector) is None:
        MainThreadCollector(app)
