"""The rota tables against what the database already holds, and who may import them: a field
office's rota is its supervisor's (or an administrator's), leave the person's own or his
supervisor's; shifts that overlap a stored shift of the rotation are refused on their line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from sqlalchemy import select
from tables_support import actor, refused, run, write_table

from builders import World, audit_rows
from pm_desk.domain.enums import LeaveKind
from pm_desk.services.oncall import generate_rotation_shifts
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


def test_generating_an_imported_rotation_again_lays_no_shift_over_an_imported_one(
    db: Database, world: World, tmp_path: Path
) -> None:
    """The plan read off the first shift is 12 hours from 08:00; the file's handoffs then move to
    10:00. Generating the rotation lays the plan only where no imported shift stands."""
    rows = [
        shift("2026-11-02T13:00:00Z", "2026-11-03T01:00:00Z"),  # 08:00-20:00 in Miami
        shift("2026-11-03T01:00:00Z", "2026-11-03T15:00:00Z", MAX_TWO, MIA_ONE),  # 20:00-10:00
        shift("2026-11-03T15:00:00Z", "2026-11-04T03:00:00Z"),  # 10:00-22:00
    ]
    write_table(tmp_path, "oncall_shifts", rows)
    run(db, world.supervisor_a, tmp_path)
    with db.uow() as uow:
        rotation_id = uow.session.execute(select(Rotation.id)).scalar_one()
    start = datetime(2026, 11, 2, 13, tzinfo=UTC)
    done = generate_rotation_shifts(
        db.uow(), world.supervisor_a, rotation_id, start, start + timedelta(days=3)
    )
    assert done.kept == 3
    with db.uow() as uow:
        laid = uow.session.execute(
            select(Shift.starts_at, Shift.ends_at, Shift.note)
            .where(Shift.rotation_id == rotation_id, Shift.deleted_at.is_(None)).order_by(Shift.starts_at)
        ).all()  # fmt: skip
    spans = [(as_utc(a), as_utc(b), note) for a, b, note in laid]
    assert all(a[1] <= b[0] for a, b in pairwise(spans)), spans
    # The plan resumes where the imported shifts end: 22:00 to the next handoff at 08:00, then 12 hours.
    assert spans[3][:2] == (datetime(2026, 11, 4, 3, tzinfo=UTC), datetime(2026, 11, 4, 13, tzinfo=UTC))
    assert spans[4][:2] == (datetime(2026, 11, 4, 13, tzinfo=UTC), datetime(2026, 11, 5, 1, tzinfo=UTC))
    again = generate_rotation_shifts(
        db.uow(), world.supervisor_a, rotation_id, start, start + timedelta(days=3)
    )
    assert (again.created, again.updated, again.removed) == (0, 0, 0)


def as_utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
