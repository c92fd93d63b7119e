"""Importing and exporting the interchange tables (DESIGN.md, Interchange tables).

An import is all or nothing: every row of every file is checked and every reference resolved
before anything is written; a set with any problem writes nothing and reports each one as
`file:line: column: what is wrong`. A clean set is written in one transaction, audited as one
`import` entry with its counts plus one entry per record it creates or changes. Rows equal to
their stored record write nothing, so the same files imported twice change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, select
from sqlalchemy import exc as sa_exc

from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy
from pm_desk.domain.scope import scope_of
from pm_desk.interchange.applying import OPERATION, StaleRecords, apply_plan
from pm_desk.interchange.exporting import ExportScope, export_tables
from pm_desk.interchange.importing import SetupError, has_users, prepare_import
from pm_desk.interchange.planning import Plan
from pm_desk.interchange.problems import RowProblem
from pm_desk.interchange.reading import SourceSet, read_source
from pm_desk.interchange.rota_ics import read_rota_calendar
from pm_desk.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from pm_desk.services.failures import file_failure
from pm_desk.services.maintenance import mark_hold_deadlines_current, stored_fingerprint
from pm_desk.services.operation import record_denial, take_write_lock
from pm_desk.services.permissions import can_see_subject_details
from pm_desk.store.audit_log import AuditContext
from pm_desk.store.models import CustodyTransfer, User
from pm_desk.store.uow import UnitOfWork


@dataclass
class ImportReport:
    location: str
    # Per table of the import: rows that are new, changed and unchanged.
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False
    records_written: int = 0
    actor_email: str = ""
    setup: bool = False  # the database had no users: this import set the installation up
    denied: int = 0  # of the problems, rows the acting user may not write

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            files = len({p.source for p in self.problems})
            what = f"{_plural(len(self.problems), 'problem')} in {_plural(files, 'file')}"
            if self.denied:
                what += f" ({_plural(self.denied, 'row')} not yours to import)"
            return f"import refused: {what}; nothing was written"
        new = sum(c.get("new", 0) for c in self.counts.values())
        changed = sum(c.get("changed", 0) for c in self.counts.values())
        unchanged = sum(c.get("unchanged", 0) for c in self.counts.values())
        what = f"{new:,} new, {changed:,} changed, {unchanged:,} unchanged"
        if self.dry_run:
            return f"dry run: {what}; nothing was written"
        if not self.records_written:
            return f"nothing to change: {unchanged:,} rows match the database"
        return f"imported: {what} ({self.records_written:,} records written)"


class ImportRefused(ServiceError):
    """The files have problems; `report.problems` lists every one and nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


