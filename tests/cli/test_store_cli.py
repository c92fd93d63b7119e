"""The command line on a forked audit chain: `audit verify` tells a fork from an edit, and
`audit reanchor` (administrators) closes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import World, fork_the_audit_chain, seed_world
from pm_desk.cli import main
from pm_desk.services.caseload import AgencyInput, create_agency
from pm_desk.store.database import open_database
from pm_desk.store.models import FieldOffice


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
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
