"""Subject data never reaches a diagnostic (DESIGN.md, Security): whatever fails, the log file and
standard error hold no A-number, subject name or date of birth.

Each failure a person can meet is driven through `pm-desk` as a real process: a database another
program holds locked, a write the database refuses mid-import, a read-only file and folder, a
disk that fills up (a file size limit), tables with bad values, a damaged database. The data
holds known subjects: the `small` demo's 2,000 (names and dates of birth) and a transfers.csv
of new ones (A-numbers, and names and dates of birth in columns an import ignores)."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cli_processes import Ran, permissions_hold, run_pm_desk

from support import copy_database, make_demo

DATA = Path(__file__).resolve().parent.parent / "data"
NEW_SUBJECTS = 1_000
HEADER = [
    "agency_state",
    "agency_name",
    "model",
    "subject_ref",
    "a_number",
    "encounter_date",
    "detainer_issued_at",
    "release_eligible_at",
    "pickup_at",
    "receiving_office",
    "status",
    "subject_name",  # not a column of the table: ignored, with a note naming the column only
    "subject_dob",
]
GIVEN = ["Marisol", "Teodoro", "Yesenia", "Anselmo", "Graciela", "Wilfredo", "Itzel", "Baltasar"]
FAMILY = ["Quintanilla", "Echeverria", "Zepeda", "Villalobos", "Arredondo", "Cienfuegos", "Olivares"]


@dataclass
class Program:
    """The `small` demo, the admin who acts, and every subject detail a diagnostic must not show."""

    database: Path
    admin: str
    agreement: dict[str, str]
    secrets: set[str] = field(default_factory=set)


def _subject_data(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT a_number, subject_name, subject_dob FROM custody_transfers"
        ).fetchall()
    found: set[str] = set()
    for a_number, name, born in rows:
        found.update(v for v in (a_number, name, born) if v)
    return found


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Program:
    folder = tmp_path_factory.mktemp("subject-data")
    database = folder / "demo.sqlite3"
    make_demo(database, home=folder / "home")
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        admin = connection.execute("SELECT email FROM users WHERE role = 'admin' LIMIT 1").fetchone()[0]
        state, name, model = connection.execute(
            "SELECT a.state, a.name, g.model FROM agreements g JOIN agencies a ON a.id = g.agency_id "
            "WHERE g.status = 'active' AND g.deleted_at IS NULL ORDER BY a.name LIMIT 1"
        ).fetchone()
    agreement = {"agency_state": state, "agency_name": name, "model": model}
    secrets = _subject_data(database)
    assert len(secrets) > 4_000  # 2,000 A-numbers, names and dates of birth
    return Program(database, admin, agreement, secrets)


def _subjects(count: int) -> Iterator[tuple[str, str, str]]:
    for i in range(count):
        name = f"{GIVEN[i % len(GIVEN)]} {FAMILY[i % len(FAMILY)]}-{FAMILY[(i // 3) % len(FAMILY)]}"
        born = f"19{50 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        yield f"A7{i:08d}", name, born


def write_transfers(program: Program, folder: Path, count: int = NEW_SUBJECTS, **changes: str) -> Path:
    """A transfers.csv of `count` new subjects of the demo's first active agreement."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "transfers.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i, (a_number, name, born) in enumerate(_subjects(count)):
            day = 1 + i % 28
            row = {
                **program.agreement,
                "subject_ref": f"BK26-{900000 + i}",
                "a_number": a_number,
                "encounter_date": f"2026-09-{day:02d}",
                "detainer_issued_at": f"2026-09-{day:02d}T{i % 24:02d}:15:00Z",
                "release_eligible_at": f"2026-09-{day:02d}T23:45:00Z",
                "pickup_at": "",
                "receiving_office": "Krome North Service Processing Center",
                "status": "awaiting_pickup",
                "subject_name": name,
                "subject_dob": born,
                **changes,
            }
            writer.writerow([row[c] for c in HEADER])
    return folder


class Diagnostics:
    """Runs `pm-desk` in one home and keeps every standard error, to be scanned with the log."""

    def __init__(self, program: Program, home: Path) -> None:
        self.program = program
        self.home = home
        self.errors: list[str] = []

    def run(self, *args: str, **faults: object) -> Ran:
        ran = run_pm_desk(*args, home=self.home, **faults)  # type: ignore[arg-type]
        self.errors.append(ran.err)
        return ran

    def fails_in_one_line(self, *args: str, **faults: object) -> str:
        ran = self.run(*args, **faults)
        assert ran.code == 1, ran
        assert len(ran.err_lines) == 1 and ran.err.startswith("pm-desk: "), ran.err
        return ran.err.strip()

    def assert_no_subject_data(self) -> None:
        logs = sorted((self.home / "logs").glob("pm-desk.log*"))
        assert logs, "the runs wrote no log"
        texts = {str(path): path.read_text(encoding="utf-8") for path in logs}
        texts |= {f"standard error of run {i}": err for i, err in enumerate(self.errors)}
        secrets = self.program.secrets | {v for subject in _subjects(NEW_SUBJECTS) for v in subject}
        for where, text in texts.items():
            leaked = sorted(s for s in secrets if s in text)
            assert not leaked, f"{where} shows subject data: {leaked[:5]}"


