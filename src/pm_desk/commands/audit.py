"""`pm-desk audit verify`: check that the audit trail's hash chain is intact."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from pm_desk.commands.context import CommandContext, CommandFailed
from pm_desk.store.audit_log import iter_chain_problems
from pm_desk.store.models import AuditEntry


def register(commands: Any) -> None:
    parser = commands.add_parser("audit", help="audit trail commands", description="Audit trail commands.")
    actions = parser.add_subparsers(
        dest="audit_command", metavar="ACTION", required=True, parser_class=type(parser)
    )
    verify = actions.add_parser("verify", help="check the audit hash chain", description=__doc__)
    verify.set_defaults(handler=run_verify)


def run_verify(context: CommandContext) -> int:
    db = context.database()
    with db.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        problems = list(iter_chain_problems(connection))
    if problems:
        for problem in problems[:20]:
            print(f"audit entry {problem.seq}: {problem.what}")
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        raise CommandFailed(f"the audit trail is broken at {len(problems)} entries{more}")
    print(f"audit trail intact: {count:,} entries verified")
    return 0
