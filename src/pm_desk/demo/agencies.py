"""Law-enforcement agencies: sheriff's offices, police departments and state agencies."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from pm_desk.demo.context import RECORD_COLUMNS, DemoContext, allocate
from pm_desk.demo.localities import (
    FLORIDA_STATE_AGENCIES,
    OTHER_AGENCY_FORMS,
    STATE_AGENCY_FORMS,
    TOWNS,
    counties_of,
    county_word,
    towns_of,
)
from pm_desk.demo.org import OfficePlan, Org
from pm_desk.demo.people import POLICE_RANKS, SHERIFF_RANKS, STATE_RANKS
from pm_desk.demo.places import AREA_CODES, STATE_NAMES, STREET_KINDS, STREETS, ZIP_PREFIXES
from pm_desk.domain.enums import AgencyKind
from pm_desk.domain.keys import clean_name, normalize_name
from pm_desk.store.models import Agency

_WORD = re.compile(r"[A-Za-z]+")


@dataclass(slots=True)
class AgencyPlan:
    id: str
    state: str
    name: str
    kind: AgencyKind
    county: str | None
    office: OfficePlan
    email_domain: str
    ranks: tuple[str, ...]
    next_badge: int

    def new_badge(self, rng: random.Random) -> str:
        self.next_badge += rng.randint(1, 9)
        return str(self.next_badge)


class _StateNames:
    """Agency names of one state, never the same one twice."""

    def __init__(self, state: str, rng: random.Random) -> None:
        self.state = state
        self.rng = rng
        self.counties = list(counties_of(state))
        rng.shuffle(self.counties)
        # Real towns first, then the common and composed ones, each group in a shuffled order.
        real = list(TOWNS.get(state, ()))
        common = [t for t in dict.fromkeys(towns_of(state)) if t not in frozenset(real)]
        rng.shuffle(real)
        rng.shuffle(common)
        self.towns = real + common
        self.used: set[str] = set()
        self.town_at = 0
        if state == "FL":
            self.state_agencies = list(FLORIDA_STATE_AGENCIES)
        else:
            self.state_agencies = [f"{STATE_NAMES.get(state, state)} {form}" for form in STATE_AGENCY_FORMS]
        rng.shuffle(self.state_agencies)

    def town(self) -> str:
        self.town_at += 1
        if self.town_at <= len(self.towns):
            return self.towns[self.town_at - 1]
        return f"Township {self.town_at}"

    def next(self, wanted: AgencyKind) -> tuple[AgencyKind, str, str | None]:
        """(kind, name, county) of a new agency, of the wanted kind when one is left."""
        word = county_word(self.state)
        if wanted is AgencyKind.COUNTY and self.counties:
            county = f"{self.counties.pop()} {word}"
            jail = "Department of Corrections" if self.rng.random() < 0.06 else "Sheriff's Office"
            return self._unique(AgencyKind.COUNTY, f"{county} {jail}", county)
        if wanted is AgencyKind.STATE_AGENCY and self.state_agencies:
            return self._unique(AgencyKind.STATE_AGENCY, self.state_agencies.pop(), None)
        base = self.rng.choice(counties_of(self.state))
        county = f"{base} {word}"
        if wanted is AgencyKind.OTHER:
            form = self.rng.choice(OTHER_AGENCY_FORMS)
            if form.startswith("County"):
                return self._unique(AgencyKind.OTHER, f"{base} {form.replace('County', word, 1)}", county)
            return self._unique(AgencyKind.OTHER, f"{self.town()} {form}", None)
        town = self.town()
        name = (
            f"City of {town} Police Department" if self.rng.random() < 0.25 else f"{town} Police Department"
        )
        return self._unique(AgencyKind.MUNICIPALITY, name, None)  # ICE's lists give towns no county

    def _unique(self, kind: AgencyKind, name: str, county: str | None) -> tuple[AgencyKind, str, str | None]:
        while normalize_name(name) in self.used:  # a school district's county can come up twice
            name = f"{self.town()} Police Department"
            kind = AgencyKind.MUNICIPALITY
        self.used.add(normalize_name(name))
        return kind, name, county


def _kind(rng: random.Random) -> AgencyKind:
    r = rng.random()
    if r < 0.6:
        return AgencyKind.COUNTY
    if r < 0.88:
        return AgencyKind.MUNICIPALITY
    if r < 0.96:
        return AgencyKind.STATE_AGENCY
    return AgencyKind.OTHER


def _email_domain(kind: AgencyKind, name: str, county: str | None) -> str:
    words = _WORD.findall(name)
    if kind is AgencyKind.COUNTY and county:
        return "".join(w.lower() for w in _WORD.findall(county)[:-1]) + "so.org"
    if kind is AgencyKind.MUNICIPALITY:
        town = name.removeprefix("City of ").removesuffix(" Police Department")
        return "".join(w.lower() for w in _WORD.findall(town)) + "pd.gov"
    return "".join(w[0].lower() for w in words if w[0].isupper()) + ".gov"


def _ranks(kind: AgencyKind) -> tuple[str, ...]:
    if kind is AgencyKind.COUNTY:
        return SHERIFF_RANKS
    if kind is AgencyKind.STATE_AGENCY:
        return STATE_RANKS
    return POLICE_RANKS


def plan_agencies(ctx: DemoContext, org: Org, count: int) -> list[AgencyPlan]:
    """`count` agencies spread over the offices' states by their weight in the program."""
    rng = ctx.rng("agencies")
    make_id = ctx.ids("agencies")
    slots = [(office, state, weight) for office in org.offices for state, weight in office.states]
    per_slot = allocate(count, [w for _, _, w in slots])
    namers: dict[str, _StateNames] = {}
    agencies: list[AgencyPlan] = []
    for (office, state, _), n in zip(slots, per_slot, strict=True):
        namer = namers.setdefault(state, _StateNames(state, ctx.rng(f"agencies:{state}")))
        for _ in range(n):
            kind, name, county = namer.next(_kind(rng))
            name = clean_name(name)
            agencies.append(
                AgencyPlan(
                    make_id(),
                    state,
                    name,
                    kind,
                    county,
                    office,
                    _email_domain(kind, name, county),
                    _ranks(kind),
                    rng.randint(100, 4000),
                )
            )
    return agencies


