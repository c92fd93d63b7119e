"""`pm-desk oncall ics`: the rota as a calendar file that reads back."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar

from pm_desk.cli import main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("oncall-cli") / "demo.sqlite3"
    assert (
        main(
            ["--db", str(path), "demo", "--plaintext", "--scale", "small", "--as-of", "2026-10-31T12:00:00Z"]
        )
        == 0
    )
    return path


# The commands run signed in as the demo's supervisor.
SUPERVISOR = ("--as-user", "noah.medina@ice.dhs.gov")


def test_exports_every_rotation_and_one_persons_shifts(capsys, demo_db: Path, tmp_path: Path) -> None:
    everyone = tmp_path / "all.ics"
    code = main([*SUPERVISOR, "--db", str(demo_db), "oncall", "ics", "--from", "2026-10-01",
                 "--to", "2026-12-01", "-o", str(everyone)])  # fmt: skip
    assert code == 0
    events = Calendar.from_ical(everyone.read_bytes()).walk("VEVENT")
    assert len(events) >= 8
    assert "shifts written" in capsys.readouterr().out
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts[0].tzinfo is not None
    person = str(events[0].get("summary")).removeprefix("On call: ").split(" (")[0]
    email = f"{person.lower().replace(' ', '.')}@ice.dhs.gov"
    mine = tmp_path / "mine.ics"
    assert main([*SUPERVISOR, "--db", str(demo_db), "oncall", "ics", "--user", email, "--from", "2026-10-01",
                 "--to", "2026-12-01", "-o", str(mine)]) == 0  # fmt: skip
    own = Calendar.from_ical(mine.read_bytes()).walk("VEVENT")
    assert own and all(person in str(e.get("summary")) for e in own)
    assert len(own) < len(events)


def test_unknown_user_and_bad_dates_are_one_line(capsys, demo_db: Path, tmp_path: Path) -> None:
    code = main(
        [
            *SUPERVISOR,
            "--db",
            str(demo_db),
            "oncall",
            "ics",
            "--user",
            "nobody@example.gov",
            "-o",
            str(tmp_path / "x.ics"),
        ]
    )
    assert code == 1
    assert capsys.readouterr().err.strip() == "pm-desk: no user with the email 'nobody@example.gov'"
    code = main([*SUPERVISOR, "--db", str(demo_db), "oncall", "ics", "--from", "2026-12-01",
                 "--to", "2026-11-01", "-o", str(tmp_path / "x.ics")])  # fmt: skip
    assert code == 1
    assert "--to must be after --from" in capsys.readouterr().err
