"""What the On-call page shows for a rotation and a stretch of days (reads only): who is primary
and backup as it will be worked, leave, warnings before they happen (each gap with who could take
it), open requests, and fairness over the covers actually worked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from pm_desk.domain import rules
from pm_desk.domain.enums import label
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import Fairness, fairness
from pm_desk.domain.policy import Policy
from pm_desk.services.oncall_duty import Around, cover_text, find_gaps, laid_out, people_of
from pm_desk.store.queries.oncall import RotaSnapshot, rota_snapshot
from pm_desk.store.uow import UnitOfWork

WHEN = "%a %d %b %H:%M"


@dataclass(frozen=True)
class ShiftLine:
    """A stretch in which the primary and the backup stay the same."""

    shift_id: str
    starts_at: datetime
    ends_at: datetime
    primary: str
    primary_id: str
    backup: str | None
    covering: bool  # someone covers for the planned primary
    current: bool
    backup_id: str | None = None


@dataclass
class Day:
    day: date
    shifts: list[ShiftLine] = field(default_factory=list)
    leave: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GapRef:
    """A gap of a rotation's rota, as "Cover this gap…" takes it."""

    rotation_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Warning:
    kind: str  # gap, fatigue, rest, leave, rota_end
    starts_at: datetime
    text: str
    shift_id: str | None
    ends_at: datetime | None = None
    detail: str = ""  # a gap: who could take it, or why nobody can
    rotation_id: str | None = None
    fillable: bool = False  # a gap someone is eligible for

    @property
    def gap(self) -> GapRef | None:
        if self.kind != "gap" or self.ends_at is None or self.rotation_id is None:
            return None
        return GapRef(self.rotation_id, self.starts_at, self.ends_at)


@dataclass(frozen=True)
class Request:
    id: str
    kind: str  # cover or swap
    text: str
    covered_id: str | None
    requested_by: str | None


@dataclass
class RotaView:
    rotation_id: str
    name: str
    zone: str
    days: list[Day]
    warnings: list[Warning]
    requests: list[Request]
    fairness: list[tuple[str, Fairness]]
    names: dict[str, str]
    members: list[str] = field(default_factory=list)


def _local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(day, time(0), tzinfo=tz), datetime.combine(
        day + timedelta(days=1), time(0), tzinfo=tz
    )


def rota_view(
    uow: UnitOfWork,
    rotation_id: str,
    first_day: date,
    days: int,
    now: datetime,
    with_fairness: bool = True,
) -> RotaView | None:
    """The rota's calendar, warnings and open requests; and, unless `with_fairness` is false (Today
    needs only the warnings), each member's load over the policy's fairness window up to now,
    counted on the covers actually worked."""
    policy = uow.policy
    oncall = policy.oncall
    # Read around the days shown: runs of days and rest reach across the edges, rankings look back
    # over the fairness window, and fairness is measured over the window before now.
    pad = timedelta(days=max(oncall.max_consecutive_primary_days + 1, oncall.fairness_window_days))
    utc = ZoneInfo("UTC")
    shown_from = datetime.combine(first_day, time(0), tzinfo=utc) - timedelta(days=1)
    shown_to = datetime.combine(first_day + timedelta(days=days + 1), time(0), tzinfo=utc)
    read_from = min(shown_from, now - timedelta(days=oncall.fairness_window_days)) - pad
    read_to = shown_to + timedelta(days=oncall.max_consecutive_primary_days + 1)
    snapshot = rota_snapshot(uow.session, rotation_id, read_from, read_to)
    if snapshot is None:
        return None
    tz = ZoneInfo(snapshot.rotation.timezone)
    start, _ = _local_day_bounds(first_day, tz)
    _, end = _local_day_bounds(first_day + timedelta(days=days - 1), tz)
    around = Around(snapshot, snapshot.primaries(), snapshot.backups(), policy)
    names = snapshot.names
    lines = _lines(snapshot, around, now)
    calendar = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        day_start, day_end = _local_day_bounds(day, tz)
        cell = Day(day)
        cell.shifts = [line for line in lines if line.starts_at < day_end and line.ends_at > day_start]
        for absence in snapshot.absences:
            if absence.starts_at < day_end and absence.ends_at > day_start:
                cell.leave.append(f"{names.get(absence.person_id, '?')} ({absence.kind})")
        calendar.append(cell)
    span = laid_out(uow, rotation_id, around.primaries)
    warnings = _warnings(snapshot, around, span, max(start, now), end, policy)
    for warning in warnings:
        local = warning.starts_at.astimezone(tz).date()
        for cell in calendar:
            if cell.day == local:
                cell.warnings.append(warning.text)
    window_start = now - timedelta(days=oncall.fairness_window_days)
    loads = (
        fairness(around.primaries, people_of(snapshot), window_start, now, snapshot.rotation.timezone)
        if with_fairness
        else []
    )
    return RotaView(
        rotation_id,
        snapshot.rotation.name,
        snapshot.rotation.timezone,
        calendar,
        warnings,
        _requests(snapshot, names, tz),
        [(names.get(f.person_id, "?"), f) for f in loads],
        names,
        list(snapshot.members),
    )


