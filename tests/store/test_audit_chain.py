"""The audit trail's hash chain: intact after ordinary writes, broken where a row was tampered with."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

from sqlalchemy import text

from pm_desk.store.audit_log import GENESIS_HASH, entry_hash, iter_chain_problems
from pm_desk.store.database import Database
from pm_desk.store.models import FieldOffice


def write_history(database: Database) -> None:
    """Five entries: three creates, an update and a soft delete, in separate transactions."""
    ids = []
    for code, name in (("MIA", "Miami"), ("ATL", "Atlanta"), ("HOU", "Houston")):
        with database.uow() as uow:
            uow.attribute(None, "admin@example.gov", "field_office.create")
            office = FieldOffice(code=code, name=name)
            uow.session.add(office)
            uow.commit()
            ids.append(office.id)
    with database.uow() as uow:
        found = uow.get(FieldOffice, ids[0])
        assert found is not None
        found.name = "Miami Field Office"
        uow.commit()
    with database.uow() as uow:
        found = uow.get(FieldOffice, ids[1])
        assert found is not None
        found.deleted_at = uow.now()
        uow.commit()


def chain_problems(database: Database) -> list[tuple[int, str]]:
    with database.engine.connect() as connection:
        return [(p.seq, p.what) for p in iter_chain_problems(connection)]


def test_chain_of_ordinary_writes_verifies(db: Database) -> None:
    write_history(db)
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT seq, action, prev_hash, hash FROM audit_entries ORDER BY seq")
        ).all()
    assert [r.action for r in rows] == ["create", "create", "create", "update", "delete"]
    assert rows[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(rows))
    assert chain_problems(db) == []
    # Small batches walk the same chain.
    with db.engine.connect() as connection:
        assert list(iter_chain_problems(connection, batch=2)) == []


def test_edited_entry_breaks_the_chain_at_that_entry(db: Database) -> None:
    write_history(db)
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE audit_entries SET after = replace(after, 'Miami Field Office', 'Doral') WHERE seq = 4"
            )
        )
        assert "Doral" in connection.execute(text("SELECT after FROM audit_entries WHERE seq = 4")).scalar()

    problems = chain_problems(db)

    assert problems == [(4, "its content does not match its hash (the entry was edited)")]


def test_removed_entry_breaks_the_chain_at_the_next_entry(db: Database) -> None:
    write_history(db)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE seq = 3"))

    problems = chain_problems(db)

    assert problems == [(4, "does not follow the entry before it (an entry was removed or changed)")]


def test_edit_with_a_recomputed_hash_is_caught_by_the_next_entry(db: Database) -> None:
    """Editing an entry and recomputing its own hash is not enough: the next entry points at the old one."""
    write_history(db)
    with db.engine.begin() as connection:
        row = dict(connection.execute(text("SELECT * FROM audit_entries WHERE seq = 2")).mappings().one())
        assert '"Atlanta"' in row["after"]
        row["after"] = row["after"].replace('"Atlanta"', '"Marietta"')
        row["at"] = datetime.fromisoformat(row["at"]).replace(tzinfo=UTC)
        connection.execute(
            text("UPDATE audit_entries SET after = :after, hash = :hash WHERE seq = 2"),
            {"after": row["after"], "hash": entry_hash(row["prev_hash"], row)},
        )

    problems = chain_problems(db)

    assert problems == [(3, "does not follow the entry before it (an entry was removed or changed)")]
