"""What every command gets: paths, policy, the database and the acting user, opened lazily.

A database file is opened only by signing in: the person named by `--as-user` (else the last
one who signed in on this computer) proves who he is with his password, asked at the terminal or
read from the file named by PM_DESK_PASSWORD_FILE. `--as-user` alone grants nothing."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from pm_desk.commands.failed import CommandFailed
from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy, PolicyError
from pm_desk.paths import Paths, resolve_paths
from pm_desk.services.actor import actor_for_email
from pm_desk.services.errors import ServiceError
from pm_desk.services.failures import READ_ONLY
from pm_desk.store.cipher import WrongKey
from pm_desk.store.database import (
    Database,
    DatabaseError,
    MissingDatabaseError,
    open_database,
    refuse_what_is_not_a_database,
)
from pm_desk.store.uow import system_clock

__all__ = ["CommandContext", "CommandFailed"]

if TYPE_CHECKING:
    from pm_desk.services.access import Opened, Opener
    from pm_desk.settings import Settings


@dataclass
class CommandContext:
    args: argparse.Namespace
    paths: Paths
    _db: Database | None = field(default=None, repr=False)
    _opened: Opened | None = field(default=None, repr=False)
    _secret: str | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CommandContext:
        return cls(args, resolve_paths(getattr(args, "db", None)))

    @property
    def policy(self) -> Policy:
        """The policy in force: the database's own (a file in one's config folder changes nothing)."""
        return self.database().policy

    @property
    def database_label(self) -> str:
        """`the database /home/pm/pm-desk.sqlite3`, or its URL without the password."""
        path = self.paths.database_path
        if path is not None:
            return f"the database {path}"
        try:
            return f"the database {make_url(self.paths.database).render_as_string(hide_password=True)}"
        except Exception:  # a URL SQLAlchemy cannot read: said when the database is opened
            return "the database server"

    def database(self) -> Database:
        """The database, signed into (a server's URL is opened as it is: the server signs in)."""
        if self._db is None:
            if self.paths.database_path is None:
                self._db = self.open(None, create=False)
            else:
                self.sign_in()
        assert self._db is not None
        return self._db

    def open(self, key: bytes | None, create: bool) -> Database:
        """Open (or create) the database with `key` (None: a plain file or a server), every failure
        a sentence. Only sign-in, `init` and `demo` call this: everyone else signs in."""
        path = self.paths.database_path
        if path is not None and path.is_dir():
            raise CommandFailed(f"{path} is a folder, not a database file")
        self.paths.ensure()
        try:
            return open_database(
                self.paths.database, backup_dir=self.paths.backup_dir, create=create, key=key
            )
        except PolicyError as exc:
            raise CommandFailed(str(exc)) from exc
        except DatabaseError as exc:
            missing = isinstance(exc, MissingDatabaseError)
            hint = " (create one with `pm-desk init --admin EMAIL` or `pm-desk demo`)" if missing else ""
            raise CommandFailed(f"{exc}{hint}") from exc
        except sa_exc.ArgumentError as exc:  # a URL of no database SQLAlchemy knows
            raise CommandFailed(
                f"{self.database_label} cannot be opened: --db takes a file path or a database URL "
                "like postgresql+psycopg://host/pm_desk"
            ) from exc
        except WrongKey as exc:  # its key ring's key opens nothing: not a database, damaged, or another's
            raise CommandFailed(
                f"{self.database_label} is not a PM Desk database: it is not an SQLite file, or it is "
                "encrypted or damaged (if it is this database, damaged: `pm-desk restore` lists its "
                "backups, `pm-desk restore FILE` puts one back)"
            ) from exc

    def opener(self) -> Opener:
        return self.open

    def signing_in(self) -> str:
        """Who signs in: --as-user, else the last person who signed in here."""
        email = getattr(self.args, "as_user", None) or self.settings().acting_user
        if not email:
            raise CommandFailed("who is signing in? pass --as-user EMAIL")
        return str(email).strip()

    def sign_in(self, one_time_code_ok: bool = False) -> Opened:
        """Sign in to the database file (once per command)."""
        from pm_desk.commands.secret_input import password
        from pm_desk.services.access import SignInRefused, sign_in

        if self._opened is None:
            path = self.paths.database_path
            assert path is not None, "a server signs in its own way"
            if path.is_dir():
                raise CommandFailed(f"{path} is a folder, not a database file")
            if not path.exists():
                raise CommandFailed(
                    f"there is no database at {path}: create one with `pm-desk init --admin EMAIL` "
                    "(or `pm-desk demo`)"
                )
            try:
                refuse_what_is_not_a_database(path, self.paths.backup_dir)
            except DatabaseError as exc:
                raise CommandFailed(str(exc)) from exc
            if not _writable(path):  # signing in counts wrong passwords next to the database
                raise CommandFailed(f"{self.database_label} {READ_ONLY}")
            email = self.signing_in()
            secret = self.secret(f"Password for {email}: ", password)
            try:
                self._opened = sign_in(path, email, secret, self.opener(), system_clock())
            except SignInRefused as exc:
                raise CommandFailed(f"cannot sign in: {exc}") from None
            self._db = self._opened.db
        if self._opened.must_set_password and not one_time_code_ok:
            raise CommandFailed("that was a one-time code: choose your password first with `pm-desk passwd`")
        return self._opened

    def settings(self) -> Settings:
        from pm_desk.settings import Settings  # Qt's settings: only the commands that need them load Qt

        return Settings(self.paths.settings_file)

    def actor(self) -> Actor:
        """The signed-in user (on a server's URL: the user --as-user names)."""
        if self.paths.database_path is not None:
            return self.sign_in().actor
        email = getattr(self.args, "as_user", None) or self.settings().acting_user
        if not email:
            raise CommandFailed("who is signing in? pass --as-user EMAIL")
        db = self.database()
        with db.uow() as uow:
            try:
                return actor_for_email(uow, email)
            except ServiceError as exc:
                raise CommandFailed(str(exc)) from exc

    def secret(self, prompt: str, ask: Callable[[str], str]) -> str:
        """The password, asked once per command however many times it is needed."""
        if self._secret is None:
            self._secret = ask(prompt)
        return self._secret

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._opened = None


def _writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)
