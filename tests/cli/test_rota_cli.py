"""A rota written by hand, imported with `pm-desk import` (as `oncall_shifts.csv` and `leave.csv`,
or as an iCalendar file), then checked with `pm-desk compliance`: every gap, fatigue run, short
rest and leave collision it holds is reported with its exact interval and its person, and
nothing else. Broken rotas are refused whole, each problem on its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pm_desk.cli import main
from support import ready_to_sign_in

AS_OF = "2026-11-02T13:00:00Z"  # Monday 2 November, 08:00 in Miami: the rota's first handoff
ANA, BEN, CID, DAN = (f"{n}@ice.example.gov" for n in ("ana.lee", "ben.ortiz", "cid.park", "dan.wu"))
EVE = "eve.stone@ice.example.gov"  # a manager of Atlanta
ADMIN, SAM = "admin@ice.example.gov", "sam.super@ice.example.gov"
USERS = f"""email,name,role,field_office,capacity
admin@ice.example.gov,Ada Admin,admin,,
sam.super@ice.example.gov,Sam Super,supervisor,MIA,
{ANA},Ana Lee,manager,MIA,
{BEN},Ben Ortiz,manager,MIA,
{CID},Cid Park,manager,MIA,
{DAN},Dan Wu,manager,MIA,
{EVE},Eve Stone,manager,ATL,
"""
HEADER = "field_office,rotation,starts_at,ends_at,primary_email,backup_email\n"
# Monday to Monday in Miami (EST since 1 November), with what a supervisor must be told:
SHIFTS = (
    HEADER
    + f"""MIA,Miami duty,2026-11-02T08:00:00-05:00,2026-11-04T08:00:00-05:00,{ANA},{BEN}
MIA,Miami duty,2026-11-04T08:00:00-05:00,2026-11-05T08:00:00-05:00,{BEN},{CID}
MIA,Miami duty,2026-11-05T20:00:00-05:00,2026-11-06T08:00:00-05:00,{CID},{DAN}
MIA,Miami duty,2026-11-06T08:00:00-05:00,2026-11-06T14:00:00-05:00,{BEN},{ANA}
MIA,Miami duty,2026-11-06T14:00:00-05:00,2026-11-07T08:00:00-05:00,{CID},{BEN}
MIA,Miami duty,2026-11-07T08:00:00-05:00,2026-11-12T08:00:00-05:00,{DAN},{ANA}
MIA,Miami duty,2026-11-12T08:00:00-05:00,2026-11-15T08:00:00-05:00,{DAN},{BEN}
MIA,Miami duty,2026-11-15T08:00:00-05:00,2026-11-16T08:00:00-05:00,{ANA},{CID}
"""
)
LEAVE = f"""email,starts_at,ends_at,kind
{BEN},2026-11-04T12:00:00-05:00,2026-11-04T18:00:00-05:00,sick
{ANA},2026-11-09T00:00:00-05:00,2026-11-10T00:00:00-05:00,leave
"""
# ... and nothing else: (rule, status, record, key, due, manager).
EXPECTED = [
    # Cid ends a shift at 08:00 and starts again at 14:00: six hours of rest.
    ("fatigue", "violation", "shift", f"{CID}|rest|2026-11-06T13:00:00Z/2026-11-06T19:00:00Z",
     "2026-11-06T19:00:00Z", CID),
    # Dan is primary from Saturday 7 to Sunday 15 November 08:00: eight days in a row.
    ("fatigue", "violation", "shift", f"{DAN}|run|2026-11-07T13:00:00Z/2026-11-15T13:00:00Z",
     "2026-11-12T13:00:00Z", DAN),
    # Nobody from Thursday 5 November 08:00 to 20:00.
    ("gap", "gap", "rotation", "MIA|Miami duty|2026-11-05T13:00:00Z/2026-11-06T01:00:00Z",
     "2026-11-05T13:00:00Z", None),
    # Ana is on leave on Monday 9 November while she stands by as Dan's backup.
    ("gap", "leave_collision", "shift", f"{ANA}|backup|2026-11-09T05:00:00Z/2026-11-10T05:00:00Z",
     "2026-11-09T05:00:00Z", ANA),
    # Ben is sick on Wednesday 4 November from 12:00 to 18:00, during his own shift.
    ("gap", "leave_collision", "shift", f"{BEN}|primary|2026-11-04T17:00:00Z/2026-11-04T23:00:00Z",
     "2026-11-04T17:00:00Z", BEN),
]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def first_import(capsys: pytest.CaptureFixture[str], db: Path, source: Path) -> tuple[int, str, str]:
    """A new installation: its first administrator, then the tables imported signed in as him;
    everyone imported then signs in with the tests' password (as if each had had his code)."""
    code, _, err = run(
        capsys, "--db", str(db), "init", "--admin", ADMIN, "--name", "Ada Admin", "--plaintext"
    )
    assert code == 0, err
    ran = run(capsys, "--db", str(db), "--as-user", ADMIN, "import", str(source))
    ready_to_sign_in(db)
    return ran


