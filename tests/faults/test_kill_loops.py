"""Faults a user's machine meets, in loops: a process killed (`kill -9`) at a random moment of an
upgrade or of an import into a new database, an upgrade that runs out of space, and an import
beside other writers. After each, the database opens (at its old schema or the new one, never
half-built), no backup is empty or unreadable, and the audit chain has no fork.

The count of rounds is modest in `make test`; `make torture` runs each loop a thousand times
(PM_DESK_FAULT_ROUNDS) and prints tried / held / failed for each (PM_DESK_FAULT_REPORT).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from pm_desk.cli import main
from pm_desk.store.audit_chain import iter_chain_problems
from pm_desk.store.database import (
    MissingDatabaseError,
    alembic_config,
    head_revision,
    open_database,
)
from support import copy_database

ROUNDS = int(os.environ.get("PM_DESK_FAULT_ROUNDS", "3"))
AS_OF = "2026-10-31T12:00:00Z"
Run = subprocess.CompletedProcess[str]

# Imports everything first, says so, then does the work: the kill lands in the work, not in imports.
UPGRADE = """
import sys
from pathlib import Path
from pm_desk.store.database import open_database
print("go", flush=True)
open_database(sys.argv[1], backup_dir=Path(sys.argv[2])).close()
print("done", flush=True)
"""
UPGRADE_REFUSED_IN_A_SENTENCE = """
import sys
from pathlib import Path
from pm_desk.store.database import DatabaseError, open_database
try:
    open_database(sys.argv[1], backup_dir=Path(sys.argv[2])).close()
except DatabaseError as exc:
    print(f"refused: {exc}", flush=True)
    sys.exit(1)
print("done", flush=True)
"""
# In a mount namespace of its own (no privileges needed, nothing left mounted): a small tmpfs
# holding the database and its backups, the upgrade run there, then everything copied out.
ON_A_SMALL_DISK = """
set -e
mount -t tmpfs -o size="$1" tmpfs "$2"
cp "$3" "$2/pm-desk.sqlite3"
set +e
"$5" -c "$6" "$2/pm-desk.sqlite3" "$2/backups"
code=$?
cp -a "$2/." "$4/"
exit $code
"""
# A new office: its first administrator (unless he can already sign in), then its tables.
IMPORT = """
import sys
from pathlib import Path
from pm_desk.cli import main
from pm_desk.store.audit_chain import iter_chain_problems
ADMIN = "michelle.fernandez@ice.dhs.gov"
print("go", flush=True)
if not Path(sys.argv[1] + ".keys").exists():
    main(["--db", sys.argv[1], "init", "--admin", ADMIN, "--name", "Michelle Fernandez", "--plaintext"])
sys.exit(main(["--db", sys.argv[1], "--as-user", ADMIN, "import", sys.argv[2]]))
"""


# A writer at a user's pace (a commit every few milliseconds), not an fsync storm that would
# slow every other test on the machine.
WRITER = """
import sys, time
from pm_desk.store.database import open_database
from pm_desk.store.models import FieldOffice
database = open_database(sys.argv[1])
print("go", flush=True)
n = 0
while True:
    with database.uow() as uow:
        uow.attribute(None, "writer@example.gov", "field_office.create")
        uow.session.add(FieldOffice(code=f"W{sys.argv[2]}{n:06d}", name=f"Office {n}"))
        uow.commit()
    n += 1
    time.sleep(0.01)
