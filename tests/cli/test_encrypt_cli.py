"""`pm-desk encrypt`: a plain database becomes an encrypted one in place, with its plain backups;
a `kill -9` at any moment leaves the plain file or the encrypted one, never neither."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_processes import run_pm_desk

from pm_desk.cli import main
from pm_desk.store.backup import write_backup
from pm_desk.store.cipher import connect, file_state
from pm_desk.store.encryption import leftovers
from support import copy_database, make_demo

MANAGER = ("--as-user", "thomas.ryan@ice.dhs.gov")


@pytest.fixture(scope="module")
def plain_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("encrypt") / "demo.sqlite3")


def a_numbers(path: Path) -> list[bytes]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT a_number, subject_name FROM custody_transfers LIMIT 50").fetchall()
    connection.close()
    return [value.encode() for row in rows for value in row if value]


def compliance(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict]:
    code = main(["--db", str(path), *MANAGER, "compliance", "--as-of", "2026-10-31T12:00:00Z"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_encrypt_converts_the_database_and_its_plain_backups(
    plain_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("PM_DESK_HOME", str(home))
    path = copy_database(plain_demo, tmp_path / "data" / "pm-desk.sqlite3")
    subjects = a_numbers(path)
    assert subjects and all(s in path.read_bytes() for s in subjects[:3])
    before = compliance(capsys, path)
    backups = home / "data" / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    old_backup = backups / "pm-desk-20261001-000000-000000-daily.sqlite3"
    write_backup(path, old_backup)

    assert main(["--db", str(path), *MANAGER, "encrypt"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == f"{path} is encrypted, and 1 plain backup"
    assert file_state(path) == "encrypted" and file_state(old_backup) == "encrypted"
    for written in (path, old_backup):
        data = written.read_bytes()
        assert not any(s in data for s in subjects), written.name
    assert leftovers(path) == []
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []
    assert compliance(capsys, path) == before  # the same person signs in with the same password
    assert main(["--db", str(path), *MANAGER, "encrypt"]) == 0
    assert capsys.readouterr().out.strip() == f"{path} is already encrypted"


def test_encrypt_is_refused_while_another_program_has_the_database_open(
    plain_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_database(plain_demo, tmp_path / "pm-desk.sqlite3")
    # another process reading (locks are per process: one in this process would not count)
    reader = (
        "import sqlite3, sys, time\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode = WAL'); c.execute('BEGIN')\n"
        "c.execute('SELECT count(*) FROM users').fetchone()\n"
        "print('reading', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", reader, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "reading"
        code = main(["--db", str(path), *MANAGER, "encrypt"])
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err.strip()
    assert (code, err) == (
        1,
        "pm-desk: the database is open in another PM Desk (or another program): close it and try again",
    )
    assert file_state(path) == "plain" and leftovers(path) == []


def _opens(path: Path, key: bytes | None) -> bool:
    try:
        connection = connect(path, key)
        try:
            return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            connection.close()
    except Exception:
        return False


def test_a_kill_at_any_moment_leaves_one_usable_database(
    plain_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], password_file: Path
) -> None:
    rounds, outcomes = 6, {"plain": 0, "encrypted": 0}
    rng = random.Random(287)
    for n in range(rounds):
        path = copy_database(plain_demo, tmp_path / f"r{n}" / "pm-desk.sqlite3")
        child = subprocess.Popen(
            [sys.executable, "-m", "pm_desk", "--db", str(path), *MANAGER, "encrypt"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PM_DESK_HOME": str(tmp_path / "home")},
        )
        time.sleep(rng.uniform(0.3, 2.5))  # the interpreter's start, the sign-in, then the copy
        child.send_signal(signal.SIGKILL)
        child.wait()
        state = file_state(path)
        outcomes[state] += 1
        # the next sign-in finds a database either way and tidies what the kill left
        ran = run_pm_desk("--db", str(path), *MANAGER, "compliance", home=tmp_path / "home")
        assert ran.code == 0, (state, ran.err)
        assert leftovers(path) == []
        ran = run_pm_desk("--db", str(path), *MANAGER, "encrypt", home=tmp_path / "home")
        assert ran.code == 0, ran.err
        assert file_state(path) == "encrypted"
    assert sum(outcomes.values()) == rounds


def test_plain_backups_left_by_an_interrupted_run_are_encrypted_later(
    plain_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("PM_DESK_HOME", str(home))
    path = copy_database(plain_demo, tmp_path / "data" / "pm-desk.sqlite3")
    assert main(["--db", str(path), *MANAGER, "encrypt"]) == 0
    capsys.readouterr()
    backups = home / "data" / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    late = backups / "pm-desk-20261001-000000-000000-daily.sqlite3"
    write_backup(plain_demo, late)  # as if the run had been killed before reaching it
    broken = backups / "pm-desk-20261002-000000-000000-daily.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xa5" * 8000)
    assert main(["--db", str(path), *MANAGER, "encrypt"]) == 1
    out, err = capsys.readouterr()
    assert out.strip() == f"{path} is already encrypted, and 1 plain backup"
    assert err.strip() == (
        f"pm-desk: 1 plain backup(s) could not be encrypted (damaged?): {broken.name}; delete them "
        "if they are not needed"
    )
    assert file_state(late) == "encrypted"
