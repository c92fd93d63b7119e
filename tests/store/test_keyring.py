"""Key slots: the database key wrapped per person; wrong secrets counted, delayed, then locked."""

from __future__ import annotations

import contextlib
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pm_desk.store.keyring import (
    KdfParams,
    KeyRing,
    SlotLocked,
    TooSoon,
    WrongSecret,
    new_code,
    new_database_key,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CHEAP = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)  # tests only: slots record their cost


def ring(tmp_path: Path) -> KeyRing:
    return KeyRing(KeyRing.path_for(tmp_path / "pm-desk.sqlite3"), max_failures=3)


def test_each_holder_unwraps_the_same_database_key(tmp_path: Path) -> None:
    keys = ring(tmp_path)
    key = new_database_key()
    keys.add("Mia.One@ice.example.gov", "password", "first secret phrase", key, CHEAP, NOW)
    keys.add("sam@ice.example.gov", "password", "second secret phrase", key, CHEAP, NOW)
    keys.save()
    again = KeyRing.load(keys.path)
    assert again.unlock("mia.one@ice.example.gov", "first secret phrase", NOW) == key
    assert again.unlock("sam@ice.example.gov", "second secret phrase", NOW) == key
    assert again.holders() == ["mia.one@ice.example.gov", "sam@ice.example.gov"]


def test_the_file_is_owner_only_and_holds_no_key_or_secret(tmp_path: Path) -> None:
    keys = ring(tmp_path)
    key = new_database_key()
    keys.add("mia@ice.example.gov", "password", "first secret phrase", key, CHEAP, NOW)
    keys.save()
    raw = keys.path.read_bytes()
    assert key not in raw and key.hex().encode() not in raw and b"first secret phrase" not in raw
    assert stat.S_IMODE(os.stat(keys.path).st_mode) == 0o600


def test_wrong_secrets_wait_longer_each_time_then_lock(tmp_path: Path) -> None:
    keys = ring(tmp_path)
    keys.add("mia@ice.example.gov", "password", "first secret phrase", new_database_key(), CHEAP, NOW)
    at = NOW
    waits = []
    for _ in range(2):
        with pytest.raises(WrongSecret):
            keys.unlock("mia@ice.example.gov", "guess", at)
        with pytest.raises(TooSoon) as early:
            keys.unlock("mia@ice.example.gov", "first secret phrase", at)
        waits.append(early.value.wait)
        at += early.value.wait
    assert waits[1] > waits[0]
    with pytest.raises(SlotLocked, match=r"not right \(3 wrong in a row\).*locked out"):
        keys.unlock("mia@ice.example.gov", "guess", at)  # the try that locks says so at once
    with pytest.raises(SlotLocked):
        keys.unlock("mia@ice.example.gov", "first secret phrase", at + timedelta(hours=1))
    assert [f.what for f in keys.take_failures()] == [
        "wrong password",
        "wrong password",
        "locked after 3 wrong passwords",
    ]
    assert keys.take_failures() == []


def test_a_one_time_code_expires_and_a_password_replaces_it(tmp_path: Path) -> None:
    keys = ring(tmp_path)
    key = new_database_key()
    code = new_code()
    keys.add("bea@ice.example.gov", "code", code, key, CHEAP, NOW, expires_at=NOW + timedelta(days=3))
    with pytest.raises(WrongSecret, match="expired"):
        keys.unlock("bea@ice.example.gov", code, NOW + timedelta(days=4))
    assert keys.unlock("bea@ice.example.gov", code, NOW) == key
    keys.add("bea@ice.example.gov", "password", "her own passphrase", key, CHEAP, NOW)
    assert [s.kind for s in keys.slots] == ["password"]
    with pytest.raises(WrongSecret):
        keys.unlock("bea@ice.example.gov", code, NOW)


