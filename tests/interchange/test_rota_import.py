"""The rota tables against what the database already holds, and who may import them: a field
office's rota is its supervisor's (or an administrator's), leave the person's own or his
supervisor's; shifts that overlap a stored shift of the rotation are refused on their line."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from tables_support import actor, refused, run, write_table

from builders import World, audit_rows
from pm_desk.domain.enums import LeaveKind
from pm_desk.store.database import Database
from pm_desk.store.models import Leave, Rotation, RotationMember, Shift

MIA_ONE, MAX_TWO = "mia.one@ice.example.gov", "max.two@ice.example.gov"


def shift(start: str, end: str, primary: str = MIA_ONE, backup: str = MAX_TWO) -> dict[str, str]:
    return {"field_office": "MIA", "rotation": "Miami duty", "starts_at": start, "ends_at": end,
            "primary_email": primary, "backup_email": backup}  # fmt: skip


WEEK = [
    shift("2026-11-02T13:00:00Z", "2026-11-03T13:00:00Z"),
    shift("2026-11-03T13:00:00Z", "2026-11-04T13:00:00Z", MAX_TWO, MIA_ONE),
]


def test_a_supervisor_imports_his_offices_rota_and_members_follow(
    db: Database, world: World, tmp_path: Path
) -> None:
    write_table(tmp_path, "oncall_shifts", WEEK)
    report = run(db, world.supervisor_a, tmp_path)
    assert report.counts["oncall_shifts"] == {"new": 2, "changed": 0, "unchanged": 0}
    with db.uow() as uow:
        rotation = uow.session.execute(select(Rotation)).scalar_one()
        assert (rotation.name, rotation.field_office_id, rotation.timezone) == (
            "Miami duty", world.office_a, "America/New_York",
        )  # fmt: skip
        assert (rotation.handoff_time, rotation.shift_hours, rotation.handoff_weekday) == ("08:00", 24, 0)
        members = uow.session.execute(
            select(RotationMember.user_id).where(RotationMember.rotation_id == rotation.id)
            .order_by(RotationMember.position)
        ).scalars().all()  # fmt: skip
        assert members == [world.m1.user_id, world.m2.user_id]
        notes = set(uow.session.execute(select(Shift.note)).scalars())
    assert notes == {"imported"}  # generating the rotation again leaves them alone
    assert {e.record_kind for e in audit_rows(db, operation="import", action="create")} >= {
        "rotation", "rotation_member", "shift",
    }  # fmt: skip


def test_another_offices_supervisor_and_managers_cannot_import_a_rota(
    db: Database, world: World, tmp_path: Path
) -> None:
    write_table(tmp_path, "oncall_shifts", WEEK)
    for who in (world.supervisor_b, world.m1):
        problems = refused(db, who, tmp_path)
        assert len(problems) == 2 and all("cannot import the on-call rota of MIA" in p for p in problems)
    assert audit_rows(db, action="denied")[-1].operation == "import"
    with db.uow() as uow:
        assert uow.session.execute(select(Shift)).first() is None


def test_a_shift_overlapping_a_stored_one_is_refused_on_its_line(
    db: Database, world: World, tmp_path: Path
) -> None:
    write_table(tmp_path / "first", "oncall_shifts", WEEK)
    run(db, world.supervisor_a, tmp_path / "first")
    write_table(tmp_path / "second", "oncall_shifts", [shift("2026-11-03T20:00:00Z", "2026-11-05T13:00:00Z")])
    assert refused(db, world.supervisor_a, tmp_path / "second") == [
        "oncall_shifts.csv:2: starts_at: overlaps a stored shift of this rotation "
        "(2026-11-03T13:00:00Z/2026-11-04T13:00:00Z)"
    ]
    # A row that moves a stored shift's end is no overlap with that shift itself.
    write_table(tmp_path / "third", "oncall_shifts", [shift("2026-11-03T13:00:00Z", "2026-11-05T13:00:00Z",
                                                            MAX_TWO, MIA_ONE)])  # fmt: skip
    report = run(db, world.supervisor_a, tmp_path / "third")
    assert report.counts["oncall_shifts"] == {"new": 0, "changed": 1, "unchanged": 0}


def test_leave_is_imported_by_the_person_or_his_supervisor(
    db: Database, world: World, tmp_path: Path
) -> None:
    row = {
        "email": MIA_ONE,
        "starts_at": "2026-11-09T05:00:00Z",
        "ends_at": "2026-11-10T05:00:00Z",
        "kind": "leave",
    }
    write_table(tmp_path / "mine", "leave", [row])
    assert run(db, actor(db, MIA_ONE), tmp_path / "mine").counts["leave"]["new"] == 1
    with db.uow() as uow:
        assert uow.session.execute(select(Leave.kind)).scalar_one() is LeaveKind.ANNUAL
    write_table(tmp_path / "sick", "leave", [{**row, "kind": "sick"}])
    assert refused(db, actor(db, MAX_TWO), tmp_path / "sick") == [
        "leave.csv:2: Max Two is a manager and cannot import the leave of mia.one@ice.example.gov "
        "(the person or his supervisor does)"
    ]
    assert run(db, world.supervisor_a, tmp_path / "sick").counts["leave"] == {
        "new": 0,
        "changed": 1,
        "unchanged": 0,
    }
    assert refused(db, world.supervisor_b, tmp_path / "mine")[0].startswith("leave.csv:2: Bo Super")
