"""An application context over a database, as the app builds it, for a given user."""

from __future__ import annotations

from pathlib import Path

from pm_desk.domain.actor import Actor
from pm_desk.domain.policy import load_policy
from pm_desk.paths import resolve_paths
from pm_desk.services.actor import actor_for_email
from pm_desk.settings import Settings
from pm_desk.store.database import Database
from pm_desk.ui.app import build_context, make_application
from pm_desk.ui.context import AppContext


def make_context(db: Database, email: str, tmp_path: Path) -> AppContext:
    make_application()
    paths = resolve_paths(db=str(db.path))
    with db.uow() as uow:
        actor: Actor = actor_for_email(uow, email)
    return build_context(db, load_policy(), actor, paths, Settings(tmp_path / "settings.ini"))
