"""`pm-desk reminders ics`: a user's open reminders as an iCalendar file.

reminders ics [--user EMAIL] -o FILE.ics [--events] [--zone ZONE] [--as-of INSTANT]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed
from pm_desk.commands.options import instant_argument
from pm_desk.services.errors import ServiceError

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext


def register(commands: Any) -> None:
    parser = commands.add_parser("reminders", help="reminder commands", description="Reminder commands.")
    actions = parser.add_subparsers(
        dest="reminders_command", metavar="ACTION", required=True, parser_class=type(parser)
    )
    ics = actions.add_parser(
        "ics",
        help="write the open reminders to an iCalendar file",
        description="Write a user's open reminders (his own and those derived from the compliance "
        "rules) to an iCalendar file, as to-dos (VTODO) with their recurrence rules.",
    )
    ics.add_argument("--user", metavar="EMAIL", help="whose reminders (default: the acting user)")
    ics.add_argument("-o", "--output", metavar="FILE.ics", type=Path, required=True)
    ics.add_argument(
        "--events", action="store_true", help="write events with an alarm (VEVENT) instead of to-dos"
    )
    ics.add_argument(
        "--zone", metavar="ZONE", help="time zone whole-day dues are read in (default: this computer's)"
    )
    ics.add_argument(
        "--as-of", type=instant_argument, help="which derived reminders are due as of (default: now)"
    )
    ics.set_defaults(handler=run_ics)


def run_ics(context: CommandContext) -> int:
    from pm_desk.domain.scope import sees_caseload_of
    from pm_desk.localzone import local_zone_name, valid_zone
    from pm_desk.services.actor import actor_for_email
    from pm_desk.services.reminder_calendar import export_calendar

    args = context.args
    zone = local_zone_name()
    if args.zone:
        checked = valid_zone(args.zone)
        if checked is None:
            raise CommandFailed(f"{args.zone!r} is not a time zone like America/New_York")
        zone = checked
    db = context.database()
    viewer = context.actor()
    owner = viewer
    if args.user:
        with db.uow() as uow:
            try:
                owner = actor_for_email(uow, args.user)
            except ServiceError as exc:
                raise CommandFailed(str(exc)) from exc
        if not sees_caseload_of(viewer, owner.user_id, owner.field_office_id):
            raise CommandFailed(f"{viewer.name} cannot see the reminders of {owner.email}")
    with db.uow() as uow:
        try:
            now = args.as_of or db.clock()
            written = export_calendar(uow, context.policy, owner, now, zone, args.output, args.events)
        except ServiceError as exc:
            raise CommandFailed(str(exc)) from exc
    kind = "events" if args.events else "to-dos"
    recurring = f"{written.recurring} recurring"
    print(f"{written.count} reminders of {owner.email} ({recurring}) as {kind} in {written.path}")
    return 0
