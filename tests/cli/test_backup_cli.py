"""`pm-desk backup` and `pm-desk restore`: encrypted, proven copies; a restore that refuses a
damaged or tampered backup and leaves the database untouched; daily backups kept by the policy."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from pm_desk.cli import main
from pm_desk.domain.policy import SecurityPolicy
from pm_desk.services.backups import rotate_daily
from pm_desk.store.cipher import file_state
from support import copy_database, make_demo

USER = ("--as-user", "thomas.ryan@ice.dhs.gov")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("backup") / "demo.sqlite3", plaintext=False)


@pytest.fixture(scope="module")
def plain_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("backup-plain") / "demo.sqlite3")


def backups_listed(capsys: pytest.CaptureFixture[str], path: Path) -> list[Path]:
    code, out, err = run(capsys, "--db", str(path), *USER, "restore")
    assert code == 0, err
    return [Path(line.split("  ", 1)[1]) for line in out.strip().splitlines() if "  " in line]


def test_a_backup_is_encrypted_proven_and_restored(
    encrypted_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_database(encrypted_demo, tmp_path / "pm-desk.sqlite3")
    code, out, err = run(capsys, "--db", str(path), *USER, "backup")
    assert code == 0, err
    backup = Path(out.strip().removeprefix("backup written to "))
    assert backup.exists() and file_state(backup) == "encrypted"
    assert backup.stat().st_mode & 0o777 == 0o600 and backup.parent.stat().st_mode & 0o777 == 0o700
    assert b"Ryan" not in backup.read_bytes() and b"thomas.ryan" not in backup.read_bytes()

    # a change after the backup, then the backup put back: the change is gone
    out_file = tmp_path / "elsewhere" / "copy.sqlite3"
    code, out, err = run(capsys, "--db", str(path), *USER, "backup", "-o", str(out_file))
    assert code == 0 and (out_file.parent / "copy.sqlite3.keys").exists(), err
    assert backups_listed(capsys, path) == [backup]
    code, out, err = run(capsys, "--db", str(path), *USER, "restore", str(backup))
    listed = backups_listed(capsys, path)
    assert len(listed) == 2 and listed[0].name.endswith("-before-restore.sqlite3")
    assert (code, out.strip()) == (
        0,
        f"restored {backup.name}; the database as it was is kept as {listed[0]}",
    ), err
    code, out, err = run(capsys, "--db", str(path), *USER, "audit", "verify")
    assert code == 0 and "intact" in out, err


def test_restore_refuses_a_tampered_or_damaged_backup_and_changes_nothing(
    plain_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_database(plain_demo, tmp_path / "pm-desk.sqlite3")
    code, _, err = run(capsys, "--db", str(path), *USER, "backup", "-o", str(tmp_path / "b.sqlite3"))
    assert code == 0, err
    tampered = tmp_path / "b.sqlite3"
    with sqlite3.connect(tampered) as connection:
        connection.execute("UPDATE audit_entries SET actor_email = 'someone.else@ice.dhs.gov' WHERE seq = 1")
    connection.close()
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray((tmp_path / "b.sqlite3").read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 8 * 4096] = b"\xa5" * (8 * 4096)
    damaged.write_bytes(bytes(data))
    not_a_db = tmp_path / "notes.sqlite3"
    not_a_db.write_text("hello\n" * 2000, encoding="utf-8")
    before = path.read_bytes()

    for bad, why in (
        (tampered, "the audit trail of b.sqlite3 does not verify (entry 1: "),
        (damaged, "damaged.sqlite3 is damaged"),
        (not_a_db, "notes.sqlite3 is"),
    ):
        code, _, err = run(capsys, "--db", str(path), *USER, "restore", str(bad))
        assert code == 1 and err.startswith(f"pm-desk: restore refused: {why}"), err
        assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before
    assert backups_listed(capsys, path) == []  # nothing was even kept: nothing was about to change


def test_a_backup_of_another_database_is_refused(
    encrypted_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_database(encrypted_demo, tmp_path / "one" / "pm-desk.sqlite3")
    other = tmp_path / "two" / "pm-desk.sqlite3"
    assert main(["--db", str(other), "demo", "--scale", "small", "--as-of", "2026-10-31T12:00:00Z"]) == 0
    capsys.readouterr()
    theirs = tmp_path / "theirs.sqlite3"
    code, _, err = run(capsys, "--db", str(other), *USER, "backup", "-o", str(theirs))
    assert code == 0, err
    code, _, err = run(capsys, "--db", str(path), *USER, "restore", str(theirs))
    assert (code, err.strip()) == (
        1,
        "pm-desk: restore refused: theirs.sqlite3 is not a backup of this database (its key does not "
        "open it)",
    )


def test_daily_backups_keep_seven_days_then_one_a_week(tmp_path: Path) -> None:
    today = date(2026, 12, 3)
    days = [today - timedelta(days=n) for n in range(60)]
    for day in days:
        (tmp_path / f"pm-desk-{day:%Y%m%d}-080000-000000-daily.sqlite3").write_bytes(b"x")
    (tmp_path / "pm-desk-20261001-080000-000000-manual.sqlite3").write_bytes(b"x")
    for n, day in enumerate(days):  # the files' times say when they were written
        stamp = (today - timedelta(days=n)).strftime("%s")
        path = tmp_path / f"pm-desk-{day:%Y%m%d}-080000-000000-daily.sqlite3"
        os.utime(path, (int(stamp), int(stamp)))
    rotate_daily(tmp_path, "pm-desk", SecurityPolicy())
    left = sorted(p.name[8:16] for p in tmp_path.glob("*-daily.sqlite3"))
    newest = [f"{d:%Y%m%d}" for d in days[:7]]
    assert set(newest) <= set(left)
    older = sorted(set(left) - set(newest))
    assert len(older) == 4  # one for each of the four weeks before
    weeks = {date(int(d[:4]), int(d[4:6]), int(d[6:])).isocalendar()[:2] for d in older}
    assert len(weeks) == 4
    assert (tmp_path / "pm-desk-20261001-080000-000000-manual.sqlite3").exists()  # asked for: kept


def test_a_damaged_database_is_restored_from_its_backup(
    encrypted_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_database(encrypted_demo, tmp_path / "pm-desk.sqlite3")
    code, out, err = run(capsys, "--db", str(path), *USER, "backup")
    assert code == 0, err
    backup = Path(out.strip().removeprefix("backup written to "))
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 6 * 4096] = b"\xa5" * (6 * 4096)
    path.write_bytes(bytes(data))
    code, _, err = run(capsys, "--db", str(path), *USER, "compliance")
    assert code == 1 and "is damaged" in err and "pm-desk restore FILE" in err
    code, out, err = run(capsys, "--db", str(path), *USER, "restore", str(backup))
    assert code == 0, err
    kept = Path(out.strip().rsplit(" kept as ", 1)[1])
    assert kept.exists() and kept.read_bytes() == bytes(data)  # the damaged file, kept as it was
    code, _, err = run(capsys, "--db", str(path), *USER, "compliance")
    assert code == 0, err


def test_only_an_active_administrator_supervisor_or_manager_restores(
    plain_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_database(plain_demo, tmp_path / "pm-desk.sqlite3")
    code, out, err = run(capsys, "--db", str(path), *USER, "backup")
    backup = out.strip().removeprefix("backup written to ")
    staff = "jessica.henderson@ice.dhs.gov"
    code, _, err = run(capsys, "--db", str(path), "--as-user", staff, "restore", backup)
    assert (code, err.strip()) == (
        1,
        f"pm-desk: restore refused: {staff} may not restore this database: an active administrator, "
        "supervisor or manager does",
    )
    with sqlite3.connect(path) as connection:  # the manager is made inactive after the backup
        connection.execute("UPDATE users SET active = 0 WHERE email = 'thomas.ryan@ice.dhs.gov'")
    connection.close()
    code, _, err = run(capsys, "--db", str(path), *USER, "restore", backup)
    assert code == 1 and "may not restore this database" in err


def test_backups_of_a_database_with_a_longer_name_are_not_its_own(tmp_path: Path) -> None:
    from pm_desk.store.backup import list_backups, rotate_backups

    for name in ("prog-20261203-080000-000000-manual", "prog-2025-20261203-080000-000000-manual"):
        (tmp_path / f"{name}.sqlite3").write_bytes(b"x")
    assert [b.path.name for b in list_backups(tmp_path, "prog")] == [
        "prog-20261203-080000-000000-manual.sqlite3"
    ]
    rotate_backups(tmp_path, "prog", "manual", keep=0)
    assert (tmp_path / "prog-2025-20261203-080000-000000-manual.sqlite3").exists()


def test_an_encrypted_database_damaged_in_its_first_page_is_restored(
    encrypted_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_database(encrypted_demo, tmp_path / "pm-desk.sqlite3")
    code, out, err = run(capsys, "--db", str(path), *USER, "backup")
    backup = out.strip().removeprefix("backup written to ")
    data = bytearray(path.read_bytes())
    data[100:140] = b"X" * 40  # SQLCipher's first page: the key no longer opens the file
    path.write_bytes(bytes(data))
    code, out, err = run(capsys, "--db", str(path), *USER, "restore", backup)
    assert code == 0, err
    assert Path(out.strip().rsplit(" kept as ", 1)[1]).name.endswith("-damaged.sqlite3")
    code, _, err = run(capsys, "--db", str(path), *USER, "compliance")
    assert code == 0, err


def test_a_backup_from_a_newer_pm_desk_is_refused(
    plain_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_database(plain_demo, tmp_path / "pm-desk.sqlite3")
    newer = tmp_path / "newer.sqlite3"
    code, _, err = run(capsys, "--db", str(path), *USER, "backup", "-o", str(newer))
    assert code == 0, err
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = path.read_bytes()
    code, _, err = run(capsys, "--db", str(path), *USER, "restore", str(newer))
    assert (code, err.strip()) == (
        1,
        "pm-desk: restore refused: newer.sqlite3 was written by a newer PM Desk (or has no schema "
        "version): install the newer PM Desk to restore it",
    )
    assert path.read_bytes() == before


def test_a_person_no_longer_active_loses_his_key_slot_at_the_next_sign_in(
    plain_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pm_desk.store.keyring import KeyRing

    path = copy_database(plain_demo, tmp_path / "pm-desk.sqlite3")
    gone = "barbara.scott@ice.dhs.gov"
    assert KeyRing.load(KeyRing.path_for(path)).slot_of(gone) is not None
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE users SET active = 0 WHERE email = ?", (gone,))
    connection.close()
    code, _, err = run(capsys, "--db", str(path), *USER, "compliance")
    assert code == 0, err
    ring = KeyRing.load(KeyRing.path_for(path))
    assert ring.slot_of(gone) is None and ring.slot_of(USER[1]) is not None
    assert ring.slot_of("recovery", ("recovery",)) is not None or not any(
        s.kind == "recovery" for s in ring.slots
    )
