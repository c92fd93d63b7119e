"""Planning the rota tables: `oncall_shifts.csv` (each rotation's shifts as planned) and
`leave.csv`. Every problem is located on its row: a field office or person nobody knows, a
person of another field office, shifts of one rotation that overlap (in the file, or with the
shifts already stored that the file does not replace)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from pm_desk.domain.oncall_plan import MAX_SHIFT_HOURS
from pm_desk.interchange.cells import instant_second
from pm_desk.interchange.plan_caseload import Planner
from pm_desk.interchange.planning import Change, new_id, table_of, upsert
from pm_desk.interchange.problems import RowProblem, shown
from pm_desk.interchange.rows import Row, normalized_name
from pm_desk.interchange.tables import LEAVE_KINDS
from pm_desk.store.models import Leave, Rotation, RotationMember, Shift

DEFAULT_ZONE = "America/New_York"
IMPORTED = "imported"  # the note of an imported shift: generating the rotation again leaves it alone
WHEN = "%Y-%m-%d %H:%M %Z"
State = dict[str, Any]
ROTATION_COLUMNS = (
    "field_office_id",
    "name",
    "timezone",
    "handoff_weekday",
    "handoff_time",
    "shift_hours",
    "starts_on",
)


@dataclass
class RotaRecords:
    """The stored rota by natural key: rotations by (field office, name), their members and
    shifts, and leave by (person, start)."""

    rotations: dict[tuple[str, str], State] = field(default_factory=dict)
    zones: dict[str, str] = field(default_factory=dict)  # field office id -> a rotation's zone
    members: dict[str, dict[str, State]] = field(default_factory=dict)  # rotation -> user -> row
    shifts: dict[str, list[State]] = field(default_factory=dict)  # rotation id -> its shifts
    leave: dict[tuple[str, datetime], State] = field(default_factory=dict)


def _rows(connection: Connection, model: type, *names: str) -> list[State]:
    table = table_of(model)
    columns = ("id", "version", "deleted_at", *names)
    return [dict(row) for row in connection.execute(select(*(table.c[n] for n in columns))).mappings()]


def load_rota(connection: Connection) -> RotaRecords:
    found = RotaRecords()
    for rotation in _rows(connection, Rotation, *ROTATION_COLUMNS):
        key = (rotation["field_office_id"], normalized_name(rotation["name"]))
        if rotation["deleted_at"] is None or key not in found.rotations:
            found.rotations[key] = rotation
        if rotation["deleted_at"] is None:
            found.zones.setdefault(rotation["field_office_id"], rotation["timezone"])
    for member in _rows(connection, RotationMember, "rotation_id", "user_id", "position"):
        found.members.setdefault(member["rotation_id"], {})[member["user_id"]] = member
    for shift in _rows(connection, Shift, "rotation_id", "starts_at", "ends_at", "primary_id", "backup_id"):
        found.shifts.setdefault(shift["rotation_id"], []).append(shift)
    for leave in _rows(connection, Leave, "user_id", "starts_at", "ends_at", "kind"):
        by_start = (leave["user_id"], instant_second(leave["starts_at"]))
        if leave["deleted_at"] is None or by_start not in found.leave:
            found.leave[by_start] = leave
    return found


def plan_rota(p: Planner, connection: Connection) -> None:
    if not ({"oncall_shifts", "leave"} & set(p.tables)):
        return
    stored = load_rota(connection)
    _plan_shifts(p, stored)
    _plan_leave(p, stored)


# -- shifts ------------------------------------------------------------------------------------


@dataclass
class _Shift:
    row: Row | None  # None: a stored shift the file does not name
    starts_at: datetime
    ends_at: datetime
    primary_id: str
    backup_id: str | None
    stored: State | None = None


def _office(p: Planner, row: Row) -> str | None:
    text = row.values["field_office"]
    found = p.offices_by_code.get(text.upper()) or p.offices_by_name.get(normalized_name(text))
    if found is None:
        known = ", ".join(sorted(p.offices_by_code)) or "none yet"
        p.problem("oncall_shifts", row, "field_office", f"no field office {shown(text)} (known: {known})")
    return found


def _person(p: Planner, table: str, row: Row, column: str, office_id: str | None) -> State | None:
    email = row.values[column]
    user = p.user(email)
    if user is None:
        p.problem(table, row, column, f"{email} is not a user (neither in users.csv nor in the database)")
        return None
    if not user["active"]:
        p.problem(table, row, column, f"{email} is no longer an active user")
        return None
    if office_id is not None and user["field_office_id"] != office_id:
        p.problem(
            table,
            row,
            column,
            f"{email} is a member of another field office than {row.values['field_office']}",
        )
        return None
    return user


def _plan_shifts(p: Planner, stored: RotaRecords) -> None:
    table = p.tables.get("oncall_shifts")
    groups: dict[tuple[str, str], list[_Shift]] = {}
    names: dict[tuple[str, str], str] = {}
    for row in table.valid() if table else ():
        v = row.values
        office_id = _office(p, row)
        primary = _person(p, "oncall_shifts", row, "primary_email", office_id)
        backup = _person(p, "oncall_shifts", row, "backup_email", office_id) if v["backup_email"] else None
        if office_id is None or primary is None or (v["backup_email"] and backup is None):
            continue
        key = (office_id, normalized_name(v["rotation"]))
        names.setdefault(key, v["rotation"])
        groups.setdefault(key, []).append(
            _Shift(row, v["starts_at"], v["ends_at"], primary["id"], backup["id"] if backup else None)
        )
    for key, shifts in groups.items():
        rotation = stored.rotations.get(key)
        if not _no_overlaps(p, shifts, stored.shifts.get(rotation["id"], []) if rotation else []):
            continue
        _plan_rotation(p, stored, key, names[key], rotation, shifts)


def _no_overlaps(p: Planner, rows: list[_Shift], stored: list[State]) -> bool:
    """The rotation's shifts as the import leaves them must not overlap: each overlap is a
    problem on the row that brings it (the later one of two rows)."""
    named = {instant_second(s.starts_at) for s in rows}
    kept = [
        _Shift(None, s["starts_at"], s["ends_at"], s["primary_id"], s["backup_id"], s)
        for s in stored
        if s["deleted_at"] is None and instant_second(s["starts_at"]) not in named
    ]
    ordered = sorted(rows + kept, key=lambda s: (s.starts_at, s.row is None, s.row.line if s.row else 0))
    ok = True
    latest: _Shift | None = None
    for shift in ordered:
        if latest is not None and shift.starts_at < latest.ends_at:
            ok = False
            culprit, other = (shift, latest) if shift.row is not None else (latest, shift)
            assert culprit.row is not None
            where = f"the shift on line {other.row.line}" if other.row else "a stored shift"
            span = f"{other.starts_at:%Y-%m-%dT%H:%M:%SZ}/{other.ends_at:%Y-%m-%dT%H:%M:%SZ}"
            p.problem(
                "oncall_shifts", culprit.row, "starts_at", f"overlaps {where} of this rotation ({span})"
            )
        if latest is None or shift.ends_at > latest.ends_at:
            latest = shift
    return ok


def _plan_rotation(
    p: Planner,
    stored: RotaRecords,
    key: tuple[str, str],
    name: str,
    rotation: State | None,
    shifts: list[_Shift],
) -> None:
    office_id = key[0]
    office = next((code for code, i in p.offices_by_code.items() if i == office_id), name)
    zone = rotation["timezone"] if rotation else stored.zones.get(office_id, DEFAULT_ZONE)
    rights = p.rights.rota(office_id, office)
    first = shifts[0].row
    assert first is not None
    if rotation is None or rotation["deleted_at"] is not None:
        if rights is not None:
            for shift in shifts:
                assert shift.row is not None
                p.plan.denials.append(_denial(p, shift.row, rights))
            return
        rotation = _new_rotation(p, office_id, office, name, zone, rotation, shifts)
    rotation_id = rotation["id"]
    by_start = {instant_second(s["starts_at"]): s for s in stored.shifts.get(rotation_id, [])}
    for shift in sorted(shifts, key=lambda s: s.starts_at):
        assert shift.row is not None
        values = {
            "rotation_id": rotation_id,
            "starts_at": shift.starts_at,
            "ends_at": shift.ends_at,
            "primary_id": shift.primary_id,
            "backup_id": shift.backup_id,
        }
        existing = by_start.get(instant_second(shift.starts_at))
        if existing is None:
            values["note"] = IMPORTED
        _id, _change, outcome = upsert(
            p.plan, Shift, existing, values, lambda: rights, p.where("oncall_shifts", shift.row)
        )
        p.plan.count("oncall_shifts", outcome)
    if rights is None:
        _plan_members(p, stored, rotation_id, shifts)


def _denial(p: Planner, row: Row, why: str) -> RowProblem:
    source, line = p.where("oncall_shifts", row)
    return RowProblem(source, line, "", why)


def _new_rotation(
    p: Planner,
    office_id: str,
    office: str,
    name: str,
    zone: str,
    deleted: State | None,
    shifts: list[_Shift],
) -> State:
    """A rotation the file names and the database does not hold: its plan read off its first
    shift (weekday, local handoff time, length), in the zone of the office's other rotations."""
    first = min(shifts, key=lambda s: s.starts_at)
    local = first.starts_at.astimezone(ZoneInfo(zone))
    hours = round((first.ends_at - first.starts_at).total_seconds() / 3600)
    values = {
        "field_office_id": office_id,
        "name": name,
        "handoff_weekday": local.weekday(),
        "handoff_time": f"{local:%H:%M}",
        "shift_hours": min(max(hours, 1), MAX_SHIFT_HOURS),
        "timezone": zone,
        "starts_on": local.date(),
    }
    if deleted is not None:
        restored = {**values, "deleted_at": None}
        before = {k: deleted.get(k) for k in restored}
        change = Change(Rotation, deleted["id"], "restore", restored, before, deleted["version"])
    else:
        change = Change(Rotation, new_id(), "create", values)
    p.plan.add(change)
    p.plan.count("rotations", "new")
    p.plan.findings.note(f"new rotation {name!r} of {office} will be created (time zone {zone})")
    return {"id": change.record_id, "timezone": zone}