def write_agencies(ctx: DemoContext, agencies: list[AgencyPlan]) -> None:
    rng = ctx.rng("agencies:details")
    stamp = ctx.stamp
    oris: set[str] = set()
    rows = []
    for agency in agencies:
        ori = None
        if rng.random() < 0.65:
            candidate = f"{agency.state}{rng.randint(1, 999):03d}{rng.randint(0, 99):02d}00"
            if candidate not in oris:
                ori = candidate
                oris.add(candidate)
        area = rng.choice(AREA_CODES.get(agency.state, (rng.randint(201, 989),)))
        low, high = ZIP_PREFIXES.get(agency.state, (100, 999))
        town = agency.name.removeprefix("City of ").split(" Police Department")[0]
        if agency.kind is not AgencyKind.MUNICIPALITY:
            town = rng.choice(towns_of(agency.state)[:40])
        address = (
            f"{rng.randint(100, 9899)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}, "
            f"{town}, {agency.state} {rng.randint(low, high):03d}{rng.randint(0, 99):02d}"
        )
        beds = None
        if agency.kind is AgencyKind.COUNTY:
            beds = max(24, min(6000, int(rng.lognormvariate(5.6, 0.9))))
        rows.append(
            (
                agency.id,
                *stamp,
                agency.state,
                agency.name,
                normalize_name(agency.name),
                ori,
                agency.kind.value,
                agency.county,
                address,
                f"({area}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
                beds,
            )
        )
    ctx.writer.write(
        Agency,
        (
            *RECORD_COLUMNS,
            "state",
            "name",
            "name_key",
            "ori",
            "kind",
            "county",
            "address",
            "phone",
            "jail_beds",
        ),
        rows,
    )
