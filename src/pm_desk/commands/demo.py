"""`pm-desk demo`: write a deterministic synthetic program into a new database."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed
from pm_desk.commands.options import instant_argument

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext

SCALES = ("small", "program", "large")


def register(commands: Any) -> None:
    parser = commands.add_parser("demo", help="create a demo database", description=__doc__)
    parser.add_argument(
        "--scale", choices=SCALES, default="program", help="size of the program (default: program)"
    )
    parser.add_argument("--seed", type=int, default=287, help="random seed (default: 287)")
    parser.add_argument("--as-of", type=instant_argument, help="the demo's 'now' (default: now)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--force", action="store_true", help="replace an existing database")
    group.add_argument("--if-missing", action="store_true", help="do nothing when the database exists")
    parser.add_argument(
        "--plaintext", action="store_true", help="do not encrypt the database (tests and trials only)"
    )
    parser.set_defaults(handler=run)


def run(context: CommandContext) -> int:
    from pm_desk.demo import DEMO_PASSWORD, generate_demo
    from pm_desk.services.access import share_password
    from pm_desk.store.keyring import new_database_key
    from pm_desk.store.uow import system_clock

    args = context.args
    path = context.paths.database_path
    if path is None:
        raise CommandFailed("demo writes an embedded SQLite database; pass --db with a file path")
    if path.exists() and path.stat().st_size > 0:
        if args.if_missing:
            print(f"using the existing database {path}")
            return 0
        if not args.force:
            raise CommandFailed(f"{path} already exists; pass --force to replace it")
        _remove_database(path)
    started = time.perf_counter()
    key = new_database_key()
    db = context.open(None if args.plaintext else key, create=True)
    try:
        summary = generate_demo(db, args.scale, seed=args.seed, anchor=args.as_of, progress=_progress)
        share_password(db, path, key, DEMO_PASSWORD, system_clock())
    finally:
        db.close()
    settings = context.settings()
    if not settings.acting_user or args.force:
        settings.acting_user = summary.default_user_email
    elapsed = time.perf_counter() - started
    sys.stderr.write("\n")
    state = "plain (not encrypted)" if args.plaintext else "encrypted"
    print(f"demo '{args.scale}' written to {path} ({state}) in {elapsed:.1f} s")
    for table, count in sorted(summary.counts.items()):
        print(f"  {table:<24} {count:>10,}")
    print(f"sign in as {settings.acting_user} (manager) or {summary.admin_email} (administrator)")
    print(f"every demo user's password: {DEMO_PASSWORD}")
    return 0


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".open", ".keys", ".keys.lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _progress(step: str, fraction: float) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{step:<40} {fraction:>6.0%}")
        sys.stderr.flush()
