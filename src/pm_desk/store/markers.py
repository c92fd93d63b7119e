"""`<database>.open`: who has the database open, so a crash is told apart from a neighbour.

Each process that opens the file adds a line (host, pid, the process's start token, an id of
this opening) and removes it when it closes. A line whose process is gone, or a line this
version cannot read (an older marker, a torn write), means a session ended without closing:
the next start checks the file's integrity, and the line stays until a check has passed. A line
of a process that still runs (another PM Desk, a command beside the app, another opening in this
very process) is not a crash. The file disappears with the last line. Changes are made under an
exclusive lock of the file where the system has one (POSIX `flock`); the file is its owner's
only. A marker that cannot be read or written (a read-only folder) costs only the telling of a
crash: the database still opens, and the quick check still runs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pm_desk.store.processes import is_running, start_token, this_host

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# The openings this process has made and not closed: its own lines that are not a crash.
_live: set[str] = set()
_live_lock = threading.Lock()


@dataclass(frozen=True)
class Owner:
    host: str
    pid: int
    token: str
    opening: str

    @classmethod
    def current(cls) -> Owner:
        pid = os.getpid()
        return cls(this_host(), pid, start_token(pid), uuid.uuid4().hex[:12])

    @property
    def line(self) -> str:
        return f"{self.host} {self.pid} {self.token} {self.opening}"

    @classmethod
    def parse(cls, line: str) -> Owner | None:
        parts = line.split()
        if len(parts) != 4 or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]), parts[2], parts[3])


def _still_open(line: str) -> bool:
    """Whether the line belongs to a session that is still running elsewhere."""
    owner = Owner.parse(line)
    if owner is None:
        return False  # not ours to read: treat it as a session that did not close
    if owner.host != this_host():
        return True  # a process on another machine: it cannot be asked
    if owner.pid == os.getpid():
        with _live_lock:
            return owner.opening in _live  # else this process opened it before and never closed it
    return bool(is_running(owner.pid, owner.token))


def _same_file(handle: IO[str], path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


class OpenMarker:
    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".open")

    def unclosed(self) -> list[str]:
        """The lines of sessions that ended without closing the database."""
        try:
            with self._locked() as lines:
                return [line for line in lines if not _still_open(line)]
        except OSError as exc:
            log.warning("cannot read %s (%s); a crash before cannot be told", self.path.name, exc.strerror)
            return []

    def in_use(self) -> bool:
        """Whether a session (of another process, or one of this process not closed) has the
        database open now."""
        try:
            with self._locked() as lines:
                return any(_still_open(line) for line in lines)
        except OSError:
            return False

    def add(self, owner: Owner) -> None:
        with _live_lock:
            _live.add(owner.opening)
        self._change(lambda lines: [*lines, owner.line])

    def remove(self, owner: Owner) -> None:
        self._change(lambda lines: [line for line in lines if line != owner.line])
        self.ended(owner)

    @staticmethod
    def ended(owner: Owner) -> None:
        """The opening of `owner` is over, closed or not: a line of it left behind is a session
        that did not close, even in this process."""
        with _live_lock:
            _live.discard(owner.opening)

    def settle(self, lines: list[str]) -> None:
        """Forget `lines` of sessions that did not close: the file has been checked since."""
        gone = set(lines)
        self._change(lambda current: [line for line in current if line not in gone])

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)

    def _change(self, change: Callable[[list[str]], list[str]]) -> None:
        try:
            with self._locked(write=True) as lines:
                lines[:] = change(list(lines))
        except OSError as exc:
            log.warning("cannot write %s (%s)", self.path.name, exc.strerror)

    @contextlib.contextmanager
    def _locked(self, write: bool = False) -> Iterator[list[str]]:
        if not write and not self.path.exists():
            yield []
            return
        while True:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
            handle: IO[str] = os.fdopen(descriptor, "a+", encoding="utf-8")
            try:
                if fcntl is not None:
                    fcntl.flock(handle, fcntl.LOCK_EX)
                    # Removed (the last line gone) while we waited: start again on the new file.
                    if not _same_file(handle, self.path):
                        continue
                handle.seek(0)
                lines = [line.strip() for line in handle.read().splitlines() if line.strip()]
                before = list(lines)
                yield lines
                if lines != before or not lines:  # an empty file is never left behind
                    self._rewrite(handle, lines)
                return
            finally:
                handle.close()

    def _rewrite(self, handle: IO[str], lines: list[str]) -> None:
        if not lines:
            self.path.unlink(missing_ok=True)
            return
        handle.seek(0)
        handle.truncate()
        handle.write("".join(f"{line}\n" for line in lines))
        handle.flush()
        os.fsync(handle.fileno())
