"""`pm-desk encrypt`: the signed-in person turns his plain database (an older PM Desk's, or one
made `--plaintext`) into an encrypted one with the key its key slots already hold, then his plain
backups too; the change is audited."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pm_desk.services.access import Opened, Opener, note_access
from pm_desk.store.cipher import file_state
from pm_desk.store.encryption import EncryptionRefused, Step, encrypt_in_place

log = logging.getLogger(__name__)

__all__ = ["Encrypted", "EncryptionRefused", "encrypt_database"]


@dataclass(frozen=True)
class Encrypted:
    db: Opened  # signed in again, to the encrypted file
    backups: int  # plain backups encrypted with it


def plain_backups(backup_dir: Path | None, path: Path) -> list[Path]:
    """The backups of the database at `path` that are still plain SQLite files."""
    if backup_dir is None or not backup_dir.is_dir():
        return []
    return sorted(p for p in backup_dir.glob(f"{path.stem}-*.sqlite3") if file_state(p) == "plain")


def encrypt_database(
    opened: Opened, opener: Opener, backup_dir: Path | None, now: datetime, step: Step = lambda _: None
) -> Encrypted:
    """Close `opened`, encrypt its file in place with its key, encrypt its plain backups, and
    sign the same person in again (the audit trail records who encrypted it)."""
    if not opened.plaintext:
        raise EncryptionRefused(f"{opened.path.name} is already encrypted")
    path, key = opened.path, opened.key
    opened.db.close()
    encrypt_in_place(path, key, step)
    backups = plain_backups(backup_dir, path)
    for backup in backups:
        encrypt_in_place(backup, key)
    db = opener(key, False)
    again = Opened(db, opened.actor, key, path, plaintext=False)
    note_access(again, "encrypt", "encrypted", backups=len(backups))
    log.info("database encrypted with %d backups", len(backups))
    return Encrypted(again, len(backups))
