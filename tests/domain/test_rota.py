"""The rota as it will be worked: covers of a person, of nobody (every instant of a stretch),
covers that take someone off with nobody in his place, and the backup role on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pm_desk.domain.enums import OnCallRole
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.rota import Cover, effective_shifts, vacated_shifts

T0 = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
H = timedelta(hours=1)


def planned(*spans: tuple[str, int, int, str]) -> list[ShiftFacts]:
    return [ShiftFacts(sid, "rot", person, T0 + a * H, T0 + b * H) for sid, a, b, person in spans]


def cover(covered: str | None, covering: str | None, a: int, b: int, **kw) -> Cover:  # type: ignore[no-untyped-def]
    return Cover("rot", covered, covering, T0 + a * H, T0 + b * H, **kw)


def who(shifts: list[ShiftFacts]) -> list[tuple[str, int, int, str]]:
    return [(s.id, (s.starts_at - T0) // H, (s.ends_at - T0) // H, s.person_id) for s in shifts]


ROTA = planned(("s1", 0, 24, "ana"), ("s2", 24, 48, "ben"))


def test_a_cover_replaces_exactly_its_stretch_and_keeps_the_shift_id() -> None:
    assert who(effective_shifts(ROTA, [cover("ana", "cid", 4, 10)])) == [
        ("s1", 0, 4, "ana"),
        ("s1", 4, 10, "cid"),
        ("s1", 10, 24, "ana"),
        ("s2", 24, 48, "ben"),
    ]


def test_a_later_cover_of_the_person_taken_off_fills_the_stretch_left_open() -> None:
    left_open = cover("ana", None, 4, 10)
    assert who(vacated_shifts(ROTA, [left_open])) == [("s1", 4, 10, "ana")]
    filled = effective_shifts(ROTA, [left_open, cover("ana", "cid", 0, 24)])
    assert who(filled) == [
        ("s1", 0, 4, "cid"),
        ("s1", 4, 10, "cid"),
        ("s1", 10, 24, "cid"),
        ("s2", 24, 48, "ben"),
    ]
    assert vacated_shifts(ROTA, [left_open, cover("ana", "cid", 0, 24)]) == []


def test_a_cover_of_nobody_holds_every_instant_of_its_stretch_gaps_included() -> None:
    holey = planned(("s1", 0, 10, "ana"), ("s2", 14, 48, "ben"))
    holiday = cover(None, "dan", 0, 24, id="o1", shift_id="s1")
    result = effective_shifts(holey, [cover("ana", None, 2, 4), holiday])
    assert who(result) == [
        ("s1", 0, 2, "dan"),
        ("s1", 2, 4, "dan"),
        ("s1", 4, 10, "dan"),
        ("s1", 10, 14, "dan"),
        ("s2", 14, 24, "dan"),
        ("s2", 24, 48, "ben"),
    ]


def test_a_cover_of_nobody_fills_a_hole_between_shifts_and_covers_whoever_is_on() -> None:
    holey = planned(("s1", 0, 10, "ana"), ("s2", 14, 48, "ben"))
    result = effective_shifts(holey, [cover(None, "dan", 6, 30, id="o1", shift_id="s1")])
    assert who(result) == [
        ("s1", 0, 6, "ana"),
        ("s1", 6, 10, "dan"),
        ("s1", 10, 14, "dan"),
        ("s2", 14, 30, "dan"),
        ("s2", 30, 48, "ben"),
    ]
    # Without a shift to name it, the stretch it fills is named by the override.
    alone = effective_shifts([], [cover(None, "dan", 0, 5, id="o2")])
    assert who(alone) == [("o2", 0, 5, "dan")]


def test_covers_apply_in_the_order_approved() -> None:
    first, second = cover("ana", "cid", 0, 24), cover("cid", "dan", 10, 12)
    assert [p for *_r, p in who(effective_shifts(ROTA, [first, second]))][:3] == ["cid", "dan", "cid"]
    assert [p for *_r, p in who(effective_shifts(ROTA, [second, first]))][:1] == ["cid"]


def test_the_backup_role_is_worked_out_on_its_own() -> None:
    backups = planned(("s1", 0, 24, "ben"))
    covers = [cover("ben", "cid", 0, 8, role=OnCallRole.BACKUP), cover("ana", "dan", 0, 8)]
    assert who(effective_shifts(backups, covers, OnCallRole.BACKUP)) == [
        ("s1", 0, 8, "cid"),
        ("s1", 8, 24, "ben"),
    ]
    assert who(effective_shifts(ROTA, covers))[:2] == [("s1", 0, 8, "dan"), ("s1", 8, 24, "ana")]


def test_instants_in_any_zone_are_compared_as_instants() -> None:
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    shift = ShiftFacts(
        "s", "rot", "ana", datetime(2026, 11, 1, 0, 0, tzinfo=ny), datetime(2026, 11, 2, 0, 0, tzinfo=ny)
    )
    repeated = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ny)  # the second 01:30
    pieces = effective_shifts([shift], [Cover("rot", "ana", "ben", repeated, repeated + H)])
    assert [(p.person_id, p.ends_at - p.starts_at) for p in pieces] == [
        ("ana", timedelta(hours=2, minutes=30)),
        ("ben", H),
        ("ana", timedelta(hours=21, minutes=30)),
    ]
    assert all(p.starts_at.tzinfo is UTC for p in pieces)
