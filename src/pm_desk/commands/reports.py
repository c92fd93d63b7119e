"""`pm-desk report`: the printable PDF reports (DESIGN.md, Reports).

report monthly --month YYYY-MM [--manager EMAIL] -o FILE.pdf [--file]
report monthly --month YYYY-MM --all-managers DIR
report agreement --agreement ID -o FILE.pdf
report program --month YYYY-MM -o FILE.pdf
report staffing -o FILE.pdf
report oncall --from DATE --to DATE -o FILE.pdf
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed
from pm_desk.commands.options import date_argument, month_argument
from pm_desk.domain.enums import Role
from pm_desk.handling import write_private
from pm_desk.services.errors import ServiceError

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext
    from pm_desk.domain.actor import Actor
    from pm_desk.reports.generate import ReportOutput, ReportRequest
    from pm_desk.services.reporting import Generated


def register(commands: Any) -> None:
    parser = commands.add_parser("report", help="print a PDF report", description=__doc__)
    kinds = parser.add_subparsers(
        dest="report_kind", metavar="REPORT", required=True, parser_class=type(parser)
    )

    monthly = kinds.add_parser("monthly", help="monthly compliance report of a manager")
    monthly.add_argument("--month", type=month_argument, required=True, help="the month, like 2026-10")
    monthly.add_argument("--manager", metavar="EMAIL", help="whose caseload (default: the acting manager)")
    where = monthly.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", metavar="FILE.pdf", type=Path, help="the PDF to write")
    where.add_argument("--all-managers", metavar="DIR", type=Path, help="one PDF per active manager into DIR")
    monthly.add_argument(
        "--file", action="store_true", help="also file the month (closed months stay closed)"
    )
    monthly.add_argument("--amend", action="store_true", help="with --file: file again a month already filed")
    monthly.set_defaults(handler=run_monthly)

    agreement = kinds.add_parser("agreement", help="one agreement's full picture and history")
    agreement.add_argument("--agreement", metavar="ID", required=True, help="the agreement's id")
    agreement.add_argument("-o", "--output", metavar="FILE.pdf", type=Path, required=True)
    agreement.set_defaults(handler=run_simple)

    program = kinds.add_parser("program", help="program (headquarters) report of a month")
    program.add_argument("--month", type=month_argument, required=True, help="the month, like 2026-10")
    program.add_argument("-o", "--output", metavar="FILE.pdf", type=Path, required=True)
    program.set_defaults(handler=run_simple)

    staffing = kinds.add_parser("staffing", help="workload units and managers needed by field office")
    staffing.add_argument("-o", "--output", metavar="FILE.pdf", type=Path, required=True)
    staffing.set_defaults(handler=run_simple)

    oncall = kinds.add_parser("oncall", help="the on-call rota of a period")
    oncall.add_argument("--from", dest="date_from", type=date_argument, required=True, metavar="DATE")
    oncall.add_argument("--to", dest="date_to", type=date_argument, required=True, metavar="DATE")
    oncall.add_argument("-o", "--output", metavar="FILE.pdf", type=Path, required=True)
    oncall.set_defaults(handler=run_simple)


def _actor(context: CommandContext) -> Actor:
    """Whoever signed in: his name is on the report, and his scope decides what it may show."""
    return context.actor()


def _may_see(context: CommandContext, actor: Actor, email: str) -> None:
    """A monthly report shows a caseload: his own, his field office's, or (staff) anyone's."""
    from pm_desk.domain.scope import sees_caseload_of
    from pm_desk.services.actor import actor_for_email

    with context.database().uow() as uow:
        try:
            manager = actor_for_email(uow, email)
        except ServiceError as exc:
            raise CommandFailed(str(exc)) from exc
    if not sees_caseload_of(actor, manager.user_id, manager.field_office_id):
        raise CommandFailed(f"{actor.name} cannot see the caseload of {manager.email}")


def _generated(context: CommandContext, actor: Actor | None) -> Generated:
    from pm_desk.reports.generate import generated_by

    return generated_by(actor, context.database().clock(), "pm-desk command line")


def _write(path: Path, pdf: bytes) -> None:
    from pm_desk.services.failures import file_failure

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_private(path, pdf)
    except OSError as exc:
        raise CommandFailed(file_failure(exc, path, "write")) from exc


def _generate(context: CommandContext, request: ReportRequest, generated: Generated) -> ReportOutput:
    from pm_desk.reports.generate import generate_report

    try:
        return generate_report(context.database(), context.policy, request, generated)
    except ServiceError as exc:
        raise CommandFailed(str(exc)) from exc


def run_simple(context: CommandContext) -> int:
    from pm_desk.reports.generate import ReportRequest

    args = context.args
    request = ReportRequest(
        args.report_kind,
        month=getattr(args, "month", None),
        agreement_id=getattr(args, "agreement", None),
        date_from=getattr(args, "date_from", None),
        date_to=getattr(args, "date_to", None),
    )
    if request.date_from and request.date_to and request.date_to < request.date_from:
        raise CommandFailed("--to must not be before --from")
    output = _generate(context, request, _generated(context, _actor(context)))
    _write(args.output, output.pdf)
    print(f"{output.title} written to {args.output}")
    return 0


def run_monthly(context: CommandContext) -> int:
    from pm_desk.reports.generate import ReportRequest

    args = context.args
    actor = _actor(context)
    if args.all_managers is not None:
        if args.manager or args.file:
            raise CommandFailed(
                "--all-managers writes every manager's report; leave out --manager and --file"
            )
        return _all_managers(context, actor, args.all_managers)
    email = args.manager or (actor.email if actor is not None and actor.role is Role.MANAGER else None)
    if email is None:
        raise CommandFailed("whose report? pass --manager EMAIL (or --all-managers DIR)")
    _may_see(context, actor, email)
    output = _generate(
        context, ReportRequest("monthly", month=args.month, manager_email=email), _generated(context, actor)
    )
    _write(args.output, output.pdf)
    print(f"{output.title} written to {args.output}")
    if output.filing is not None:
        _tell_filing(output)
    if args.file:
        _file(context, actor, output, args.output, args.amend)
    return 0


def _tell_filing(output: ReportOutput) -> None:
    filing = output.filing
    assert filing is not None
    when = f"{filing.filed_at:%Y-%m-%d %H:%M} UTC by {filing.filed_by}"
    if filing.matches:
        print(f"matches the report filed {when}")
    else:
        print(
            f"pm-desk: note: this month was filed {when}; {len(filing.changes)} changes since filing are "
            "listed in the report",
            file=sys.stderr,
        )


def _file(
    context: CommandContext, actor: Actor | None, output: ReportOutput, path: Path, amend: bool
) -> None:
    from pm_desk.services.filing import file_monthly_report

    if actor is None:
        raise CommandFailed("filing needs an acting user: pass --as-user EMAIL")
    assert output.monthly is not None
    digest = hashlib.sha256(output.pdf).hexdigest()
    try:
        filed = file_monthly_report(
            context.database().uow(),
            actor,
            context.policy,
            output.monthly,
            digest,
            str(path.resolve()),
            amend,
        )
    except ServiceError as exc:
        raise CommandFailed(str(exc)) from exc
    print(
        f"filed: content hash {filed.content_hash}; {filed.unsynced_records:,} local changes not yet synced"
    )


def _all_managers(context: CommandContext, actor: Actor | None, folder: Path) -> int:
    from pm_desk.domain.scope import sees_caseload_of
    from pm_desk.reports.monthly import render_monthly
    from pm_desk.services.compliance import compliance_results
    from pm_desk.services.filing import check_filing
    from pm_desk.services.reporting import month_period
    from pm_desk.services.reporting_monthly import monthly_report
    from pm_desk.store.queries.reports import active_managers

    db, policy, month = context.database(), context.policy, context.args.month
    generated = _generated(context, actor)
    with db.uow() as uow:
        managers = [
            m for m in active_managers(uow.session) if sees_caseload_of(actor, m.id, m.field_office_id)
        ]
        if not managers:
            raise CommandFailed(f"{actor.name} sees no manager's caseload but his own: pass --manager")
        # One computation of the program's compliance serves every manager's report.
        items = compliance_results(uow, policy, month_period(month).as_of(generated.at))
        locals_ = [m.email.split("@", 1)[0] for m in managers]
        for manager, local in zip(managers, locals_, strict=True):
            name = local if locals_.count(local) == 1 else manager.email.replace("@", "_at_")
            try:
                report = monthly_report(uow, policy, manager.email, month, generated, items=items)
                filing = check_filing(uow, report)
            except ServiceError as exc:
                raise CommandFailed(f"{manager.email}: {exc}") from exc
            target = folder / f"monthly-{month:%Y-%m}-{name}.pdf"
            _write(target, render_monthly(report, policy, filing))
            print(target)
    print(f"{len(managers)} monthly reports for {month:%B %Y} written to {folder}")
    return 0