@pytest.fixture
def diagnostics(program: Program, tmp_path: Path) -> Diagnostics:
    return Diagnostics(program, tmp_path / "home")


def copy_of(program: Program, target: Path) -> Path:
    return copy_database(program.database, target)


def test_imports_that_succeed_log_no_subject_data(diagnostics: Diagnostics, tmp_path: Path) -> None:
    program = diagnostics.program
    database = copy_of(program, tmp_path / "copy.sqlite3")
    as_admin = ("--db", str(database), "--as-user", program.admin)
    ran = diagnostics.run(*as_admin, "import", str(write_transfers(program, tmp_path / "new")))
    assert ran.code == 0, ran.err
    assert "imported: 1,000 new" in ran.out
    ran = diagnostics.run("-v", *as_admin, "import", str(write_transfers(program, tmp_path / "again", 20)))
    assert ran.code == 0 and "INFO" in ran.err  # the log on standard error too
    # The existing test data: the demo's own tables into a new installation, then ICE's lists.
    exported = tmp_path / "tables"
    assert diagnostics.run(*as_admin, "export", str(exported)).code == 0
    fresh = ("--db", str(tmp_path / "fresh.sqlite3"))
    assert diagnostics.fails_in_one_line(*fresh, "init", "--admin", program.admin) == (
        f"pm-desk: {program.admin} is not in the database yet: give his name with --name"
    )
    assert diagnostics.run(*fresh, "init", "--admin", program.admin, "--name", "M. Fernandez").code == 0
    ran = diagnostics.run(*fresh, "--as-user", program.admin, "import", str(exported))
    assert ran.code == 0, ran.err
    for name in ("participatingAgencies05162025am.xlsx", "pendingAgencies05152025am.xlsx"):
        ran = diagnostics.run(*fresh, "--as-user", program.admin, "import-ice", str(DATA / "ice" / name))
        assert ran.code == 0, ran.err
    diagnostics.assert_no_subject_data()


def test_a_locked_database_logs_no_subject_data(diagnostics: Diagnostics, tmp_path: Path) -> None:
    program = diagnostics.program
    database = copy_of(program, tmp_path / "locked.sqlite3")
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        sentence = diagnostics.fails_in_one_line(
            "--db",
            str(database),
            "--as-user",
            program.admin,
            "import",
            str(write_transfers(program, tmp_path / "t")),
        )
    finally:
        holder.close()
    assert sentence == (
        "pm-desk: the database is busy: another program (or another PM Desk) is writing to it; nothing "
        "was saved: try again in a moment"
    )
    diagnostics.assert_no_subject_data()


def _refusing_trigger(database: Path, body: str) -> None:
    """A database that refuses every new transfer row, as a store that fails mid-import does:
    the failing statement carries the subjects' values as its parameters."""
    with sqlite3.connect(database) as connection:
        connection.execute(
            f"CREATE TRIGGER refuse_transfers BEFORE INSERT ON custody_transfers BEGIN {body}; END"
        )


@pytest.mark.parametrize(
    ("body", "sentence"),
    [
        (
            "INSERT INTO no_such_table VALUES (NEW.a_number)",
            "reported an error (SQLITE_ERROR); the log has the details",
        ),
        (
            "SELECT RAISE(ABORT, 'refused')",
            "the import clashes with records written meanwhile; nothing was written",
        ),
    ],
    ids=["database error", "constraint"],
)
def test_a_write_refused_mid_import_logs_no_subject_data(
    diagnostics: Diagnostics, tmp_path: Path, body: str, sentence: str
) -> None:
    program = diagnostics.program
    database = copy_of(program, tmp_path / "refusing.sqlite3")
    _refusing_trigger(database, body)
    args = (
        "--db",
        str(database),
        "--as-user",
        program.admin,
        "import",
        str(write_transfers(program, tmp_path / "t")),
    )
    assert diagnostics.fails_in_one_line(*args).endswith(sentence)
    verbose = diagnostics.run("-v", *args)  # the log's lines on standard error as well
    assert verbose.code == 1 and "Traceback" in verbose.err
    diagnostics.assert_no_subject_data()


