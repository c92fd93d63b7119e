"""Who may open this database, and how they prove it.

A person signs in with his password, or with a one-time code an administrator gave him. The
secret opens his key slot (store.keyring), which gives the database key; with it the encrypted
file opens, and the user of that email becomes the actor. A plain database (an older one, or one
made plain for tests) is signed into the same way: its slots hold the key it will be encrypted
with. Nothing here stores a password: a wrong one simply opens nothing.

Failed tries cannot be written to the audit trail when they happen (the database is closed to
whoever failed); the key ring keeps them, and the next successful sign-in writes them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from pm_desk.domain.actor import Actor
from pm_desk.domain.enums import Role
from pm_desk.domain.passwords import password_problem
from pm_desk.domain.policy import Policy, SecurityPolicy
from pm_desk.services.actor import actor_for_email
from pm_desk.services.errors import NotFound, PermissionDenied, ServiceError, field_error
from pm_desk.services.operation import record_denial
from pm_desk.services.permissions import require_role
from pm_desk.store.audit_log import AuditContext, NewEntry, append_entries
from pm_desk.store.cipher import file_state
from pm_desk.store.database import Database
from pm_desk.store.encryption import EncryptionRunning, finish_interrupted
from pm_desk.store.keyring import (
    FailedTry,
    KdfParams,
    KeyRing,
    KeyRingError,
    TooSoon,
    new_code,
    new_database_key,
)
from pm_desk.store.models import User
from pm_desk.store.uow import UnitOfWork

log = logging.getLogger(__name__)

# Opens the database at a path with a key (None: a plain file); `create` makes a new one.
Opener = Callable[[bytes | None, bool], Database]
RECOVERY = "recovery"


class SignInRefused(ServiceError):
    """The secret opened nothing, or cannot be tried now; the message says what to do."""

    def __init__(self, message: str, wait: timedelta | None = None) -> None:
        super().__init__(message)
        self.wait = wait


@dataclass
class Opened:
    """A signed-in session: the open database, who is acting, and the key that opened it."""

    db: Database
    actor: Actor
    key: bytes
    path: Path
    plaintext: bool  # the file is not encrypted yet (the app shows a warning bar)
    must_set_password: bool = False  # signed in with a one-time code


def keys_path(path: Path) -> Path:
    return KeyRing.path_for(path)


def kdf_of(security: SecurityPolicy) -> KdfParams:
    return KdfParams(security.argon2_time_cost, security.argon2_memory_kib, security.argon2_parallelism)


def has_sign_in(path: Path) -> bool:
    """Whether anyone can sign in to the database at `path` (it has a key ring with slots)."""
    try:
        return bool(KeyRing.load(keys_path(path)).slots)
    except KeyRingError:
        return True  # a damaged ring is a sign-in problem, reported when someone tries


def sign_in(path: Path, email: str, secret: str, opener: Opener, now: datetime) -> Opened:
    """Open the database at `path` as the person with `email`, proven by `secret`."""
    _finish_interrupted(path)  # an encryption killed midway: the file at `path` is whole either way
    state = file_state(path)
    if state == "missing":
        raise SignInRefused(f"there is no database at {path}")
    key, used_code, failures = _unlock(path, email, secret, now, state)
    db = opener(key if state == "encrypted" else None, False)
    try:
        with db.uow() as uow:
            actor = actor_for_email(uow, email)
            _record_failures(uow, failures)
            uow.commit()
        _forget_failures(path, failures, db.policy, _active_emails(db))
    except NotFound as exc:
        db.close()
        raise SignInRefused(str(exc)) from None
    except BaseException:
        db.close()
        raise
    return Opened(db, actor, key, path, state == "plain", used_code)


def unlock_key(path: Path, email: str, secret: str, now: datetime) -> tuple[bytes, bool]:
    """The database key `secret` opens in `email`'s slot, without opening the database (a damaged
    one can be restored), and whether the file is still plain. Refused like a sign-in."""
    _finish_interrupted(path)
    state = file_state(path)
    key, _, _ = _unlock(path, email, secret, now, state)
    return key, state == "plain"


def _finish_interrupted(path: Path) -> None:
    try:
        finish_interrupted(path)
    except EncryptionRunning as exc:
        raise SignInRefused(str(exc)) from None


def check_secret(path: Path, email: str, secret: str, now: datetime) -> None:
    """Prove `secret` is still `email`'s (an idle-locked window asks again); refused like a sign-in."""
    _unlock(path, email, secret, now, file_state(path))


