"""The command line on a damaged file and on a forked audit chain: one sentence and exit 1 for
damage; `audit verify` tells a fork from an edit, and `audit reanchor` (administrators) closes it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from builders import World, fork_the_audit_chain, seed_world
from pm_desk.cli import main
from pm_desk.services.caseload import AgencyInput, create_agency
from pm_desk.store import database as store_database
from pm_desk.store.database import open_database
from pm_desk.store.models import FieldOffice

PAGE = 4096


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run pm-desk signed in as the seeded administrator unless the arguments name someone."""
    signed_in = [] if "--as-user" in args else ["--as-user", "ada.admin@ice.example.gov"]
    code = main([*signed_in, *args])
    out, err = capsys.readouterr()
    return code, out, err


def seeded(path: Path, offices: int = 0) -> World:
    database = open_database(str(path))
    try:
        world = seed_world(database)
        with database.uow() as uow:
            uow.attribute(None, "fill@example.gov", "field_office.create")
            for n in range(offices):
                uow.session.add(FieldOffice(code=f"FO{n:05d}", name=f"Field office {n} " + "x" * 120))
            uow.commit()
        for name in ("Alpha", "Bravo"):
            create_agency(database.uow(), world.m1, AgencyInput("FL", f"{name} County Sheriff's Office"))
    finally:
        database.close()
    return world


def damage_table(path: Path, table: str) -> None:
    """Overwrite the leaf pages of `table` (SQLite's dbstat says where they are)."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,)
        ).fetchall()
    finally:
        connection.close()
    data = bytearray(path.read_bytes())
    for (page,) in rows:
        data[(page - 1) * PAGE : page * PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))


def damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    start = len(data) // 2 // PAGE * PAGE
    data[start : start + 4 * PAGE] = b"\xa5" * (4 * PAGE)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [["compliance"], ["audit", "verify"]])
def test_a_damaged_file_fails_with_one_sentence(capsys, tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    seeded(path, offices=2000)
    damage(path)

    code, out, err = run(capsys, "--db", str(path), "--as-user", "ada.admin@ice.example.gov", *command)

    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"pm-desk: {path} is damaged (")
    assert f"run `pm-desk restore FILE` with --db {path}" in err  # the command exists: it is named
    assert "create one with" not in err  # the file is there: creating another is not the way


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (lambda p: p.mkdir(), "is a folder, not a database file"),
        (lambda p: p.write_text("name,a_number\n"), "is not a PM Desk database (it is not an SQLite file)"),
    ],
    ids=["folder", "text file"],
)
def test_what_is_not_a_database_is_one_sentence(capsys, tmp_path: Path, make, sentence: str) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    make(path)

    code, out, err = run(capsys, "--db", str(path), "compliance")

    assert code == 1
    assert out == ""
    assert err.strip() == f"pm-desk: {path} {sentence}"


def test_audit_verify_checks_the_file_even_when_opening_leaves_it_for_later(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    seeded(path, offices=2000)
    damage(path)
    monkeypatch.setattr(store_database, "INLINE_QUICK_CHECK_BYTES", 0)  # as a large file is opened
    monkeypatch.setattr(store_database, "INLINE_FULL_CHECK_BYTES", 0)

    code, _out, err = run(capsys, "--db", str(path), "audit", "verify")

    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "is damaged" in err


def test_a_command_that_reads_a_damaged_page_midway_ends_in_one_sentence(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    seeded(path, offices=2000)
    damage_table(path, "field_offices")
    monkeypatch.setattr(store_database, "INLINE_QUICK_CHECK_BYTES", 0)  # as a large file is opened
    monkeypatch.setattr(store_database, "INLINE_FULL_CHECK_BYTES", 0)

    code, _out, err = run(
        capsys, "--db", str(path), "--as-user", "ada.admin@ice.example.gov", "export", str(tmp_path / "out")
    )

    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"pm-desk: {path} is damaged (")
    assert "unexpected" not in err


def test_a_fork_is_reported_then_reanchored_by_an_administrator(capsys, tmp_path: Path) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    world = seeded(path)
    database = open_database(str(path))
    try:
        fork = fork_the_audit_chain(database)
    finally:
        database.close()

    code, out, err = run(capsys, "--db", str(path), "audit", "verify")
    assert code == 1
    assert f"audit entry {fork}: a fork: it follows entry" in out
    assert err.strip().startswith("pm-desk: the audit trail is forked at 1 entry (two writers")
    assert "pm-desk audit reanchor" in err and "broken" not in err

    code, _out, err = run(
        capsys, "--db", str(path), "--as-user", world.supervisor_a.email, "audit", "reanchor", "--reason", "x"
    )
    assert code == 1 and "cannot re-anchor the audit trail" in err

    code, out, _err = run(
        capsys,
        "--db",
        str(path),
        "--as-user",
        world.admin.email,
        "audit",
        "reanchor",
        "--reason",
        "two windows",
    )
    assert code == 0 and out.startswith("re-anchored 1 fork (1 entry accepted)")

    code, out, _err = run(capsys, "--db", str(path), "audit", "verify")
    assert code == 0
    assert f"audit entry {fork}: a fork" in out and "re-anchored by entry" in out
    assert out.strip().splitlines()[-1].endswith("entries verified (1 fork re-anchored)")
