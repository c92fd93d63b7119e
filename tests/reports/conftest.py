"""Reports on the `small` demo program (anchored at 2026-10-31 12:00 UTC), read back with pypdf."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pm_desk.demo import generate_demo
from pm_desk.demo.generate import DemoSummary
from pm_desk.domain.policy import Policy, load_policy
from pm_desk.store.database import Database, open_database
from support import FIXED_NOW, FakeClock, ready_to_sign_in


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("reports-demo") / "small.sqlite3"
    db = open_database(str(path), clock=FakeClock())
    summary = generate_demo(db, "small", anchor=FIXED_NOW)
    db.close()
    return path, summary


@pytest.fixture
def summary(small_demo: tuple[Path, DemoSummary]) -> DemoSummary:
    return small_demo[1]


@pytest.fixture
def small_db(small_demo: tuple[Path, DemoSummary], tmp_path: Path, clock: FakeClock) -> Iterator[Database]:
    target = tmp_path / "pm-desk.sqlite3"
    shutil.copy(small_demo[0], target)
    ready_to_sign_in(target)
    db = open_database(str(target), backup_dir=tmp_path / "backups", clock=clock)
    yield db
    db.close()


@pytest.fixture
def policy() -> Policy:
    return load_policy()
