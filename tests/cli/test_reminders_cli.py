"""`pm-desk reminders ics`: the open reminders as a calendar file that a parser reads back with
the same items, recurrence rules and times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from builders import World, add_officer, seed_world
from pm_desk.cli import main
from pm_desk.domain.recurrence import Recurrence
from pm_desk.services import reminders
from pm_desk.services.reminder_views import reminder_items
from pm_desk.store.database import Database
from support import ready_to_sign_in

NY = "America/New_York"
NEW_YORK = ZoneInfo(NY)
AS_OF = datetime(2026, 10, 31, 12, tzinfo=UTC)  # the tests' clock


@pytest.fixture
def world(db: Database) -> World:
    world = seed_world(db)
    add_officer(db, world.agreement_m1, "C-190", name="Lee Lapsed", initial_on=date(2025, 9, 1))
    call = reminders.ReminderInput(
        "Field office managers' call",
        datetime(2026, 10, 30, 13, 30, tzinfo=UTC),
        notes="Dial-in on the invitation",
        rrule="FREQ=MONTHLY;BYDAY=3TU;COUNT=12",
        zone=NY,
    )
    reminders.create_reminder(db.uow(), world.m1, call)
    done = reminders.create_reminder(db.uow(), world.m1, reminders.ReminderInput("Sent", AS_OF, zone=NY))
    reminders.complete_reminders(db.uow(), world.m1, [done], NY)
    ready_to_sign_in(db.path)
    return world


def export(db: Database, world: World, path: Path, *extra: str) -> int:
    args = ["--db", str(db.path), "--as-user", world.m1.email, "reminders", "ics", "-o", str(path)]
    return main([*args, "--as-of", "2026-10-31T12:00:00Z", "--zone", NY, *extra])


def test_the_file_reads_back_with_the_same_reminders(
    capsys: pytest.CaptureFixture[str], db: Database, world: World, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "reminders.ics"
    assert export(db, world, target) == 0
    assert (
        capsys.readouterr().out.strip()
        == f"3 reminders of {world.m1.email} (1 recurring) as to-dos in {target}"
    )
    calendar = Calendar.from_ical(target.read_bytes())
    todos = {str(t.get("uid")): t for t in calendar.walk("VTODO")}
    with db.uow() as uow:
        expected = reminder_items(uow, db.policy, world.m1, AS_OF, NY)
    assert set(todos) == {f"{i.ref}@pm-desk" for i in expected}
    for item in expected:
        todo = todos[f"{item.ref}@pm-desk"]
        assert str(todo.get("summary")) == item.full_title
        assert str(todo.get("status")) == "NEEDS-ACTION"
    assert [str(z.get("tzid")) for z in calendar.walk("VTIMEZONE")] == [NY]

    [derived] = [i for i in expected if i.rule == "refresher"]
    assert todos[f"{derived.ref}@pm-desk"].decoded("due") == date(2026, 9, 1)
    assert "Lee Lapsed" in str(todos[f"{derived.ref}@pm-desk"].get("description"))

    [call] = [i for i in expected if i.rrule]
    todo = todos[f"{call.ref}@pm-desk"]
    due = todo.decoded("due")
    assert due == datetime(2026, 11, 17, 9, 30, tzinfo=NEW_YORK)
    assert str(due.tzinfo) == NY
    assert todo.decoded("dtstart") == datetime(2026, 11, 17, 0, 0, tzinfo=NEW_YORK)
    assert todo.get("rrule").to_ical() == b"FREQ=MONTHLY;COUNT=12;BYDAY=3TU"
    assert "Dial-in on the invitation" in str(todo.get("description"))
    # A calendar expands the same occurrences as the app, at the same wall time.
    parsed = rrulestr(todo.get("rrule").to_ical().decode(), dtstart=due)
    series = Recurrence.from_text(call.rrule or "", call.due_at)
    ours = series.between(call.due_at, call.due_at + timedelta(days=800))
    assert [d.astimezone(UTC) for d in parsed] == ours
    assert len(ours) == 12


def test_a_completed_occurrence_leaves_the_rest_of_the_count(
    db: Database, world: World, tmp_path: Path
) -> None:
    with db.uow() as uow:
        [call] = [i for i in reminder_items(uow, db.policy, world.m1, AS_OF, NY) if i.rrule]
    reminders.complete_reminders(db.uow(), world.m1, [call.ref], NY)
    target = tmp_path / "after.ics"
    assert export(db, world, target) == 0
    [todo] = [t for t in Calendar.from_ical(target.read_bytes()).walk("VTODO") if t.get("rrule")]
    assert todo.decoded("due") == datetime(2026, 12, 15, 9, 30, tzinfo=NEW_YORK)
    assert todo.get("rrule").to_ical() == b"FREQ=MONTHLY;COUNT=11;BYDAY=3TU"


def test_events_with_alarms_for_calendars_without_tasks(db: Database, world: World, tmp_path: Path) -> None:
    target = tmp_path / "events.ics"
    assert export(db, world, target, "--events") == 0
    calendar = Calendar.from_ical(target.read_bytes())
    assert calendar.walk("VTODO") == []
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    assert all(len(e.walk("VALARM")) == 1 for e in events)
    [call] = [e for e in events if e.get("rrule")]
    assert call.decoded("dtstart") == datetime(2026, 11, 17, 9, 30, tzinfo=NEW_YORK)
    assert call.decoded("duration") == timedelta(minutes=15)
    whole_days = [e for e in events if not e.get("rrule")]
    assert {e.decoded("dtstart") for e in whole_days} == {date(2026, 9, 1)}


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (["--user", "nobody@ice.example.gov"], 1, "pm-desk: no user with the email 'nobody@ice.example.gov'"),
        (["--user", "mia.one@ice.example.gov", "--zone", "Mars/Base"], 1, "is not a time zone"),
        (["--user", "max.two@ice.example.gov"], 1, "pm-desk: Mia One cannot see the reminders of max.two@"),
    ],
)
def test_mistakes_are_one_line(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    world: World,
    tmp_path: Path,
    extra: list[str],
    code: int,
    message: str,
) -> None:
    target = tmp_path / "x.ics"
    signed_in = ["--as-user", world.m1.email]
    assert main(["--db", str(db.path), *signed_in, "reminders", "ics", "-o", str(target), *extra]) == code
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not target.exists()


def test_the_output_file_is_required(capsys: pytest.CaptureFixture[str], db: Database, world: World) -> None:
    assert main(["--db", str(db.path), "reminders", "ics", "--user", world.m1.email]) == 2
    assert "-o" in capsys.readouterr().err
