"""The encrypted file: nothing readable in it, a wrong key refused, a plain file converted whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pm_desk.store.cipher import WrongKey, connect, export_encrypted, file_state
from pm_desk.store.keyring import new_database_key

SECRET_ROW = ("A208123456", "Maria Subject-Example")


def plain_database(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE subjects (a_number TEXT, name TEXT)")
        connection.execute("INSERT INTO subjects VALUES (?, ?)", SECRET_ROW)
        connection.execute("PRAGMA user_version = 7")
    return path


def test_file_state_tells_missing_plain_and_encrypted(tmp_path: Path) -> None:
    assert file_state(tmp_path / "none.sqlite3") == "missing"
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert file_state(tmp_path / "empty.sqlite3") == "missing"
    plain = plain_database(tmp_path / "plain.sqlite3")
    assert file_state(plain) == "plain"
    export_encrypted(plain, tmp_path / "enc.sqlite3", new_database_key())
    assert file_state(tmp_path / "enc.sqlite3") == "encrypted"


def test_an_encrypted_copy_holds_the_rows_and_no_readable_byte_of_them(tmp_path: Path) -> None:
    plain = plain_database(tmp_path / "plain.sqlite3")
    key = new_database_key()
    target = tmp_path / "enc.sqlite3"
    export_encrypted(plain, target, key)
    assert target.stat().st_mode & 0o777 == 0o600
    connection = connect(target, key)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        assert connection.execute("SELECT a_number, name FROM subjects").fetchall() == [SECRET_ROW]
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 7
        connection.execute("INSERT INTO subjects VALUES ('A208999999', 'Second Subject-Example')")
        connection.commit()
        for path in tmp_path.glob("enc.sqlite3*"):  # the WAL is encrypted too
            data = path.read_bytes()
            assert b"A208" not in data and b"Subject-Example" not in data, path.name
    finally:
        connection.close()


def test_a_wrong_key_is_refused_and_sqlcipher_says_nothing_on_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    plain = plain_database(tmp_path / "plain.sqlite3")
    target = tmp_path / "enc.sqlite3"
    export_encrypted(plain, target, new_database_key())
    with pytest.raises(WrongKey):
        connect(target, new_database_key())
    with pytest.raises(WrongKey):
        connect(plain, new_database_key())  # a key on a plain file does not read it either
    assert capfd.readouterr().err == ""


def test_plain_sqlite_cannot_read_the_encrypted_file(tmp_path: Path) -> None:
    target = tmp_path / "enc.sqlite3"
    export_encrypted(plain_database(tmp_path / "plain.sqlite3"), target, new_database_key())
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(target) as connection:
        connection.execute("SELECT * FROM subjects").fetchall()
