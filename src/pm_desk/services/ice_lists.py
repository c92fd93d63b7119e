"""Importing ICE's published lists of participating and pending agencies (DESIGN.md).

Agencies and agreements are matched by state, normalized name and model. A participating row
is a signed agreement (its SIGNED date); a pending row an applicant. The report says what is new
on the list, what changed, what vanished since the last list of the same kind (flagged with
`ice_vanished_on`, never deleted) and every row that could not be read, and the rest is applied
only when it is not a dry run. Supervisors import for their field office, administrators for all.

New agreements need a field office: the office that already has the most agreements in the
agency's state, else the acting supervisor's, else the only office there is, else the one
given with `field_office_code`; a row none of these places is reported, not guessed. New
agreements have no manager: the supervisor assigns one (a reassignment) afterwards.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import ColumnElement, func, select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import PIPELINE_STATUSES, AgencyKind, AgreementStatus, Role, label
from pm_desk.domain.keys import normalize_name
from pm_desk.interchange.ice import IceList, IceListError, IceRow, read_ice_list
from pm_desk.interchange.problems import RowProblem
from pm_desk.services.errors import PermissionDenied, ServiceError
from pm_desk.services.operation import record_denial
from pm_desk.services.permissions import require_role
from pm_desk.store.audit_log import AuditContext, NewEntry, append_entries
from pm_desk.store.models import Agency, Agreement, FieldOffice, new_id
from pm_desk.store.uow import UnitOfWork

OPERATION = "ice.import"
_RESTARTED = {AgreementStatus.TERMINATED, AgreementStatus.EXPIRED}


class IceImportRefused(ServiceError):
    """The file is not a list, or is older than the last list imported: nothing was written."""


@dataclass
class IceReport:
    source: str
    pending: bool
    listed_on: date
    dry_run: bool
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    unchanged: int = 0
    unreadable: list[RowProblem] = field(default_factory=list)
    not_placed: list[str] = field(default_factory=list)
    # On a pending list, but already signed (or further) in PM Desk: left as they are.
    already_signed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False

    def lines(self) -> list[str]:
        kind = "pending" if self.pending else "participating"
        out = [f"ICE {kind} list of {self.listed_on.isoformat()} ({self.source})"]
        out += [f"note: {note}" for note in self.notes]
        for title, items in (
            ("new on the list", self.new),
            ("changed", self.changed),
            ("vanished since the last list", self.vanished),
            ("not placed", self.not_placed),
        ):
            out.append(f"{title}: {len(items)}")
            out += [f"  {item}" for item in items]
        if self.already_signed:
            out.append(
                f"already signed, still on the pending list (left as they are): {len(self.already_signed)}"
            )
            out += [f"  {item}" for item in self.already_signed]
        out.append(f"unreadable: {len(self.unreadable)}")
        out += [f"  {problem}" for problem in self.unreadable]
        out.append(f"unchanged: {self.unchanged}")
        out.append("dry run: nothing was written" if self.dry_run else "applied")
        return out


def _title(row_state: str, name: str, agreement_model: str) -> str:
    return f"{row_state}  {name} — {label(agreement_model)}"


def import_ice_list(
    uow: UnitOfWork,
    actor: Actor | None,
    path: Path,
    *,
    pending: bool | None = None,
    dry_run: bool = False,
    listed_on: date | None = None,
    field_office_code: str | None = None,
) -> IceReport:
    """Bring one of ICE's lists in (supervisors for their field office, administrators for all;
    `actor` None only into a database without users yet)."""
    try:
        ice = read_ice_list(path, True if pending else None)
    except IceListError as exc:
        raise IceImportRefused(str(exc)) from exc
    day = listed_on or ice.listed_on or uow.now().date()
    report = IceReport(
        ice.source, ice.pending, day, dry_run, unreadable=ice.unreadable, notes=list(ice.notes)
    )
    if listed_on is None and ice.listed_on is None:
        report.notes.append(f"the file name carries no date: the list is taken as of {day.isoformat()}")
    with uow:
        uow.attribute(actor.user_id if actor else None, actor.email if actor else None, OPERATION)
        if actor is not None:
            try:
                require_role(actor, {Role.SUPERVISOR, Role.ADMIN}, "import ICE's lists")
            except PermissionDenied as denied:
                record_denial(uow, actor, OPERATION, denied)
                raise
        _check_order(uow, ice, day)
        _apply(uow, actor, ice, day, report, field_office_code)
        if dry_run:
            return report
        counts = {
            "new": len(report.new),
            "changed": len(report.changed),
            "vanished": len(report.vanished),
            "unchanged": report.unchanged,
            "unreadable": len(report.unreadable),
            "not_placed": len(report.not_placed),
        }
        context = AuditContext(actor.user_id if actor else None, actor.email if actor else None, OPERATION)
        summary = {"source": ice.source, "pending": ice.pending, "listed_on": day.isoformat(), **counts}
        uow.session.flush()
        append_entries(
            uow.session.connection(), [NewEntry(uow.now(), context, "import", None, None, None, summary)]
        )
        uow.commit()
        report.applied = True
    return report


def _of_kind(pending: bool) -> ColumnElement[bool]:
    statuses = PIPELINE_STATUSES
    return Agreement.status.in_(statuses) if pending else Agreement.status.not_in(statuses)


def _check_order(uow: UnitOfWork, ice: IceList, day: date) -> None:
    last = uow.session.execute(
        select(func.max(Agreement.ice_listed_on)).where(_of_kind(ice.pending), Agreement.deleted_at.is_(None))
    ).scalar()
    if last is not None and day < last:
        kind = "pending" if ice.pending else "participating"
        raise IceImportRefused(
            f"this list is of {day.isoformat()}, older than the last {kind} list imported "
            f"({last.isoformat()}); import the lists in order"
        )


def _apply(
    uow: UnitOfWork, actor: Actor | None, ice: IceList, day: date, report: IceReport, office_code: str | None
) -> None:
    session = uow.session
    agencies = {(a.state, a.name_key): a for a in session.execute(uow.live(Agency)).scalars()}
    agreements = {(a.agency_id, a.model): a for a in session.execute(uow.live(Agreement)).scalars()}
    offices = {o.id: o for o in session.execute(uow.live(FieldOffice)).scalars()}
    chooser = _OfficeChooser(agencies, agreements, offices, actor, office_code)
    if office_code and chooser.given is None:
        raise IceImportRefused(f"no field office with the code {office_code}")
    seen: set[str] = set()
    described: dict[str, IceRow] = {}  # agency id: the first row of this list that names it
    for row in ice.rows:
        agency = agencies.get((row.state, normalize_name(row.name)))
        agreement = agreements.get((agency.id, row.model)) if agency is not None else None
        title = _title(row.state, agency.name if agency else row.name, row.model)
        if agreement is None:
            office_id, why = chooser.choose(row.state)
            if office_id is None:
                report.not_placed.append(f"{title}: {why}")
                continue
            if agency is None:
                agency = Agency(
                    id=new_id(),
                    state=row.state,
                    name=row.name,
                    name_key=normalize_name(row.name),
                    kind=row.kind or AgencyKind.OTHER,
                    county=row.county,
                )
                session.add(agency)
                agencies[(agency.state, agency.name_key)] = agency
                described[agency.id] = row
            agreement = _new_agreement(agency.id, row, ice.pending, office_id, day)
            session.add(agreement)
            agreements[(agency.id, row.model)] = agreement
            seen.add(agreement.id)
            signed = f", signed {row.signed_on.isoformat()}" if row.signed_on else ""
            report.new.append(f"{title}{signed} (new in PM Desk, field office {offices[office_id].code})")
            continue
        assert agency is not None
        if not _may_write(actor, agreement):
            report.not_placed.append(f"{title}: belongs to another field office than yours")
            continue
        seen.add(agreement.id)
        changes = _update(agency, agreement, row, ice.pending, report, described.get(agency.id))
        described.setdefault(agency.id, row)
        first_time = agreement.ice_listed_on is None
        if agreement.ice_vanished_on is not None:
            changes.append(f"listed again (gone since {agreement.ice_vanished_on.isoformat()})")
            agreement.ice_vanished_on = None
        agreement.ice_listed_on = max(day, agreement.ice_listed_on or day)
        if first_time:
            report.new.append(title + (f" ({'; '.join(changes)})" if changes else ""))
        elif changes:
            report.changed.append(f"{title}: {'; '.join(changes)}")
        else:
            report.unchanged += 1
    _vanish(uow, actor, ice.pending, day, seen, report)


def _new_agreement(agency_id: str, row: IceRow, pending: bool, office_id: str, day: date) -> Agreement:
    return Agreement(
        id=new_id(),
        agency_id=agency_id,
        model=row.model,
        status=AgreementStatus.APPLICANT if pending else AgreementStatus.SIGNED,
        signed_on=None if pending else row.signed_on,
        field_office_id=office_id,
        manager_id=None,
        ice_listed_on=day,
    )


def _may_write(actor: Actor | None, agreement: Agreement) -> bool:
    if actor is None or actor.role is Role.ADMIN:
        return True
    return agreement.field_office_id == actor.field_office_id


def _update(
    agency: Agency, agreement: Agreement, row: IceRow, pending: bool, report: IceReport, first: IceRow | None
) -> list[str]:
    """What the list says differently from the records, applied; returns it in words. An agency
    the list names on several rows takes its type and county from the first of them."""
    changes: list[str] = []
    if first is not None:
        if (row.kind, row.county) != (first.kind, first.county):
            report.notes.append(
                f"line {row.line} describes {agency.name} ({row.state}) unlike line {first.line} "
                f"(type {label(row.kind)}, county {row.county or '(none)'}); line {first.line} is kept"
            )
    else:
        if row.kind is not None and agency.kind != row.kind:
            changes.append(f"agency type {label(agency.kind)} → {label(row.kind)}")
            agency.kind = row.kind
        if row.county is not None and agency.county != row.county:
            changes.append(f"county {agency.county or '(none)'} → {row.county}")
            agency.county = row.county
    status = agreement.status
    if pending:
        if status not in PIPELINE_STATUSES:
            report.already_signed.append(f"{_title(row.state, agency.name, row.model)} ({label(status)})")
        return changes
    if status in PIPELINE_STATUSES or (
        status in _RESTARTED
        and (agreement.signed_on is None or (row.signed_on or date.min) > agreement.signed_on)
    ):
        changes.append(f"status {label(status)} → signed")
        agreement.status = AgreementStatus.SIGNED
    if row.signed_on is not None and agreement.signed_on != row.signed_on:
        before = agreement.signed_on.isoformat() if agreement.signed_on else "(none)"
        changes.append(f"signed {before} → {row.signed_on.isoformat()}")
        agreement.signed_on = row.signed_on
        if agreement.application_received_on and agreement.application_received_on > row.signed_on:
            agreement.application_received_on = None
        if agreement.effective_on and agreement.effective_on < row.signed_on:
            agreement.effective_on = row.signed_on
    return changes


def _vanish(
    uow: UnitOfWork, actor: Actor | None, pending: bool, day: date, seen: set[str], report: IceReport
) -> None:
    listed = uow.session.execute(
        uow.live(Agreement).where(
            _of_kind(pending),
            Agreement.ice_listed_on.is_not(None),
            Agreement.ice_vanished_on.is_(None),
        )
    ).scalars()
    for agreement in listed:
        if agreement.id in seen or not _may_write(actor, agreement):
            continue
        agency = uow.session.get(Agency, agreement.agency_id)
        name = agency.name if agency else "an agency"
        report.vanished.append(
            f"{_title(agency.state if agency else '', name, agreement.model)} "
            f"(last listed {agreement.ice_listed_on.isoformat() if agreement.ice_listed_on else '?'})"
        )
        agreement.ice_vanished_on = day


class _OfficeChooser:
    def __init__(
        self,
        agencies: dict[tuple[str, str], Agency],
        agreements: dict[tuple[str, object], Agreement],
        offices: dict[str, FieldOffice],
        actor: Actor | None,
        given_code: str | None,
    ) -> None:
        states = {a.id: a.state for a in agencies.values()}
        self.by_state: dict[str, Counter[str]] = {}
        for agreement in agreements.values():
            state = states.get(agreement.agency_id)
            if state is not None:
                self.by_state.setdefault(state, Counter())[agreement.field_office_id] += 1
        self.offices = offices
        self.own = actor.field_office_id if actor is not None and actor.role is Role.SUPERVISOR else None
        self.given = next(
            (o.id for o in offices.values() if given_code and o.code.upper() == given_code.strip().upper()),
            None,
        )

    def choose(self, state: str) -> tuple[str | None, str]:
        counts = self.by_state.get(state)
        if counts:
            best = min(counts.items(), key=lambda item: (-item[1], self.offices[item[0]].code))[0]
            if self.own is not None and best != self.own:
                return None, f"{state} is covered by field office {self.offices[best].code}, not yours"
            return best, ""
        for candidate in (self.own, self.given):
            if candidate is not None:
                return candidate, ""
        if len(self.offices) == 1:
            return next(iter(self.offices)), ""
        if not self.offices:
            return None, "there is no field office yet: import users.csv (with their field offices) first"
        return None, f"no field office has agreements in {state} yet: pass --field-office CODE"
