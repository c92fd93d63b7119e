"""`pm-desk oncall ics`: the on-call rota as an iCalendar file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed
from pm_desk.commands.options import instant_argument
from pm_desk.handling import write_private
from pm_desk.services.errors import ServiceError

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext


def register(commands: Any) -> None:
    parser = commands.add_parser("oncall", help="on-call rota commands", description="On-call rota commands.")
    actions = parser.add_subparsers(
        dest="oncall_command", metavar="ACTION", required=True, parser_class=type(parser)
    )
    ics = actions.add_parser(
        "ics",
        help="export the on-call shifts as an iCalendar file",
        description="Export the on-call shifts (overrides applied) as an iCalendar (.ics) file.",
    )
    ics.add_argument("--user", metavar="EMAIL", help="only this person's shifts (default: every rotation's)")
    ics.add_argument(
        "--from", dest="start", type=instant_argument, help="first instant (default: 30 days ago)"
    )
    ics.add_argument("--to", dest="end", type=instant_argument, help="last instant (default: a year ahead)")
    ics.add_argument("-o", "--output", metavar="FILE.ics", required=True)
    ics.set_defaults(handler=run_ics)


def run_ics(context: CommandContext) -> int:
    from pm_desk.services.actor import actor_for_email
    from pm_desk.services.failures import file_failure
    from pm_desk.services.oncall_ics import default_window, oncall_calendar

    args = context.args
    db = context.database()
    default_start, default_end = default_window(db.clock())
    start, end = args.start or default_start, args.end or default_end
    if end <= start:
        raise CommandFailed("--to must be after --from")
    with db.uow() as uow:
        try:
            user_id = actor_for_email(uow, args.user).user_id if args.user else None
        except ServiceError as exc:
            raise CommandFailed(str(exc)) from exc
        calendar = oncall_calendar(uow, start, end, user_id)
    target = Path(args.output)
    try:
        write_private(target, calendar.to_ical())
    except OSError as exc:
        raise CommandFailed(file_failure(exc, target, "write")) from exc
    events = len(calendar.walk("VEVENT"))
    print(f"{events} on-call shifts written to {target}")
    return 0
