"""Which process left a file behind, and whether it still runs: the owner of an `.open` marker
line, of a database being built, of a backup being written."""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path


def this_host() -> str:
    return socket.gethostname().replace(" ", "_") or "-"


def start_token(pid: int) -> str:
    """Something that tells this process apart from a later one given the same pid (Linux: the
    boot and the start time in clock ticks); "-" where the system does not say."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "-"
    fields = stat.rsplit(")", 1)[-1].split()
    return f"{boot}:{fields[19]}" if len(fields) > 19 else "-"


def is_running(pid: int, token: str = "-") -> bool | None:
    """Whether the process `pid` (started as `token`, when known) still runs; None when this
    system cannot tell."""
    if pid <= 0:
        return False
    if os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it runs, as another user
    except OSError:
        return None
    if token != "-":
        now = start_token(pid)
        if now != "-" and now != token:
            return False  # the pid was given to another process since
    return True


def owner_pid(name: str, marker: str) -> int | None:
    """The pid in a file name made by `claimed_name` (`...{marker}{pid}`), or None."""
    _, found, tail = name.rpartition(marker)
    if not found:
        return None
    with contextlib.suppress(ValueError):
        return int(tail.split("-")[0])
    return None


def claimed_name(path: Path, marker: str) -> Path:
    """A name next to `path` that says this process owns it: `{name}{marker}{pid}`."""
    return path.with_name(f"{path.name}{marker}{os.getpid()}")


def abandoned(path: Path, marker: str) -> bool:
    """Whether the file at `path`, named by `claimed_name`, belongs to a process that is gone."""
    pid = owner_pid(path.name, marker)
    return pid is not None and pid != os.getpid() and is_running(pid) is False


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries (POSIX), to the disk."""
    if path.is_dir() and os.name != "posix":
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
