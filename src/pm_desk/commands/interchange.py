"""`pm-desk import`, `pm-desk export` and `pm-desk import-ice`: the interchange tables and ICE's lists.

A refused import prints every problem (`file:line: column: what is wrong`) on standard output,
then one summary line on standard error, and exits with 1: nothing was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed
from pm_desk.commands.options import date_argument
from pm_desk.handling import HANDLING_FILE, HANDLING_SHEET
from pm_desk.services.errors import ServiceError

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext

TABLE_HELP = "a folder of CSV files (users.csv, agencies.csv, ...) or one .xlsx workbook"


def register(commands: Any) -> None:
    importer = commands.add_parser(
        "import",
        help="import the interchange tables (CSV folder or .xlsx)",
        description="Import the interchange tables: every row is checked before anything is written; "
        "a set with any problem writes nothing.",
    )
    importer.add_argument(
        "source", metavar="DIR|FILE.xlsx|FILE.ics", help=f"{TABLE_HELP}, or a rota as an iCalendar file"
    )
    importer.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    importer.add_argument(
        "--field-office", metavar="CODE", help="a rota calendar (.ics): the field office of its shifts"
    )
    importer.add_argument(
        "--rotation", metavar="NAME", help="a rota calendar (.ics): the rotation of its shifts"
    )
    importer.set_defaults(handler=run_import)

    exporter = commands.add_parser(
        "export",
        help="export the interchange tables",
        description="Export the interchange tables of your scope, under the handling banner (a "
        f"{HANDLING_FILE} beside the CSV files; a first sheet {HANDLING_SHEET!r} in a workbook). "
        "A-numbers are masked (A•••••1234) unless --full-a-numbers; importing a masked export back "
        "leaves the stored A-numbers unchanged. The files are readable by you only.",
    )
    exporter.add_argument("target", metavar="DIR|FILE.xlsx", help=TABLE_HELP)
    exporter.add_argument(
        "--full-a-numbers",
        action="store_true",
        help="write A-numbers in full: the files then hold subject data (managers and supervisors only)",
    )
    exporter.set_defaults(handler=run_export)

    ice = commands.add_parser(
        "import-ice",
        help="import one of ICE's published participating or pending agency lists",
        description="Import ICE's published list of participating (or, with --pending, pending) "
        "287(g) agencies: report what is new, changed and gone since the last list, and every row "
        "that cannot be read.",
    )
    ice.add_argument("file", metavar="FILE", help="the list as ICE publishes it (.xlsx)")
    ice.add_argument("--pending", action="store_true", help="a list of pending applications")
    ice.add_argument("--dry-run", action="store_true", help="report, write nothing")
    ice.add_argument(
        "--field-office",
        metavar="CODE",
        help="field office of new agreements in states no office has agreements in yet",
    )
    ice.add_argument(
        "--listed-on",
        type=date_argument,
        metavar="DATE",
        help="the list's date (default: from the file name, like participatingAgencies07162025am.xlsx)",
    )
    ice.set_defaults(handler=run_import_ice)


def _counts(counts: dict[str, dict[str, int]]) -> None:
    for table, numbers in counts.items():
        line = "  ".join(f"{numbers.get(k, 0):>8,} {k}" for k in ("new", "changed", "unchanged"))
        print(f"  {table:<16}{line}")


def run_import(context: CommandContext) -> int:
    from pm_desk.services.imports import ImportDenied, ImportRefused, RotaCalendar, import_tables

    args = context.args
    source = Path(args.source)
    db = context.database()
    actor = context.actor()
    try:
        report = import_tables(
            db.uow(),
            actor,
            source,
            dry_run=args.dry_run,
            calendar=RotaCalendar(args.field_office, args.rotation),
        )
    except (ImportRefused, ImportDenied) as refused:
        for note in refused.report.notes:
            print(f"note: {note}")
        for problem in refused.report.problems:
            print(problem)
        raise CommandFailed(str(refused)) from refused
    except ServiceError as exc:
        raise CommandFailed(str(exc)) from exc
    for note in report.notes:
        print(f"note: {note}")
    _counts(report.counts)
    print(report.summary())
    if not args.dry_run and report.counts.get("users", {}).get("new", 0):
        _tell_who_cannot_sign_in(context)
    return 0


def _tell_who_cannot_sign_in(context: CommandContext) -> None:
    from pm_desk.services.access import without_sign_in

    if context.paths.database_path is None:
        return  # a server's users sign in with their server accounts
    waiting = without_sign_in(context.sign_in())
    if waiting:
        people = "person has" if len(waiting) == 1 else "people have"
        print(
            f"{len(waiting):,} {people} no password here yet: give each a one-time code with "
            "`pm-desk passwd EMAIL` (as an administrator)"
        )


def run_export(context: CommandContext) -> int:
    from pm_desk.services.imports import export_interchange

    target = Path(context.args.target)
    if target.exists() and not target.is_dir() and target.suffix.lower() != ".xlsx":
        raise CommandFailed(f"{target} is a file; export to a folder or to an .xlsx workbook")
    if target.is_dir() and target.suffix.lower() == ".xlsx":
        raise CommandFailed(
            f"{target} is a folder; an export ending in .xlsx is a workbook: name a file, or a folder "
            "without .xlsx"
        )
    actor = context.actor()
    try:
        counts = export_interchange(
            context.database().uow(), actor, target, full_a_numbers=context.args.full_a_numbers
        )
    except ServiceError as exc:
        raise CommandFailed(str(exc)) from exc
    for table, rows in counts.items():
        print(f"  {table:<16}{rows:>10,} rows")
    a_numbers = "in full (subject data)" if context.args.full_a_numbers else "masked"
    print(f"exported {sum(counts.values()):,} rows to {target}, A-numbers {a_numbers}")
    return 0


def run_import_ice(context: CommandContext) -> int:
    from pm_desk.services.ice_lists import IceImportRefused, import_ice_list

    args = context.args
    db = context.database()
    actor = context.actor()
    try:
        report = import_ice_list(
            db.uow(),
            actor,
            Path(args.file),
            pending=args.pending,
            dry_run=args.dry_run,
            listed_on=args.listed_on,
        )
    except IceImportRefused as refused:
        raise CommandFailed(str(refused)) from refused
    except ServiceError as exc:
        raise CommandFailed(str(exc)) from exc
    for line in report.lines():
        print(line)
    return 0
