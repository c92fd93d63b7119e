"""Small measuring tools: summaries of runs, resident memory, child processes with their peak."""

from __future__ import annotations

import json
import math
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[1]


def summary(values: Sequence[float], digits: int = 3) -> dict[str, Any]:
    """Median and max of the counted runs, and the runs themselves."""
    return {
        "median": round(statistics.median(values), digits),
        "max": round(max(values), digits),
        "runs": [round(v, digits) for v in values],
    }


def p95(values: Sequence[float]) -> float:
    """The 95th percentile by nearest rank (of 20 values: the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def rss_mb() -> float:
    """This process's resident memory now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / MB


def peak_rss_mb() -> float:
    """This process's peak resident memory so far."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024


class RssSampler:
    """Samples this process's resident memory every `interval` seconds while in a `with` block."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self.samples.append(rss_mb())
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(rss_mb())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.samples.append(rss_mb())

    @property
    def peak(self) -> float:
        return max(self.samples)


@dataclass(frozen=True)
class Finished:
    seconds: float  # wall clock from just before the process was started to its exit
    started_at: float  # time.time() just before it was started
    peak_rss_mb: float | None  # the process's peak resident memory (Linux, macOS)
    returncode: int
    stdout: str
    stderr: str


def run_process(command: Sequence[str], env: dict[str, str] | None = None, timeout: float = 600) -> Finished:
    """Run a command to its end; its wall time and (where the system says) its peak memory."""
    merged = {**os.environ, **(env or {})}
    started_at = time.time()
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), env=merged, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    peak: float | None = None
    if hasattr(os, "wait4"):
        # Read the pipes on threads so that a chatty child never blocks on a full pipe.
        out: list[str] = []
        err: list[str] = []
        readers = [
            threading.Thread(target=lambda: out.append(process.stdout.read() if process.stdout else "")),
            threading.Thread(target=lambda: err.append(process.stderr.read() if process.stderr else "")),
        ]
        for reader in readers:
            reader.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        for reader in readers:
            reader.join()
        peak = usage.ru_maxrss / (MB if sys.platform == "darwin" else 1024)
        stdout, stderr = "".join(out), "".join(err)
    else:  # pragma: no cover - Windows
        stdout, stderr = process.communicate(timeout=timeout)
        seconds = time.perf_counter() - started
    return Finished(seconds, started_at, peak, process.returncode, stdout, stderr)


def run_python(module_args: Sequence[str], env: dict[str, str] | None = None) -> Finished:
    return run_process([sys.executable, *module_args], env)


def child_result(finished: Finished, what: str) -> dict[str, Any]:
    """The JSON object a driver child printed on its last line of output."""
    if finished.returncode != 0:
        lines = finished.stderr.strip().splitlines()
        # The exception the child raised, when a crash at its exit printed more after it.
        raised = [x for x in lines if re.match(r"^[A-Za-z_.]*(Error|Exception|Interrupt)\b.*", x)]
        tail = raised[-1:] + lines[-5:]
        raise RuntimeError(f"{what} failed (exit {finished.returncode}): " + " | ".join(tail))
    lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{what} printed no result: {finished.stdout[-300:]!r} {finished.stderr[-300:]!r}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result
