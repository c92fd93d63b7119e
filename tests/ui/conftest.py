"""The desktop app on the `small` demo program: generated once per test process, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from contexts import make_context

from pm_desk.demo import generate_demo
from pm_desk.store.database import Database, open_database
from pm_desk.ui.context import AppContext
from support import FIXED_NOW, FakeClock, ready_to_sign_in


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("small-demo")
    path = folder / "small.sqlite3"
    db = open_database(str(path), clock=FakeClock())
    summary = generate_demo(db, "small", anchor=FIXED_NOW)
    db.close()
    return path, summary


@pytest.fixture
def small_db(small_demo: tuple[Path, object], tmp_path: Path, clock: FakeClock) -> Iterator[Database]:
    source, _summary = small_demo
    target = tmp_path / "pm-desk.sqlite3"
    shutil.copy(source, target)
    ready_to_sign_in(target)
    db = open_database(str(target), backup_dir=tmp_path / "backups", clock=clock)
    yield db
    db.close()


@pytest.fixture
def summary(small_demo: tuple[Path, object]) -> object:
    return small_demo[1]


@pytest.fixture
def manager_ctx(qapp, small_db: Database, summary, tmp_path: Path) -> AppContext:
    return make_context(small_db, summary.default_user_email, tmp_path)


@pytest.fixture
def supervisor_ctx(qapp, small_db: Database, summary, tmp_path: Path) -> AppContext:
    return make_context(small_db, summary.supervisor_emails[0], tmp_path)


__all__ = ["FIXED_NOW"]
