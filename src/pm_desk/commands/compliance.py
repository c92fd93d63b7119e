"""`pm-desk compliance`: every rule result that is not ok, as JSON or CSV."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed
from pm_desk.commands.options import instant_argument
from pm_desk.handling import open_private
from pm_desk.services.errors import ServiceError

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext

FORMATS = ("json", "csv")  # what services.compliance_export writes (a test keeps the two equal)


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "compliance",
        help="list every rule result that is not ok",
        description=(
            "Every rule result that is not ok, sorted by rule then key: for one manager's caseload "
            "with --manager, else for the scope of whoever signed in (a manager's caseload, a "
            "supervisor's field office, the whole program for staff and administrators)."
        ),
    )
    parser.add_argument("--as-of", type=instant_argument, help="date or instant (default: now)")
    parser.add_argument("--manager", metavar="EMAIL", help="only this manager's caseload")
    parser.add_argument("--format", choices=FORMATS, default="json")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(handler=run)


def run(context: CommandContext) -> int:
    from pm_desk.services.compliance_export import compliance_rows, write_compliance
    from pm_desk.services.failures import file_failure

    args = context.args
    db = context.database()
    as_of = args.as_of or db.clock()
    actor = context.actor()
    try:
        rows = compliance_rows(db.uow(), context.policy, as_of, manager_email=args.manager, actor=actor)
    except ServiceError as exc:
        raise CommandFailed(str(exc)) from exc
    if not args.output:
        write_compliance(rows, sys.stdout, args.format)
        return 0
    try:
        with open_private(args.output, "w", encoding="utf-8", newline="") as out:
            write_compliance(rows, out, args.format)
    except OSError as exc:
        raise CommandFailed(file_failure(exc, args.output, "write")) from exc
    return 0