def test_a_full_disk_logs_no_subject_data(diagnostics: Diagnostics, tmp_path: Path) -> None:
    program = diagnostics.program
    database = copy_of(program, tmp_path / "full.sqlite3")
    tables = write_transfers(program, tmp_path / "t")
    as_admin = ("--db", str(database), "--as-user", program.admin)
    sentence = diagnostics.fails_in_one_line(*as_admin, "import", str(tables), file_size_limit=256 * 1024)
    # SQLite says "full" for a full disk, and an I/O error for a write past the size limit.
    assert sentence.startswith(f"pm-desk: the database {database} ")
    assert "the disk is full" in sentence, sentence
    export = tmp_path / "export"
    sentence = diagnostics.fails_in_one_line(*as_admin, "export", str(export), file_size_limit=64 * 1024)
    assert sentence.startswith(f"pm-desk: cannot write {export}: ")
    workbook = tmp_path / "export.xlsx"
    sentence = diagnostics.fails_in_one_line(*as_admin, "export", str(workbook), file_size_limit=64 * 1024)
    assert sentence.startswith(f"pm-desk: cannot write {workbook}: ")
    diagnostics.assert_no_subject_data()


@pytest.mark.skipif(not permissions_hold(), reason="file permissions cannot be made to hold here")
def test_a_read_only_file_and_folder_log_no_subject_data(diagnostics: Diagnostics, tmp_path: Path) -> None:
    program = diagnostics.program
    tables = str(write_transfers(program, tmp_path / "t"))
    read_only_file = copy_of(program, tmp_path / "file" / "pm-desk.sqlite3")
    read_only_file.chmod(0o444)
    folder = tmp_path / "folder"
    read_only_folder = copy_of(program, folder / "pm-desk.sqlite3")
    folder.chmod(0o555)
    try:
        for database in (read_only_file, read_only_folder):
            sentence = diagnostics.fails_in_one_line(
                "--db", str(database), "--as-user", program.admin, "import", tables, honour_permissions=True
            )
            assert sentence.startswith(f"pm-desk: the database {database} cannot be ")
        new = folder / "new.sqlite3"
        sentence = diagnostics.fails_in_one_line(
            "--db", str(new), "init", "--admin", program.admin, "--name", "M. F.", honour_permissions=True
        )
        assert sentence.startswith(f"pm-desk: the database {new} cannot be ")
        writable = copy_of(program, tmp_path / "writable.sqlite3")
        export = folder / "export"
        sentence = diagnostics.fails_in_one_line(
            "--db", str(writable), "--as-user", program.admin, "export", str(export), honour_permissions=True
        )
        assert sentence == f"pm-desk: cannot write {export}: permission denied"
    finally:
        folder.chmod(0o755)
    diagnostics.assert_no_subject_data()


def test_bad_tables_log_no_subject_data(diagnostics: Diagnostics, tmp_path: Path) -> None:
    program = diagnostics.program
    database = copy_of(program, tmp_path / "copy.sqlite3")
    as_admin = ("--db", str(database), "--as-user", program.admin)
    cases = {
        "bad dates": {"encounter_date": "0001-01-01", "detainer_issued_at": "9999-12-31T23:59:59Z"},
        "bad status": {"status": "A700000001 escaped"},
        "nul": {"receiving_office": "Krome\x00A700000003"},
    }
    for name, changes in cases.items():
        tables = write_transfers(program, tmp_path / name.replace(" ", "-"), 50, **changes)
        ran = diagnostics.run(*as_admin, "import", str(tables))
        assert ran.code == 1 and len(ran.err_lines) == 1, ran.err
        assert ran.err.startswith("pm-desk: import refused: ")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "transfers.csv").write_bytes(b"agency_state,a_number\n" + b'\xff\xfeA700000004,"Marisol\n')
    assert diagnostics.run(*as_admin, "import", str(broken)).code == 1
    diagnostics.assert_no_subject_data()


def _damaged(program: Program, target: Path, offset: int, garbage: bytes) -> Path:
    database = copy_of(program, target)
    with database.open("r+b") as out:
        out.seek(offset)
        out.write(garbage)
    return database


def test_a_damaged_database_logs_no_subject_data(diagnostics: Diagnostics, tmp_path: Path) -> None:
    program = diagnostics.program
    size = program.database.stat().st_size
    pages = _damaged(program, tmp_path / "pages.sqlite3", size // 3, b"\xa5" * (size // 3))
    header = _damaged(program, tmp_path / "header.sqlite3", 0, b"not a database at all" * 8)
    for database in (pages, header):
        for command in (
            ("compliance", "--as-of", "2026-10-31"),
            ("export", str(tmp_path / f"export-{database.stem}")),
            ("report", "program", "--month", "2026-10", "-o", str(tmp_path / f"{database.stem}.pdf")),
        ):
            ran = diagnostics.run("--db", str(database), "--as-user", program.admin, *command)
            assert ran.code in (0, 1) and len(ran.err_lines) <= 1, ran.err
            if ran.code == 1:
                assert "damaged" in ran.err or "not a PM Desk database" in ran.err, ran.err
    diagnostics.assert_no_subject_data()
