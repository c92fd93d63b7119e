"""Key slots: the database key, wrapped once for each person who may open this laptop's database.

The database is encrypted with a random 256-bit key that is never stored in the clear. Each slot
holds that key encrypted (AES-GCM) under a key derived from one person's secret with Argon2id: his
password, a one-time code an administrator issued him, or the administrator's recovery key. The
slots live in a side file next to the database (`<database>.keys`, JSON, owner-only, written
atomically) because they must be read before the database can be. Nothing in the file tells a
secret or the database key; it does name who holds each slot.

A wrong secret counts against its slot: the next try must wait longer each time, and after the
policy's number of failures the slot locks until an administrator issues a new code. Failed tries
are kept in the file until the next successful sign-in writes them to the audit trail.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from filelock import FileLock, Timeout

KEY_BYTES = 32
FORMAT = 1
# The least an installation may ask of Argon2id when it writes a slot (the policy may ask more).
MIN_MEMORY_KIB = 64 * 1024
FIRST_DELAY = timedelta(seconds=1)
LONGEST_DELAY = timedelta(minutes=5)


class KeyRingError(Exception):
    """A slot that cannot be used; the message is a sentence for the person, `wait` how long
    before the next try may be made (after a wrong secret)."""

    def __init__(self, message: str, wait: timedelta | None = None) -> None:
        super().__init__(message)
        self.wait = wait


class WrongSecret(KeyRingError):
    pass


class SlotLocked(KeyRingError):
    pass


class TooSoon(KeyRingError):
    pass


@dataclass(frozen=True)
class KdfParams:
    """Argon2id's cost, recorded with each slot so it can be raised later for new slots."""

    time_cost: int = 3
    memory_kib: int = MIN_MEMORY_KIB
    parallelism: int = 2


@dataclass
class KeySlot:
    id: str
    holder: str  # the person's email (lower case), or "recovery"
    kind: str  # "password", "code" (one-time, set by an administrator) or "recovery"
    salt: str
    nonce: str
    wrapped: str
    kdf: KdfParams
    created_at: str
    expires_at: str | None = None
    failures: int = 0
    locked: bool = False
    next_try_at: str | None = None


@dataclass
class FailedTry:
    at: str
    holder: str
    what: str  # "wrong password", "locked after 5 failures", ...


