"""Field offices and the people: managers, one supervisor per office, staff and an administrator."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from pm_desk.demo.context import RECORD_COLUMNS, DemoContext, IdMaker, allocate
from pm_desk.demo.people import FIRST_NAMES, LAST_NAMES
from pm_desk.demo.places import NOMINAL_WEIGHT, STATE_WEIGHTS, OfficeInfo, offices_for
from pm_desk.demo.scales import Scale
from pm_desk.domain.enums import Role
from pm_desk.store.models import FieldOffice, User

MIN_MANAGERS_PER_OFFICE = 2  # a rotation needs a primary and a backup


@dataclass(slots=True)
class Person:
    id: str
    name: str
    email: str
    role: Role
    office_index: int | None


@dataclass(slots=True)
class OfficePlan:
    index: int
    id: str
    info: OfficeInfo
    # (state, weight) of the agencies this office takes.
    states: list[tuple[str, float]]
    supervisor: Person | None = None
    managers: list[Person] = field(default_factory=list)

    @property
    def weight(self) -> float:
        return sum(w for _, w in self.states)


@dataclass(slots=True)
class Org:
    offices: list[OfficePlan]
    admin: Person
    staff: list[Person]

    @property
    def managers(self) -> list[Person]:
        return [m for office in self.offices for m in office.managers]

    @property
    def supervisors(self) -> list[Person]:
        return [o.supervisor for o in self.offices if o.supervisor is not None]

    @property
    def people(self) -> list[Person]:
        return [self.admin, *self.staff, *self.supervisors, *self.managers]


def office_states(offices: tuple[OfficeInfo, ...]) -> list[list[tuple[str, float]]]:
    """Each office's states with the weight of agencies it takes there (shares of split states
    are renormalized over the offices present)."""
    present_share: dict[str, float] = {}
    for info in offices:
        for state, share in info.states:
            present_share[state] = present_share.get(state, 0.0) + share
    result = []
    for info in offices:
        states = [
            (state, STATE_WEIGHTS.get(state, 0.0) * share / present_share[state])
            for state, share in info.states
        ]
        if sum(w for _, w in states) <= 0:
            states = [(state, NOMINAL_WEIGHT * share / present_share[state]) for state, share in info.states]
        result.append([(s, w) for s, w in states if w > 0])
    return result


def managers_per_office(total: int, weights: list[float]) -> list[int]:
    if total < MIN_MANAGERS_PER_OFFICE * len(weights):
        raise ValueError(f"{total} managers cannot staff {len(weights)} field offices")
    counts = allocate(total, weights)
    while min(counts) < MIN_MANAGERS_PER_OFFICE:
        counts[counts.index(max(counts))] -= 1
        counts[counts.index(min(counts))] += 1
    return counts


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.emails: set[str] = set()

    def person(self, make_id: IdMaker, role: Role, office_index: int | None) -> Person:
        first = self.rng.choice(FIRST_NAMES)
        last = self.rng.choice(LAST_NAMES)
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        email, n = f"{base}@ice.dhs.gov", 1
        while email in self.emails:
            n += 1
            email = f"{base}{n}@ice.dhs.gov"
        self.emails.add(email)
        return Person(make_id(), f"{first} {last}", email, role, office_index)


def build_org(ctx: DemoContext, scale: Scale) -> Org:
    """Plans the offices and people and writes them; the admin is the demo's acting user."""
    rng = ctx.rng("org")
    make_id = ctx.ids("org")
    names = _Names(rng)
    admin = names.person(make_id, Role.ADMIN, None)
    ctx.actor_id = admin.id
    infos = offices_for(scale.field_offices)
    offices = [
        OfficePlan(i, make_id(), info, states)
        for i, (info, states) in enumerate(zip(infos, office_states(infos), strict=True))
    ]
    counts = managers_per_office(scale.managers, [o.weight for o in offices])
    for office, count in zip(offices, counts, strict=True):
        office.supervisor = names.person(make_id, Role.SUPERVISOR, office.index)
        office.managers = [names.person(make_id, Role.MANAGER, office.index) for _ in range(count)]
    staff = [names.person(make_id, Role.STAFF, 0) for _ in range(scale.staff)]
    org = Org(offices, admin, staff)
    _write(ctx, org)
    return org


def _write(ctx: DemoContext, org: Org) -> None:
    stamp = ctx.stamp
    ctx.writer.write(
        FieldOffice,
        (*RECORD_COLUMNS, "code", "name"),
        [(o.id, *stamp, o.info.code, o.info.name) for o in org.offices],
    )
    office_ids = {o.index: o.id for o in org.offices}
    ctx.writer.write(
        User,
        (*RECORD_COLUMNS, "email", "name", "role", "field_office_id", "capacity", "active", "password_hash"),
        [
            (
                p.id,
                *stamp,
                p.email,
                p.name,
                p.role.value,
                None if p.office_index is None else office_ids[p.office_index],
                None,
                1,
                None,
            )
            for p in org.people
        ],
    )
