"""How a detail panel is described: a record kind's title, fields and sections, as data.

A `DetailSpec` says what the panel shows for one kind of record; `build_detail` reads the record
and everything the spec names next to it, and returns a plain `Detail` for the UI (never a live
ORM object). Related records are read with one query per section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from pm_desk.domain.enums import RecordKind, label
from pm_desk.store.models import Agency, Agreement, User, model_for


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    # Ids of the rows' records (same order), so the panel can act on one.
    ids: list[str] = field(default_factory=list)
    kind: str = ""


@dataclass(frozen=True)
class Detail:
    kind: str
    id: str
    title: str
    subtitle: str
    version: int
    agreement_id: str | None
    fields: list[tuple[str, Any, str]]  # label, value, display kind (text/date/instant/enum/masked/bool)
    sections: list[Section] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


class Facts:
    """The record a detail is about and the records next to it, each read when first asked for."""

    def __init__(self, session: Session, record: Any) -> None:
        self.session = session
        self.record = record

    @cached_property
    def agreement(self) -> Agreement:
        if isinstance(self.record, Agreement):
            return self.record
        agreement = self.session.get(Agreement, self.record.agreement_id)
        assert agreement is not None
        return agreement

    @cached_property
    def agency(self) -> Agency:
        agency = self.session.get(Agency, self.agreement.agency_id)
        assert agency is not None
        return agency

    def user_name(self, user_id: str | None, missing: str = "") -> str:
        user = self.session.get(User, user_id) if user_id else None
        return user.name if user is not None else missing


def agency_line(facts: Facts) -> str:
    """The agreement a record belongs to, as one line: "Agency, ST — model"."""
    return f"{facts.agency.name}, {facts.agency.state} — {label(facts.agreement.model)}"


@dataclass(frozen=True)
class FieldSpec:
    label: str
    # An attribute of the record ("signed_on"), of a record next to it ("agency.county"), or
    # a function of the facts for anything else.
    value: str | Callable[[Facts], Any]
    # How the panel shows the value: text, date, instant, enum, status, masked, subject, bool.
    display: str = "text"

    def value_of(self, facts: Facts) -> Any:
        if callable(self.value):
            return self.value(facts)
        owner, _dot, name = self.value.rpartition(".")
        return getattr(getattr(facts, owner) if owner else facts.record, name)


@dataclass(frozen=True)
class SectionSpec:
    """Related records as a table: the rows of `query` whose `link` column holds the record's id,
    each made into cells by `cells(facts, *row)`. With `record_id`, the panel can act on a row."""

    title: str
    headers: tuple[str, ...]
    query: Select
    link: Any  # a column of the related records, e.g. `Finding.inspection_id`
    cells: Callable[..., tuple[Any, ...]]
    record_id: Callable[..., str] | None = None
    kind: RecordKind | None = None

    def build(self, facts: Facts) -> Section:
        results = facts.session.execute(self.query.where(self.link == facts.record.id)).all()
        ids = [self.record_id(*row) for row in results] if self.record_id is not None else []
        kind = self.kind.value if self.kind is not None else ""
        return Section(self.title, self.headers, [self.cells(facts, *row) for row in results], ids, kind)


@dataclass(frozen=True)
class ComputedSection:
    """A table whose rows are put together from more than one query (a timeline)."""

    title: str
    headers: tuple[str, ...]
    rows: Callable[[Facts], list[tuple[Any, ...]]]

    def build(self, facts: Facts) -> Section:
        return Section(self.title, self.headers, self.rows(facts))


@dataclass(frozen=True)
class DetailSpec:
    kind: RecordKind
    title: Callable[[Facts], str]
    fields: tuple[FieldSpec, ...]
    sections: tuple[SectionSpec | ComputedSection, ...] = ()
    subtitle: Callable[[Facts], str] = agency_line
    # The agreement the record belongs to (None for records of the whole program).
    agreement_id: Callable[[Facts], str | None] = lambda facts: facts.agreement.id
    # Values the page's actions need besides what is shown.
    raw: Callable[[Facts], dict[str, Any]] = lambda _facts: {}


def build_detail(session: Session, spec: DetailSpec, record_id: str) -> Detail | None:
    """The detail of one record as `spec` describes it; None if there is no such live record."""
    record = session.get(model_for(spec.kind), record_id)
    if record is None or record.deleted_at is not None:
        return None
    facts = Facts(session, record)
    return Detail(
        spec.kind.value,
        record.id,
        spec.title(facts),
        spec.subtitle(facts),
        record.version,
        spec.agreement_id(facts),
        [(f.label, f.value_of(facts), f.display) for f in spec.fields],
        [section.build(facts) for section in spec.sections],
        spec.raw(facts),
    )
