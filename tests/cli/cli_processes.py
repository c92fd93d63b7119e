"""`pm-desk` run as a real process, as a person's shell runs it, with the faults the tests need:
a file size limit (writing past it fails as on a full disk) and file permissions that hold even
for root (whose right to override them is dropped in the child)."""

from __future__ import annotations

import ctypes
import functools
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PR_CAPBSET_DROP = 24
# The capabilities that let root write a read-only file and enter any folder.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.strip().splitlines()


def _child_setup(file_size_limit: int | None, honour_permissions: bool) -> Callable[[], None] | None:
    if file_size_limit is None and not (honour_permissions and os.geteuid() == 0):
        return None

    def setup() -> None:  # runs in the child between fork and exec
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
        if honour_permissions and os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
                if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                    raise OSError(ctypes.get_errno(), "cannot drop the capability to override permissions")

    return setup


def run_pm_desk(
    *args: str,
    home: Path,
    file_size_limit: int | None = None,
    honour_permissions: bool = False,
    timeout: float = 180,
) -> Ran:
    """`python -m pm_desk ARGS` with its own PM_DESK_HOME (settings and log file)."""
    env = {**os.environ, "PM_DESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PM_DESK_DB", None)
    if file_size_limit is not None:
        # Python would cache bytecode cut short at the limit (its write is not retried) and every
        # later import of that module would fail: under a limit it writes none.
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "pm_desk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
        preexec_fn=_child_setup(file_size_limit, honour_permissions),
    )
    return Ran(result.returncode, result.stdout, result.stderr)


@functools.cache
def permissions_hold() -> bool:
    """Whether a child can be made to respect a read-only file (root without the capability to
    override permissions; any other user always)."""
    with tempfile.TemporaryDirectory(prefix="pm-desk-permissions-") as folder:
        probe = Path(folder) / "read-only"
        probe.write_text("", encoding="utf-8")
        probe.chmod(0o444)
        try:
            result = subprocess.run(
                [sys.executable, "-c", f"open({str(probe)!r}, 'a')"],
                capture_output=True,
                check=False,
                preexec_fn=_child_setup(None, True),
            )
        except (OSError, subprocess.SubprocessError):
            return False
    return result.returncode != 0