def _plan_members(p: Planner, stored: RotaRecords, rotation_id: str, shifts: list[_Shift]) -> None:
    """Everyone the file puts on the rotation's shifts is one of its members (in the order they
    first appear), after the members it already has."""
    current = stored.members.setdefault(rotation_id, {})
    position = max((m["position"] for m in current.values()), default=-1) + 1
    for shift in sorted(shifts, key=lambda s: s.starts_at):
        for person in (shift.primary_id, shift.backup_id):
            if person is None:
                continue
            member = current.get(person)
            if member is None:
                values = {"rotation_id": rotation_id, "user_id": person, "position": position}
                change = Change(RotationMember, new_id(), "create", values)
                p.plan.add(change)
                current[person] = {"id": change.record_id, "position": position, "deleted_at": None}
                position += 1
            elif member["deleted_at"] is not None:
                restore = {"deleted_at": None, "position": position}
                before = {"deleted_at": member["deleted_at"], "position": member["position"]}
                p.plan.add(
                    Change(RotationMember, member["id"], "restore", restore, before, member["version"])
                )
                member["deleted_at"] = None
                position += 1


# -- leave -------------------------------------------------------------------------------------


def _plan_leave(p: Planner, stored: RotaRecords) -> None:
    table = p.tables.get("leave")
    for row in table.valid() if table else ():
        v = row.values
        user = _person(p, "leave", row, "email", None)
        if user is None:
            continue
        values = {
            "user_id": user["id"],
            "starts_at": v["starts_at"],
            "ends_at": v["ends_at"],
            "kind": LEAVE_KINDS[v["kind"]],
        }
        existing = stored.leave.get((user["id"], instant_second(v["starts_at"])))

        def authorize(user: State = user, email: str = v["email"]) -> str | None:
            return p.rights.leave(user, email)

        _id, _change, outcome = upsert(p.plan, Leave, existing, values, authorize, p.where("leave", row))
        p.plan.count("leave", outcome)
