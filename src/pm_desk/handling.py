"""Files a person takes away (exports, reports, calendars): owner-only, and marked for handling.

Every such file is created readable by its owner only (0600) whatever the process umask, and an
existing file of the same name loses any wider permissions it had. Exports that hold subject
data carry the handling banner of the policy (`reports.handling_banner`), as the reports do.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

# The sheet (first in the workbook) and the file (beside the CSV files) of an interchange export
# that carry the banner: the importer passes over both.
HANDLING_SHEET = "handling"
HANDLING_FILE = "HANDLING.txt"


def open_private(path: Path | str, mode: str = "w", **options: Any) -> IO[Any]:
    """Open `path` for writing (truncated), readable and writable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # a file that was already there kept its own permissions
        return os.fdopen(descriptor, mode, **options)
    except BaseException:
        os.close(descriptor)
        raise


def write_private(path: Path | str, data: bytes) -> None:
    """Write `data` to `path`, readable by its owner only."""
    with open_private(path, "wb") as out:
        out.write(data)


def handling_lines(banner: str, full_a_numbers: bool) -> list[str]:
    """What the handling note of an export says: the banner, then what the files hold."""
    a_numbers = (
        "A-numbers are written in full: these files hold subject data."
        if full_a_numbers
        else "A-numbers are masked (their last four digits only); importing the files back leaves "
        "the stored A-numbers unchanged."
    )
    return [
        banner,
        "",
        "Exported by PM Desk. Custody transfers name their subjects by the agency's reference.",
        a_numbers,
        "Keep these files where only people with a need to know can read them, and delete them "
        "when they are no longer needed.",
        "",
        banner,
    ]


def page_header_text(banner: str) -> str:
    """The banner as a spreadsheet's printed page header or footer, where `&` starts a code."""
    return banner.replace("&", "&&")
