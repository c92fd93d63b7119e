"""One person, one scope: a supervisor's Today, his File → Export compliance results, his
interchange export and `pm-desk --as-user` him `compliance` cover the same records (his field
office), and a manager's exports cover his caseload."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from contexts import make_context

from builders import World, add_finding, add_inspection, seed_world
from pm_desk.cli import main
from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.domain.scope import PROGRAM, scope_of
from pm_desk.services.imports import export_interchange
from pm_desk.store.database import Database
from pm_desk.ui.menus import export_compliance
from pm_desk.ui.pages.today import TodayPage


@pytest.fixture
def world(db: Database) -> World:
    """Two field offices, each with a finding past its corrective due date."""
    world = seed_world(db)
    for agreement in (world.agreement_m1, world.agreement_m2, world.agreement_b):
        inspection = add_inspection(db, agreement, date(2026, 9, 1))
        add_finding(db, inspection, "Roster missing", corrective_due=date(2026, 10, 1))
    return world


def today_ids(qtbot, ctx) -> set[str]:
    page = TodayPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    return {row.record_id for g in page.model.groups if g.spec.key == "finding" for row in g.rows}


def command_ids(ctx, capsys, *extra: str) -> set[str]:
    code = main(["--db", ctx.paths.database, *extra, "compliance", "--as-of", "2026-10-31T12:00:00Z"])
    assert code == 0
    return {r["id"] for r in json.loads(capsys.readouterr().out) if r["rule"] == "finding"}


def exported_ids(ctx, tmp_path: Path, suffix: str) -> set[str]:
    target = export_compliance(SimpleNamespace(ctx=ctx), str(tmp_path / f"compliance{suffix}"))
    assert target is not None
    if suffix == ".json":
        rows = json.loads(target.read_text(encoding="utf-8"))
    else:
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
    return {r["id"] for r in rows if r["rule"] == "finding"}


def exported_agencies(ctx, tmp_path: Path) -> set[str]:
    folder = tmp_path / "tables"
    export_interchange(ctx.db.uow(), ctx.actor, folder)
    with (folder / "agreements.csv").open(encoding="utf-8") as rows:
        return {row["agency_name"] for row in csv.DictReader(rows)}


@pytest.mark.parametrize("who", ["supervisor_a", "m1", "staff"])
def test_today_and_every_export_cover_the_same_records(
    qtbot, db: Database, world: World, tmp_path: Path, capsys, who: str
) -> None:
    actor: Actor = getattr(world, who)
    ctx = make_context(db, actor.email, tmp_path)
    shown = today_ids(qtbot, ctx) if actor.role is not Role.STAFF else None
    exported = exported_ids(ctx, tmp_path, ".csv")
    assert exported == exported_ids(ctx, tmp_path, ".json")
    assert exported == command_ids(ctx, capsys, "--as-user", actor.email)
    expected = {"supervisor_a": 2, "m1": 1, "staff": 3}[who]
    assert len(exported) == expected
    if shown is not None:
        assert shown == exported
    agencies = exported_agencies(ctx, tmp_path)
    office_a = {"Calhoun County Sheriff's Office", "Bay County Sheriff's Office"}
    assert (
        agencies
        == {
            "supervisor_a": office_a,
            "m1": {"Calhoun County Sheriff's Office"},
            "staff": office_a | {"Cobb County Sheriff's Office"},
        }[who]
    )


def test_the_command_signed_in_as_staff_covers_the_program(
    db: Database, world: World, tmp_path, capsys
) -> None:
    ctx = make_context(db, world.staff.email, tmp_path)
    assert len(command_ids(ctx, capsys, "--as-user", world.staff.email)) == 3
    # a manager signed in sees his caseload (one finding of the three), and nobody is the program
    # for not saying who he is: the command asks who signs in
    assert len(command_ids(ctx, capsys, "--as-user", world.m1.email)) == 1
    assert main(["--db", ctx.paths.database, "compliance"]) == 1
    assert capsys.readouterr().err.strip() == "pm-desk: who is signing in? pass --as-user EMAIL"


def test_a_managers_switch_widens_to_his_field_office(world: World) -> None:
    assert scope_of(world.m1).manager_id == world.m1.user_id
    wide = scope_of(world.m1, whole_office=True)
    assert wide.manager_id is None and wide.field_office_id == world.office_a
    assert scope_of(world.supervisor_a) == wide
    assert scope_of(world.staff) is PROGRAM and scope_of(world.admin) is PROGRAM
