"""A process killed in the middle of writing loses nothing it committed, and its database opens."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from pm_desk.store.audit_log import iter_chain_problems
from pm_desk.store.database import open_database
from pm_desk.store.models import FieldOffice

# Writes one field office per transaction, forever, and prints each code once its commit returned.
WRITER = """
import sys
from pm_desk.store.database import open_database
from pm_desk.store.models import FieldOffice

database = open_database(sys.argv[1])
n = 0
while True:
    with database.uow() as uow:
        uow.attribute(None, "writer@example.gov", "field_office.create")
        uow.session.add(FieldOffice(code=f"K{n:06d}", name=f"Office {n} " + "x" * 200))
        uow.commit()
    print(f"K{n:06d}", flush=True)
    n += 1
"""
COMMITS_BEFORE_KILL = 300
DEADLINE_SECONDS = 60


def test_killed_writer_keeps_every_committed_row(tmp_path: Path) -> None:
    path = tmp_path / "pm-desk.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    committed: list[str] = []
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while len(committed) < COMMITS_BEFORE_KILL and time.monotonic() < deadline:
            line = writer.stdout.readline() if writer.stdout else ""
            if not line:  # the writer died on its own
                break
            committed.append(line.strip())
        writer.send_signal(signal.SIGKILL)  # in the middle of its next transaction
        rest, errors = writer.communicate(timeout=30)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    committed += rest.split()
    assert len(committed) >= COMMITS_BEFORE_KILL, f"the writer stopped early:\n{errors}"
    assert writer.returncode == -signal.SIGKILL
    assert path.with_name(path.name + ".open").exists()  # it never closed: the next open checks integrity

    database = open_database(str(path))
    try:
        with database.uow() as uow:
            stored = set(uow.session.scalars(select(FieldOffice.code)).all())
        with database.engine.connect() as connection:
            chain = list(iter_chain_problems(connection))
            entries = connection.exec_driver_sql("SELECT count(*) FROM audit_entries").scalar()
    finally:
        database.close()
    assert set(committed) <= stored
    # Beyond what it reported, only whole transactions it finished before the kill reached the
    # pipe may be there: the rows are an unbroken run from the first, nothing half-written.
    assert stored == {f"K{n:06d}" for n in range(len(stored))}
    assert entries == len(stored)
    assert chain == []
