"""How long the app took to show its main window, from the start of the process.

With `PM_DESK_STARTUP_TIMING=1` the app prints one line when the main window has painted for the
first time (after Today has loaded, which the window does before it is shown):

    startup: first window painted in 1.234 s (at 1732364712.123456)

A scripted sign-in (PM_DESK_PASSWORD_FILE) prints, when it starts, the line

    startup: sign-in started (at 1732364711.012345)

so that a harness can tell sign-in to first paint (the key derivation included) apart from the
imports before it.

The seconds count from the process's start as the kernel recorded it (Linux); elsewhere from the
first import of the app module, which leaves out the interpreter's own start. The epoch instant
after `at` lets a harness that started the process measure from its own clock instead.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

MODULE_IMPORTED = time.perf_counter()


def seconds_since_process_start() -> float:
    """Seconds since this process started (to the kernel's clock tick on Linux)."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/stat", encoding="ascii") as stat:
                # Field 22 (after the command name in parentheses, which may hold spaces).
                fields = stat.read().rsplit(")", 1)[1].split()
            started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
            return time.clock_gettime(time.CLOCK_BOOTTIME) - started
        except (OSError, ValueError, IndexError, AttributeError):
            pass
    return time.perf_counter() - MODULE_IMPORTED


class FirstPaint(QObject):
    """Calls `done(seconds)` once, right after `window`'s first paint event has been handled."""

    def __init__(self, window: QWidget, done: Callable[[float], None]) -> None:
        super().__init__(window)
        self._done = done
        self._seen = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            watched.removeEventFilter(self)
            # The paint event is being delivered now; the zero timer fires once it has been handled.
            QTimer.singleShot(0, lambda: self._done(seconds_since_process_start()))
        return False


def timing_asked() -> bool:
    return bool(os.environ.get("PM_DESK_STARTUP_TIMING"))


def print_sign_in_started() -> None:
    if timing_asked():
        print(f"startup: sign-in started (at {time.time():.6f})", flush=True)


def print_startup_time(seconds: float) -> None:
    print(f"startup: first window painted in {seconds:.3f} s (at {time.time():.6f})", flush=True)
