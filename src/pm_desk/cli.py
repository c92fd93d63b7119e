"""The `pm-desk` command: the desktop app when run bare, and the subcommands of DESIGN.md.

Exit codes: 0 ok, 1 failure (one line on stderr), 2 usage. A person never sees a traceback;
the log file under the log folder keeps the detail.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from pm_desk import __version__
from pm_desk.commands import audit, compliance, demo, oncall
from pm_desk.commands import interchange as interchange_commands
from pm_desk.commands import reminders as reminder_commands
from pm_desk.commands import reports as report_commands
from pm_desk.commands.context import CommandContext, CommandFailed
from pm_desk.logs import configure_logging
from pm_desk.store.errors import DatabaseError

log = logging.getLogger("pm_desk")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line (and exit code 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> Parser:
    parser = Parser(
        prog="pm-desk",
        description="PM Desk: the 287(g) program manager's desktop workbench. "
        "Run without a command to start the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"pm-desk {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="database file or URL (default: PM_DESK_DB, else the data folder)"
    )
    parser.add_argument(
        "--as-user", metavar="EMAIL", help="act as this user (scripted use; default from settings)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr too")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen on a temporary demo database, then exit (0: ok)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    demo.register(commands)
    compliance.register(commands)
    audit.register(commands)
    interchange_commands.register(commands)
    oncall.register(commands)
    report_commands.register(commands)
    reminder_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    if args.self_test:  # touches nothing of the person's own data, settings or logs
        from pm_desk.ui.self_test import run_self_test

        return run_self_test()
    context = CommandContext.from_args(args)
    configure_logging(context.paths.log_file, verbose=args.verbose)
    handler: Callable[[CommandContext], int] | None = getattr(args, "handler", None)
    try:
        if handler is None:
            from pm_desk.ui.app import run_app

            return run_app(context)
        return handler(context)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except (CommandFailed, DatabaseError) as exc:  # a store error met midway is a sentence too
        log.info("command failed: %s", exc)
        print(f"pm-desk: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # the reader stopped early (`| head`): nothing more to say
        return EXIT_OK
    except KeyboardInterrupt:
        print("pm-desk: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # the last line of defence: one sentence out, the detail in the log
        log.exception("unexpected failure")
        print(f"pm-desk: unexpected error: {exc} (details in {context.paths.log_file})", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        context.close()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
