"""Signing in: the first administrator, passwords and one-time codes, wrong tries audited, lockout
and its release, the recovery key. Real Argon2id at the policy's cost, real SQLCipher files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pm_desk.domain.enums import Role
from pm_desk.services.access import (
    FirstAdmin,
    Opened,
    Opener,
    SignInRefused,
    create_first_admin,
    issue_code,
    keys_path,
    recover,
    set_password,
    sign_in,
)
from pm_desk.services.errors import PermissionDenied, ServiceError, ValidationError
from pm_desk.services.users import UserInput, create_user
from pm_desk.store.cipher import file_state
from pm_desk.store.database import open_database
from pm_desk.store.models import AuditEntry

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ADMIN = FirstAdmin("ada.admin@ice.example.gov", "Ada Admin", "correct horse battery 287")
MANAGER = "manny.manager@ice.example.gov"


def opener(path: Path) -> Opener:
    return lambda key, create: open_database(str(path), key=key, create=create)


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "pm-desk.sqlite3"
    recovery = create_first_admin(path, ADMIN, opener(path), NOW)
    return path, recovery


def signed_in(path: Path, email: str, secret: str, at: datetime = NOW) -> Opened:
    return sign_in(path, email, secret, opener(path), at)


def add_manager(opened: Opened) -> None:
    create_user(opened.db.uow(), opened.actor, UserInput(MANAGER, "Manny Manager", Role.ADMIN))


def audit_actions(opened: Opened) -> list[tuple[str, str, str | None]]:
    with opened.db.uow() as uow:
        rows = uow.session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
        return [(r.operation, r.action, r.actor_email) for r in rows]


def test_a_new_database_is_encrypted_and_opens_for_its_first_administrator(made) -> None:
    path, recovery = made
    assert file_state(path) == "encrypted"
    assert keys_path(path).stat().st_mode & 0o777 == 0o600
    assert len(recovery) > 40
    opened = signed_in(path, "ADA.admin@ice.example.gov ", ADMIN.password)
    try:
        assert opened.actor.role is Role.ADMIN and not opened.plaintext and not opened.must_set_password
        assert ("access.init", "first_admin", ADMIN.email) in audit_actions(opened)
    finally:
        opened.db.close()


def test_a_wrong_password_is_refused_then_audited_at_the_next_sign_in(made) -> None:
    path, _ = made
    with pytest.raises(SignInRefused, match="the email or the password is not right"):
        signed_in(path, ADMIN.email, "not the password at all")
    with pytest.raises(SignInRefused, match="wait 1 s before trying again"):
        signed_in(path, ADMIN.email, ADMIN.password)  # too soon, even with the right one
    opened = signed_in(path, ADMIN.email, ADMIN.password, NOW + timedelta(seconds=2))
    try:
        assert ("access.sign_in", "failed", ADMIN.email) in audit_actions(opened)
    finally:
        opened.db.close()
    opened = signed_in(path, ADMIN.email, ADMIN.password, NOW + timedelta(seconds=3))
    try:  # written once, not at every sign-in after
        assert audit_actions(opened).count(("access.sign_in", "failed", ADMIN.email)) == 1
    finally:
        opened.db.close()


def test_a_one_time_code_lets_a_new_user_set_his_password(made) -> None:
    path, _ = made
    admin = signed_in(path, ADMIN.email, ADMIN.password)
    try:
        add_manager(admin)
        code = issue_code(admin, MANAGER, NOW)
    finally:
        admin.db.close()
    first = signed_in(path, MANAGER, code)
    try:
        assert first.must_set_password
        with pytest.raises(ValidationError, match="at least 12 characters"):
            set_password(first, "short", NOW)
        with pytest.raises(ValidationError, match="commonest"):
            set_password(first, "password1234", NOW)
        with pytest.raises(ValidationError, match="email"):
            set_password(first, "manny.manager 2026", NOW)
        set_password(first, "a manager's own phrase", NOW)
        assert not first.must_set_password
    finally:
        first.db.close()
    with pytest.raises(SignInRefused):
        signed_in(path, MANAGER, code, NOW + timedelta(minutes=1))  # spent
    again = signed_in(path, MANAGER, "a manager's own phrase", NOW + timedelta(minutes=2))
    try:  # his slot opens the same database as the administrator's
        assert again.key == admin.key and again.actor.email == MANAGER
        assert ("access.password", "password_set", MANAGER) in audit_actions(again)
    finally:
        again.db.close()


def test_an_expired_code_is_refused(made) -> None:
    path, _ = made
    admin = signed_in(path, ADMIN.email, ADMIN.password)
    try:
        add_manager(admin)
        code = issue_code(admin, MANAGER, NOW)
    finally:
        admin.db.close()
    with pytest.raises(SignInRefused, match="expired"):
        signed_in(path, MANAGER, code, NOW + timedelta(hours=73))


def test_lockout_after_the_policy_number_of_failures_until_an_administrator_issues_a_code(made) -> None:
    path, _ = made
    admin = signed_in(path, ADMIN.email, ADMIN.password)
    try:
        add_manager(admin)
        code = issue_code(admin, MANAGER, NOW)
    finally:
        admin.db.close()
    manager = signed_in(path, MANAGER, code)
    set_password(manager, "a manager's own phrase", NOW)
    manager.db.close()
    at = NOW
    for _ in range(5):
        at += timedelta(minutes=10)
        with pytest.raises(SignInRefused, match="not right"):
            signed_in(path, MANAGER, "guessing the password", at)
    with pytest.raises(SignInRefused, match="locked out"):
        signed_in(path, MANAGER, "a manager's own phrase", at + timedelta(hours=1))
    admin = signed_in(path, ADMIN.email, ADMIN.password, at + timedelta(hours=1))
    try:
        assert ("access.sign_in", "failed", MANAGER) in audit_actions(admin)
        released = issue_code(admin, MANAGER, at + timedelta(hours=1))
    finally:
        admin.db.close()
    manager = signed_in(path, MANAGER, released, at + timedelta(hours=2))
    assert manager.must_set_password
    manager.db.close()


def test_only_an_administrator_issues_codes(made) -> None:
    path, _ = made
    admin = signed_in(path, ADMIN.email, ADMIN.password)
    try:
        create_user(
            admin.db.uow(), admin.actor, UserInput("sam.staff@ice.example.gov", "Sam Staff", Role.STAFF)
        )
        code = issue_code(admin, "sam.staff@ice.example.gov", NOW)
    finally:
        admin.db.close()
    staff = signed_in(path, "sam.staff@ice.example.gov", code)
    try:
        with pytest.raises(PermissionDenied):
            issue_code(staff, ADMIN.email, NOW)
        assert ("access.code", "denied", "sam.staff@ice.example.gov") in audit_actions(staff)
    finally:
        staff.db.close()


def test_the_recovery_key_issues_an_administrator_a_code(made) -> None:
    path, recovery = made
    with pytest.raises(SignInRefused, match="recovery key is not right"):
        recover(path, "WRONG-RECOVERY-KEY", ADMIN.email, opener(path), NOW)
    code = recover(path, recovery, ADMIN.email, opener(path), NOW + timedelta(minutes=1))
    opened = signed_in(path, ADMIN.email, code, NOW + timedelta(minutes=2))
    assert opened.must_set_password
    opened.db.close()


def test_a_plain_database_from_before_gets_its_sign_in_and_stays_plain(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    open_database(str(path)).close()
    with pytest.raises(SignInRefused, match=r"no sign-in yet.*pm-desk init --admin"):
        signed_in(path, ADMIN.email, ADMIN.password)
    create_first_admin(path, ADMIN, opener(path), NOW)
    assert file_state(path) == "plain"
    opened = signed_in(path, ADMIN.email, ADMIN.password)
    assert opened.plaintext
    opened.db.close()
    with pytest.raises(ServiceError, match="already has its administrators"):
        create_first_admin(path, ADMIN, opener(path), NOW)


def test_an_encrypted_file_without_its_key_file_says_so(made) -> None:
    path, _ = made
    keys_path(path).rename(path.with_name("elsewhere.keys"))
    with pytest.raises(SignInRefused, match=r"its key file pm-desk\.sqlite3\.keys is missing"):
        signed_in(path, ADMIN.email, ADMIN.password)
