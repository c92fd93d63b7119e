"""`pm-desk encrypt`: the signed-in person turns his plain database (an older PM Desk's, or one
made `--plaintext`) into an encrypted one with the key its key slots already hold, then his plain
backups too; the change is audited."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pm_desk.services.access import Opened, Opener, note_access
from pm_desk.store.backup import list_backups
from pm_desk.store.cipher import file_state
from pm_desk.store.encryption import EncryptionRefused, Step, encrypt_in_place, finish_interrupted_in

log = logging.getLogger(__name__)

__all__ = ["Encrypted", "EncryptionRefused", "encrypt_database"]


@dataclass(frozen=True)
class Encrypted:
    db: Opened  # signed in again, to the encrypted file
    database: bool  # the database itself was converted (False: it was encrypted already)
    backups: int  # plain backups encrypted with it
    failed: list[str]  # the backups that could not be converted, by name (still plain)


def plain_backups(backup_dir: Path | None, path: Path) -> list[Path]:
    """The backups of the database at `path` that are still plain SQLite files."""
    if backup_dir is None or not backup_dir.is_dir():
        return []
    return sorted(b.path for b in list_backups(backup_dir, path.stem) if file_state(b.path) == "plain")


def encrypt_database(
    opened: Opened, opener: Opener, backup_dir: Path | None, now: datetime, step: Step = lambda _: None
) -> Encrypted:
    """Close `opened`, encrypt its file in place with its key (unless it is already), encrypt its
    plain backups, and sign the same person in again; the change is audited."""
    path, key, plain = opened.path, opened.key, opened.plaintext
    opened.db.close()
    try:
        if plain:
            encrypt_in_place(path, key, step)
        converted, failed = _encrypt_backups(backup_dir, path, key)
    finally:
        opened.db = opener(key if not plain or file_state(path) == "encrypted" else None, False)
    again = Opened(opened.db, opened.actor, key, path, plaintext=False)
    if plain or converted:
        note_access(again, "encrypt", "encrypted", database=plain, backups=converted)
    log.info("database encrypted: %s; %d backups, %d could not be", plain, converted, len(failed))
    return Encrypted(again, plain, converted, failed)


def _encrypt_backups(backup_dir: Path | None, path: Path, key: bytes) -> tuple[int, list[str]]:
    if backup_dir is not None:
        finish_interrupted_in(backup_dir)
    converted, failed = 0, []
    for backup in plain_backups(backup_dir, path):
        try:
            encrypt_in_place(backup, key)
            converted += 1
        except Exception:  # a damaged backup stays as it is; the others are converted
            log.warning("a plain backup could not be encrypted", exc_info=True)
            failed.append(backup.name)
    return converted, failed