def _lines(snapshot: RotaSnapshot, around: Around, now: datetime) -> list[ShiftLine]:
    """The primary pieces, each cut where the backup changes."""
    names = snapshot.names
    planned_primary = {s.id: s.person_id for s in snapshot.planned}
    lines: list[ShiftLine] = []
    for piece in around.primaries:
        for start, end, backup_id in _backups_within(piece, around.backups):
            lines.append(
                ShiftLine(
                    piece.id,
                    start,
                    end,
                    names.get(piece.person_id, "?"),
                    piece.person_id,
                    names.get(backup_id) if backup_id else None,
                    covering=planned_primary.get(piece.id) != piece.person_id,
                    current=start <= now < end,
                    backup_id=backup_id,
                )
            )
    return lines


def _backups_within(
    piece: ShiftFacts, backups: list[ShiftFacts]
) -> list[tuple[datetime, datetime, str | None]]:
    """[start, end, backup] stretches of a primary piece, cut at every change of backup."""
    cuts = {piece.starts_at, piece.ends_at}
    inside = [b for b in backups if b.ends_at > piece.starts_at and b.starts_at < piece.ends_at]
    for b in inside:
        cuts |= {t for t in (b.starts_at, b.ends_at) if piece.starts_at < t < piece.ends_at}
    points = sorted(cuts)
    out: list[tuple[datetime, datetime, str | None]] = []
    for start, end in pairwise(points):
        backup = next((b.person_id for b in inside if b.starts_at <= start < b.ends_at), None)
        if out and out[-1][2] == backup:
            out[-1] = (out[-1][0], end, backup)
        else:
            out.append((start, end, backup))
    return out


def _warnings(
    snapshot: RotaSnapshot,
    around: Around,
    span: tuple[datetime, datetime] | None,
    start: datetime,
    end: datetime,
    policy: Policy,
) -> list[Warning]:
    """Gaps (with who could take them), fatigue by the compliance rules, leave that falls on a
    role still held, and the end of the laid-out rota."""
    found: list[Warning] = []
    names = snapshot.names
    tz = ZoneInfo(snapshot.rotation.timezone)
    if start < end:
        for gap in find_gaps(around, span, start, end):
            since, until = gap.starts_at.astimezone(tz), gap.ends_at.astimezone(tz)
            text = f"No one on call {since:{WHEN}} – {until:{WHEN}}"
            found.append(
                Warning(
                    "gap",
                    gap.starts_at,
                    text,
                    None,
                    gap.ends_at,
                    cover_text(gap, names),
                    snapshot.rotation.id,
                    gap.fillable,
                )
            )
    for result in rules.fatigue(around.primaries, policy):
        if not isinstance(result.due, datetime) or not start - timedelta(days=8) <= result.due < end:
            continue
        person = names.get(result.detail.get("person_id", ""), "?")
        if result.detail.get("kind") == "rest":
            text = f"{person}: only {result.detail['rest_hours']:.0f} h rest before this shift"
            kind = "rest"
        else:
            text = f"{person}: primary {result.detail['run_days']:.1f} days in a row"
            kind = "fatigue"
        found.append(Warning(kind, result.due, text, result.record_id))
    found += _leave_warnings(snapshot, around, start, end, tz)
    if span is not None and start <= span[1] < end:
        last = span[1].astimezone(tz)
        found.append(
            Warning("rota_end", span[1], f"No shifts laid out after {last:{WHEN}}: generate more", None)
        )
    return sorted(found, key=lambda w: w.starts_at)


def _leave_warnings(
    snapshot: RotaSnapshot, around: Around, start: datetime, end: datetime, tz: ZoneInfo
) -> list[Warning]:
    """One warning per person and leave during which he still holds a role, naming the roles."""
    names = snapshot.names
    collisions = rules.uncovered_leave(around.primaries, around.backups, snapshot.absences)
    by_leave: dict[tuple[str, str], list[dict[str, object]]] = {}
    for result in collisions:
        d = result.detail
        if d["ends_at"] <= start or d["starts_at"] >= end:
            continue
        by_leave.setdefault((d["person_id"], d["kind"]), []).append({**d, "shift_id": result.record_id})
    found = []
    for (person, kind), parts in by_leave.items():
        first = min(parts, key=lambda d: d["starts_at"])  # type: ignore[arg-type, return-value]
        roles = " and ".join(sorted({str(d["role"]) for d in parts}, key=lambda r: r != "primary"))
        text = f"{names.get(person, '?')} is on {label(kind)} leave while {roles}, not covered yet"
        found.append(Warning("leave", first["starts_at"], text, str(first["shift_id"])))  # type: ignore[arg-type]
    return found


def _requests(snapshot: RotaSnapshot, names: dict[str, str], tz: ZoneInfo) -> list[Request]:
    out = []
    for o in snapshot.pending:
        when = f"{o.starts_at.astimezone(tz):{WHEN}} – {o.ends_at.astimezone(tz):{WHEN}}"
        who = names.get(o.covered_user_id or "", "?")
        text = f"{who} can't cover {when} as {label(o.roles)} ({o.reason.value})"
        out.append(Request(o.id, "cover", text, o.covered_user_id, o.requested_by))
    for swap in snapshot.swaps:
        text = f"{names.get(swap.requested_by, '?')} asks to swap with {names.get(swap.with_user_id, '?')}"
        out.append(Request(swap.id, "swap", text, swap.requested_by, swap.requested_by))
    return out
