"""Parsing the command line stays light: `pm-desk --version` and `--help` load no database,
report, crypto or Qt code (issue 18: they cost 1.1-1.7 s when every command imported it all)."""

from __future__ import annotations

import json
import subprocess
import sys

from pm_desk.commands import compliance as compliance_command
from pm_desk.services import compliance_export

HEAVY = ("sqlalchemy", "alembic", "PySide6", "reportlab", "argon2", "cryptography", "sqlcipher3", "openpyxl")

PROBE = """
import contextlib, io, json, sys
from pm_desk.cli import build_parser, main
build_parser()
with contextlib.redirect_stdout(io.StringIO()):
    for argv in (["--version"], ["--help"], ["report", "monthly", "--help"]):
        try:
            main(argv)
        except SystemExit:
            pass
print(json.dumps(sorted(sys.modules)))
"""


def test_parsing_the_command_line_imports_nothing_heavy() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout.splitlines()[-1])
    heavy = sorted({name.split(".")[0] for name in loaded} & set(HEAVY))
    assert heavy == []
    assert not [name for name in loaded if name.startswith(("pm_desk.ui", "pm_desk.store.models"))]


def test_the_compliance_formats_offered_are_those_written() -> None:
    assert compliance_command.FORMATS == compliance_export.FORMATS
