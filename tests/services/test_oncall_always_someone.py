"""Always someone: over generated rotas with random sick calls, leave, swaps and holiday
exceptions, after every approved action the only gaps left in the look-ahead are those nobody is
eligible for (checked here against the records, independently of the ranking), and each of them
is on the supervisor's Today with why."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from builders import World, seed_world
from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import LeaveKind, OnCallRole, OverrideReason, RequestState
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import Absence
from pm_desk.domain.policy import Policy
from pm_desk.services.errors import ServiceError
from pm_desk.services.oncall_cover import (
    approve_cover,
    approve_swap,
    cannot_cover,
    enter_leave,
    holiday_exception,
    ranked_replacements,
    request_swap,
)
from pm_desk.services.oncall_duty import laid_out, read_around, rota_gaps
from pm_desk.services.today import today_view
from pm_desk.store.database import Database, open_database
from pm_desk.store.models import Override, Shift
from rota_builders import NY, make_rota, office_managers
from support import FIXED_NOW, FakeClock

KINDS = ("sick", "leave", "swap", "holiday", "holiday_off")
ACTION = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, 13),  # days from now
    st.integers(0, 23),  # hour of that day
    st.integers(1, 60),  # hours long
    st.integers(0, 9),  # whom: an index into the rotation's members
)


@dataclass(frozen=True)
class Seed:
    path: Path
    world: World
    managers: list[Actor]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    """The seeded world with six managers in Miami, built once and copied for every example."""
    path = tmp_path_factory.mktemp("always-someone") / "seed.sqlite3"
    db = open_database(str(path), clock=FakeClock())
    world = seed_world(db)
    managers = office_managers(db, world, 6)
    db.close()
    return Seed(path, world, managers)


@dataclass
class Rota:
    db: Database
    clock: FakeClock
    world: World
    members: list[Actor]
    rotation_id: str

    def later(self) -> None:
        """Each action a minute after the one before (covers apply in the order approved)."""
        self.clock.now += timedelta(minutes=1)


def _overlap(a: datetime, b: datetime, c: datetime, d: datetime) -> bool:
    return a < d and c < b


def could_take(person: str, start: datetime, end: datetime, primaries: list[ShiftFacts],
               away: list[Absence], policy: Policy) -> bool:  # fmt: skip
    """Whether `person` could be primary for all of [start, end), from the records: not away
    (leave, or a cover asked for), not on call then, rested before and after, and not more days
    in a row than the policy allows."""
    if any(a.person_id == person and _overlap(a.starts_at, a.ends_at, start, end) for a in away):
        return False
    own = sorted((s for s in primaries if s.person_id == person), key=lambda s: s.starts_at)
    if any(_overlap(s.starts_at, s.ends_at, start, end) for s in own):
        return False
    rest = timedelta(hours=policy.oncall.min_rest_hours)
    if any(timedelta(0) < start - s.ends_at < rest for s in own) or any(
        timedelta(0) < s.starts_at - end < rest for s in own
    ):
        return False
    first, last = start, end
    for s in reversed(own):
        if s.ends_at == first:
            first = s.starts_at
    for s in own:
        if s.starts_at == last:
            last = s.ends_at
    return last - first <= timedelta(days=policy.oncall.max_consecutive_primary_days)


def check_always_someone(rota: Rota) -> None:
    db, now = rota.db, rota.clock.now
    end = now + timedelta(days=db.policy.oncall.lookahead_days)
    with db.uow() as uow:
        gaps = rota_gaps(uow, rota.rotation_id, now, end)
        around = read_around(uow, rota.rotation_id, now, end)
        assert around is not None
        span = laid_out(uow, rota.rotation_id, around.primaries)
    away = around.snapshot.absences + around.snapshot.unavailable
    for gap in gaps:
        assert span is not None and span[0] <= gap.starts_at < gap.ends_at <= span[1]
        takers = [
            m.user_id
            for m in rota.members
            if could_take(m.user_id, gap.starts_at, gap.ends_at, around.primaries, away, db.policy)
        ]
        assert takers == [], f"a gap {gap.starts_at}–{gap.ends_at} that {takers} could take"
    today = today_view(db.uow(), rota.world.supervisor_a, db.policy, now, "America/New_York")
    rows = [r for g in today.groups if g.spec.key == "gap" for r in g.rows]
    shown = {(r.gap.starts_at, r.gap.ends_at): r.detail for r in rows if r.gap is not None}
    for gap in gaps:
        assert "nobody eligible" in shown[(gap.starts_at, gap.ends_at)]
    assert len(shown) == len(gaps)
    event("a gap nobody can take" if gaps else "no gap")
    with db.uow() as uow:
        closing = uow.session.execute(
            select(Override.id).where(Override.reason == OverrideReason.GAP)
        ).first()
    if closing is not None:
        event("a gap closed by an approval")


def approve_requests(rota: Rota) -> None:
    """The supervisor approves every open cover request: the first-ranked for each role, or
    nobody where nobody is eligible; and checks the rota after each approval."""
    with rota.db.uow() as uow:
        requests = uow.session.execute(
            select(Override.id).where(Override.state == RequestState.REQUESTED).order_by(Override.created_at)
        ).scalars().all()  # fmt: skip
    for request_id in requests:
        rota.later()
        ranked = ranked_replacements(rota.db.uow(), request_id, OnCallRole.PRIMARY)
        best = next((c.person_id for c in ranked if c.eligible), None)
        approve_cover(rota.db.uow(), rota.world.supervisor_a, request_id, best)
        check_always_someone(rota)


def shift_at(rota: Rota, instant: datetime) -> Shift | None:
    with rota.db.uow() as uow:
        return uow.session.execute(
            select(Shift).where(Shift.rotation_id == rota.rotation_id, Shift.deleted_at.is_(None),
                                Shift.starts_at <= instant, Shift.ends_at > instant)
        ).scalar_one_or_none()  # fmt: skip


def act(rota: Rota, kind: str, days: int, hour: int, hours: int, whom: int) -> None:
    start = datetime.combine(FIXED_NOW.date() + timedelta(days=days), datetime.min.time(), tzinfo=NY)
    start += timedelta(hours=hour)
    end = start + timedelta(hours=hours)
    person = rota.members[whom % len(rota.members)]
    supervisor = rota.world.supervisor_a
    rota.later()
    try:
        if kind == "sick":
            shift = shift_at(rota, start)
            if shift is not None:
                cannot_cover(rota.db.uow(), supervisor, shift.id, starts_at=start, ends_at=end)
        elif kind == "leave":
            enter_leave(rota.db.uow(), supervisor, person.user_id, start, end,
                        LeaveKind.SICK if hours < 24 else LeaveKind.ANNUAL)  # fmt: skip
        elif kind == "swap":
            mine, theirs = shift_at(rota, start), shift_at(rota, end + timedelta(days=2))
            if mine and theirs and mine.primary_id != theirs.primary_id:
                owner = next(m for m in rota.members if m.user_id == mine.primary_id)
                swap_id = request_swap(rota.db.uow(), owner, mine.id, theirs.primary_id, theirs.id)
                rota.later()
                approve_swap(rota.db.uow(), supervisor, swap_id)
                check_always_someone(rota)
        elif kind == "holiday":
            day: date = start.date()
            holiday_exception(rota.db.uow(), supervisor, rota.rotation_id, day, person.user_id)
            check_always_someone(rota)
        else:
            holiday_exception(rota.db.uow(), supervisor, rota.rotation_id, start.date(), None)
            check_always_someone(rota)
    except ServiceError:
        return  # a request the rota refuses (nobody on call then, a stretch over...): nothing changed
    approve_requests(rota)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    size=st.integers(2, 5),
    hours=st.sampled_from([12, 24, 168]),
    actions=st.lists(ACTION, min_size=1, max_size=6),
)
def test_after_every_approval_the_only_gaps_are_those_nobody_can_take(
    seed: Seed, size: int, hours: int, actions: list[tuple[str, int, int, int, int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "pm-desk.sqlite3"
        shutil.copy(seed.path, target)
        clock = FakeClock()
        db = open_database(str(target), clock=clock)
        try:
            members = seed.managers[:size]
            rotation_id = make_rota(
                db, seed.world, members, date(2026, 10, 26), hours, FIXED_NOW + timedelta(days=28)
            )
            rota = Rota(db, clock, seed.world, members, rotation_id)
            check_always_someone(rota)
            for kind, days, hour, length, whom in actions:
                act(rota, kind, days, hour, length, whom)
        finally:
            db.close()