def folder(tmp_path: Path, name: str, **tables: str) -> Path:
    target = tmp_path / name
    target.mkdir()
    for table, text in tables.items():
        (target / f"{table}.csv").write_text(text, encoding="utf-8")
    return target


def compliance(capsys: pytest.CaptureFixture[str], db: Path) -> list[tuple[object, ...]]:
    code, out, err = run(
        capsys, "--db", str(db), "--as-user", ADMIN, "compliance", "--as-of", AS_OF, "--format", "json"
    )
    assert code == 0, err
    rows = json.loads(out)
    return [(r["rule"], r["status"], r["record"], r["key"], r["due"], r["manager"]) for r in rows]


def test_a_hand_written_rota_is_reported_exactly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "rota.sqlite3"
    tables = folder(tmp_path, "tables", users=USERS, oncall_shifts=SHIFTS, leave=LEAVE)
    code, out, err = first_import(capsys, db, tables)
    assert code == 0, err + out
    assert "note: new rotation 'Miami duty' of MIA will be created (time zone America/New_York)" in out
    assert compliance(capsys, db) == EXPECTED
    # The same files again change nothing; exported, they give the same rota back.
    code, out, _ = run(
        capsys, "--db", str(db), "--as-user", "sam.super@ice.example.gov", "import", str(tables)
    )
    assert code == 0 and out.strip().splitlines()[-1].startswith("nothing to change")
    exported = tmp_path / "exported"
    assert (
        run(capsys, "--db", str(db), "--as-user", "sam.super@ice.example.gov", "export", str(exported))[0]
        == 0
    )
    shifts = (exported / "oncall_shifts.csv").read_text(encoding="utf-8").splitlines()
    assert shifts[0] == HEADER.strip() and len(shifts) == 9
    assert shifts[1] == f"MIA,Miami duty,2026-11-02T13:00:00Z,2026-11-04T13:00:00Z,{ANA},{BEN}"
    assert (exported / "leave.csv").read_text(encoding="utf-8").splitlines() == [
        "email,starts_at,ends_at,kind",
        f"{ANA},2026-11-09T05:00:00Z,2026-11-10T05:00:00Z,leave",
        f"{BEN},2026-11-04T17:00:00Z,2026-11-04T23:00:00Z,sick",
    ]
    code, out, _ = run(capsys, "--db", str(db), "--as-user", SAM, "import", str(exported))
    assert code == 0 and out.strip().splitlines()[-1].startswith("nothing to change")


