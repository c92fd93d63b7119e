"""Small helpers the tests share (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from pm_desk.demo import DEMO_PASSWORD
from pm_desk.store.keyring import KdfParams, KeyRing, new_database_key

FIXED_NOW = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
# The password of every user of a test database (the tests' PM_DESK_PASSWORD_FILE holds it).
TEST_PASSWORD = DEMO_PASSWORD
# Slots record their own cost: the tests' are cheap to open (the policy's floor is for real ones).
CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)


def ready_to_sign_in(database: Path, password: str = TEST_PASSWORD) -> None:
    """Give every active user of the plain test database at `database` a key slot opened by
    `password`, as `pm-desk demo` does for a demo's users (with a cheap Argon2id)."""
    with sqlite3.connect(database) as connection:
        emails = [
            row[0]
            for row in connection.execute("SELECT email FROM users WHERE active AND deleted_at IS NULL")
        ]
    connection.close()
    with KeyRing.editing(KeyRing.path_for(database)) as ring:
        ring.add_shared(emails, "password", password, new_database_key(), CHEAP_KDF, FIXED_NOW)


def make_demo(path: Path, *, plaintext: bool = True, home: Path | None = None) -> Path:
    """The `small` demo at the tests' instant, as `pm-desk demo` writes it (plain unless told,
    its WAL folded in so that a plain file reads with sqlite3 alone), with its own PM_DESK_HOME
    when given (a module's fixture runs before each test's home is set)."""
    import os

    from pm_desk.cli import main

    command = ["--db", str(path), "demo", "--scale", "small", "--as-of", "2026-10-31T12:00:00Z"]
    saved = os.environ.get("PM_DESK_HOME")
    if home is not None:
        os.environ["PM_DESK_HOME"] = str(home)
    try:
        assert main([*command, "--plaintext"] if plaintext else command) == 0
    finally:
        if home is not None:
            if saved is None:
                os.environ.pop("PM_DESK_HOME", None)
            else:
                os.environ["PM_DESK_HOME"] = saved
    if plaintext:
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
    return path


def copy_database(source: Path, target: Path) -> Path:
    """A copy of the database file at `source` with its key ring (who may sign in), at `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    shutil.copyfile(KeyRing.path_for(source), KeyRing.path_for(target))
    return target


class FakeClock:
    """A clock the test sets: `clock.now = ...` moves time."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# A policy that moves every threshold to a number the defaults never use, so a label that still
# names a default (200 days, 30 days, 48 hours...) shows up in a test.
CHANGED_POLICY_TOML = """
[refresher]
interval_days = 400
due_soon_days = 45
revocation_grace_days = 21

[initial_training]
wait_warn_days = 61
wait_late_days = 121

[equipment]
late_days = 133
alarm_days = 150

[hold]
hours = 36
due_soon_hours = 9

[renewal]
due_soon_days = 75

[steering_committee]
interval_days = 300
due_soon_days = 25

[complaint]
report_hours = 72
resolution_days = 120

[workload]
default_capacity = 11.0
overload_ratio = 0.9
recent_transfer_days = 33

[oncall]
max_consecutive_primary_days = 6
min_rest_hours = 10
lookahead_days = 16
fairness_window_days = 70
"""

# How the changed figures read in sentences, and the defaults' that must no longer appear.
CHANGED_FIGURES = (
    "400 days", "45 days", "21 days", "61 days", "121 days", "133 days", "150 days", "36 hours",
    "9 hours", "75 days", "300 days", "25 days", "72 hours", "120 days", "6 days", "10 hours", "16 days",
    "33 days",
)  # fmt: skip
DEFAULT_FIGURES = ("200 days", "180 days", "30 days", "90 days", "48 hours", "48-hour", "365 days", "6 hours")


def changed_policy() -> object:
    from pm_desk.domain.policy import Policy, apply_policy_text, load_policy

    policy: Policy = apply_policy_text(load_policy(), CHANGED_POLICY_TOML, "changed policy")
    return policy
