"""What every command gets: paths, policy, the database and the acting user, opened lazily."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy, PolicyError, load_policy
from pm_desk.paths import Paths, resolve_paths
from pm_desk.services.actor import actor_for_email
from pm_desk.services.errors import ServiceError
from pm_desk.store.database import Database, DatabaseError, MissingDatabaseError, open_database

if TYPE_CHECKING:
    from pm_desk.settings import Settings


class CommandFailed(Exception):
    """A command that cannot do what was asked; the message is one line for the user."""


@dataclass
class CommandContext:
    args: argparse.Namespace
    paths: Paths
    _db: Database | None = field(default=None, repr=False)
    _policy: Policy | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CommandContext:
        return cls(args, resolve_paths(getattr(args, "db", None)))

    @property
    def policy(self) -> Policy:
        if self._policy is None:
            try:
                self._policy = load_policy(self.paths.policy_file)
            except PolicyError as exc:
                raise CommandFailed(str(exc)) from exc
        return self._policy

    def database(self, create: bool = False) -> Database:
        if self._db is None:
            self.paths.ensure()
            try:
                self._db = open_database(
                    self.paths.database, backup_dir=self.paths.backup_dir, create=create, policy=self.policy
                )
            except DatabaseError as exc:
                missing = isinstance(exc, MissingDatabaseError)
                hint = " (create one with `pm-desk demo` or `pm-desk import`)" if missing else ""
                raise CommandFailed(f"{exc}{hint}") from exc
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
