"""The rotating log file under the log folder; subject data is never logged."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(log_file: Path, verbose: bool = False) -> None:
    root = logging.getLogger()
    for existing in [h for h in root.handlers if getattr(h, "pm_desk", False)]:
        if getattr(existing, "baseFilename", None) == str(log_file.absolute()) and not verbose:
            return
        root.removeHandler(existing)
        existing.close()
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.pm_desk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(FORMAT))
        stream.pm_desk = True  # type: ignore[attr-defined]
        root.addHandler(stream)
