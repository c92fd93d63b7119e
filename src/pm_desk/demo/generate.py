"""`generate_demo`: a whole synthetic 287(g) program written into an empty store in one transaction.

The same seed, anchor and scale give byte-identical rows: every random draw comes from a
generator seeded by the seed and the builder's area, every id from such a generator, and every
date is placed relative to the anchor (the data's "now").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from pm_desk.demo.activity import month_starts, write_activity
from pm_desk.demo.agencies import plan_agencies, write_agencies
from pm_desk.demo.agreements import plan_agreements
from pm_desk.demo.caseload import assign_managers, write_agreements
from pm_desk.demo.context import DemoContext, RowWriter
from pm_desk.demo.equipment import write_equipment
from pm_desk.demo.officer_rows import write_officers
from pm_desk.demo.officers import plan_officers
from pm_desk.demo.oncall import plan_oncall
from pm_desk.demo.oncall_rows import write_oncall
from pm_desk.demo.org import build_org
from pm_desk.demo.oversight import write_oversight
from pm_desk.demo.reminders import write_reminders
from pm_desk.demo.scales import Scale, scale_named
from pm_desk.demo.training import plan_classes, write_classes
from pm_desk.demo.transfers import MonthlyCounts, plan_transfers, write_transfers
from pm_desk.domain.policy import Policy
from pm_desk.services.maintenance import mark_hold_deadlines_current, refresh_hold_deadlines
from pm_desk.store.audit_log import AuditContext, NewEntry, append_entries
from pm_desk.store.database import Database
from pm_desk.store.models import Agency, Agreement, CustodyTransfer, FieldOffice, User

OPERATION = "demo.generate"
# Share of agencies holding two agreements of different models.
TWO_AGREEMENT_SHARE = 0.1


@dataclass(frozen=True)
class DemoSummary:
    scale: str
    seed: int
    anchor: datetime
    counts: Mapping[str, int]  # rows written per table
    admin_email: str
    staff_email: str
    supervisor_emails: tuple[str, ...]
    manager_emails: tuple[str, ...]
    # A manager with a busy caseload: the acting user of `make run`.
    default_user_email: str


def _ignore(message: str, fraction: float) -> None:
    pass


def generate_demo(
    database: Database,
    scale: str,
    *,
    seed: int = 287,
    anchor: datetime | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> DemoSummary:
    """Writes the demo program of `scale` ("small", "program" or "large") into an empty store.

    `anchor` is the data's "now" (default: the current time); open holds, due dates and
    on-call shifts are placed around it. Refuses a store that already holds data.
    """
    spec = scale_named(scale)
    if anchor is None:
        anchor = datetime.now(UTC)
    if anchor.tzinfo is None or anchor.utcoffset() is None:
        raise ValueError(f"the demo's anchor must carry a time zone: {anchor.isoformat()}")
    anchor = anchor.astimezone(UTC).replace(microsecond=0)
    if not database.is_sqlite:
        raise ValueError("the demo is written into a SQLite store; sync it to a server afterwards")
    policy = database.policy
    with database.engine.begin() as connection:
        _require_empty(connection)
        ctx = DemoContext(seed, anchor, RowWriter(connection), progress or _ignore)
        summary = _generate(ctx, spec, policy)
        # The rows carry deadlines under the default 48 hours; another hold policy recomputes them.
        if policy.hold.hours == 48 and not policy.hold.excludes_weekends_and_holidays:
            mark_hold_deadlines_current(connection, policy)
        else:
            refresh_hold_deadlines(connection, policy)
        ctx.phase("Recording the audit entry", 0.98, 1.0)
        admin_id = ctx.actor_id
        append_entries(
            connection,
            [
                NewEntry(
                    database.clock(),
                    AuditContext(admin_id, summary.admin_email, OPERATION),
                    "create",
                    None,
                    None,
                    None,
                    {"scale": spec.name, "seed": seed, "anchor": anchor, **dict(summary.counts)},
                )
            ],
        )
    ctx.report("Demo data written", 1.0)
    return summary


def _require_empty(connection: Connection) -> None:
    for model in (Agreement, Agency, User, FieldOffice):
        rows = connection.execute(select(func.count()).select_from(model)).scalar_one()
        if rows:
            raise ValueError(
                f"the database already has data ({rows} rows in {model.__tablename__}); "
                "demo data can only be written into a new, empty database"
            )


def _generate(ctx: DemoContext, spec: Scale, policy: Policy) -> DemoSummary:
    ctx.phase("Field offices and users", 0.0, 0.01)
    org = build_org(ctx, spec)
    ctx.phase("Agencies and agreements", 0.01, 0.03)
    agency_count = spec.agreements - max(1, round(spec.agreements * TWO_AGREEMENT_SHARE))
    agencies = plan_agencies(ctx, org, agency_count)
    write_agencies(ctx, agencies)
    agreements = plan_agreements(ctx, agencies, spec.agreements)
    ctx.phase("Designated officers and training", 0.03, 0.06)
    every_weeks = 4 if spec.agreements < 100 else 2 if spec.agreements < 1500 else 1
    classes = plan_classes(ctx, spec.oncall_days + 60, every_weeks)
    officers = plan_officers(ctx, spec.officers, agreements, classes)
    ctx.phase("Caseloads", 0.06, 0.1)
    transfers = plan_transfers(ctx, spec.transfers, spec.oncall_days, agreements)
    loads = assign_managers(ctx, org, agreements, policy)
    write_agreements(ctx, org, agreements)
    ctx.phase("Designated officers and training", 0.1, 0.16)
    write_officers(ctx, officers)
    write_classes(ctx, classes)
    write_equipment(ctx, agreements)
    ctx.phase("Custody transfers", 0.16, 0.9)
    counts = MonthlyCounts(month_starts(ctx))
    with ctx.writer.indexes_built_after(CustodyTransfer):
        write_transfers(ctx, agreements, transfers, counts, spec.transfers)
    ctx.phase("Activity, inspections and complaints", 0.9, 0.95)
    write_activity(ctx, agreements, counts, transfers.span_start)
    write_oversight(ctx, agreements, officers)
    ctx.phase("Reminders and the on-call rota", 0.95, 0.98)
    write_reminders(ctx, org, agreements)
    write_oncall(ctx, plan_oncall(ctx, org, spec.oncall_years))
    busiest = max(org.managers, key=lambda m: (loads.get(m.id, 0.0), m.email))
    return DemoSummary(
        scale=spec.name,
        seed=ctx.seed,
        anchor=ctx.anchor,
        counts=dict(sorted(ctx.writer.counts.items())),
        admin_email=org.admin.email,
        staff_email=org.staff[0].email,
        supervisor_emails=tuple(sorted(p.email for p in org.supervisors)),
        manager_emails=tuple(sorted(p.email for p in org.managers)),
        default_user_email=busiest.email,
    )
