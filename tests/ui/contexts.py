"""An application context over a database, as the app builds it, for a given user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import Policy, load_policy
from pm_desk.paths import resolve_paths
from pm_desk.services.actor import actor_for_email
from pm_desk.settings import Settings
from pm_desk.store.database import Database
from pm_desk.ui.app import build_context, make_application
from pm_desk.ui.context import AppContext


def make_context(db: Database, email: str, tmp_path: Path, policy: Policy | None = None) -> AppContext:
    """The context of `email` over `db`; with `policy`, the store and the app both use it."""
    make_application()
    if policy is not None:
        db.policy = policy
    paths = resolve_paths(db=str(db.path))
    with db.uow() as uow:
        actor: Actor = actor_for_email(uow, email)
    return build_context(db, policy or load_policy(), actor, paths, Settings(tmp_path / "settings.ini"))


def store_read(ctx: AppContext, query: Any, *args: Any) -> Any:
    """A store query run by the test itself (the app reads through its read services)."""
    with ctx.db.uow() as uow:
        return query(uow.session, *args)


def settle(ctx: AppContext) -> None:
    """Wait until every operation the test started on the database worker has finished and its
    page has heard of it."""
    assert ctx.ops.wait(30_000), "an operation did not finish"
    QApplication.processEvents()
