"""`pm-desk import`, `export` and `import-ice` as scripts use them: outputs and exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pm_desk.cli import main

ICE = Path(__file__).resolve().parent.parent / "data" / "ice"
ADMIN = ("--as-user", "michelle.fernandez@ice.dhs.gov")
SUPERVISOR = ("--as-user", "noah.medina@ice.dhs.gov")
MANAGER = ("--as-user", "thomas.ryan@ice.dhs.gov")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("interchange-cli") / "demo.sqlite3"
    assert (
        main(
            ["--db", str(path), "demo", "--plaintext", "--scale", "small", "--as-of", "2026-10-31T12:00:00Z"]
        )
        == 0
    )
    return path


@pytest.fixture
def exported(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "tables"
    code, out, err = run(capsys, "--db", str(demo), *ADMIN, "export", str(folder))
    assert code == 0, err
    assert out.strip().splitlines()[-1] == f"exported 2,690 rows to {folder}, A-numbers masked"
    return folder


def test_a_new_installation_is_set_up_by_importing_its_tables(
    capsys: pytest.CaptureFixture[str], exported: Path, tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh.sqlite3"
    code, out, err = run(capsys, "--db", str(fresh), *ADMIN, "import", str(exported))
    assert (code, err.strip()) == (
        1,
        f"pm-desk: there is no database at {fresh}: create one with `pm-desk init --admin EMAIL` "
        "(or `pm-desk demo`)",
    )
    code, out, err = run(capsys, "--db", str(fresh), "init", "--admin", ADMIN[1], "--name", "M. Fernandez")
    assert code == 0, err
    assert "encrypted, first administrator michelle.fernandez@ice.dhs.gov" in out
    code, out, err = run(capsys, "--db", str(fresh), *ADMIN, "import", str(exported))
    assert code == 0, err
    # the administrator who signed in is the users.csv row with his email: matched (his name is
    # taken from the table), not doubled
    assert "imported: 2,691 new, 1 changed, 0 unchanged" in out
    assert out.strip().splitlines()[-1] == (
        "7 people have no password here yet: give each a one-time code with `pm-desk passwd EMAIL` "
        "(as an administrator)"
    )
    again = tmp_path / "again"
    code, out, err = run(capsys, "--db", str(fresh), *ADMIN, "export", str(again))
    assert code == 0, err
    for source in exported.iterdir():
        assert (again / source.name).read_bytes() == source.read_bytes()
    code, out, _ = run(capsys, "--db", str(fresh), *ADMIN, "import", str(exported))
    assert code == 0 and out.strip().splitlines()[-1] == "nothing to change: 2,690 rows match the database"


def test_a_broken_set_lists_every_problem_then_one_line(
    capsys: pytest.CaptureFixture[str], demo: Path, exported: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(exported, broken)
    officers = broken / "officers.csv"
    lines = officers.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",authorized", ",deputized").replace(",revoked", ",deputized")
    lines[1] = lines[1].replace(",suspended", ",deputized").replace(",separated", ",deputized")
    lines[1] = lines[1].replace(",nominated", ",deputized").replace(",in_training", ",deputized")
    officers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (broken / "agencies.csv").write_bytes((broken / "agencies.csv").read_bytes() + b"FL,Caf\xe9,,,,,,\n")
    snapshot = demo.read_bytes()
    code, out, err = run(capsys, "--db", str(demo), *SUPERVISOR, "import", str(broken))
    assert code == 1
    assert err.strip() == "pm-desk: import refused: 2 problems in 2 files; nothing was written"
    problems = out.strip().splitlines()
    assert problems[0].startswith("agencies.csv:13: is not UTF-8 text (byte 0xe9")
    assert problems[1].startswith("officers.csv:2: authority_status: 'deputized' is not one of: nominated")
    assert "Traceback" not in out + err
    assert demo.read_bytes() == snapshot


def test_a_dry_run_reports_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], demo: Path, exported: Path
) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        str(demo),
        "--as-user",
        "noah.medina@ice.dhs.gov",
        "import",
        "--dry-run",
        str(exported),
    )
    assert code == 0 and "dry run: 0 new, 0 changed, 2,690 unchanged; nothing was written" in out


def test_a_manager_may_not_import_users(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    (tmp_path / "users.csv").write_text(
        "email,name,role,field_office,capacity\nx@ice.gov,X Y,staff,,\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "--db", str(demo), *MANAGER, "import", str(tmp_path))
    assert code == 1
    assert (
        out.strip() == "users.csv:2: Thomas Ryan is a manager and cannot import users (an administrator does)"
    )
    assert (
        err.strip()
        == "pm-desk: import refused: 1 problem in 1 file (1 row not yours to import); nothing was written"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import"], "the following arguments are required: DIR|FILE.xlsx"),
        (["export"], "the following arguments are required: DIR|FILE.xlsx"),
        (["import-ice"], "the following arguments are required: FILE"),
        (["import-ice", "x.xlsx", "--listed-on", "July"], "'July' is not a date"),
    ],
)
def test_usage_mistakes_exit_with_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_export_refuses_a_plain_file(capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "tables.txt"
    target.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(demo), *SUPERVISOR, "export", str(target))
    assert code == 1 and "is a file; export to a folder or to an .xlsx workbook" in err


def test_import_ice_reports_a_dry_run(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    snapshot = demo.read_bytes()
    code, out, err = run(
        capsys,
        "--db",
        str(demo),
        "--as-user",
        "noah.medina@ice.dhs.gov",
        "import-ice",
        str(ICE / "participatingAgencies07162025am.xlsx"),
        "--dry-run",
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "ICE participating list of 2025-07-16 (participatingAgencies07162025am.xlsx)"
    assert "unreadable: 3" in lines and lines[-1] == "dry run: nothing was written"
    assert (
        "  participatingAgencies07162025am.xlsx:769: SIGNED: '7/72025' is not a date like 07/16/2025" in lines
    )
    assert (
        "  participatingAgencies07162025am.xlsx:633: SIGNED: '5025-07-07' is in the year 5025; dates lie "
        "between 1900 and 2100" in lines
    )
    assert demo.read_bytes() == snapshot


def test_import_ice_refusals_are_one_line(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    pending = str(ICE / "participatingAgencies05162025am.xlsx")
    code, _, err = run(capsys, "--db", str(demo), *MANAGER, "import-ice", pending)
    assert code == 1 and err.strip() == "pm-desk: Thomas Ryan is a manager and cannot import ICE's lists"
    code, _, err = run(capsys, "--db", str(demo), *SUPERVISOR, "import-ice", pending, "--pending")
    assert code == 1 and "leave out --pending" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(
        capsys,
        "--db",
        str(demo),
        "--as-user",
        "noah.medina@ice.dhs.gov",
        "import-ice",
        str(tmp_path / "x.xlsx"),
    )
    assert code == 1 and err.strip().endswith("x.xlsx: no such file")


def test_export_masks_a_numbers_unless_asked_and_says_so(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--full-a-numbers" in text and "the files then hold subject data" in text
    assert "HANDLING.txt" in text and "masked" in text

    masked, full = tmp_path / "masked", tmp_path / "full"
    code, out, err = run(capsys, "--db", str(demo), *SUPERVISOR, "export", str(masked))
    assert code == 0, err
    assert out.splitlines()[-1].endswith("A-numbers masked")
    code, out, err = run(capsys, "--db", str(demo), *SUPERVISOR, "export", str(full), "--full-a-numbers")
    assert code == 0, err
    assert out.splitlines()[-1].endswith("A-numbers in full (subject data)")
    column = [line.split(",")[4] for line in (masked / "transfers.csv").read_text("utf-8").splitlines()[1:]]
    assert any(c.startswith("A•••••") for c in column) and not any(c[1:5].isdigit() for c in column)
    column = [line.split(",")[4] for line in (full / "transfers.csv").read_text("utf-8").splitlines()[1:]]
    assert any(c[1:].isdigit() and len(c) >= 9 for c in column)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in [*masked.iterdir(), *full.iterdir()]}
    assert set(modes.values()) == {"0o600"}, modes


def test_only_managers_and_supervisors_export_full_a_numbers(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "tables"
    code, _, err = run(capsys, "--db", str(demo), *ADMIN, "export", str(target), "--full-a-numbers")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "cannot export full A-numbers: only managers and supervisors see them" in err
    assert not target.exists()
