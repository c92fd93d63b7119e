"""The test PostgreSQL server's own contract: which binaries it uses, and that it fails (never
skips) when there are none, and that each test gets an empty database of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

import pg


def fake_installation(root: Path, version: str) -> Path:
    folder = root / "postgresql" / version / "bin"
    folder.mkdir(parents=True)
    for name in ("initdb", "pg_ctl", "postgres"):
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    return folder


@pytest.fixture
def no_system_postgres(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(pg.BIN_DIR_VARIABLE, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    monkeypatch.setattr(pg, "_SEARCHED", (f"{tmp_path}/postgresql/*/bin",))
    return tmp_path


def test_without_binaries_the_reason_and_the_remedy_are_given(no_system_postgres: Path) -> None:
    with pytest.raises(pg.PostgresUnavailable, match="no PostgreSQL server binaries") as missing:
        pg.find_bin_dir()
    assert "scripts/ensure-system-deps.sh" in str(missing.value)


def test_highest_installed_version_is_used(no_system_postgres: Path) -> None:
    fake_installation(no_system_postgres, "9.6")
    newest = fake_installation(no_system_postgres, "15")
    fake_installation(no_system_postgres, "13")
    assert pg.find_bin_dir() == newest


def test_override_must_hold_the_binaries(no_system_postgres: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = fake_installation(no_system_postgres, "14")
    monkeypatch.setenv(pg.BIN_DIR_VARIABLE, str(chosen))
    assert pg.find_bin_dir() == chosen
    monkeypatch.setenv(pg.BIN_DIR_VARIABLE, str(no_system_postgres / "nowhere"))
    with pytest.raises(pg.PostgresUnavailable, match=pg.BIN_DIR_VARIABLE):
        pg.find_bin_dir()


@pytest.mark.postgres
def test_server_listens_on_loopback_only_and_gives_each_test_an_empty_database(
    postgres_server: pg.PostgresServer, postgres_url: str
) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as connection:
            settings = {
                name: connection.execute(text(f"SHOW {name}")).scalar()
                for name in ("listen_addresses", "port", "unix_socket_directories")
            }
            tables = inspect(connection).get_table_names()
            is_superuser = connection.execute(
                text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            )
            assert is_superuser.scalar() is True
    finally:
        engine.dispose()
    assert settings == {
        "listen_addresses": "127.0.0.1",
        "port": str(postgres_server.port),
        "unix_socket_directories": str(postgres_server.socket_dir),
    }
    assert tables == []
    assert postgres_url.rsplit("/", 1)[1] in postgres_server.databases
