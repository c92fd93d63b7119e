"""The longest block of the GUI thread (`gui_block_ms`): the runs, each a fresh process of
`benchmarks.gui_blocks`, and their summary into figures.

    "gui_block_ms": {"open": {"agreements": {"median": …, "max": …, "runs": […], "target": 50, …}, …},
                     "open_as_staff": {…}, "refresh": {"today": {…}}, "save": {"officer": {…}, …}}

A figure whose every run failed is {"error": …}; one that failed in some runs keeps the others
and lists the failures under "errors".
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.dataset import Dataset
from benchmarks.measure import child_result, run_python, summary

TARGET_MS = 50.0
FIGURE = "gui_block_ms"

WHAT = {
    "open": "longest GUI-thread block from the click on the {name} rail entry to the first paint of "
    "its content after it loaded, as the manager with the most agreements",
    "open_as_staff": "the same for staff (every agreement of the program: Transfers holds the "
    "1,000,000 transfers)",
    "refresh": "longest GUI-thread block from the click on Today's Refresh to the first paint of its "
    "list after the recompute",
    "save": "longest GUI-thread block from the click on Save in the {name} editor (the form filled "
    "with the record's current values) to 0.25 s after the editor returned",
}


def measure_gui(
    dataset: Dataset, runs: int, say: Callable[[str], None], home: Callable[..., dict[str, str]]
) -> dict[str, Any]:
    """`runs` runs as the busiest manager (pages, Today's refresh, saves) and as staff (pages)."""
    work = Path(tempfile.mkdtemp(prefix="pm-desk-bench-gui-"))
    try:
        # The saves write (versions, audit entries): they go to a copy, never to the cached set.
        database = work / "gui.sqlite3"
        say("  copying the data set: the saves write to the copy")
        shutil.copyfile(dataset.path, database)
        results: dict[str, list[dict[str, Any]]] = {"manager": [], "staff": []}
        for run in range(runs):
            for role, email in (("manager", dataset.busiest_manager), ("staff", dataset.staff)):
                say(f"  gui run {run + 1}/{runs} as {role} ({email})")
                command = ["-m", "benchmarks.gui_blocks", "--db", str(database), "--user", email]
                if role == "manager":
                    command.append("--saves")
                finished = run_python(command, home(dataset, email))
                try:
                    results[role].append(child_result(finished, f"the GUI run as {email}"))
                except (RuntimeError, ValueError) as exc:
                    results[role].append({"error": str(exc)[:500]})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figure, details = summarize(results["manager"], results["staff"])
    details |= {"gui_manager": dataset.busiest_manager, "gui_staff": dataset.staff}
    return {FIGURE: figure, "details": details}


def summarize(
    manager: list[dict[str, Any]], staff: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The figures and their details from the runs' JSON objects."""
    sources = {"open": (manager, "open"), "open_as_staff": (staff, "open")}
    sources |= {"refresh": (manager, "refresh"), "save": (manager, "save")}
    figure: dict[str, dict[str, Any]] = {}
    details: dict[str, Any] = {}
    for group, (runs, key) in sources.items():
        names = _names(runs, key)
        figure[group] = {n: _leaf(runs, key, n, WHAT[group].format(name=n)) for n in names}
        details[f"gui_{group}"] = {n: _context(runs, key, n) for n in names}
    intervals = [r["probe_interval_ms"] for r in manager + staff if "probe_interval_ms" in r]
    details["gui_probe_interval_ms"] = intervals[0] if intervals else None
    details["gui_run_s"] = {"manager": _seconds(manager), "staff": _seconds(staff)}
    return figure, details


def missed(figure: dict[str, Any]) -> list[str]:
    """Dotted names of the figures whose median is over target."""
    return sorted(
        f"{FIGURE}.{group}.{name}"
        for group, leaves in figure.items()
        for name, leaf in leaves.items()
        if leaf.get("median") is not None and leaf["median"] > TARGET_MS
    )


def _names(runs: list[dict[str, Any]], key: str) -> list[str]:
    names: dict[str, None] = {}
    for run in runs:
        names |= dict.fromkeys(run.get(key, {}))
    return list(names)


def _entries(runs: list[dict[str, Any]], key: str, name: str) -> list[dict[str, Any]]:
    """The entry of every run for one figure; a run that failed as a whole is its error."""
    return [run.get(key, {}).get(name) or {"error": run.get("error", "no result")} for run in runs]


def _leaf(runs: list[dict[str, Any]], key: str, name: str, what: str) -> dict[str, Any]:
    entries = _entries(runs, key, name)
    values = [e["ms"] for e in entries if "ms" in e]
    errors = [e["error"] for e in entries if "ms" not in e]
    leaf: dict[str, Any] = summary(values, 1) if values else {"error": errors[0] if errors else "no runs"}
    if errors:
        leaf["errors"] = errors
    return leaf | {"target": TARGET_MS, "unit": "ms", "what": what}


def _context(runs: list[dict[str, Any]], key: str, name: str) -> dict[str, Any]:
    """What helps read a figure: how long until shown, the rows, the record, periodic timers."""
    every = _entries(runs, key, name)
    entries = [e for e in every if "ms" in e]
    out: dict[str, Any] = {}
    for field in ("shown_ms", "editor_returned_ms"):
        values = [e[field] for e in entries if field in e]
        if values:
            out[field] = summary(values, 1)
    for field in ("rows", "record"):
        if entries and field in entries[0]:
            out[field] = entries[0][field]
    fired = {i: e["periodic_timers_fired"] for i, e in enumerate(every) if e.get("periodic_timers_fired")}
    if fired:
        out["periodic_timers_fired_in_run"] = fired
    return out


def _seconds(runs: list[dict[str, Any]]) -> list[float | None]:
    return [run.get("run_s") for run in runs]
