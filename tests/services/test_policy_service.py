"""The policy is a record: seeded with the shipped defaults, changed only by an administrator
(checked, audited before and after), in force for the rules at once; a file in one's own config
folder changes nothing."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from builders import World, add_transfer, audit_rows, refused_without_writing
from pm_desk.cli import main
from pm_desk.domain.policy import load_policy
from pm_desk.services.errors import PermissionDenied, ValidationError
from pm_desk.services.policy import change_policy, import_policy, policy_in_force
from pm_desk.store.database import Database, open_database
from pm_desk.store.models import CustodyTransfer
from support import FIXED_NOW


def test_a_new_database_holds_the_shipped_defaults(db: Database) -> None:
    assert policy_in_force(db.uow()) == load_policy() == db.policy


def test_an_administrator_changes_a_setting_audited_before_and_after(db: Database, world: World) -> None:
    done = change_policy(db.uow(), world.admin, {"hold.hours": 36, "equipment.alarm_days": 150})
    assert done.changed == {"hold.hours": (48, 36), "equipment.alarm_days": (200, 150)}
    policy = policy_in_force(db.uow())
    assert (policy.hold.hours, policy.equipment.alarm_days) == (36, 150)
    entries = audit_rows(db, operation="policy.change")
    assert sorted((e.before["value"], e.after["value"]) for e in entries) == [("200", "150"), ("48", "36")]
    assert {e.actor_email for e in entries} == {world.admin.email}
    reopened = open_database(str(db.path))
    try:
        assert reopened.policy.hold.hours == 36  # what every later run of the app or a command uses
    finally:
        reopened.close()


def test_the_hold_deadlines_follow_a_changed_hold(db: Database, world: World) -> None:
    eligible = FIXED_NOW - timedelta(hours=10)
    transfer = add_transfer(db, world.agreement_m1, "BK-1", eligible - timedelta(hours=5), eligible)
    done = change_policy(db.uow(), world.admin, {"hold.hours": 36})
    assert done.deadlines_recomputed >= 1
    with db.uow() as uow:
        assert uow.session.get(CustodyTransfer, transfer).hold_deadline_at == eligible + timedelta(hours=36)


@pytest.mark.parametrize("who", ["m1", "supervisor_a", "staff"])
def test_only_an_administrator_changes_the_policy(db: Database, world: World, who: str) -> None:
    with refused_without_writing(db, PermissionDenied, denied=True) as refused:
        change_policy(db.uow(), getattr(world, who), {"hold.hours": 100_000})
    assert str(refused.value).endswith("cannot change the policy")
    assert policy_in_force(db.uow()).hold.hours == 48


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"hold.hours": -1}, "'hold.hours' must be a whole number of 0 or more, not -1"),
        ({"hold.hours": "many"}, "'hold.hours' must be a whole number of 0 or more, not 'many'"),
        ({"hold.minutes": 3}, "unknown policy key 'hold.minutes'"),
        ({"oncall.office_hours_start": "19:00"}, "'oncall.office_hours_start' must be before"),
    ],
)
def test_a_bad_setting_is_refused_and_nothing_written(
    db: Database, world: World, settings: dict, message: str
) -> None:
    with refused_without_writing(db, ValidationError) as refused:
        change_policy(db.uow(), world.admin, settings)
    assert message in str(refused.value)


def test_a_policy_file_is_imported_by_its_settings(db: Database, world: World) -> None:
    done = import_policy(db.uow(), world.admin, "[renewal]\ndue_soon_days = 60\n", "office.toml")
    assert done.changed == {"renewal.due_soon_days": (90, 60)}
    with refused_without_writing(db, ValidationError) as refused:
        import_policy(db.uow(), world.admin, "[renewal\n", "broken.toml")
    assert "broken.toml: not valid TOML" in str(refused.value)


def compliance(db: Database, *extra: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    """The command's results, signed in as the program's staff member (the whole program)."""
    staff = ("--as-user", "sue.staff@ice.example.gov")
    code = main(["--db", str(db.path), *staff, *extra, "compliance", "--as-of", "2026-10-31T12:00:00Z"])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def test_a_policy_file_in_ones_own_config_folder_changes_nothing(
    db: Database, world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    eligible = FIXED_NOW - timedelta(hours=60)
    add_transfer(db, world.agreement_m1, "BK-2", eligible - timedelta(hours=5), eligible)
    before = compliance(db, capsys=capsys)
    assert any(r["rule"] == "hold" and r["status"] == "breached" for r in before)
    config = Path(os.environ["PM_DESK_HOME"]) / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "policy.toml").write_text("[hold]\nhours = 100000\n", encoding="utf-8")
    assert compliance(db, capsys=capsys) == before


def test_the_command_line_shows_and_changes_the_policy(
    db: Database, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db.path), "--as-user", world.m1.email, "policy", "show"]) == 0
    shown = capsys.readouterr().out
    assert "[hold]\nhours = 48\n" in shown and "# Equipment clock: " in shown
    code = main(["--db", str(db.path), "--as-user", world.m1.email, "policy", "set", "hold.hours", "36"])
    refused = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(refused) == 1 and "cannot change the policy" in refused[0]
    code = main(["--db", str(db.path), "--as-user", world.admin.email, "policy", "set", "hold.hours", "36"])
    assert code == 0
    assert capsys.readouterr().out.startswith("hold.hours: 48 → 36")
