"""One writer at a time, one chain: a write holds SQLite's write lock from before it reads the
chain head; reads stay plain and never wait for each other or for the writer."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from builders import seed_world
from pm_desk.domain.actor import Actor
from pm_desk.services.caseload import AgencyInput, create_agency
from pm_desk.services.errors import PermissionDenied
from pm_desk.store.audit_log import AuditContext, NewEntry, append_entries, iter_chain_problems
from pm_desk.store.database import Database
from pm_desk.store.models import AuditEntry, FieldOffice


def other_writer_may_begin(path: Path) -> bool:
    """Whether another connection can take the write lock right now (without waiting)."""
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        connection.close()


def test_a_write_holds_the_lock_from_its_start_and_readers_still_read(db: Database) -> None:
    assert db.path is not None
    with db.uow() as writer:
        writer.lock_for_write()
        assert not other_writer_may_begin(db.path)
        with db.uow() as reader:  # a reader is never held up by the writer
            assert reader.session.scalars(select(FieldOffice)).all() == []
        writer.session.add(FieldOffice(code="MIA", name="Miami"))
        writer.commit()
    assert other_writer_may_begin(db.path)


def test_reads_take_no_write_lock(db: Database) -> None:
    assert db.path is not None
    with db.uow() as first, db.uow() as second:
        first.session.scalars(select(FieldOffice)).all()
        second.session.scalars(select(AuditEntry)).all()
        assert other_writer_may_begin(db.path)  # two open reads: a writer still begins at once


def test_a_read_that_flushes_becomes_the_writer_before_it_writes(db: Database) -> None:
    assert db.path is not None
    with db.uow() as uow:
        uow.session.scalars(select(FieldOffice)).all()
        assert other_writer_may_begin(db.path)
        uow.attribute(None, "x@example.gov", "field_office.create")
        uow.session.add(FieldOffice(code="ATL", name="Atlanta"))
        uow.session.flush()
        assert not other_writer_may_begin(db.path)
        uow.commit()


def entry(text: str) -> NewEntry:
    return NewEntry(
        at=datetime(2026, 10, 31, tzinfo=UTC),
        context=AuditContext(None, "w@example.gov", "test.write"),
        action="note",
        record_kind=None,
        record_id=None,
        before=None,
        after={"text": text},
    )


def test_a_denial_beside_an_open_write_waits_and_extends_the_chain_after_it(db: Database) -> None:
    """The case that forked the chain: a denial read the head while another write was open."""
    world = seed_world(db)
    written = threading.Event()
    release = threading.Event()

    def long_write() -> None:
        with db.uow() as uow:
            append_entries(uow.lock_for_write(), [entry("first"), entry("second")])
            written.set()
            release.wait(10)
            uow.commit()

    writer = threading.Thread(target=long_write)
    writer.start()
    assert written.wait(10)
    denied: list[Exception] = []

    def refused() -> None:
        try:
            create_agency(db.uow(), world.staff, AgencyInput("FL", "Not Theirs County Sheriff's Office"))
        except PermissionDenied as exc:
            denied.append(exc)

    denier = threading.Thread(target=refused)
    denier.start()
    denier.join(0.5)
    assert denier.is_alive()  # it waits for the writer rather than reading a head about to change
    release.set()
    writer.join(10)
    denier.join(10)
    assert len(denied) == 1
    with db.engine.connect() as connection:
        assert list(iter_chain_problems(connection)) == []
        actions = connection.execute(select(AuditEntry.action).order_by(AuditEntry.seq.desc()).limit(3)).all()
    assert [a for (a,) in actions] == ["denied", "note", "note"]


@pytest.mark.parametrize("writers", [4])
def test_concurrent_service_writes_and_denials_keep_one_chain(db: Database, writers: int) -> None:
    world = seed_world(db)
    errors: list[BaseException] = []

    def work(actor: Actor, tag: str) -> None:
        for n in range(15):
            try:
                create_agency(db.uow(), actor, AgencyInput("FL", f"{tag} County {n} Sheriff's Office"))
            except PermissionDenied:
                pass
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

    actors = [world.m1, world.staff, world.supervisor_a, world.staff][:writers]
    threads = [threading.Thread(target=work, args=(a, f"T{i}")) for i, a in enumerate(actors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with db.engine.connect() as connection:
        assert list(iter_chain_problems(connection)) == []
        counts = connection.exec_driver_sql(
            "SELECT count(*), count(DISTINCT prev_hash) FROM audit_entries"
        ).one()
    assert counts[0] == counts[1]  # no two entries follow the same one