"""


@dataclass
class Tally:
    """What a loop tried, what held, and how each failure looked."""

    name: str
    tried: int = 0
    failures: list[str] = field(default_factory=list)
    endings: Counter[str] = field(default_factory=Counter)

    def round(self, check: Callable[[], str | None], ending: str = "") -> None:
        self.tried += 1
        if ending:
            self.endings[ending] += 1
        problem = check()
        if problem is not None:
            self.failures.append(f"round {self.tried}: {problem}")

    def finish(self) -> None:
        held = self.tried - len(self.failures)
        endings = "".join(f"; {count} {ending}" for ending, count in sorted(self.endings.items()))
        line = f"{self.name}: tried {self.tried}, held {held}, failed {len(self.failures)}{endings}"
        print(f"\n{line}")
        report = os.environ.get("PM_DESK_FAULT_REPORT")  # make torture gathers the loops' lines there
        if report:
            with open(report, "a", encoding="utf-8") as file:
                file.write(line + "\n")
        assert not self.failures, "\n".join(self.failures[:10])


def killed_at_random(script: str, args: list[str], rng: random.Random, window: float) -> None:
    """Run `script` and kill it (SIGKILL) a random moment within `window` seconds of its "go"."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout is not None
        child.stdout.readline()  # "go"
        time.sleep(rng.uniform(0, window))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def timed(script: str, args: list[str]) -> float:
    """How long `script` takes after its "go", run whole once: the window kills are spread over."""
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    child.stdout.readline()
    started = time.monotonic()
    child.communicate(timeout=300)
    assert child.returncode == 0
    return time.monotonic() - started


def backup_problems(backups: Path) -> str | None:
    if not backups.exists():
        return None
    for copy in backups.glob("*.sqlite3"):
        if copy.stat().st_size == 0:
            return f"an empty backup {copy.name}"
        with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as connection:
            if connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                return f"a backup that does not read back: {copy.name}"
    return None


def opens_whole(path: Path, backups: Path) -> str | None:
    """The database opens (upgrading it if the kill came first) and is sound."""
    try:
        database = open_database(str(path), backup_dir=backups)
    except Exception as exc:
        return f"does not open: {exc}"
    try:
        with database.engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            check = connection.exec_driver_sql("PRAGMA quick_check").scalar()
    finally:
        database.close()
    if version != head_revision() or check != "ok":
        return f"opened at {version}, quick_check {check}"
    return None


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, password_file: Path) -> Iterator[Path]:
    """The module's fixtures run before each test's own home is set: they get one of theirs."""
    folder = tmp_path_factory.mktemp("faults-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PM_DESK_HOME", str(folder))
        patch.setenv("PM_DESK_PASSWORD_FILE", str(password_file))
        yield folder


