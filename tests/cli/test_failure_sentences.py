"""Every way a command can fail ends in one sentence on standard error and exit code 1 (a failure)
or 2 (a usage mistake): never "unexpected error", never a traceback."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from cli_processes import permissions_hold, run_pm_desk

import pm_desk.services.audit_trail as audit_trail
from pm_desk.cli import main
from pm_desk.store.keyring import KeyRing
from support import copy_database, make_demo

ADMIN = ("--as-user", "michelle.fernandez@ice.dhs.gov")
# A new database's first administrator (his password from the tests' PM_DESK_PASSWORD_FILE).
INIT_ADMIN = ("--admin", "first.admin@ice.dhs.gov", "--name", "First Admin", "--plaintext")
YEARS = "dates lie between 1900 and 2100"
SUBJECT = "A123456789"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("failures")
    path = folder / "demo.sqlite3"
    make_demo(path, home=folder / "home")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def one_line(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The exit code and the single line on standard error."""
    code = main(list(args))
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in out + err and "unexpected error" not in err
    return code, lines[0]


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("0001-01-01", "0001"),
        ("9999-12-31T23:59:59Z", "9999"),
        ("9999-12-31T23:59:59-05:00", "9999"),
        ("0001-01-01T00:00:00+05:00", "0001"),
    ],
)
def test_an_as_of_outside_the_years_is_a_usage_mistake(
    capsys: pytest.CaptureFixture[str], demo: Path, value: str, year: str
) -> None:
    code, line = one_line(capsys, "--db", str(demo), "compliance", "--as-of", value)
    assert code == 2
    assert line == (
        f"pm-desk compliance: argument --as-of: {value} is in the year {year}; {YEARS} "
        "(see pm-desk compliance --help)"
    )


def test_months_and_days_outside_the_years_are_usage_mistakes(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    code, line = one_line(capsys, "--db", str(demo), "report", "program", "--month", "9999-12", "-o", "x.pdf")
    assert code == 2 and f"argument --month: 9999-12 is in the year 9999; {YEARS}" in line
    code, line = one_line(
        capsys,
        "--db",
        str(demo),
        "report",
        "oncall",
        "--from",
        "0001-01-01",
        "--to",
        "2026-01-01",
        "-o",
        "x.pdf",
    )
    assert code == 2 and f"0001-01-01 is in the year 0001; {YEARS}" in line


@pytest.mark.parametrize("command", [("compliance",), ("import", "tables")], ids=["read", "import"])
def test_a_db_that_is_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: tuple[str, ...]
) -> None:
    code, line = one_line(capsys, "--db", str(tmp_path), *command)
    assert (code, line) == (1, f"pm-desk: {tmp_path} is a folder, not a database file")


def test_a_db_that_is_a_text_file(capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100, encoding="utf-8")
    # With a key ring next to it (copied along by mistake), the sign-in opens a key, not a database.
    shutil.copyfile(KeyRing.path_for(demo), KeyRing.path_for(notes))
    code, line = one_line(capsys, "--db", str(notes), *ADMIN, "compliance")
    assert code == 1
    assert line == f"pm-desk: {notes} is not a PM Desk database (it is not an SQLite file)"


def test_a_db_url_no_driver_knows(capsys: pytest.CaptureFixture[str]) -> None:
    code, line = one_line(capsys, "--db", "nosuchdb://pm:secret@host/pm", "compliance")
    assert code == 1 and "secret" not in line
    assert line.startswith("pm-desk: the database nosuchdb://pm:***@host/pm cannot be opened: --db takes")


def test_a_db_in_a_place_nobody_may_write(capsys: pytest.CaptureFixture[str]) -> None:
    code, line = one_line(capsys, "--db", "/proc/pm-desk.sqlite3", "init", *INIT_ADMIN)
    assert (code, line) == (
        1,
        "pm-desk: the database /proc/pm-desk.sqlite3 cannot be opened: name a database file in a folder you "
        "may write to",
    )


