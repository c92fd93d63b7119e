"""The rotating log file under the log folder; subject data is never logged.

Engines hide statement parameters (store/database.py), and a traceback is written here with each
exception's text cut down to what cannot carry a value: a database error keeps its statement (whose
values are bound, never inlined) and the first line of the driver's message with every quoted part
masked; any other exception keeps its message with quoted parts and A-numbers masked.
"""

from __future__ import annotations

import gc
import logging
import logging.handlers
import re
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import exc as sa_exc

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_A_NUMBER = re.compile(r"\bA-?\d{3}-?\d{3}-?\d{2,3}\b")
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def masked(text: str) -> str:
    """`text` with every quoted part and anything shaped like an A-number masked."""
    return _A_NUMBER.sub("A#########", _QUOTED.sub("'…'", text))


def exception_text(exc: BaseException) -> str:
    """What the log says an exception was: its type and a message that holds no value."""
    name = f"{type(exc).__module__}.{type(exc).__qualname__}".removeprefix("builtins.")
    if isinstance(exc, sa_exc.StatementError):
        orig = exc.orig
        driver = f"{type(orig).__module__}.{type(orig).__qualname__}" if orig is not None else "error"
        first = str(orig).strip().splitlines()[0] if orig is not None and str(orig).strip() else ""
        lines = [f"{name}: ({driver}) {masked(first)}"]
        if exc.statement:
            lines.append(f"[SQL: {exc.statement}]")
        return "\n".join(lines)
    message = str(exc)
    return f"{name}: {masked(message)}" if message else name


def safe_traceback(exc: BaseException) -> str:
    """A traceback like Python's (the chain, oldest first; frames and source lines) in which each
    exception is told by `exception_text`."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    joint = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, joint))
        if current.__cause__ is not None:
            current, joint = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, joint = current.__context__, _CONTEXT
        else:
            current = None
    parts: list[str] = []
    for error, joint in reversed(chain):
        if error.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(error.__traceback__))
        parts.append(exception_text(error) + "\n")
        parts.append(joint)
    return "".join(parts).rstrip("\n")


class SafeFormatter(logging.Formatter):
    """Log lines whose tracebacks carry no subject data (see `safe_traceback`)."""

    def format(self, record: logging.LogRecord) -> str:
        # Never the traceback another handler cached on the record: always this one's own.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: Any) -> str:
        exc = ei[1] if ei else None
        return safe_traceback(exc) if isinstance(exc, BaseException) else ""


class _LogFile(logging.handlers.RotatingFileHandler):
    def handleError(self, record: logging.LogRecord) -> None:
        # A full disk or a read-only log folder: the command still answers in one line, without
        # logging's own traceback on the person's terminal.
        return


def _log_unraisable(unraisable: Any) -> None:
    """An error Python cannot raise (a half-written file's writer collected after a failure)
    goes to the log, not to the terminal."""
    exc = unraisable.exc_value
    if exc is None:
        return
    logging.getLogger("pm_desk").warning(
        "ignored an error while cleaning up: %s",
        type(exc).__name__,
        exc_info=(type(exc), exc, exc.__traceback__),
    )


def configure_logging(log_file: Path, verbose: bool = False) -> None:
    root = logging.getLogger()
    for existing in [h for h in root.handlers if getattr(h, "pm_desk", False)]:
        if getattr(existing, "baseFilename", None) == str(log_file.absolute()) and not verbose:
            return
        root.removeHandler(existing)
        existing.close()
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _LogFile(log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter(FORMAT))
    handler.pm_desk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(SafeFormatter(FORMAT))
        stream.pm_desk = True  # type: ignore[attr-defined]
        root.addHandler(stream)


@contextmanager
def unraisable_errors_logged() -> Iterator[None]:
    """While the block runs, the errors Python cannot raise go to the log, not to the terminal.

    What a failure left half-done (a writer's generator held in a cycle with the traceback) is
    collected before the block ends, so its complaint is logged too rather than printed at exit."""
    previous, sys.unraisablehook = sys.unraisablehook, _log_unraisable
    try:
        yield
    finally:
        gc.collect()
        sys.unraisablehook = previous
