"""The `pm-desk` command: the desktop app when run bare, and the subcommands of DESIGN.md.

Exit codes: 0 ok, 1 failure (one line on stderr), 2 usage. A person never sees a traceback;
the log file under the log folder keeps the detail.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from pm_desk import __version__
from pm_desk.commands import access, audit, backup, compliance, demo, oncall, policy
from pm_desk.commands import interchange as interchange_commands
from pm_desk.commands import reminders as reminder_commands
from pm_desk.commands import reports as report_commands
from pm_desk.commands.failed import CommandFailed
from pm_desk.paths import owner_only
from pm_desk.services.errors import ServiceError
from pm_desk.store.errors import DatabaseError

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext

# Parsing the command line loads no database, report or Qt code (`--version` and `--help` stay
# quick): each command imports what it uses when it runs, and so does `main` below.

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
        "--as-user",
        metavar="EMAIL",
        help="sign in as this user (default: the last one who signed in here); the password is asked "
        "at the terminal, or read from the file named by PM_DESK_PASSWORD_FILE",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr too")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen on a temporary demo database, then exit (0: ok)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    access.register(commands)
    demo.register(commands)
    compliance.register(commands)
    audit.register(commands)
    backup.register(commands)
    policy.register(commands)
    interchange_commands.register(commands)
    oncall.register(commands)
    report_commands.register(commands)
    reminder_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    owner_only()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    if args.self_test:  # touches nothing of the person's own data, settings or logs
        from pm_desk.ui.self_test import run_self_test

        return run_self_test()
    from pm_desk.commands.context import CommandContext
    from pm_desk.logs import configure_logging, unraisable_errors_logged

    context = CommandContext.from_args(args)
    configure_logging(context.paths.log_file, verbose=args.verbose)
    handler: Callable[[CommandContext], int] | None = getattr(args, "handler", None)
    try:
        with unraisable_errors_logged():
            return _run(context, handler)
    finally:
        try:
            context.close()
        except Exception:  # closing after a failure must not turn its sentence into a traceback
            log.warning("the database was not closed cleanly", exc_info=True)


def _run(context: CommandContext, handler: Callable[[CommandContext], int] | None) -> int:
    try:
        if handler is None:
            from pm_desk.ui.app import run_app

            return run_app(context)
        return handler(context)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except (CommandFailed, DatabaseError) as exc:  # a store error met midway is a sentence too
        # A refusal is its sentence; a fault behind it (the database, a file) keeps its detail.
        log.info("command failed: %s", exc, exc_info=_fault_behind(exc))
        print(f"pm-desk: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # the reader stopped early (`| head`): nothing more to say
        return EXIT_OK
    except KeyboardInterrupt:
        print("pm-desk: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # the last line of defence: one sentence out, the detail in the log
        from pm_desk.services.failures import failure_sentence

        sentence = failure_sentence(exc, context.database_label)
        if sentence is not None:  # the database or a file failed: say which, and what to do
            log.error("command failed: %s", sentence, exc_info=True)
            print(f"pm-desk: {sentence}", file=sys.stderr)
            return EXIT_FAILURE
        # Only the kind of error: its text may quote a value, and the log has it (masked).
        log.exception("unexpected failure")
        print(
            f"pm-desk: unexpected error ({type(exc).__name__}); the details are in {context.paths.log_file}",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def _fault_behind(exc: BaseException) -> bool:
    """Whether a refusal was raised from an error that is not itself a refusal."""
    cause = exc.__cause__
    while cause is not None:
        if not isinstance(cause, CommandFailed | ServiceError):
            return True
        cause = cause.__cause__
    return False


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