@pytest.mark.skipif(not permissions_hold(), reason="file permissions cannot be made to hold here")
def test_a_db_on_a_read_only_location(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    database = copy_database(demo, folder / "pm-desk.sqlite3")
    folder.chmod(0o555)
    try:
        ran = run_pm_desk(
            "--db", str(database), *ADMIN, "compliance", home=tmp_path / "home", honour_permissions=True
        )
        new = run_pm_desk(
            "--db",
            str(folder / "new.sqlite3"),
            "init",
            *INIT_ADMIN,
            home=tmp_path / "home",
            honour_permissions=True,
        )
    finally:
        folder.chmod(0o755)
    assert (ran.code, ran.err_lines) == (
        1,
        [
            f"pm-desk: the database {database} cannot be written: the file or its folder is read-only here "
            "(PM Desk writes the database and its -wal and -shm files next to it)"
        ],
    )
    assert (new.code, len(new.err_lines)) == (1, 1)
    assert new.err.startswith(
        f"pm-desk: the database {folder / 'new.sqlite3'} cannot be written: the file or its "
    )
    assert not (folder / "new.sqlite3").exists()


@pytest.mark.parametrize(
    "command",
    [
        ("compliance", "--as-of", "2026-10-31", "-o"),
        ("report", "staffing", "-o"),
        ("report", "program", "--month", "2026-10", "-o"),
        ("oncall", "ics", "-o"),
        ("reminders", "ics", "-o"),
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_an_output_that_is_a_folder(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    code, line = one_line(capsys, "--db", str(demo), *ADMIN, *command, str(tmp_path))
    assert (code, line) == (1, f"pm-desk: cannot write {tmp_path}: it is a folder, not a file")


def test_an_export_to_a_folder_named_like_a_workbook(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    ran = run_pm_desk("--db", str(demo), *ADMIN, "export", str(folder), home=tmp_path / "home")
    assert (ran.code, ran.err_lines) == (
        1,
        [
            f"pm-desk: {folder} is a folder; an export ending in .xlsx is a workbook: name a file, or a "
            "folder without .xlsx"
        ],
    )


def _damaged(demo: Path, target: Path, offset: int, garbage: bytes) -> Path:
    copy_database(demo, target)
    with target.open("r+b") as out:
        out.seek(offset)
        out.write(garbage)
    return target


def test_a_damaged_database_is_a_sentence(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    # Every page but the first few overwritten: whatever reads the data meets the damage.
    pages = _damaged(demo, tmp_path / "pages.sqlite3", 8 * 4096, b"\xa5" * demo.stat().st_size)
    code, line = one_line(capsys, "--db", str(pages), *ADMIN, "compliance", "--as-of", "2026-10-31")
    assert code == 1 and line.startswith(f"pm-desk: {pages} is damaged (") and "restore" in line
    header = _damaged(demo, tmp_path / "header.sqlite3", 0, b"\x00garbage" * 16)
    code, line = one_line(capsys, "--db", str(header), *ADMIN, "export", str(tmp_path / "out"))
    assert (code, line) == (
        1,
        f"pm-desk: the database {header} is not a PM Desk database: it is not an SQLite file, or it is "
        "encrypted or damaged (if it is this database, damaged: `pm-desk restore` lists its backups, "
        "`pm-desk restore FILE` puts one back)",
    )


def test_years_0001_and_9999_are_refused_on_import(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "agencies.csv").write_text(
        "state,name,ori,kind,county,address,phone,jail_beds\nFL,Leon County Sheriff's Office,,county,,,,\n",
        encoding="utf-8",
    )
    (tables / "agreements.csv").write_text(
        "agency_state,agency_name,model,status,application_received,signed,effective,expires,field_office,"
        "manager_email\n"
        "FL,Leon County Sheriff's Office,task_force,active,0001-01-01,2026-01-05,,9999-12-31,MIA,\n",
        encoding="utf-8",
    )
    copy = copy_database(demo, tmp_path / "copy.sqlite3")
    code = main(["--db", str(copy), *ADMIN, "import", str(tables)])
    out, err = capsys.readouterr()
    assert code == 1 and err.strip() == "pm-desk: import refused: 2 problems in 1 file; nothing was written"
    assert out.splitlines() == [
        f"agreements.csv:2: application_received: '0001-01-01' is in the year 0001; {YEARS}",
        f"agreements.csv:2: expires: '9999-12-31' is in the year 9999; {YEARS}",
    ]


def test_a_folder_named_like_a_table_is_not_skipped(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    tables = tmp_path / "tables"
    (tables / "agencies.csv").mkdir(parents=True)
    (tables / "users.csv").write_text("email,name,role,field_office,capacity\n", encoding="utf-8")
    code = main(["--db", str(demo), *ADMIN, "import", "--dry-run", str(tables)])
    out, err = capsys.readouterr()
    assert code == 1 and err.strip() == "pm-desk: import refused: 1 problem in 1 file; nothing was written"
    assert out.splitlines() == ["agencies.csv: is a folder, not a CSV file"]


def test_a_fault_of_pm_desk_names_only_its_kind(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(uow: object) -> object:
        raise ValueError(f"{SUBJECT} could not be read")

    monkeypatch.setattr(audit_trail, "check_chain", broken)
    monkeypatch.setenv("PM_DESK_HOME", str(tmp_path / "home"))
    code = main(["--db", str(demo), *ADMIN, "audit", "verify"])
    _out, err = capsys.readouterr()
    log = tmp_path / "home" / "logs" / "pm-desk.log"
    assert code == 1
    assert err.strip() == f"pm-desk: unexpected error (ValueError); the details are in {log}"
    written = log.read_text(encoding="utf-8")
    assert "ValueError: A######### could not be read" in written and SUBJECT not in written