def _unlock(
    path: Path, email: str, secret: str, now: datetime, state: str
) -> tuple[bytes, bool, list[FailedTry]]:
    try:
        with KeyRing.editing(keys_path(path)) as ring:
            if not ring.slots:
                raise SignInRefused(_no_ring_message(path, state))
            key = ring.unlock(email, secret, now)
            slot = ring.slot_of(email)
            return key, slot is not None and slot.kind == "code", list(ring.failed)
    except KeyRingError as exc:
        log.info("sign-in refused: %s", type(exc).__name__)
        raise SignInRefused(str(exc), exc.wait) from None


def _no_ring_message(path: Path, state: str) -> str:
    if state == "encrypted":
        return (
            f"{path.name} is encrypted and its key file {keys_path(path).name} is missing: put it back "
            "from where it was copied, or restore a backup"
        )
    return (
        f"{path.name} has no sign-in yet: its first administrator sets one with `pm-desk init --admin EMAIL`"
    )


def _record_failures(uow: UnitOfWork, failures: list[FailedTry]) -> None:
    entries = [
        NewEntry(
            at=datetime.fromisoformat(f.at),
            context=AuditContext(None, f.holder, "access.sign_in"),
            action="failed",
            record_kind=None,
            record_id=None,
            before=None,
            after={"what": f.what},
        )
        for f in failures
    ]
    if entries:
        append_entries(uow.session.connection(), entries)


def _forget_failures(path: Path, written: list[FailedTry], policy: Policy, active: list[str]) -> None:
    """The failures now in the audit trail leave the key ring; so do the slots of people who are
    no longer active users (deactivated or removed since): their passwords open nothing more."""
    people = {e.strip().lower() for e in active}
    with KeyRing.editing(keys_path(path)) as ring:
        ring.failed = [f for f in ring.failed if f not in written]
        ring.max_failures = policy.security.max_failed_sign_ins
        for gone in {s.holder for s in ring.slots if s.kind != RECOVERY and s.holder not in people}:
            ring.remove(gone, ("password", "code"))
            log.info("a key slot of a person no longer active was removed")


# -- passwords and codes ----------------------------------------------------------------------------
def set_password(opened: Opened, new_password: str, now: datetime) -> None:
    """The signed-in person's new password: checked against the rules, then his slot rewrapped
    (his one-time code, if he came in with one, is spent)."""
    email = opened.actor.email
    problem = password_problem(new_password, email)
    if problem:
        raise field_error("password", f"the password {problem}")
    kdf = kdf_of(opened.db.policy.security)
    with KeyRing.editing(keys_path(opened.path)) as ring:
        ring.add(email, "password", new_password, opened.key, kdf, now)
        with opened.db.uow() as uow:
            _audit(uow, opened.actor, "password", "password_set", _user(uow, email))
            uow.commit()
    opened.must_set_password = False


def issue_code(opened: Opened, email: str, now: datetime) -> str:
    """An administrator gives `email` a one-time code to set his password with: for a new or
    imported user, one who forgot his password, or one locked out after wrong passwords."""
    security = opened.db.policy.security
    code = new_code()
    expires = now + timedelta(hours=security.code_valid_hours)
    _note_code(opened.db.uow(), opened.actor, email, expires)  # refuses before any slot changes
    with KeyRing.editing(keys_path(opened.path)) as ring:
        ring.add(email, "code", code, opened.key, kdf_of(security), now, expires_at=expires)
    return code


def note_access(opened: Opened, operation: str, action: str, **after: Any) -> None:
    """Audit an access event of the signed-in person about himself (`access.<operation>`)."""
    with opened.db.uow() as uow:
        _audit(uow, opened.actor, operation, action, _user(uow, opened.actor.email), **after)
        uow.commit()


def _note_code(uow: UnitOfWork, actor: Actor, email: str, expires: datetime) -> None:
    """Not a record's change (a code lives in the key ring, not the database): audited as an
    access event; a refusal is audited like any write's."""
    with uow:
        try:
            require_role(actor, {Role.ADMIN}, "issue one-time codes")
        except PermissionDenied as denied:
            record_denial(uow, actor, "access.code", denied)
            raise
        user = _user(uow, email)
        if not user.active:
            raise field_error("email", f"{user.email} is no longer active")
        _audit(uow, actor, "code", "code_issued", user, expires_at=expires)
        uow.commit()


def recover(path: Path, recovery_key: str, email: str, opener: Opener, now: datetime) -> str:
    """The administrator's recovery key (written down when the database was made) opens it when
    every password is lost: it issues `email`, an active administrator, a one-time code."""
    state = file_state(path)
    try:
        with KeyRing.editing(keys_path(path)) as ring:
            key = ring.unlock(RECOVERY, recovery_key, now, kinds=("recovery",))
    except TooSoon as exc:
        raise SignInRefused(str(exc), exc.wait) from None
    except KeyRingError:
        raise SignInRefused("the recovery key is not right") from None
    db = opener(key if state == "encrypted" else None, False)
    try:
        with db.uow() as uow:
            admin = actor_for_email(uow, email)
        if admin.role is not Role.ADMIN:
            raise SignInRefused(f"{email} is not an administrator: the recovery key lets an administrator in")
        opened = Opened(db, admin, key, path, state == "plain")
        return issue_code(opened, email, now)
    except NotFound as exc:
        raise SignInRefused(str(exc)) from None
    finally:
        db.close()


