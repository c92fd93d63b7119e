"""A lost laptop leaks nothing: after a day's work on the encrypted demo (sign-ins, a wrong
password, compliance, a backup, a restore, an import), no file PM Desk wrote under its data,
config and log folders or beside the database holds an A-number, a subject's name or a
password in plain bytes."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from pm_desk.cli import main
from support import TEST_PASSWORD

AS_OF = "2026-10-31T12:00:00Z"
MANAGER = ("--as-user", "thomas.ryan@ice.dhs.gov")
ADMIN = ("--as-user", "michelle.fernandez@ice.dhs.gov")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["-v", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_no_file_at_rest_reads_as_subject_data_or_a_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("PM_DESK_HOME", str(home))
    # The same demo twice: plain, to know its subjects; encrypted, as `make run` makes it.
    plain = tmp_path / "plain" / "demo.sqlite3"
    assert main(["--db", str(plain), "demo", "--plaintext", "--scale", "small", "--as-of", AS_OF]) == 0
    with sqlite3.connect(plain) as connection:
        rows = connection.execute("SELECT a_number, subject_name FROM custody_transfers").fetchall()
    connection.close()
    secrets = {value for row in rows for value in row if value and len(value) > 6}
    assert len(secrets) > 1000
    database = home / "data" / "pm-desk.sqlite3"
    assert main(["--db", str(database), "demo", "--scale", "small", "--as-of", AS_OF]) == 0

    wrong = tmp_path / "wrong"
    wrong.write_text("not the password at all\n", encoding="utf-8")
    wrong.chmod(0o600)
    with monkeypatch.context() as patch:
        patch.setenv("PM_DESK_PASSWORD_FILE", str(wrong))
        assert main(["--db", str(database), *MANAGER, "compliance"]) == 1
    time.sleep(1.1)  # the delay after a wrong password
    run(capsys, "--db", str(database), *MANAGER, "compliance", "--as-of", AS_OF)
    backup = run(capsys, "--db", str(database), *MANAGER, "backup").strip().removeprefix("backup written to ")
    tables = tmp_path / "tables"  # taken away on purpose: not a file at rest of the app's
    run(capsys, "--db", str(database), *ADMIN, "export", str(tables))
    run(capsys, "--db", str(database), *ADMIN, "import", str(tables))
    run(capsys, "--db", str(database), *MANAGER, "restore", backup)
    code = run(capsys, "--db", str(database), *ADMIN, "passwd", "thomas.ryan@ice.dhs.gov")
    one_time = code.strip().splitlines()[-1].strip()

    written = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") or p.suffix == ".log" for p in written) or written
    assert any("backups" in p.parts for p in written)
    for path in written:
        data = path.read_bytes()
        for secret in (TEST_PASSWORD, one_time, *secrets):
            assert secret.encode() not in data, (
                f"{path.relative_to(home)} holds plain subject data or a secret"
            )
        assert path.stat().st_mode & 0o077 == 0, f"{path.relative_to(home)} may be read by others"
