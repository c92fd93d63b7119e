"""SQLite's own checks of the file: `quick_check` at every start, the full `integrity_check`
weekly and after a session that did not close; none of them in the way of a start.

On a small file the checks take a moment and run before the database is handed out, so a
command never reads a damaged file. On a large file (1.4 GB: quick_check about 1.5 s,
integrity_check about 40 s) they run on their own thread and connection a few seconds after the
start; what they find is logged and from then on every write is refused with the sentence that
says what to do. The date of the last full check that passed is kept in `app_meta`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select

from pm_desk.store.backup import list_backups
from pm_desk.store.files import connect_file, database_errors, operational_errors
from pm_desk.store.models import AppMeta
from pm_desk.store.transactions import write_transaction

log = logging.getLogger(__name__)

# Files up to these sizes are checked before they are opened (about a quarter of a second each).
INLINE_QUICK_CHECK_BYTES = 256 * 2**20
INLINE_FULL_CHECK_BYTES = 8 * 2**20
FULL_CHECK_EVERY = timedelta(days=7)
BACKGROUND_DELAY_SECONDS = 5.0
LAST_FULL_CHECK_KEY = "integrity_checked_at"
QUICK, FULL = "quick_check", "integrity_check"


def stored_size(path: Path) -> int:
    """The bytes a check reads: the file and its write-ahead log."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def check_file(path: Path, pragma: str = QUICK, key: bytes | None = None) -> list[str]:
    """What `PRAGMA quick_check` (or `integrity_check`) finds wrong in the database at `path`:
    empty when sound. A file that cannot be read as a database at all is one problem; a lock or
    a missing file is not a verdict and raises."""
    connection = connect_file(path, key=key)
    try:
        return _verdict(connection, pragma)
    finally:
        connection.close()


def _verdict(connection: Any, pragma: str) -> list[str]:
    try:
        rows = connection.execute(f"PRAGMA {pragma}").fetchall()
    except operational_errors():
        raise
    except database_errors() as exc:  # not a database, or malformed before the check could list
        return [str(exc)]
    return [str(r[0]) for r in rows if r[0] != "ok"]


def full_check_due(engine: Engine, now: datetime) -> bool:
    with engine.connect() as connection:
        value = connection.execute(select(AppMeta.value).where(AppMeta.key == LAST_FULL_CHECK_KEY)).scalar()
    if value is None:
        return True
    try:
        last = datetime.fromisoformat(value)
    except ValueError:
        return True
    return now - last >= FULL_CHECK_EVERY


def record_full_check(engine: Engine, at: datetime) -> None:
    with write_transaction(engine) as connection:
        connection.execute(delete(AppMeta).where(AppMeta.key == LAST_FULL_CHECK_KEY))
        connection.execute(insert(AppMeta).values(key=LAST_FULL_CHECK_KEY, value=at.isoformat()))


def damage_message(path: Path, problems: list[str], backup_dir: Path | None) -> str:
    """One sentence: what is wrong, how to go back to a backup, and the backups, newest first."""
    what = _first_problem(problems)
    head = f"{path} is damaged ({what})"
    steps = f"close PM Desk everywhere and run `pm-desk restore FILE` with --db {path}"
    backups = list_backups(backup_dir, path.stem)
    if not backups:
        where = f" in {backup_dir}" if backup_dir is not None else ""
        return f"{head}; no backup of it was found{where}: to put back one made elsewhere, {steps}"
    shown = ", ".join(f"{b.path} ({b.written_at:%Y-%m-%d %H:%M} UTC)" for b in backups[:3])
    older = f", and {len(backups) - 3} older in {backup_dir}" if len(backups) > 3 else ""
    return f"{head}; to put a backup back, {steps}. Backups, newest first: {shown}{older}"


def _first_problem(problems: list[str]) -> str:
    lines = [
        line.strip()
        for problem in problems
        for line in problem.splitlines()
        if line.strip() and not line.startswith("***")
    ]
    first = lines[0] if lines else "unknown damage"
    return first if len(first) <= 160 else first[:157] + "..."


class IntegrityWatch:
    """The checks a start left for later, on a thread and a connection of their own.

    `on_done(problems, full)` hears the verdict: the problems found (empty when sound) and
    whether the full check ran. `stop()` interrupts a check that is running (when the app
    closes), and then nothing is reported."""

    def __init__(
        self,
        path: Path,
        pragmas: list[str],
        on_done: Callable[[list[str], bool], None],
        delay: float | None = None,
        key: bytes | None = None,
    ) -> None:
        self.path = path
        self._key = key
        self.pragmas = pragmas
        self.problems: list[str] | None = None
        self._on_done = on_done
        self._delay = BACKGROUND_DELAY_SECONDS if delay is None else delay
        self._stop = threading.Event()
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._connection: Any = None
        self._thread = threading.Thread(target=self._run, name="integrity check", daemon=True)

    def start(self) -> IntegrityWatch:
        self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the checks finished (or stopped) within `timeout` seconds."""
        return self._done.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            if self._connection is not None:
                self._connection.interrupt()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            if self._stop.wait(self._delay):
                return
            problems: list[str] = []
            for pragma in self.pragmas:
                found = self._check(pragma)
                if found is None:
                    return
                problems = found
                if problems:
                    break
            self.problems = problems
            if not self._stop.is_set():
                self._on_done(problems, FULL in self.pragmas and not problems)
        except Exception:
            log.exception("the integrity check of %s failed to run", self.path)
        finally:
            self._done.set()

    def _check(self, pragma: str) -> list[str] | None:
        started = datetime.now(UTC)
        connection = connect_file(self.path, key=self._key)
        with self._lock:
            if self._stop.is_set():
                connection.close()
                return None
            self._connection = connection
        try:
            problems = _verdict(connection, pragma)
        except operational_errors() as exc:
            if not self._stop.is_set():
                log.warning(
                    "could not check %s (%s); the next start tries again",
                    self.path,
                    exc,
                )
            return None
        finally:
            with self._lock:
                self._connection = None
            connection.close()
        seconds = (datetime.now(UTC) - started).total_seconds()
        log.info(
            "%s of %s: %s in %.1f s",
            pragma,
            self.path,
            "ok" if not problems else "DAMAGED",
            seconds,
        )
        return problems
