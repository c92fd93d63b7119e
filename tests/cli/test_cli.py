"""The `pm-desk` command line as scripts use it: exit codes, one-line errors, the outputs."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pm_desk import __version__
from pm_desk.cli import main
from pm_desk.services.compliance import OUTPUT_FIELDS


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    assert (
        main(
            ["--db", str(path), "demo", "--plaintext", "--scale", "small", "--as-of", "2026-10-31T12:00:00Z"]
        )
        == 0
    )
    return path


# The demo's administrator: the commands run signed in as him unless a test says otherwise.
ADMIN = ("--as-user", "michelle.fernandez@ice.dhs.gov")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run pm-desk signed in as the demo's administrator (the password comes from the tests' file)."""
    code = main([*ADMIN, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"pm-desk {__version__}"


def test_help_lists_the_commands(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "compliance", "audit"):
        assert command in out


def test_demo_refuses_to_overwrite_without_force(capsys, demo_db: Path) -> None:
    code, _out, err = run(capsys, "--db", str(demo_db), "demo", "--scale", "small")
    assert code == 1
    assert err.strip() == f"pm-desk: {demo_db} already exists; pass --force to replace it"
    code, out, _err = run(capsys, "--db", str(demo_db), "demo", "--if-missing")
    assert code == 0 and "existing database" in out


def test_compliance_json_is_sorted_and_complete(capsys, demo_db: Path) -> None:
    code, out, err = run(
        capsys, "--db", str(demo_db), "compliance", "--as-of", "2026-10-31", "--format", "json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(tuple(row) == OUTPUT_FIELDS for row in rows)
    assert [(r["rule"], r["key"]) for r in rows] == sorted((r["rule"], r["key"]) for r in rows)
    rules = {r["rule"] for r in rows}
    for rule in ("refresher", "revocation", "initial_training", "equipment", "hold", "renewal", "finding"):
        assert rule in rules


def test_compliance_counts_match_the_data(capsys, demo_db: Path) -> None:
    """The hold results are exactly the open transfers past or near their deadline, by SQL."""
    code, out, _err = run(capsys, "--db", str(demo_db), "compliance", "--as-of", "2026-10-31T12:00:00Z")
    assert code == 0
    counts = Counter((r["rule"], r["status"]) for r in json.loads(out))
    with sqlite3.connect(demo_db) as connection:
        breached, due_soon = connection.execute(
            """
            SELECT sum(deadline < '2026-10-31 12:00:00'),
                   sum(deadline >= '2026-10-31 12:00:00' AND deadline <= '2026-10-31 18:00:00')
            FROM (SELECT datetime(release_eligible_at, '+48 hours') AS deadline FROM custody_transfers
                  WHERE status IN ('detainer_lodged', 'awaiting_pickup') AND release_eligible_at IS NOT NULL
                  AND deleted_at IS NULL)
            """
        ).fetchone()
    assert counts[("hold", "breached")] == breached
    assert counts[("hold", "due_soon")] == due_soon


def test_compliance_csv_has_the_same_rows(capsys, demo_db: Path) -> None:
    _code, out_json, _ = run(capsys, "--db", str(demo_db), "compliance", "--as-of", "2026-10-31")
    code, out_csv, _ = run(
        capsys, "--db", str(demo_db), "compliance", "--as-of", "2026-10-31", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out_csv)))
    assert [r["id"] for r in rows] == [r["id"] for r in json.loads(out_json)]
    assert list(rows[0]) == list(OUTPUT_FIELDS)


def test_compliance_for_one_manager(capsys, demo_db: Path) -> None:
    _code, out, _ = run(capsys, "--db", str(demo_db), "compliance", "--as-of", "2026-10-31")
    everyone = json.loads(out)
    manager = next(r["manager"] for r in everyone if r["manager"])
    code, out, _ = run(
        capsys, "--db", str(demo_db), "compliance", "--as-of", "2026-10-31", "--manager", manager
    )
    mine = json.loads(out)
    assert code == 0 and mine
    assert {r["manager"] for r in mine} == {manager}
    assert len(mine) < len(everyone)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["compliance", "--as-of", "2026-13-01"], 2, "'2026-13-01' is not a date"),
        (["compliance", "--as-of", "yesterday"], 2, "'yesterday' is not a date or an instant"),
        (["compliance", "--format", "xml"], 2, "invalid choice: 'xml'"),
        (["compliance", "--manager", "nobody@example.gov"], 1, "no user with the email 'nobody@example.gov'"),
        (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_gets_one_line_and_an_exit_code(
    capsys, demo_db: Path, args: list[str], code: int, message: str
) -> None:
    result, out, err = run(capsys, "--db", str(demo_db), *args)
    assert result == code
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err + out


def test_missing_database_is_one_line(capsys, tmp_path: Path) -> None:
    code, _out, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "compliance")
    assert code == 1
    assert err.startswith("pm-desk: there is no database at ")
    assert "pm-desk init --admin EMAIL" in err
    assert len(err.strip().splitlines()) == 1


def test_audit_verify_passes_then_fails_after_a_hand_edit(capsys, tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    assert main(["--db", str(path), "demo", "--plaintext", "--scale", "small", "--as-of", "2026-10-31"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", str(path), "audit", "verify")
    assert code == 0 and "audit trail intact" in out
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE audit_entries SET after = '{}' WHERE seq = 1")
    code, out, err = run(capsys, "--db", str(path), "audit", "verify")
    assert code == 1
    assert "audit entry 1: its content does not match its hash" in out
    assert err.strip() == "pm-desk: the audit trail is broken at 1 entries"


def test_writes_a_log_file(capsys, demo_db: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PM_DESK_HOME", str(tmp_path / "home"))
    run(capsys, "--db", str(demo_db), "compliance", "--manager", "nobody@example.gov")
    log = tmp_path / "home" / "logs" / "pm-desk.log"
    assert log.exists() and "command failed" in log.read_text()


def test_pm_desk_db_environment_variable(capsys, demo_db: Path, monkeypatch) -> None:
    monkeypatch.setenv("PM_DESK_DB", str(demo_db))
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0 and "intact" in out


def test_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pm_desk", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"pm-desk {__version__}"