def test_the_rota_exported_as_a_workbook_sets_up_another_installation_the_same(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "rota.sqlite3"
    tables = folder(tmp_path, "tables", users=USERS, oncall_shifts=SHIFTS, leave=LEAVE)
    assert first_import(capsys, db, tables)[0] == 0
    workbook = tmp_path / "rota.xlsx"
    assert run(capsys, "--db", str(db), "--as-user", ADMIN, "export", str(workbook))[0] == 0
    other = tmp_path / "other.sqlite3"
    code, out, err = first_import(capsys, other, workbook)
    assert code == 0, err + out
    assert compliance(capsys, other) == EXPECTED
    code, out, _ = run(capsys, "--db", str(other), "--as-user", ADMIN, "import", str(workbook))
    assert code == 0 and out.strip().splitlines()[-1].startswith("nothing to change")


def test_pm_desks_own_calendar_file_is_a_rota_elsewhere(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`pm-desk oncall ics` names the field office, the rotation and the people of each event:
    imported into another installation with no option, it gives the same rota."""
    db = tmp_path / "rota.sqlite3"
    tables = folder(tmp_path, "tables", users=USERS, oncall_shifts=SHIFTS, leave=LEAVE)
    assert first_import(capsys, db, tables)[0] == 0
    ics = tmp_path / "oncall.ics"
    code, out, err = run(capsys, "--db", str(db), "--as-user", SAM, "oncall", "ics", "--from", "2026-11-01",
                         "--to", "2026-11-20", "-o", str(ics))  # fmt: skip
    assert code == 0, err
    other = tmp_path / "other.sqlite3"
    people = folder(tmp_path, "people", users=USERS, leave=LEAVE)
    assert first_import(capsys, other, people)[0] == 0
    code, out, err = run(capsys, "--db", str(other), "--as-user", ADMIN, "import", str(ics))
    assert code == 0, err + out
    assert "oncall_shifts          8 new" in out
    assert compliance(capsys, other) == EXPECTED


ICS_EVENT = """BEGIN:VEVENT
UID:{n}@hand
DTSTAMP:20261020T120000Z
DTSTART;TZID=America/New_York:{start}
DTEND;TZID=America/New_York:{end}
SUMMARY:On call: {summary}
{people}END:VEVENT
"""


def calendar(events: list[tuple[str, str, str, str]]) -> str:
    """A calendar as a person's calendar program writes it: some events name the people as
    attendees, others by name only."""
    body = []
    for n, (start, end, primary, backup) in enumerate(events):
        if n % 2:
            people = (
                f"ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:{primary}\n"
                f"ATTENDEE;ROLE=OPT-PARTICIPANT:mailto:{backup}\n"
            )
            summary = "duty"
        else:
            names = {ANA: "Ana Lee", BEN: "Ben Ortiz", CID: "Cid Park", DAN: "Dan Wu"}
            people = f"DESCRIPTION:Backup: {names[backup]}\n"
            summary = f"{names[primary]} (Miami duty)"
        body.append(ICS_EVENT.format(n=n, start=start, end=end, summary=summary, people=people))
    return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//hand//EN\n" + "".join(body) + "END:VCALENDAR\n"


def test_the_same_rota_as_a_calendar_file_is_reported_the_same(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "rota.sqlite3"
    assert first_import(capsys, db, folder(tmp_path, "people", users=USERS, leave=LEAVE))[0] == 0
    events = []
    for line in SHIFTS.splitlines()[1:]:
        _office, _rotation, start, end, primary, backup = line.split(",")
        events.append((_local(start), _local(end), primary, backup))
    ics = tmp_path / "rota.ics"
    ics.write_text(calendar(events), encoding="utf-8")
    admin = ("--as-user", "admin@ice.example.gov")
    code, out, err = run(capsys, "--db", str(db), *admin, "import", str(ics), "--field-office", "MIA",
                         "--rotation", "Miami duty")  # fmt: skip
    assert code == 0, err + out
    assert compliance(capsys, db) == EXPECTED


def _local(instant: str) -> str:
    """`2026-11-02T08:00:00-05:00` as an iCalendar local time: `20261102T080000`."""
    return instant[:19].replace("-", "").replace(":", "")


def test_a_broken_rota_is_refused_whole_with_each_problem_on_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "rota.sqlite3"
    assert first_import(capsys, db, folder(tmp_path, "people", users=USERS))[0] == 0
    broken = (
        HEADER
        + f"""MIA,Miami duty,2026-11-02T08:00:00-05:00,2026-11-03T08:00:00-05:00,{ANA},{BEN}
MIA,Miami duty,2026-11-03T06:00:00-05:00,2026-11-04T08:00:00-05:00,{BEN},{CID}
MIA,Miami duty,2026-11-04T08:00:00-05:00,2026-11-05T08:00:00-05:00,{EVE},{CID}
MIA,Miami duty,2026-11-06T08:00:00-05:00,2026-11-05T08:00:00-05:00,{CID},{DAN}
MIA,Miami duty,2026-11-07T08:00:00-05:00,2026-11-08T08:00:00-05:00,{DAN},{DAN}
MIA,Miami duty,2026-11-08T08:00:00-05:00,2026-11-09T08:00:00-05:00,nobody@ice.example.gov,
"""
    )
    leave = f"""email,starts_at,ends_at,kind
{ANA},2026-11-09T00:00:00-05:00,2026-11-10T00:00:00-05:00,holiday
{CID},2026-11-09T00:00:00,2026-11-10T00:00:00-05:00,sick
"""
    admin = ("--as-user", "admin@ice.example.gov")
    tables = folder(tmp_path, "t", oncall_shifts=broken, leave=leave)
    code, out, err = run(capsys, "--db", str(db), *admin, "import", str(tables))
    assert code == 1
    assert out.splitlines() == [
        "oncall_shifts.csv:3: starts_at: overlaps the shift on line 2 of this rotation "
        "(2026-11-02T13:00:00Z/2026-11-03T13:00:00Z)",
        f"oncall_shifts.csv:4: primary_email: {EVE} is a member of another field office than MIA",
        "oncall_shifts.csv:5: ends_at: is not after starts_at: an on-call shift is the half-open interval "
        "[starts_at, ends_at)",
        "oncall_shifts.csv:6: backup_email: is the primary: the backup stands by for someone else",
        "oncall_shifts.csv:7: primary_email: nobody@ice.example.gov is not a user (neither in users.csv nor "
        "in the database)",
        "leave.csv:2: kind: 'holiday' is not one of: sick, leave, training, other",
        "leave.csv:3: starts_at: '2026-11-09T00:00:00' has no time zone; add Z or an offset like -05:00",
    ]
    assert "nothing was written" in err
    code, out, _ = run(capsys, "--db", str(db), *admin, "export", str(tmp_path / "after"))
    assert (tmp_path / "after" / "oncall_shifts.csv").read_text(encoding="utf-8") == HEADER


def test_calendar_events_without_a_time_or_a_person_are_located(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "rota.sqlite3"
    assert first_import(capsys, db, folder(tmp_path, "people", users=USERS))[0] == 0
    ics = tmp_path / "bad.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//hand//EN\n"
        "BEGIN:VEVENT\nUID:1\nDTSTART;VALUE=DATE:20261102\nDTEND;VALUE=DATE:20261103\n"
        "SUMMARY:On call: Ana Lee\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:2\nDTSTART:20261103T080000\nDTEND:20261104T080000\n"
        "SUMMARY:On call: Zed Nobody\nEND:VEVENT\n"
        "END:VCALENDAR\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--db", str(db), "--as-user", "admin@ice.example.gov", "import", str(ics),
                       "--field-office", "MIA")  # fmt: skip
    assert code == 1
    assert out.splitlines() == [
        "bad.ics:4: rotation: no rotation: give --rotation, or X-PM-DESK-ROTATION in the file",
        "bad.ics:4: starts_at: DTSTART 2026-11-02 is a whole day: a shift starts and ends at a time",
        "bad.ics:4: ends_at: DTEND 2026-11-03 is a whole day: a shift starts and ends at a time",
        "bad.ics:10: rotation: no rotation: give --rotation, or X-PM-DESK-ROTATION in the file",
        "bad.ics:10: starts_at: DTSTART 2026-11-03T08:00:00 has no time zone (give TZID or a time in UTC)",
        "bad.ics:10: ends_at: DTEND 2026-11-04T08:00:00 has no time zone (give TZID or a time in UTC)",
        "bad.ics:10: primary_email: 'Zed Nobody' is not the name of a user "
        "(name him by ATTENDEE with mailto:)",
    ]


def test_calendar_times_that_cannot_be_read_are_located(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "rota.sqlite3"
    assert first_import(capsys, db, folder(tmp_path, "people", users=USERS))[0] == 0
    ics = tmp_path / "odd.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//hand//EN\n"
        f"BEGIN:VEVENT\nUID:1\nDTSTART:garbage\nDTEND:20261103T130000Z\nATTENDEE:mailto:{ANA}\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:2\nDTSTART;TZID=Mars/Olympus:20261103T080000\nDURATION:PT24H\n"
        f"ATTENDEE:mailto:{BEN}\nEND:VEVENT\n"
        f"BEGIN:VEVENT\nUID:3\nDTSTART:20261105T130000Z\nDURATION:soon\nATTENDEE:mailto:{CID}\nEND:VEVENT\n"
        "END:VCALENDAR\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--db", str(db), "--as-user", ADMIN, "import", str(ics), "--field-office",
                       "MIA", "--rotation", "Miami duty")  # fmt: skip
    assert code == 1
    assert out.splitlines() == [
        "odd.ics:4: starts_at: DTSTART 'garbage' is not a date and time",
        "odd.ics:10: starts_at: DTSTART names the time zone 'Mars/Olympus', which is not known",
        "odd.ics:16: ends_at: DURATION 'soon' is not a duration",
    ]
