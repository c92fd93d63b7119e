"""Who holds which on-call role when, who could take a stretch over, and the gaps of a rotation
with the reason each is left open: the reads the cover services and the views share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pm_desk.domain.enums import OnCallRole
from pm_desk.domain.facts import ShiftFacts
from pm_desk.domain.oncall_plan import Candidate, rank_backups, rank_replacements
from pm_desk.domain.policy import Policy
from pm_desk.domain.results import RuleResult
from pm_desk.domain.rota import Span, span_of, widest
from pm_desk.domain.rules import gaps
from pm_desk.store.queries.oncall import RotaSnapshot, laid_out_span, rota_snapshot
from pm_desk.store.uow import UnitOfWork


@dataclass
class Around:
    """A rotation read around a stretch: far enough back for the fairness window and the rest
    and run rules, far enough ahead for the rest before the next shift."""

    snapshot: RotaSnapshot
    primaries: list[ShiftFacts]
    backups: list[ShiftFacts]
    policy: Policy

    def duty(self, role: OnCallRole) -> list[ShiftFacts]:
        """Who answers for `role` when: its holders, and the stretches someone was taken off with
        nobody in his place (still his to have covered)."""
        held = self.primaries if role is OnCallRole.PRIMARY else self.backups
        return held + self.snapshot.vacated(role)


def read_around(uow: UnitOfWork, rotation_id: str, start: datetime, end: datetime) -> Around | None:
    policy = uow.policy.oncall
    back = timedelta(days=max(policy.fairness_window_days, policy.max_consecutive_primary_days + 1))
    ahead = timedelta(days=policy.max_consecutive_primary_days + 1)
    snapshot = rota_snapshot(uow.session, rotation_id, start - back, end + ahead)
    if snapshot is None:
        return None
    return Around(snapshot, snapshot.primaries(), snapshot.backups(), uow.policy)


def people_of(snapshot: RotaSnapshot) -> list[str]:
    """Who may take a turn: the rotation's members, else whoever its shifts name."""
    return snapshot.members or sorted({s.person_id for s in snapshot.planned})


def held(shifts: Sequence[ShiftFacts], person_id: str, start: datetime, end: datetime) -> Span | None:
    """The part of [start, end) in which `person_id` answers for the role `shifts` are of, from
    his first to his last instant in it (None: at no instant)."""
    mine = [s for s in shifts if s.person_id == person_id and s.ends_at > start and s.starts_at < end]
    found = span_of(mine)
    if found is None:
        return None
    return max(found[0], start), min(found[1], end)


def rank(
    around: Around, role: OnCallRole, covered_id: str | None, start: datetime, end: datetime
) -> list[Candidate]:
    """Everyone of the rotation who might hold `role` in [start, end) instead of `covered_id`
    (None: nobody holds it then), best first, each ineligible one with why."""
    snapshot = around.snapshot
    people = people_of(snapshot)
    if role is OnCallRole.PRIMARY:
        return rank_replacements(
            people,
            covered_id,
            start,
            end,
            around.primaries,
            snapshot.absences,
            around.policy,
            snapshot.unavailable,
        )
    return rank_backups(
        people,
        covered_id,
        start,
        end,
        around.primaries,
        around.backups,
        snapshot.absences,
        around.policy,
        snapshot.unavailable,
    )


def best(candidates: Sequence[Candidate], but: set[str | None] | None = None) -> str | None:
    """The first-ranked eligible person (not one of `but`), or None."""
    return next((c.person_id for c in candidates if c.eligible and c.person_id not in (but or set())), None)


@dataclass(frozen=True)
class Gap:
    """A stretch of a rotation's laid-out rota with no primary, with who could take it."""

    rotation_id: str
    starts_at: datetime
    ends_at: datetime
    candidates: tuple[Candidate, ...]
    result: RuleResult

    @property
    def fillable(self) -> bool:
        return any(c.eligible for c in self.candidates)


def laid_out(uow: UnitOfWork, rotation_id: str, primaries: Sequence[ShiftFacts]) -> Span | None:
    """From the first to the last instant the rotation's rota is laid out for (its shifts, and
    the stretches covers filled beyond them)."""
    stored = laid_out_span(uow.session, [rotation_id]).get(rotation_id)
    return widest(stored, span_of([s for s in primaries if s.rotation_id == rotation_id]))


def rota_gaps(uow: UnitOfWork, rotation_id: str, start: datetime, end: datetime) -> list[Gap]:
    """The gaps of the rotation in [start, end), inside the stretch its rota is laid out for,
    each with the people ranked for exactly its interval."""
    around = read_around(uow, rotation_id, start, end)
    if around is None:
        return []
    return find_gaps(around, laid_out(uow, rotation_id, around.primaries), start, end)


def find_gaps(around: Around, span: Span | None, start: datetime, end: datetime) -> list[Gap]:
    """The gaps of `around` in [start, end) inside `span` (the laid-out rota), ranked."""
    if span is None:
        return []
    window_start, window_end = max(start, span[0]), min(end, span[1])
    if window_start >= window_end:
        return []
    rotation_id = around.snapshot.rotation.id
    found = []
    for result in gaps(rotation_id, around.primaries, window_start, window_end):
        gap_start, gap_end = result.detail["starts_at"], result.detail["ends_at"]
        ranked = rank(around, OnCallRole.PRIMARY, None, gap_start, gap_end)
        found.append(Gap(rotation_id, gap_start, gap_end, tuple(ranked), result))
    return found


def cover_text(gap: Gap, names: dict[str, str]) -> str:
    """Who could take a gap, or why nobody can: Today's and the compliance detail's words."""
    return cover_words(gap.candidates, names)


def cover_words(candidates: Sequence[Candidate], names: dict[str, str]) -> str:
    eligible = [names.get(c.person_id, "?") for c in candidates if c.eligible]
    if eligible:
        return f"can cover: {', '.join(eligible)}"
    if not candidates:
        return "nobody eligible: the rotation has no members"
    why = "; ".join(f"{names.get(c.person_id, '?')} {', '.join(c.reasons)}" for c in candidates)
    return f"nobody eligible ({why})"