def _active_emails(db: Database) -> list[str]:
    with db.uow() as uow:
        return list(
            uow.session.execute(select(User.email).where(User.active.is_(True), User.deleted_at.is_(None)))
            .scalars()
            .all()
        )


def without_sign_in(opened: Opened) -> list[str]:
    """The active users who cannot sign in here yet (imported, or added): each needs a one-time code."""
    ring = KeyRing.load(keys_path(opened.path))
    return sorted(e.lower() for e in _active_emails(opened.db) if ring.slot_of(e) is None)


def share_password(db: Database, path: Path, key: bytes, password: str, now: datetime) -> int:
    """Every active user of `db` may sign in with `password`: a demo's, published with it. One
    Argon2id derivation keys them all (store.keyring.add_shared)."""
    emails = _active_emails(db)
    security = db.policy.security
    with KeyRing.editing(keys_path(path)) as ring:
        ring.max_failures = security.max_failed_sign_ins
        ring.add_shared(emails, "password", password, key, kdf_of(security), now)
    return len(emails)


# -- the first administrator -------------------------------------------------------------------------
@dataclass(frozen=True)
class FirstAdmin:
    email: str
    name: str
    password: str


def create_first_admin(
    path: Path, admin: FirstAdmin, opener: Opener, now: datetime, encrypt: bool = True
) -> str:
    """Give the database at `path` its first administrator and return the recovery key (shown
    once, to be kept apart). A new database is made (encrypted unless `encrypt` is false); a plain
    one with no sign-in yet (from an older PM Desk) gets its sign-in and stays plain until
    `pm-desk encrypt`."""
    problem = password_problem(admin.password, admin.email)
    if problem:
        raise field_error("password", f"the password {problem}")
    state = file_state(path)
    if has_sign_in(path):
        raise ServiceError(f"{path.name} already has its administrators: sign in as one of them")
    if state == "encrypted":
        raise SignInRefused(_no_ring_message(path, state))
    key = new_database_key()
    recovery_key = f"{new_code()}-{new_code()}"
    created = state == "missing"
    if created and not admin.name.strip():
        raise field_error("name", "the first administrator needs a name")
    db = opener(key if created and encrypt else None, created)
    try:
        _add_first_admin(db.uow(), admin.email, admin.name)
        kdf = kdf_of(db.policy.security)
        with KeyRing.editing(keys_path(path)) as ring:
            ring.max_failures = db.policy.security.max_failed_sign_ins
            ring.add(admin.email, "password", admin.password, key, kdf, now)
            ring.add(RECOVERY, "recovery", recovery_key, key, kdf, now)
    except BaseException:
        db.close()
        if created:  # a new database nobody can open is worse than none
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
                leftover.unlink(missing_ok=True)
            keys_path(path).unlink(missing_ok=True)
        raise
    db.close()
    return recovery_key


def _add_first_admin(uow: UnitOfWork, email: str, name: str) -> None:
    email = email.strip().lower()
    with uow:
        uow.attribute(None, email, "access.init")
        user = uow.session.execute(select(User).where(func.lower(User.email) == email)).scalar_one_or_none()
        if user is None:
            if not name.strip():
                raise field_error("name", "the first administrator needs a name")
            user = User(email=email, name=" ".join(name.split()), role=Role.ADMIN, active=True)
            uow.session.add(user)
        elif user.role is not Role.ADMIN or not user.active or user.deleted_at is not None:
            raise field_error("email", f"{email} is not an active administrator of this database")
        uow.session.flush()
        _audit(uow, Actor(user.id, email, user.name, Role.ADMIN, None), "init", "first_admin", user)
        uow.commit()


def _user(uow: UnitOfWork, email: str) -> User:
    user = uow.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower(), User.deleted_at.is_(None))
    ).scalar_one_or_none()
    if user is None:
        raise field_error("email", f"no user with the email {email.strip()!r}")
    return user


def _audit(uow: UnitOfWork, actor: Actor, operation: str, action: str, user: User, **after: Any) -> None:
    context = AuditContext(actor.user_id, actor.email, f"access.{operation}")
    entry = NewEntry(uow.now(), context, action, "user", user.id, None, {"email": user.email, **after})
    append_entries(uow.session.connection(), [entry])
