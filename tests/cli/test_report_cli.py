"""`pm-desk report ...` as DESIGN.md's command line has it: exit codes, files, one-line errors."""

from __future__ import annotations

import sqlite3
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from pm_desk.cli import main

BANNER = "CONTROLLED UNCLASSIFIED INFORMATION // LAW ENFORCEMENT SENSITIVE"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report-cli") / "demo.sqlite3"
    assert (
        main(
            ["--db", str(path), "demo", "--plaintext", "--scale", "small", "--as-of", "2026-10-31T12:00:00Z"]
        )
        == 0
    )
    return path


# The commands run signed in as the demo's staff member (reports clerk) unless a test says otherwise.
SIGNED_IN = ("--as-user", "jessica.henderson@ice.dhs.gov")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*SIGNED_IN, *list(args)])
    out, err = capsys.readouterr()
    return code, out, err


def pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(path.read_bytes())).pages]


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_monthly_report_of_a_manager(capsys, demo_db: Path, tmp_path: Path) -> None:
    manager = query(demo_db, "SELECT email FROM users WHERE role = 'manager' ORDER BY email")[0][0]
    target = tmp_path / "october.pdf"
    code, out, err = run(
        capsys,
        "--db",
        str(demo_db),
        "report",
        "monthly",
        "--month",
        "2026-10",
        "--manager",
        manager,
        "-o",
        str(target),
    )
    assert code == 0, err
    assert str(target) in out
    texts = pages(target)
    assert texts and all(BANNER in t and "October 2026" in t for t in texts)


def test_every_report_kind_writes_a_pdf(capsys, demo_db: Path, tmp_path: Path) -> None:
    agreement = query(demo_db, "SELECT id FROM agreements ORDER BY id")[0][0]
    for args in (
        ("program", "--month", "2026-10"),
        ("staffing",),
        ("oncall", "--from", "2026-10-01", "--to", "2026-10-31"),
        ("agreement", "--agreement", agreement),
    ):
        target = tmp_path / f"{args[0]}.pdf"
        code, _out, err = run(capsys, "--db", str(demo_db), "report", *args, "-o", str(target))
        assert code == 0, (args, err)
        assert target.read_bytes().startswith(b"%PDF") and len(pages(target)) >= 1


def test_all_managers_writes_one_file_each(capsys, demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "monthly"
    code, out, err = run(
        capsys, "--db", str(demo_db), "report", "monthly", "--month", "2026-10", "--all-managers", str(folder)
    )
    assert code == 0, err
    managers = query(demo_db, "SELECT email FROM users WHERE role = 'manager' AND active")
    written = sorted(folder.glob("monthly-2026-10-*.pdf"))
    assert len(written) == len(managers) and f"{len(managers)} monthly reports" in out
    for (email,) in managers:
        target = folder / f"monthly-2026-10-{email.split('@')[0]}.pdf"
        assert email in " ".join(pages(target))


def test_monthly_needs_a_manager_and_a_month(capsys, demo_db: Path, tmp_path: Path) -> None:
    staff = query(demo_db, "SELECT email FROM users WHERE role = 'staff'")[0][0]
    target = tmp_path / "x.pdf"
    code, _out, err = run(
        capsys,
        "--db",
        str(demo_db),
        "--as-user",
        staff,
        "report",
        "monthly",
        "--month",
        "2026-10",
        "-o",
        str(target),
    )
    assert code == 1 and err.strip() == "pm-desk: whose report? pass --manager EMAIL (or --all-managers DIR)"
    code, _out, err = run(
        capsys, "--db", str(demo_db), "report", "monthly", "--month", "October", "-o", str(target)
    )
    assert code == 2 and "is not a month like 2026-10" in err and len(err.strip().splitlines()) == 1
    code, _out, err = run(
        capsys,
        "--db",
        str(demo_db),
        "report",
        "monthly",
        "--month",
        "2026-10",
        "--manager",
        "x@y.z",
        "-o",
        str(target),
    )
    assert code == 1 and err.strip() == "pm-desk: no user with the email 'x@y.z'"
    assert not target.exists()


def test_unknown_agreement_and_backwards_period_are_one_line(capsys, demo_db: Path, tmp_path: Path) -> None:
    code, _out, err = run(
        capsys,
        "--db",
        str(demo_db),
        "report",
        "agreement",
        "--agreement",
        "nope",
        "-o",
        str(tmp_path / "a.pdf"),
    )
    assert code == 1 and err.strip() == "pm-desk: no agreement with the id 'nope'"
    code, _out, err = run(
        capsys,
        "--db",
        str(demo_db),
        "report",
        "oncall",
        "--from",
        "2026-10-31",
        "--to",
        "2026-10-01",
        "-o",
        str(tmp_path / "o.pdf"),
    )
    assert code == 1 and err.strip() == "pm-desk: --to must not be before --from"


def test_filing_from_the_command_line(capsys, demo_db: Path, tmp_path: Path) -> None:
    """September is over by the real clock: it can be filed, and then it reads as filed."""
    manager = query(demo_db, "SELECT email FROM users WHERE role = 'manager' ORDER BY email")[0][0]
    supervisor = query(demo_db, "SELECT email FROM users WHERE role = 'supervisor' ORDER BY email")[0][0]
    target = tmp_path / "september.pdf"
    args = (
        "--db",
        str(demo_db),
        "--as-user",
        supervisor,
        "report",
        "monthly",
        "--month",
        "2026-09",
        "--manager",
        manager,
    )
    code, out, err = run(capsys, *args, "-o", str(target), "--file")
    assert code == 0, err
    assert "filed: content hash " in out
    filed = query(demo_db, "SELECT pdf_file, kind, period_start FROM filed_reports")
    assert filed == [(str(target.resolve()), "monthly", "2026-09-01")]
    code, out, err = run(capsys, *args, "-o", str(tmp_path / "again.pdf"))
    assert code == 0 and "matches the report filed" in out
    code, _out, err = run(capsys, *args, "-o", str(tmp_path / "third.pdf"), "--file")
    assert code == 1 and "already filed" in err


def test_a_report_and_a_compliance_file_replace_an_open_file_owner_only(
    capsys, demo_db: Path, tmp_path: Path
) -> None:
    """A file left readable by anyone at the target becomes its owner's only when written over."""
    report, results = tmp_path / "staffing.pdf", tmp_path / "compliance.csv"
    for path in (report, results):
        path.write_text("old", encoding="utf-8")
        path.chmod(0o644)
    code, _, err = run(capsys, "--db", str(demo_db), *SIGNED_IN, "report", "staffing", "-o", str(report))
    assert code == 0, err
    code, _, err = run(
        capsys, "--db", str(demo_db), *SIGNED_IN, "compliance", "--format", "csv", "-o", str(results)
    )
    assert code == 0, err
    assert pages(report) and results.read_text(encoding="utf-8").startswith("rule,status,record")
    assert oct(report.stat().st_mode & 0o777) == oct(results.stat().st_mode & 0o777) == "0o600"