@dataclass
class KeyRing:
    path: Path
    slots: list[KeySlot] = field(default_factory=list)
    failed: list[FailedTry] = field(default_factory=list)
    max_failures: int = 5

    # -- the file ---------------------------------------------------------------------------------
    @classmethod
    def path_for(cls, database: Path) -> Path:
        return database.with_name(database.name + ".keys")

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        """The key ring at `path`, or an empty one when there is no file yet."""
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            slots = [KeySlot(**{**s, "kdf": KdfParams(**s["kdf"])}) for s in data["slots"]]
            failed = [FailedTry(**f) for f in data.get("failed", [])]
            return cls(path, slots, failed, int(data.get("max_failures", 5)))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KeyRingError(f"the key file {path.name} cannot be read: it is damaged") from exc

    @classmethod
    @contextmanager
    def editing(cls, path: Path) -> Iterator[KeyRing]:
        """The key ring at `path` for one change, with no other process changing it meanwhile; it is
        saved on the way out even when the change fails (a wrong password must stay counted)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(f"{path}.lock", mode=0o600)
        try:
            lock.acquire(timeout=30)
        except Timeout:
            raise KeyRingError(f"the key file {path.name} is busy in another PM Desk: try again") from None
        try:
            ring = cls.load(path)
            try:
                yield ring
            finally:
                if ring.slots or path.exists():
                    ring.save()
        finally:
            lock.release()

    def save(self) -> None:
        """Write the file next to its target and move it into place: never half a key ring."""
        data = {
            "format": FORMAT,
            "max_failures": self.max_failures,
            "slots": [asdict(s) for s in self.slots],
            "failed": [asdict(f) for f in self.failed],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".keys-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    # -- slots ------------------------------------------------------------------------------------
    def holders(self) -> list[str]:
        return sorted({s.holder for s in self.slots if s.holder != "recovery"})

    def slot_of(self, holder: str, kinds: tuple[str, ...] = ("password", "code")) -> KeySlot | None:
        holder = holder.strip().lower()
        found = [s for s in self.slots if s.holder == holder and s.kind in kinds]
        return found[-1] if found else None

    def add(
        self,
        holder: str,
        kind: str,
        secret: str,
        database_key: bytes,
        kdf: KdfParams,
        now: datetime,
        expires_at: datetime | None = None,
    ) -> KeySlot:
        """Wrap `database_key` for `holder` under `secret`, replacing his slot of that kind."""
        salt = secrets.token_bytes(16)
        return self._add(holder, kind, salt, derive(secret, salt, kdf), database_key, kdf, now, expires_at)

    def add_shared(
        self, holders: list[str], kind: str, secret: str, database_key: bytes, kdf: KdfParams, now: datetime
    ) -> None:
        """One slot for each of `holders`, all under the same `secret` (a demo's published password):
        one salt and one derivation for all, so a program of hundreds of users is keyed at once."""
        salt = secrets.token_bytes(16)
        kek = derive(secret, salt, kdf)
        for holder in holders:
            self._add(holder, kind, salt, kek, database_key, kdf, now, None)

    def _add(
        self,
        holder: str,
        kind: str,
        salt: bytes,
        kek: bytes,
        database_key: bytes,
        kdf: KdfParams,
        now: datetime,
        expires_at: datetime | None,
    ) -> KeySlot:
        holder = holder.strip().lower()
        slot_id = str(uuid.uuid4())
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(kek).encrypt(nonce, database_key, _aad(slot_id, holder, kind))
        slot = KeySlot(
            slot_id,
            holder,
            kind,
            _b64(salt),
            _b64(nonce),
            _b64(wrapped),
            kdf,
            now.astimezone(UTC).isoformat(),
            expires_at.astimezone(UTC).isoformat() if expires_at else None,
        )
        self.slots = [s for s in self.slots if not (s.holder == holder and s.kind in _REPLACES[kind])]
        self.slots.append(slot)
        return slot

    def unlock(
        self, holder: str, secret: str, now: datetime, kinds: tuple[str, ...] = ("password", "code")
    ) -> bytes:
        """The database key, if `secret` opens `holder`'s slot. A wrong secret is counted (the
        caller saves the ring either way, so the count holds across processes)."""
        slot = self.slot_of(holder, kinds)
        if slot is None:  # what was typed is not kept: it may be a password typed in the wrong field
            self._fail(UNKNOWN, "no key for this email on this computer", now)
            raise WrongSecret("the email or the password is not right")
        if slot.locked:
            raise SlotLocked(
                f"too many wrong passwords: {holder} is locked out until an administrator issues a new "
                "one-time code"
            )
        if slot.next_try_at is not None and now < datetime.fromisoformat(slot.next_try_at):
            wait = datetime.fromisoformat(slot.next_try_at) - now
            raise TooSoon(f"wait {max(1, round(wait.total_seconds()))} s before trying again", wait)
        if slot.expires_at is not None and now > datetime.fromisoformat(slot.expires_at):
            raise WrongSecret("this one-time code has expired: ask an administrator for a new one")
        try:
            kek = derive(secret, base64.b64decode(slot.salt), slot.kdf)
            key = AESGCM(kek).decrypt(
                base64.b64decode(slot.nonce),
                base64.b64decode(slot.wrapped),
                _aad(slot.id, slot.holder, slot.kind),
            )
        except InvalidTag:
            slot.failures += 1
            delay = min(FIRST_DELAY * 2 ** (slot.failures - 1), LONGEST_DELAY)
            slot.next_try_at = (now + delay).isoformat()
            if slot.failures >= self.max_failures and slot.kind != "recovery":
                # the recovery key is the last way in: it waits longer each time, never locks
                slot.locked = True
                self._fail(holder, f"locked after {slot.failures} wrong passwords", now)
                raise SlotLocked(
                    f"the password is not right ({slot.failures} wrong in a row): {holder} is locked out "
                    "until an administrator issues a new one-time code"
                ) from None
            self._fail(holder, "wrong password", now)
            raise WrongSecret("the email or the password is not right", delay) from None
        slot.failures, slot.next_try_at = 0, None
        return key

    def remove(self, holder: str, kinds: tuple[str, ...]) -> None:
        holder = holder.strip().lower()
        self.slots = [s for s in self.slots if not (s.holder == holder and s.kind in kinds)]

    def take_failures(self) -> list[FailedTry]:
        """The failed tries not yet written to the audit trail (and forget them)."""
        taken, self.failed = self.failed, []
        return taken

    def _fail(self, holder: str, what: str, now: datetime) -> None:
        self.failed.append(FailedTry(now.astimezone(UTC).isoformat(), holder.strip().lower(), what))


# What a new slot of a kind replaces: a password replaces the person's code and old password; a
# code (issued to reset a password) replaces both too; the recovery slot replaces the old one.
_REPLACES = {"password": ("password", "code"), "code": ("password", "code"), "recovery": ("recovery",)}


UNKNOWN = "(an email with no key here)"


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def derive(secret: str, salt: bytes, kdf: KdfParams) -> bytes:
    """The key-encryption key of a secret: Argon2id with the slot's own cost."""
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def new_code() -> str:
    """A one-time code an administrator reads to a person: 4 groups of 5 letters and digits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    raw = "".join(secrets.choice(alphabet) for _ in range(20))
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


def _aad(slot_id: str, holder: str, kind: str) -> bytes:
    return f"pm-desk slot {slot_id} {holder} {kind}".encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def describe(ring: KeyRing) -> list[dict[str, Any]]:
    """The slots as an administrator may see them (no secrets, no keys)."""
    return [
        {
            "holder": s.holder,
            "kind": s.kind,
            "locked": s.locked,
            "failures": s.failures,
            "expires_at": s.expires_at,
        }
        for s in ring.slots
    ]