@pytest.fixture(scope="module")
def demo(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--plaintext", "--scale", "small", "--as-of", AS_OF]) == 0
    return path


@pytest.fixture(scope="module")
def old_schema(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo taken back to the first schema: every migration has rows to work on."""
    path = tmp_path_factory.mktemp("faults-old") / "old.sqlite3"
    shutil.copy(demo, path)
    engine = create_engine(f"sqlite:///{path}")  # foreign keys off: going back rebuilds tables
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            command.downgrade(alembic_config(connection), "0001")
            connection.commit()
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return path


@pytest.fixture(scope="module")
def tables(home: Path, demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("faults-tables") / "tables"
    admin = "michelle.fernandez@ice.dhs.gov"
    assert main(["--db", str(demo), "--as-user", admin, "export", str(folder)]) == 0
    return folder


@pytest.mark.slow
def test_kill_during_an_upgrade_leaves_a_database_that_opens(old_schema: Path, tmp_path: Path) -> None:
    rng = random.Random(14)
    window = timed(UPGRADE, [str(_fresh(old_schema, tmp_path / "timing")), str(tmp_path / "timing-b")])
    tally = Tally("kill -9 during an upgrade")
    for n in range(ROUNDS):
        path, backups = _fresh(old_schema, tmp_path / f"r{n}"), tmp_path / f"r{n}-backups"
        killed_at_random(UPGRADE, [str(path), str(backups)], rng, window)
        tally.round(lambda p=path, b=backups: backup_problems(b) or opens_whole(p, b) or backup_problems(b))
        shutil.rmtree(path.parent, ignore_errors=True)
    tally.finish()


def small_disks() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = "mount -t tmpfs -o size=64k tmpfs /mnt"
    return subprocess.run(["unshare", "-rm", "sh", "-c", probe], capture_output=True).returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(
    not small_disks(), reason="this system does not let a test mount a small tmpfs (unshare -rm)"
)
def test_an_upgrade_on_a_full_disk_is_refused_or_done_never_half(old_schema: Path, tmp_path: Path) -> None:
    rng = random.Random(1400)
    size = old_schema.stat().st_size
    tally = Tally("upgrade on a full disk")
    for n in range(ROUNDS):
        mount, out = tmp_path / f"r{n}-disk", tmp_path / f"r{n}"
        mount.mkdir()
        out.mkdir()
        space = int(size * rng.uniform(1.05, 3.0))  # full in the backup, in the upgrade, or not at all
        args = [f"{space // 1024}k", str(mount), str(old_schema), str(out), sys.executable]
        done = subprocess.run(
            [
                "unshare",
                "-rm",
                "sh",
                "-c",
                ON_A_SMALL_DISK,
                "small-disk",
                *args,
                UPGRADE_REFUSED_IN_A_SENTENCE,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        path, backups = out / "pm-desk.sqlite3", out / "backups"

        def check(p: Path = path, b: Path = backups, run: Run = done) -> str | None:
            sentence = run.stdout.startswith("refused:")
            if run.returncode not in (0, 1) or (run.returncode == 1 and not sentence):
                return f"ended {run.returncode} without a sentence: {run.stderr.strip()[-300:]}"
            if "\n" in run.stdout.strip() or "Traceback" in run.stderr:
                return f"more than a sentence: {run.stdout}{run.stderr}"
            return backup_problems(b) or opens_whole(p, b) or backup_problems(b)

        ending = "upgraded" if done.returncode == 0 else "refused, the backup failing"
        if done.returncode and "backup made first failed" not in done.stdout:
            ending = "refused, the upgrade failing"
        tally.round(check, ending)
        shutil.rmtree(out, ignore_errors=True)
    tally.finish()


@pytest.mark.slow
def test_kill_during_an_import_into_a_new_database_leaves_none_or_a_whole_one(
    tables: Path, tmp_path: Path
) -> None:
    rng = random.Random(140)
    window = timed(IMPORT, [str(tmp_path / "timing" / "pm-desk.sqlite3"), str(tables)])
    tally = Tally("kill -9 during an import into a new database")
    for n in range(ROUNDS):
        path = tmp_path / f"r{n}" / "pm-desk.sqlite3"
        killed_at_random(IMPORT, [str(path), str(tables)], rng, window)

        def check(p: Path = path) -> str | None:
            try:
                open_database(str(p), create=False).close()
            except MissingDatabaseError:
                pass  # killed before the new file was in place: nothing at all
            except Exception as exc:
                return f"does not open: {exc}"
            again = subprocess.run(
                [sys.executable, "-c", IMPORT, str(p), str(tables)],
                capture_output=True,
                text=True,
                timeout=300,
            )
            if again.returncode != 0:
                return f"the import again ends {again.returncode}: {again.stderr.strip()[-300:]}"
            return None

        tally.round(check)
        shutil.rmtree(path.parent, ignore_errors=True)
    tally.finish()


@pytest.mark.slow
def test_an_import_beside_other_writers_keeps_one_chain(tables: Path, tmp_path: Path) -> None:
    tally = Tally("an import beside two writers: forks")
    for n in range(ROUNDS):
        path = tmp_path / f"r{n}" / "pm-desk.sqlite3"
        open_database(str(path)).close()
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(path), str(w)], stdout=subprocess.PIPE, text=True
            )
            for w in range(2)
        ]
        try:
            for writer in writers:
                assert writer.stdout is not None
                writer.stdout.readline()  # writing
            imported = subprocess.run(
                [sys.executable, "-c", IMPORT, str(path), str(tables)],
                capture_output=True,
                text=True,
                timeout=300,
            )
        finally:
            for writer in writers:
                writer.kill()
                writer.wait()

        def check(p: Path = path, run: Run = imported) -> str | None:
            if run.returncode != 0:
                return f"the import ends {run.returncode}: {run.stderr.strip()[-300:]}"
            database = open_database(str(p))
            try:
                with database.engine.connect() as connection:
                    problems = list(iter_chain_problems(connection))
                    writes = connection.exec_driver_sql("SELECT count(*) FROM field_offices").scalar()
            finally:
                database.close()
            if not writes:
                return "the writers wrote nothing beside the import"
            return f"the chain breaks: {problems[0].what}" if problems else None

        tally.round(check)
        shutil.rmtree(path.parent, ignore_errors=True)
    tally.finish()


def _fresh(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source, folder / "pm-desk.sqlite3"))


# A writer that says each office it committed: what was acknowledged must survive the kill.
ACKNOWLEDGED = """
import sys
from pm_desk.store.database import open_database
from pm_desk.store.models import FieldOffice
database = open_database(sys.argv[1])
print("go", flush=True)
n = 0
while True:
    with database.uow() as uow:
        uow.attribute(None, "writer@example.gov", "field_office.create")
        uow.session.add(FieldOffice(code=f"K{n:06d}", name=f"Office {n}"))
        uow.commit()
    print(f"K{n:06d}", flush=True)
    n += 1
"""


@pytest.mark.slow
def test_kill_during_writes_loses_nothing_acknowledged(tmp_path: Path) -> None:
    rng = random.Random(1414)
    tally = Tally("kill -9 during writes: acknowledged writes lost")
    for n in range(ROUNDS):
        path = tmp_path / f"r{n}" / "pm-desk.sqlite3"
        open_database(str(path)).close()
        child = subprocess.Popen(
            [sys.executable, "-c", ACKNOWLEDGED, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        child.stdout.readline()  # "go"
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        said, _ = child.communicate(timeout=60)
        acknowledged = set(said.split())

        def check(p: Path = path, told: set[str] = acknowledged) -> str | None:
            database = open_database(str(p))
            try:
                with database.engine.connect() as connection:
                    stored = {r[0] for r in connection.exec_driver_sql("SELECT code FROM field_offices")}
                    problems = list(iter_chain_problems(connection))
            finally:
                database.close()
            lost = told - stored
            if lost:
                return f"{len(lost)} acknowledged writes lost"
            return f"the chain breaks: {problems[0].what}" if problems else None

        tally.round(check, "some acknowledged" if acknowledged else "killed before the first")
        shutil.rmtree(path.parent, ignore_errors=True)
    tally.finish()


@pytest.mark.slow
def test_kill_during_an_import_into_an_existing_database_is_all_or_nothing(
    demo: Path, tables: Path, tmp_path: Path
) -> None:
    """The demo's own tables changed in every transfer's status, imported into a copy of it: a
    kill leaves every row as it was or every row changed, never some."""
    rng = random.Random(1401)
    changed = tmp_path / "changed"
    shutil.copytree(tables, changed)
    transfers = changed / "transfers.csv"
    lines = transfers.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    note = header.index("status")
    rows, cancelled = [], 0
    for line in lines[1:]:
        cells = line.split(",")
        if len(cells) == len(header) and cells[note] == "detainer_lodged":
            cells[note] = "cancelled"
            cancelled += 1
        rows.append(",".join(cells))
    assert cancelled > 10
    transfers.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    window = timed(IMPORT, [str(copy_database(demo, tmp_path / "timing" / "pm-desk.sqlite3")), str(changed)])
    tally = Tally("kill -9 during an import into an existing database")
    for n in range(ROUNDS):
        path = copy_database(demo, tmp_path / f"r{n}" / "pm-desk.sqlite3")
        with sqlite3.connect(path) as connection:
            before = connection.execute(
                "SELECT count(*) FROM custody_transfers WHERE status = 'cancelled'"
            ).fetchone()
        connection.close()
        killed_at_random(IMPORT, [str(path), str(changed)], rng, window)

        def check(p: Path = path, was: int = before[0]) -> str | None:
            database = open_database(str(p))
            try:
                with database.engine.connect() as connection:
                    now = connection.exec_driver_sql(
                        "SELECT count(*) FROM custody_transfers WHERE status = 'cancelled'"
                    ).scalar()
                    problems = list(iter_chain_problems(connection))
            finally:
                database.close()
            if problems:
                return f"the chain breaks: {problems[0].what}"
            whole = (was, was + cancelled)
            return None if now in whole else f"{now} cancelled: neither {whole[0]} nor {whole[1]}"

        tally.round(check)
        shutil.rmtree(path.parent, ignore_errors=True)
    tally.finish()