class ImportDenied(PermissionDenied):
    """Rows the acting user may not write (audited as a denial); nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class RotaCalendar:
    """Where the shifts of a rota calendar (.ics) go, when its events do not say."""

    field_office: str | None = None
    rotation: str | None = None


def import_tables(
    uow: UnitOfWork,
    actor: Actor | None,
    source: SourceSet | Path,
    *,
    dry_run: bool = False,
    setup_email: str | None = None,
    calendar: RotaCalendar | None = None,
) -> ImportReport:
    """Import the tables at `source` as `actor`: an administrator imports everything (users
    too), a supervisor his field office's agreements, records and rota, a manager his caseload's
    records and his own leave; rows that change nothing need no right. Into a database with no
    users yet, the import sets the installation up with an administrator's rights, as the user
    `setup_email` (else the first administrator) of its users.csv; `actor` may then be None.
    A `.ics` file is a rota: its events are the rows of `oncall_shifts` (see `rota_ics`)."""
    with uow:
        tables = source if isinstance(source, SourceSet) else _read(uow, source, calendar or RotaCalendar())
        report = ImportReport(tables.location, dry_run=dry_run)
        # A write holds the write lock from before it reads what it checks: no other writer
        # changes those rows, or the audit chain's head, until the import commits.
        connection = uow.session.connection() if dry_run else take_write_lock(uow)
        try:
            prepared = prepare_import(connection, tables, actor, uow.now(), uow.policy, setup_email)
        except SetupError as exc:
            raise NotFound(str(exc)) from exc
        plan = prepared.plan
        report.counts, report.notes, report.setup = plan.counts, plan.notes, prepared.setup
        report.actor_email = prepared.actor.email
        report.problems = list(plan.problems) + list(plan.denials)
        report.denied = len(plan.denials)
        if plan.denials:
            assert actor is not None  # a first import runs with every right
            denied = ImportDenied(report)
            uow.rollback()
            record_denial(uow, actor, OPERATION, denied)
            raise denied
        if plan.problems:
            raise ImportRefused(report)
        if dry_run or not plan.change_count:
            return report
        context = AuditContext(prepared.actor.user_id or None, prepared.actor.email or None, OPERATION)
        summary = {
            "source": Path(tables.location).name,
            "tables": plan.counts,
            "records": plan.records_changed(),
        }
        try:
            report.records_written = apply_plan(connection, plan, context, uow.now(), summary)
            _note_deadline_policy(connection, plan, uow)
            uow.commit()
        except StaleRecords as exc:
            raise Conflict(f"{exc}; nothing was written: import the files again") from exc
        except sa_exc.IntegrityError as exc:  # the driver's text may quote a value: the log keeps it
            raise Conflict("the import clashes with records written meanwhile; nothing was written") from exc
        report.applied = True
    return report


def _read(uow: UnitOfWork, path: Path, calendar: RotaCalendar) -> SourceSet:
    if path.suffix.lower() != ".ics":
        return read_source(path)
    people: dict[str, str | None] = {}
    for name, email in uow.session.execute(select(User.name, User.email).where(User.deleted_at.is_(None))):
        key = " ".join(name.split()).casefold()
        people[key] = None if key in people else email
    return read_rota_calendar(path, people, calendar.field_office, calendar.rotation)


def _note_deadline_policy(connection: Connection, plan: Plan, uow: UnitOfWork) -> None:
    """Every stored hold deadline was just computed under the policy in force (the import wrote
    all the transfers there are): record which policy, as the demo does, so nothing recomputes."""
    created = sum(c.action == "create" for c in plan.changes.get(CustodyTransfer, []))
    if not created or stored_fingerprint(connection) is not None:
        return
    if connection.execute(select(func.count()).select_from(CustodyTransfer)).scalar_one() == created:
        mark_hold_deadlines_current(connection, uow.policy)


def needs_setup(uow: UnitOfWork) -> bool:
    """Whether the database has no users yet (a first import sets the installation up)."""
    with uow:
        return not has_users(uow.session.connection())


def export_scope(actor: Actor, policy: Policy, full_a_numbers: bool = False) -> ExportScope:
    """What the actor exports is his scope (a manager his caseload, a supervisor his field office,
    others everything), under the policy's handling banner. A-numbers are masked unless asked for
    in full, which only the roles that handle transfers may (DESIGN.md, Security)."""
    if full_a_numbers and not can_see_subject_details(actor):
        raise PermissionDenied(
            f"{actor.name} cannot export full A-numbers: only managers and supervisors see them; "
            "export them masked"
        )
    return ExportScope(scope_of(actor), full_a_numbers, policy.reports.handling_banner)


def export_interchange(
    uow: UnitOfWork, actor: Actor, target: Path, *, full_a_numbers: bool = False
) -> dict[str, int]:
    """Write the interchange tables the actor may see to `target` (a folder, or an .xlsx file),
    A-numbers masked unless `full_a_numbers` (managers and supervisors only: a refusal is
    audited); returns the rows written per table."""
    with uow:
        try:
            scope = export_scope(actor, uow.policy, full_a_numbers)
        except PermissionDenied as denied:
            record_denial(uow, actor, "export", denied)
            raise
        try:
            return export_tables(uow.session, target, scope)
        except OSError as exc:
            raise ServiceError(file_failure(exc, target, "write")) from exc
