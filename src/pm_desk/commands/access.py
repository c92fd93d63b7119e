"""`pm-desk init` and `pm-desk passwd`: a database's first administrator, passwords and codes."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed
from pm_desk.commands.secret_input import PASSWORD_FILE, new_password, secret
from pm_desk.services.errors import ServiceError, ValidationError

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext


def register(commands: Any) -> None:
    init = commands.add_parser(
        "init",
        help="a new, empty database with its first administrator",
        description=(
            "Create a new, empty database, encrypted, with its first administrator, and print the "
            "recovery key once (write it down: it lets an administrator in if every password is "
            "lost). On a plain database from an older PM Desk that has no sign-in yet, give it its "
            "first administrator. The password is typed twice at the terminal, or read from the "
            f"file named by {PASSWORD_FILE}."
        ),
    )
    init.add_argument("--admin", metavar="EMAIL", required=True, help="the first administrator's email")
    init.add_argument("--name", default="", help="his name (needed when he is not in the database yet)")
    init.add_argument(
        "--plaintext",
        action="store_true",
        help="do not encrypt the new database (tests and trials only: it says so in the app)",
    )
    init.set_defaults(handler=run_init)

    passwd = commands.add_parser(
        "passwd",
        help="change your password, or (administrator) give someone a one-time code",
        description=(
            "Without EMAIL: change your own password (sign in with your password or your one-time "
            "code first). With EMAIL, as an administrator: print a one-time code for that person to "
            "sign in with and choose his password; his old password stops working (also a locked-out "
            "person's way back in). With --recovery: use the recovery key instead of signing in, to "
            "give an administrator a code when every password is lost."
        ),
    )
    passwd.add_argument("email", nargs="?", metavar="EMAIL", help="who gets a one-time code")
    passwd.add_argument(
        "--new-password-file", type=Path, metavar="FILE", help="read the new password from FILE (owner-only)"
    )
    passwd.add_argument("--recovery", action="store_true", help="use the recovery key (for EMAIL)")
    passwd.add_argument("--recovery-file", type=Path, metavar="FILE", help="read the recovery key from FILE")
    passwd.set_defaults(handler=run_passwd)

    encrypt = commands.add_parser(
        "encrypt",
        help="encrypt a plain database (and its plain backups) in place",
        description=(
            "Turn a plain database (from an older PM Desk, or made with --plaintext) into an "
            "encrypted one, with the key its sign-in already holds: an encrypted copy is written "
            "beside it and checked, then takes its place; the plain file is overwritten and "
            "removed, and its plain backups are encrypted too. Close PM Desk everywhere first."
        ),
    )
    encrypt.set_defaults(handler=run_encrypt)


def run_init(context: CommandContext) -> int:
    from pm_desk.services.access import FirstAdmin, create_first_admin
    from pm_desk.store.uow import system_clock

    args = context.args
    path = _database_file(context)
    password = new_password(f"Password for {args.admin}: ")
    admin = FirstAdmin(args.admin.strip(), args.name, password)
    try:
        recovery = create_first_admin(
            path, admin, context.opener(), system_clock(), encrypt=not args.plaintext
        )
    except ServiceError as exc:
        if isinstance(exc, ValidationError) and exc.for_field("name"):
            raise CommandFailed(
                f"{admin.email} is not in the database yet: give his name with --name"
            ) from exc
        raise CommandFailed(str(exc)) from exc
    state = "plain (not encrypted)" if _is_plain(path) else "encrypted"
    print(f"database {path}: {state}, first administrator {admin.email.lower()}")
    print("recovery key (shown once; write it down and keep it away from this computer):")
    print(f"  {recovery}")
    return 0


def run_passwd(context: CommandContext) -> int:
    from pm_desk.services.access import SignInRefused, issue_code, recover, set_password
    from pm_desk.store.uow import system_clock

    args = context.args
    now = system_clock()
    if args.recovery:
        if not args.email:
            raise CommandFailed("--recovery needs the EMAIL of the administrator who gets a code")
        path = _database_file(context)
        key = secret("Recovery key: ", args.recovery_file, "recovery key")
        try:
            code = recover(path, key, args.email, context.opener(), now)
        except (SignInRefused, ServiceError) as exc:
            raise CommandFailed(str(exc)) from exc
        _print_code(args.email, code)
        return 0
    opened = context.sign_in(one_time_code_ok=not args.email)
    if args.email:
        try:
            code = issue_code(opened, args.email, now)
        except ServiceError as exc:
            raise CommandFailed(str(exc)) from exc
        _print_code(args.email, code, opened.db.policy.security.code_valid_hours)
        return 0
    password = new_password(f"New password for {opened.actor.email}: ", args.new_password_file)
    try:
        set_password(opened, password, now)
    except ServiceError as exc:
        raise CommandFailed(str(exc)) from exc
    print(f"password changed for {opened.actor.email}")
    return 0


def run_encrypt(context: CommandContext) -> int:
    from pm_desk.services.encrypting import EncryptionRefused, encrypt_database
    from pm_desk.store.uow import system_clock

    path = _database_file(context)
    opened = context.sign_in()
    try:
        done = encrypt_database(opened, context.opener(), context.paths.backup_dir, system_clock())
    except EncryptionRefused as exc:
        raise CommandFailed(str(exc)) from exc
    finally:
        opened.db.close()  # the database opened again after the conversion (or its attempt)
        context.close()
    what = f"{path} is encrypted" if done.database else f"{path} is already encrypted"
    backups = f"{done.backups} plain backup{'s' if done.backups != 1 else ''}"
    print(f"{what}, and {backups}" if done.backups else what)
    if done.failed:
        raise CommandFailed(
            f"{len(done.failed)} plain backup(s) could not be encrypted (damaged?): "
            f"{', '.join(done.failed)}; delete them if they are not needed"
        )
    return 0


def _print_code(email: str, code: str, hours: int | None = None) -> None:
    valid = f", valid for {hours} hours" if hours else ""
    print(f"one-time code for {email.strip().lower()}{valid}; read it to him, do not email it:")
    print(f"  {code}")


def _database_file(context: CommandContext) -> Path:
    from pm_desk.services.failures import READ_ONLY

    path = context.paths.database_path
    if path is None:
        raise CommandFailed("this command works on a database file: pass --db with a file path")
    if path.is_dir():
        raise CommandFailed(f"{path} is a folder, not a database file")
    context.paths.ensure()
    with contextlib.suppress(OSError):  # said below, as a folder that cannot be written
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not os.access(path.parent, os.W_OK):  # the database and its key file are written beside it
        raise CommandFailed(f"{context.database_label} {READ_ONLY}")
    return path


def _is_plain(path: Path) -> bool:
    from pm_desk.store.cipher import file_state

    return file_state(path) == "plain"
