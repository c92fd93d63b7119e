"""`pm-desk compliance`: every rule result that is not ok, as JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

from pm_desk.commands.context import CommandContext, CommandFailed
from pm_desk.commands.options import instant_argument
from pm_desk.services.compliance import OUTPUT_FIELDS, compliance_results
from pm_desk.services.errors import ServiceError


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "compliance",
        help="list every rule result that is not ok",
        description="Every rule result that is not ok, sorted by rule then key.",
    )
    parser.add_argument("--as-of", type=instant_argument, help="date or instant (default: now)")
    parser.add_argument("--manager", metavar="EMAIL", help="only this manager's caseload")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(handler=run)


def run(context: CommandContext) -> int:
    args = context.args
    db = context.database()
    as_of = args.as_of or db.clock()
    with db.uow() as uow:
        try:
            items = compliance_results(uow, context.policy, as_of, args.manager)
        except ServiceError as exc:
            raise CommandFailed(str(exc)) from exc
    rows = [item.as_output() for item in items]
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout  # noqa: SIM115
    try:
        if args.format == "json":
            out.write(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=OUTPUT_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0
