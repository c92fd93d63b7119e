"""Signing in at the command line: `init` makes an encrypted database with its first
administrator, every command proves who runs it with a password (the terminal, or the file named
by PM_DESK_PASSWORD_FILE), `--as-user` alone grants nothing, and `passwd` sets passwords and
issues one-time codes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cli_processes import run_pm_desk

from pm_desk.cli import main
from pm_desk.store.keyring import KeyRing
from support import TEST_PASSWORD

ADMIN = "ada.admin@ice.example.gov"
MANAGER = "mia.one@ice.example.gov"


def secret_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def waited_out(path: Path) -> None:
    """As if the delay after a wrong password had passed (the test does not sleep through it)."""
    with KeyRing.editing(KeyRing.path_for(path)) as ring:
        for slot in ring.slots:
            slot.next_try_at = None


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def fresh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    """A new database made by `pm-desk init`, and the recovery key it printed."""
    path = tmp_path / "office" / "pm-desk.sqlite3"
    code, out, err = run(capsys, "--db", str(path), "init", "--admin", ADMIN, "--name", "Ada Admin")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == f"database {path}: encrypted, first administrator {ADMIN}"
    return path, lines[-1].strip()


def test_init_makes_an_encrypted_database_that_names_nobody(fresh: tuple[Path, str]) -> None:
    path, recovery = fresh
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert ADMIN.encode() not in data and b"Ada Admin" not in data
    with pytest.raises(sqlite3.DatabaseError):  # the sqlite3 shell sees no database in it
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    keys = KeyRing.path_for(path)
    assert keys.stat().st_mode & 0o777 == 0o600 and path.stat().st_mode & 0o777 == 0o600
    assert TEST_PASSWORD.encode() not in keys.read_bytes() and recovery.encode() not in keys.read_bytes()
    assert len(recovery) == len("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")


def test_a_second_init_is_refused(fresh: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = fresh
    code, _, err = run(capsys, "--db", str(path), "init", "--admin", MANAGER, "--name", "Mia One")
    assert (code, err.strip()) == (
        1,
        "pm-desk: pm-desk.sqlite3 already has its administrators: sign in as one of them",
    )


def test_as_user_alone_grants_nothing(
    fresh: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    path, _ = fresh
    monkeypatch.setenv("PM_DESK_PASSWORD_FILE", str(secret_file(tmp_path, "wrong", "not the password!")))
    code, out, err = run(capsys, "--db", str(path), "--as-user", ADMIN, "audit", "verify")
    assert code == 1 and out == ""
    assert err.strip() == "pm-desk: cannot sign in: the email or the password is not right"
    waited_out(path)
    monkeypatch.setenv("PM_DESK_PASSWORD_FILE", str(secret_file(tmp_path, "right", TEST_PASSWORD)))
    code, out, err = run(capsys, "--db", str(path), "--as-user", ADMIN, "audit", "verify")
    assert code == 0 and "intact" in out, err
    # (the failed try reaches the audit trail with that sign-in: tests/services/test_access.py)


def test_without_a_terminal_or_a_file_a_command_refuses_in_one_line(
    fresh: tuple[Path, str], tmp_path: Path, monkeypatch
) -> None:
    path, _ = fresh
    monkeypatch.delenv("PM_DESK_PASSWORD_FILE")
    ran = run_pm_desk("--db", str(path), "--as-user", ADMIN, "compliance", home=tmp_path / "home")
    assert (ran.code, ran.err_lines) == (
        1,
        [
            "pm-desk: a password is needed and there is no terminal to ask it on: name a file "
            "holding it with PM_DESK_PASSWORD_FILE"
        ],
    )


def test_a_password_file_others_may_read_is_refused(
    fresh: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    path, _ = fresh
    shared = secret_file(tmp_path, "shared", TEST_PASSWORD)
    shared.chmod(0o644)
    monkeypatch.setenv("PM_DESK_PASSWORD_FILE", str(shared))
    code, _, err = run(capsys, "--db", str(path), "--as-user", ADMIN, "compliance")
    assert (code, err.strip()) == (
        1,
        f"pm-desk: the password file {shared} may be read by others: make it yours only (chmod 600)",
    )


def test_a_new_person_signs_in_with_a_one_time_code_then_chooses_a_password(
    fresh: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    path, _ = fresh
    users = secret_file(tmp_path, "users.csv", "")
    users.write_text(
        f"email,name,role,field_office,capacity,active\n{MANAGER},Mia One,manager,MIA,1,true\n",
        encoding="utf-8",
    )
    (tmp_path / "tables").mkdir()
    users.rename(tmp_path / "tables" / "users.csv")
    code, out, err = run(capsys, "--db", str(path), "--as-user", ADMIN, "import", str(tmp_path / "tables"))
    assert code == 0, err
    assert "1 person has no password here yet" in out
    code, out, err = run(capsys, "--db", str(path), "--as-user", ADMIN, "passwd", MANAGER)
    assert code == 0, err
    assert out.startswith(f"one-time code for {MANAGER}, valid for 72 hours")
    one_time = out.strip().splitlines()[-1].strip()

    monkeypatch.setenv("PM_DESK_PASSWORD_FILE", str(secret_file(tmp_path, "code", one_time)))
    code, _, err = run(capsys, "--db", str(path), "--as-user", MANAGER, "compliance")
    assert (code, err.strip()) == (
        1,
        "pm-desk: that was a one-time code: choose your password first with `pm-desk passwd`",
    )
    weak = secret_file(tmp_path, "weak", "password1234")
    code, _, err = run(
        capsys, "--db", str(path), "--as-user", MANAGER, "passwd", "--new-password-file", str(weak)
    )
    assert code == 1 and "common" in err
    chosen = secret_file(tmp_path, "chosen", "a long walk to Folkston")
    code, out, err = run(
        capsys, "--db", str(path), "--as-user", MANAGER, "passwd", "--new-password-file", str(chosen)
    )
    assert (code, out.strip()) == (0, f"password changed for {MANAGER}"), err
    monkeypatch.setenv("PM_DESK_PASSWORD_FILE", str(chosen))
    code, out, err = run(capsys, "--db", str(path), "--as-user", MANAGER, "compliance")
    assert code == 0, err
    # the code was spent with the first password
    monkeypatch.setenv("PM_DESK_PASSWORD_FILE", str(secret_file(tmp_path, "again", one_time)))
    code, _, err = run(capsys, "--db", str(path), "--as-user", MANAGER, "compliance")
    assert code == 1 and "the email or the password is not right" in err


def test_only_an_administrator_issues_codes(
    fresh: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    path, recovery = fresh
    # the recovery key gives the administrator a code when every password is lost
    key_file = secret_file(tmp_path, "recovery", recovery)
    code, out, err = run(
        capsys, "--db", str(path), "passwd", ADMIN, "--recovery", "--recovery-file", str(key_file)
    )
    assert code == 0, err
    assert out.startswith(f"one-time code for {ADMIN}")
    wrong = secret_file(tmp_path, "not-recovery", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH")
    code, _, err = run(
        capsys, "--db", str(path), "passwd", ADMIN, "--recovery", "--recovery-file", str(wrong)
    )
    assert code == 1 and "not right" in err


def test_wrong_passwords_lock_the_slot_until_an_administrator_gives_a_code(
    fresh: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    path, recovery = fresh
    keys = KeyRing.path_for(path)
    monkeypatch.setenv("PM_DESK_PASSWORD_FILE", str(secret_file(tmp_path, "wrong", "not the password!")))
    code, _, err = run(capsys, "--db", str(path), "--as-user", ADMIN, "compliance")
    assert code == 1 and "the email or the password is not right" in err
    [slot] = [s for s in KeyRing.load(keys).slots if s.holder == ADMIN]
    assert slot.next_try_at is not None  # the next try must wait (the delay doubles each time)
    errors = []
    for _ in range(4):
        waited_out(path)
        code, _, err = run(capsys, "--db", str(path), "--as-user", ADMIN, "compliance")
        errors.append((code, err.strip()))
    assert errors[-1] == (
        1,
        "pm-desk: cannot sign in: the password is not right (5 wrong in a row): "
        f"{ADMIN} is locked out until an administrator issues a new one-time code",
    )
    monkeypatch.setenv("PM_DESK_PASSWORD_FILE", str(secret_file(tmp_path, "right", TEST_PASSWORD)))
    waited_out(path)
    code, _, err = run(capsys, "--db", str(path), "--as-user", ADMIN, "compliance")
    assert code == 1 and "locked out" in err  # the right password no longer opens it
    key_file = secret_file(tmp_path, "recovery", recovery)
    code, out, err = run(
        capsys, "--db", str(path), "passwd", ADMIN, "--recovery", "--recovery-file", str(key_file)
    )
    assert code == 0, err
    monkeypatch.setenv(
        "PM_DESK_PASSWORD_FILE", str(secret_file(tmp_path, "code", out.splitlines()[-1].strip()))
    )
    code, _, err = run(capsys, "--db", str(path), "--as-user", ADMIN, "compliance")
    assert "choose your password first" in err
