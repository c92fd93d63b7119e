"""PM_DESK_STARTUP_TIMING: the app, as a real process, says when its main window first painted,
counted from the start of the process (what `make bench` reports as the cold start).

Only what the line says and the order of instants are checked here: how long the start takes is
a figure of the benchmarks, never an assertion of a test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from pm_desk.ui.startup_timing import MODULE_IMPORTED, seconds_since_process_start

LINE = re.compile(r"^startup: first window painted in (\d+\.\d{3}) s \(at (\d+\.\d{6})\)$")
SIGN_IN = re.compile(r"^startup: sign-in started \(at (\d+\.\d{6})\)$")


def test_the_app_prints_its_first_paint_and_quits(tmp_path: Path) -> None:
    env = {**os.environ, "PM_DESK_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PM_DESK_DB", None)
    demo = subprocess.run(
        [sys.executable, "-m", "pm_desk", "demo", "--scale", "small"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    env |= {"PM_DESK_STARTUP_TIMING": "1", "PM_DESK_QUIT_AFTER_START": "1"}
    started = time.time()
    app = subprocess.run(
        [sys.executable, "-m", "pm_desk"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    ended = time.time()
    assert app.returncode == 0, app.stderr
    lines = [line for line in app.stdout.splitlines() if line.startswith("startup:")]
    assert len(lines) == 2  # the scripted sign-in (the suite's password file), then the paint
    signing = SIGN_IN.match(lines[0])
    assert signing is not None, lines[0]
    match = LINE.match(lines[1])
    assert match is not None, lines[1]
    seconds, painted_at = float(match.group(1)), float(match.group(2))
    assert seconds > 0
    # Sign-in started, then the paint, both while the process ran.
    assert started < float(signing.group(1)) < painted_at < ended


def test_seconds_count_from_the_start_of_this_process() -> None:
    # The process started before the module was imported: no later than that instant.
    since_import = time.perf_counter() - MODULE_IMPORTED
    since_start = seconds_since_process_start()
    assert since_start >= since_import
    assert since_start > 0