def test_the_recovery_slot_opens_only_as_recovery(tmp_path: Path) -> None:
    keys = ring(tmp_path)
    key = new_database_key()
    keys.add("recovery", "recovery", "RECOV-ERYKE-YABCD-EFGHJ", key, CHEAP, NOW)
    assert keys.unlock("recovery", "RECOV-ERYKE-YABCD-EFGHJ", NOW, kinds=("recovery",)) == key
    with pytest.raises(WrongSecret):
        keys.unlock("recovery", "RECOV-ERYKE-YABCD-EFGHJ", NOW)


def test_codes_read_well() -> None:
    code = new_code()
    assert len(code) == 23 and code.count("-") == 3
    assert not set(code) & set("01OI")


def test_a_shared_secret_keys_many_holders_with_one_derivation(tmp_path: Path) -> None:
    keys = ring(tmp_path)
    key = new_database_key()
    holders = [f"user{n}@ice.example.gov" for n in range(50)]
    keys.add_shared(holders, "password", "demo desk password", key, CHEAP, NOW)
    assert len({s.nonce for s in keys.slots}) == 50  # one nonce per slot under the one key
    assert keys.unlock("user49@ice.example.gov", "demo desk password", NOW) == key
    with pytest.raises(WrongSecret):
        keys.unlock("user7@ice.example.gov", "another password!", NOW)


def test_editing_saves_a_counted_failure_even_when_the_try_fails(tmp_path: Path) -> None:
    path = KeyRing.path_for(tmp_path / "pm-desk.sqlite3")
    with KeyRing.editing(path) as keys:
        keys.add("mia@ice.example.gov", "password", "the right password", new_database_key(), CHEAP, NOW)
    with pytest.raises(WrongSecret), KeyRing.editing(path) as keys:
        keys.unlock("mia@ice.example.gov", "a wrong password", NOW)
    again = KeyRing.load(path)
    assert again.slot_of("mia@ice.example.gov").failures == 1
    assert [f.what for f in again.failed] == ["wrong password"]
    assert stat.S_IMODE(os.stat(f"{path}.lock").st_mode) == 0o600


def test_editing_a_ring_that_does_not_exist_writes_nothing_when_nothing_was_added(tmp_path: Path) -> None:
    path = KeyRing.path_for(tmp_path / "pm-desk.sqlite3")
    with pytest.raises(WrongSecret), KeyRing.editing(path) as keys:
        keys.unlock("nobody@ice.example.gov", "whatever password", NOW)
    assert not path.exists()


def test_what_is_typed_as_an_unknown_email_is_not_kept(tmp_path) -> None:
    from datetime import UTC, datetime

    from pm_desk.store.keyring import UNKNOWN, KdfParams, KeyRing, KeyRingError, new_database_key

    ring = KeyRing.load(tmp_path / "db.sqlite3.keys")
    now = datetime(2026, 12, 3, tzinfo=UTC)
    ring.add(
        "a@ice.example.gov",
        "password",
        "a long enough secret",
        new_database_key(),
        KdfParams(1, 8192, 1),
        now,
    )
    with contextlib.suppress(KeyRingError):
        ring.unlock("Tr0ub4dor&3-secret", "whatever", now)
    assert [f.holder for f in ring.failed] == [UNKNOWN]


def test_the_recovery_slot_waits_longer_but_never_locks(tmp_path) -> None:
    from datetime import UTC, datetime, timedelta

    from pm_desk.store.keyring import KdfParams, KeyRing, KeyRingError, new_database_key

    ring = KeyRing.load(tmp_path / "db.sqlite3.keys")
    now = datetime(2026, 12, 3, tzinfo=UTC)
    key = new_database_key()
    ring.add("recovery", "recovery", "RIGHT-RECOVERY-KEY", key, KdfParams(1, 8192, 1), now)
    for n in range(ring.max_failures + 2):
        later = now + timedelta(days=n + 1)  # each wait long over
        with contextlib.suppress(KeyRingError):
            ring.unlock("recovery", "wrong", later, kinds=("recovery",))
    assert ring.unlock("recovery", "RIGHT-RECOVERY-KEY", now + timedelta(days=30), kinds=("recovery",)) == key
