"""Where a command gets a password: the terminal (never echoed), or for a scripted run the file
named by PM_DESK_PASSWORD_FILE (its first line; the file must be readable by its owner only).
Without either, a command that needs a password refuses in one line rather than wait."""

from __future__ import annotations

import getpass
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from pm_desk.commands.failed import CommandFailed

PASSWORD_FILE = "PM_DESK_PASSWORD_FILE"


def read_secret_file(path: Path, what: str = "password") -> str:
    """The first line of `path`, refused when others may read the file or it holds nothing."""
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise CommandFailed(
                f"the {what} file {path} may be read by others: make it yours only (chmod 600)"
            )
        with path.open(encoding="utf-8") as handle:
            line = handle.readline().rstrip("\r\n")
    except FileNotFoundError:
        raise CommandFailed(f"the {what} file {path} does not exist") from None
    except IsADirectoryError:
        raise CommandFailed(f"the {what} file {path} is a folder") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandFailed(f"the {what} file {path} cannot be read ({type(exc).__name__})") from None
    if not line:
        raise CommandFailed(f"the {what} file {path} is empty")
    return line


def password(prompt: str, environ: Mapping[str, str] | None = None) -> str:
    """The password of the person signing in."""
    env = os.environ if environ is None else environ
    named = env.get(PASSWORD_FILE)
    if named:
        return read_secret_file(Path(named).expanduser())
    if _terminal():
        return getpass.getpass(prompt)
    raise CommandFailed(
        "a password is needed and there is no terminal to ask it on: name a file holding it with "
        f"{PASSWORD_FILE}"
    )


def new_password(prompt: str, from_file: Path | None = None, environ: Mapping[str, str] | None = None) -> str:
    """A password being chosen: from `from_file`, else typed twice at the terminal, else (for a
    script setting up a database) from PM_DESK_PASSWORD_FILE."""
    if from_file is not None:
        return read_secret_file(from_file)
    if _terminal():
        first = getpass.getpass(prompt)
        if getpass.getpass("The same again: ") != first:
            raise CommandFailed("the two passwords are not the same; nothing was changed")
        return first
    env = os.environ if environ is None else environ
    named = env.get(PASSWORD_FILE)
    if named:
        return read_secret_file(Path(named).expanduser())
    raise CommandFailed(
        "a new password is needed and there is no terminal to ask it on: name a file holding it "
        f"with {PASSWORD_FILE}"
    )


def secret(prompt: str, from_file: Path | None, what: str) -> str:
    """A secret other than the password (the recovery key): from a file, else the terminal."""
    if from_file is not None:
        return read_secret_file(from_file, what)
    if _terminal():
        return getpass.getpass(prompt)
    raise CommandFailed(f"the {what} is needed and there is no terminal to ask it on: pass it in a file")


def _terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()
