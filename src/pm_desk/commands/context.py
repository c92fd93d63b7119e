"""What every command gets: paths, policy, the database and the acting user, opened lazily."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy, PolicyError
from pm_desk.paths import Paths, resolve_paths
from pm_desk.services.actor import actor_for_email
from pm_desk.services.errors import ServiceError
from pm_desk.store.database import Database, DatabaseError, open_database

if TYPE_CHECKING:
    from pm_desk.settings import Settings


class CommandFailed(Exception):
    """A command that cannot do what was asked; the message is one line for the user."""


@dataclass
class CommandContext:
    args: argparse.Namespace
    paths: Paths
    _db: Database | None = field(default=None, repr=False)

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

    def database(self, create: bool = False) -> Database:
        if self._db is None:
            path = self.paths.database_path
            if path is not None and path.is_dir():
                raise CommandFailed(f"{path} is a folder; --db names a database file")
            self.paths.ensure()
            try:
                self._db = open_database(self.paths.database, backup_dir=self.paths.backup_dir, create=create)
            except PolicyError as exc:
                raise CommandFailed(str(exc)) from exc
            except DatabaseError as exc:
                hint = "" if create else " (create one with `pm-desk demo` or `pm-desk import`)"
                raise CommandFailed(f"{exc}{hint}") from exc
            except sa_exc.ArgumentError as exc:  # a URL of no database SQLAlchemy knows
                raise CommandFailed(
                    f"{self.database_label} cannot be opened: --db takes a file path or a database URL "
                    "like postgresql+psycopg://host/pm_desk"
                ) from exc
        return self._db

    def settings(self) -> Settings:
        from pm_desk.settings import Settings  # Qt's settings: only the commands that need them load Qt

        return Settings(self.paths.settings_file)

    def actor(self) -> Actor:
        """The acting user: --as-user, else the one chosen in the settings."""
        email = getattr(self.args, "as_user", None) or self.settings().acting_user
        if not email:
            raise CommandFailed("no acting user: pass --as-user EMAIL")
        db = self.database()
        with db.uow() as uow:
            try:
                return actor_for_email(uow, email)
            except ServiceError as exc:
                raise CommandFailed(str(exc)) from exc

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
