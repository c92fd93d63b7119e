"""A real PostgreSQL server for the tests, started from the machine's own binaries.

The server runs in a temporary folder for one test session (one per pytest-xdist worker),
listens only on 127.0.0.1 on a free port, keeps its unix sockets in that folder, and is stopped
and removed when the session ends. PostgreSQL refuses to run as root: when the tests run as
root, the folder is handed to the `postgres` user and every server command runs through
`runuser -u postgres --`.

The fixtures over it live in `tests/conftest.py` (`postgres_server`, `postgres_session_url`,
`postgres_url`): `tests` is not a package, so a plugin module here could not be named by
`pytest_plugins` under every way pytest is started. No PostgreSQL binaries is a failure, never a
skip: `scripts/ensure-system-deps.sh` (run by `make test`) installs them.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Set to a folder holding initdb and pg_ctl to choose the PostgreSQL version the tests use.
BIN_DIR_VARIABLE = "PM_DESK_PG_BIN"
SERVICE_USER = "postgres"
SUPERUSER = "pm_desk_test"
INSTALL_HINT = (
    "run scripts/ensure-system-deps.sh (`make test` does) to install the PostgreSQL server, "
    f"or point {BIN_DIR_VARIABLE} at a folder holding initdb and pg_ctl"
)
_SEARCHED = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "/usr/local/pgsql/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
)


class PostgresUnavailable(Exception):
    """The machine cannot run a test PostgreSQL server; the message says why and what to do."""


def find_bin_dir() -> Path:
    """The folder of initdb and pg_ctl: the override, PATH, then the highest installed version."""
    override = os.environ.get(BIN_DIR_VARIABLE)
    if override:
        if _has_server_binaries(Path(override)):
            return Path(override)
        raise PostgresUnavailable(f"{BIN_DIR_VARIABLE}={override} does not hold initdb and pg_ctl")
    on_path = shutil.which("initdb")
    if on_path and _has_server_binaries(Path(on_path).parent):
        return Path(on_path).parent
    found = [
        d for pattern in _SEARCHED for d in Path("/").glob(pattern.lstrip("/")) if _has_server_binaries(d)
    ]
    if not found:
        raise PostgresUnavailable(
            "no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in "
            + ", ".join(_SEARCHED)
            + "; "
            + INSTALL_HINT
        )
    return max(found, key=_version_of)


def _has_server_binaries(folder: Path) -> bool:
    return all(os.access(folder / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))


def _version_of(bin_dir: Path) -> tuple[int, ...]:
    numbers = re.findall(r"\d+", str(bin_dir))
    return tuple(int(n) for n in numbers)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """One PostgreSQL cluster in its own temporary folder; `start()` it, then `stop()` it."""

    bin_dir: Path
    base_dir: Path
    port: int = 0
    run_as: str | None = None
    databases: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base_dir / "sockets"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    @classmethod
    def create(cls, bin_dir: Path, label: str = "") -> PostgresServer:
        run_as = None
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(SERVICE_USER)
            except KeyError:
                raise PostgresUnavailable(
                    f"the tests run as root and PostgreSQL refuses root, but there is no `{SERVICE_USER}` "
                    f"user to run it as; {INSTALL_HINT} (the Debian package creates the user)"
                ) from None
            if shutil.which("runuser") is None:
                raise PostgresUnavailable(
                    "the tests run as root and need `runuser` (util-linux) to start PostgreSQL"
                )
            run_as = SERVICE_USER
        # In the system temp folder: pytest's is private to root, and `postgres` could not enter it.
        base_dir = Path(tempfile.mkdtemp(prefix=f"pm-desk-pg-{label}-" if label else "pm-desk-pg-"))
        if run_as is not None:
            os.chown(base_dir, account.pw_uid, account.pw_gid)
        os.chmod(base_dir, 0o700)
        return cls(bin_dir, base_dir, run_as=run_as)

    def _run(self, program: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / program), *args]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as, "--", *command]
        # cwd: the server's own folder, which the unprivileged user can enter.
        return subprocess.run(
            command, cwd=self.base_dir, capture_output=True, text=True, timeout=timeout, check=False
        )

    def _checked(self, program: str, *args: str) -> None:
        done = self._run(program, *args)
        if done.returncode != 0:
            output = f"{done.stdout}{done.stderr}{self.log_tail()}"
            raise PostgresUnavailable(f"{program} {' '.join(args)} failed ({done.returncode}):\n{output}")

    def log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\nserver log:\n" + "\n".join(lines[-30:])

    def start(self, attempts: int = 3) -> None:
        self._checked(
            "initdb",
            f"--pgdata={self.data_dir}",
            f"--username={SUPERUSER}",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        self._mkdir_owned(self.socket_dir)
        for attempt in range(1, attempts + 1):
            # Another worker may take the port between the probe and the start: try a new one.
            self.port = free_port()
            self._write_settings()
            done = self._run(
                "pg_ctl",
                "start",
                f"--pgdata={self.data_dir}",
                f"--log={self.log_file}",
                "--wait",
                "--timeout=60",
            )
            if done.returncode == 0:
                return
            if attempt == attempts:
                raise PostgresUnavailable(
                    f"pg_ctl start failed ({done.returncode}):\n{done.stdout}{done.stderr}{self.log_tail()}"
                )

    def _mkdir_owned(self, folder: Path) -> None:
        folder.mkdir(mode=0o700)
        if self.run_as is not None:
            account = pwd.getpwnam(self.run_as)
            os.chown(folder, account.pw_uid, account.pw_gid)

    def _write_settings(self) -> None:
        # Durability settings off: the tests never survive a power cut, and they run much faster.
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.socket_dir}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "32MB",
            "max_connections": "100",
        }
        # A file of its own, included last, so a retry simply rewrites it.
        extra = self.data_dir / "pm_desk_test.conf"
        content = "".join(f"{name} = {value}\n" for name, value in settings.items())
        if self.run_as is not None:
            self._write_as_owner(extra, content)
        else:
            extra.write_text(content)
        main_conf = self.data_dir / "postgresql.conf"
        include = "include = 'pm_desk_test.conf'\n"
        if include not in main_conf.read_text():
            with main_conf.open("a") as conf:  # root may write the postgres user's file; owner unchanged
                conf.write(include)

    def _write_as_owner(self, target: Path, content: str) -> None:
        target.write_text(content)
        account = pwd.getpwnam(self.run_as or "")
        os.chown(target, account.pw_uid, account.pw_gid)
        os.chmod(target, 0o600)

    def stop(self) -> None:
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._run(
                    "pg_ctl", "stop", f"--pgdata={self.data_dir}", "--mode=fast", "--wait", "--timeout=60"
                )
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def _admin(self, statements: Sequence[str]) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            for statement in statements:
                connection.execute(statement)

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; its name is returned."""
        name = f"{prefix}_{uuid.uuid4().hex[:16]}"
        self._admin([f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"])
        self.databases.append(name)
        return name

    def drop_database(self, name: str) -> None:
        # FORCE: a test that forgot to dispose of its engine must not keep its database alive.
        self._admin([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
        if name in self.databases:
            self.databases.remove(name)


def start_server(label: str = "") -> PostgresServer:
    """A running server in a new temporary folder; raises PostgresUnavailable when none can run."""
    server = PostgresServer.create(find_bin_dir(), label)
    try:
        server.start()
    except (OSError, subprocess.TimeoutExpired) as problem:
        server.stop()
        raise PostgresUnavailable(f"{problem}{server.log_tail()}") from problem
    except BaseException:
        server.stop()
        raise
    return server
