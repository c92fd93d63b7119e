"""`pm-desk audit verify`: check the database file and the audit trail's hash chain;
`pm-desk audit reanchor`: re-anchor a forked chain (administrators)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed
from pm_desk.services.errors import ServiceError

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext
    from pm_desk.store.audit_chain import ChainProblem

SHOWN = 20
VERIFY_HELP = (
    "Check the database file (SQLite's quick_check) and the audit trail's hash chain: entries "
    "edited or removed, and forks (two writers that extended the chain from the same entry)."
)
REANCHOR_HELP = (
    "Re-anchor a forked audit trail: one audited entry names every fork and branch, after which "
    "the chain verifies again (and `verify` still lists the forks). Administrators only."
)


def register(commands: Any) -> None:
    parser = commands.add_parser("audit", help="audit trail commands", description="Audit trail commands.")
    actions = parser.add_subparsers(
        dest="audit_command", metavar="ACTION", required=True, parser_class=type(parser)
    )
    verify = actions.add_parser(
        "verify", help="check the database and the audit hash chain", description=VERIFY_HELP
    )
    verify.set_defaults(handler=run_verify)
    reanchor = actions.add_parser(
        "reanchor", help="re-anchor a forked audit chain", description=REANCHOR_HELP
    )
    reanchor.add_argument("--reason", required=True, help="why the chain is re-anchored (kept in the entry)")
    reanchor.set_defaults(handler=run_reanchor)


def run_verify(context: CommandContext) -> int:
    from pm_desk.services.audit_trail import check_chain
    from pm_desk.store.integrity import QUICK, check_file

    db = context.database()
    if db.path is not None:
        damage = check_file(db.path, QUICK, db.key)
        if damage:
            raise CommandFailed(db.note_damage(damage))
    report = check_chain(db.uow())
    for problem in report.problems[:SHOWN]:
        print(f"audit entry {problem.seq}: {problem.what}")
    for problem, anchor in report.reanchored[:SHOWN]:
        print(
            f"audit entry {problem.seq}: {problem.what}; re-anchored by entry {anchor.seq} "
            f"({anchor.at:%Y-%m-%d %H:%M} UTC, {anchor.actor_email})"
        )
    if report.problems:
        raise CommandFailed(_broken(report.damage, report.forks))
    reanchored = _fork_points([p for p, _ in report.reanchored])
    also = f" ({_plural(reanchored, 'fork')} re-anchored)" if reanchored else ""
    print(f"audit trail intact: {report.entries:,} entries verified{also}")
    return 0


def _broken(damage: list[ChainProblem], forks: list[ChainProblem]) -> str:
    parts = []
    if damage:
        more = f" (and {len(damage) - SHOWN} more)" if len(damage) > SHOWN else ""
        parts.append(f"the audit trail is broken at {len(damage)} entries{more}")
    if forks:
        points = _fork_points(forks)
        parts.append(
            f"{'it' if damage else 'the audit trail'} is forked at {_plural(points, 'entry', 'entries')} "
            "(two writers extended it at once; those entries were neither changed nor removed): an "
            "administrator can re-anchor it with `pm-desk audit reanchor --reason TEXT`"
        )
    return "; ".join(parts)


def _fork_points(problems: list[ChainProblem]) -> int:
    from pm_desk.store.audit_chain import FORK

    return len({p.follows for p in problems if p.kind == FORK})


def _plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def run_reanchor(context: CommandContext) -> int:
    from pm_desk.services.audit_trail import reanchor_chain

    db = context.database()
    actor = context.actor()
    try:
        result = reanchor_chain(db.uow(), actor, context.args.reason)
    except ServiceError as exc:
        raise CommandFailed(str(exc)) from exc
    print(
        f"re-anchored {_plural(result.forks, 'fork')} ({_plural(result.entries, 'entry', 'entries')} "
        "accepted); `pm-desk audit verify` lists them"
    )
    if result.remaining:
        print(f"still broken: {_plural(result.remaining, 'entry', 'entries')} edited or removed")
    return 0
