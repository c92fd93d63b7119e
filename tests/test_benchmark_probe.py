"""The benchmarks' GUI-thread probe (benchmarks/probe.py): that it sees a block, and reads only the
part of it inside the window asked about. No time is asserted of the app; only of the probe's logic
(a sleep of N ms on the GUI thread must read as a block of at least N ms less one tick)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer

# benchmarks/ is not an installed package: it is imported from the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.probe import BlockProbe


def test_a_sleep_on_the_gui_thread_reads_as_a_block_of_its_length(qtbot) -> None:
    probe = BlockProbe(interval_ms=2)
    probe.start()
    qtbot.wait(20)
    marks: dict[str, float] = {}

    def block() -> None:
        marks["start"] = time.perf_counter()
        time.sleep(0.12)
        marks["end"] = time.perf_counter()

    QTimer.singleShot(0, block)
    qtbot.waitUntil(lambda: "end" in marks and probe.has_ticked_after(marks["end"]))
    probe.stop()
    assert probe.longest_block(marks["start"], marks["end"]) >= 0.12 - probe.interval
    # Widened to the whole run, the same block is read no shorter.
    assert probe.longest_block(0.0, probe.ticks[-1]) >= 0.12 - probe.interval


def test_only_the_part_of_a_wait_inside_the_window_counts() -> None:
    probe = BlockProbe(interval_ms=2)
    # Ticks every 2 ms, then none from 0.004 to 0.200: the tick due at 0.006 waited 0.194 s.
    probe.ticks = [0.0, 0.002, 0.004, 0.200, 0.202]
    assert abs(probe.longest_block(0.0, 0.3) - 0.194) < 1e-9
    assert abs(probe.longest_block(0.1, 0.15) - 0.05) < 1e-9  # clipped at both ends
    assert abs(probe.longest_block(0.05, 0.3) - 0.15) < 1e-9  # clipped at the start
    assert probe.longest_block(0.201, 0.3) == 0.0  # after the block: nothing waited
    assert probe.longest_block(0.0, 0.005) == 0.0  # before it: every tick on time
    assert probe.has_ticked_after(0.201)
    assert not probe.has_ticked_after(0.202)
