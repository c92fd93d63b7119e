"""Every place PM Desk reads or writes on disk, resolved once from platformdirs.

`PM_DESK_HOME` puts everything (data, config, logs, backups) under one folder, which is what
tests, demos and portable installs use; `--db` or `PM_DESK_DB` pick the database file alone.
Nothing is resolved at import time: `resolve_paths()` is called by the entry points.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "pm-desk"
DB_FILE_NAME = "pm-desk.sqlite3"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    backup_dir: Path
    # A file path for the embedded SQLite store, or a database URL (postgresql+psycopg://...).
    database: str

    @property
    def policy_file(self) -> Path:
        return self.config_dir / "policy.toml"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "pm-desk.ini"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "pm-desk.log"

    @property
    def database_is_file(self) -> bool:
        return "://" not in self.database

    @property
    def database_path(self) -> Path | None:
        return Path(self.database) if self.database_is_file else None

    def ensure(self) -> Paths:
        """Make the folders, each readable by its owner only (0700): they hold subject data."""
        for folder in (self.data_dir, self.config_dir, self.log_dir, self.backup_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if folder.stat().st_mode & 0o077:
                folder.chmod(0o700)
        return self


def owner_only() -> None:
    """Every file and folder this process creates from now on is its owner's only (umask 077):
    the database and its WAL, backups, exports, reports, logs and settings."""
    os.umask(0o077)


def resolve_paths(db: str | None = None, environ: Mapping[str, str] | None = None) -> Paths:
    env = os.environ if environ is None else environ
    home = env.get("PM_DESK_HOME")
    if home:
        root = Path(home).expanduser()
        data, config, logs = root / "data", root / "config", root / "logs"
    else:
        data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        config = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    database = db or env.get("PM_DESK_DB") or str(data / DB_FILE_NAME)
    if "://" not in database:
        database = str(Path(database).expanduser().absolute())
    return Paths(
        data_dir=data, config_dir=config, log_dir=logs, backup_dir=data / "backups", database=database
    )
