"""A forked audit chain (two writers that extended it from the same entry, as older versions did)
is told apart from an edit or a removal, and an administrator re-anchors it with one audited
entry naming both branches; the chain then verifies and still reports the fork."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select, text

from builders import World
from pm_desk.services.audit_trail import check_chain, reanchor_chain
from pm_desk.services.caseload import AgencyInput, create_agency
from pm_desk.services.errors import PermissionDenied, ServiceError, ValidationError
from pm_desk.store.audit_chain import BRANCH, EDITED, FORK, REMOVED
from pm_desk.store.audit_log import GENESIS_HASH, entry_hash
from pm_desk.store.database import Database
from pm_desk.store.models import AuditEntry, new_id


def add_agencies(db: Database, world: World, *names: str) -> None:
    for name in names:
        create_agency(db.uow(), world.m1, AgencyInput("FL", f"{name} County Sheriff's Office"))


def head_seq(connection: Connection) -> int:
    return int(connection.execute(text("SELECT max(seq) FROM audit_entries")).scalar_one())


def last_entry(connection: Connection) -> Any:
    query = select(*AuditEntry.__table__.c).order_by(AuditEntry.seq.desc()).limit(1)
    return connection.execute(query).mappings().one()


def hash_of(connection: Connection, seq: int) -> str:
    if seq == 0:
        return GENESIS_HASH
    return str(connection.execute(select(AuditEntry.hash).where(AuditEntry.seq == seq)).scalar_one())


def append_following(db: Database, follows: int, note: str) -> int:
    """An intact entry that follows entry `follows` (not the head): what a writer that read a
    stale head wrote."""
    with db.engine.begin() as connection:
        prev = hash_of(connection, follows)
        row: dict[str, Any] = {
            "id": new_id(),
            "at": db.clock(),
            "actor_id": None,
            "actor_email": "old.version@example.gov",
            "operation": "agency.create",
            "action": "create",
            "record_kind": "agency",
            "record_id": new_id(),
            "before": None,
            "after": json.dumps({"name": note}),
            "prev_hash": prev,
        }
        row["hash"] = entry_hash(prev, row)
        connection.execute(insert(AuditEntry), [row])
        return head_seq(connection)


def forked(db: Database, world: World) -> tuple[int, int, int]:
    """A chain where two writers both extended entry P: returns (P, first of the branch written
    first, first of the other branch)."""
    add_agencies(db, world, "Alpha", "Bravo")
    with db.engine.connect() as connection:
        point = head_seq(connection)
    add_agencies(db, world, "Charlie", "Delta")  # the branch written first: point+1 ...
    other = append_following(db, point, "Echo")  # the other writer also followed `point`
    add_agencies(db, world, "Foxtrot")  # later writers go on from the head (the second branch)
    return point, point + 1, other


def test_a_fork_is_reported_as_a_fork_not_as_a_removal(db: Database, world: World) -> None:
    point, _first, other = forked(db, world)
    report = check_chain(db.uow())
    assert [(p.seq, p.kind, p.follows) for p in report.problems] == [(other, FORK, point)]
    assert report.damage == []
    assert "a fork" in report.problems[0].what and "no entry was changed" in report.problems[0].what


def test_edits_and_removals_are_still_told_as_such(db: Database, world: World) -> None:
    add_agencies(db, world, "Alpha", "Bravo", "Charlie")
    with db.engine.begin() as connection:
        last = head_seq(connection)
        connection.execute(text("UPDATE audit_entries SET after = '{}' WHERE seq = :s"), {"s": last})
        connection.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": last - 2})
    kinds = [(p.seq, p.kind) for p in check_chain(db.uow()).problems]
    assert kinds == [(last - 1, REMOVED), (last, EDITED)]


def test_two_writers_on_an_empty_chain_fork_at_its_start(db: Database, world: World) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entries"))
    add_agencies(db, world, "Alpha")
    second = append_following(db, 0, "Bravo")
    report = check_chain(db.uow())
    assert [(p.seq, p.kind, p.follows) for p in report.problems] == [(second, FORK, 0)]
    assert "the chain's start" in report.problems[0].what


def test_admin_reanchors_a_fork_naming_both_branches(db: Database, world: World) -> None:
    point, first, other = forked(db, world)

    done = reanchor_chain(db.uow(), world.admin, "two PM Desk windows wrote at once (version 0.1)")

    assert (done.forks, done.entries, done.remaining) == (1, 1, 0)
    report = check_chain(db.uow())
    assert report.intact
    assert [(p.seq, p.kind) for p, _ in report.reanchored] == [(other, FORK)]
    with db.engine.connect() as connection:
        entry = last_entry(connection)
        head = head_seq(connection)
        content = json.loads(entry["after"])
        assert (entry["action"], entry["operation"], entry["actor_email"]) == (
            "reanchor",
            "audit.reanchor",
            world.admin.email,
        )
        assert content["reason"].startswith("two PM Desk windows")
        [fork] = content["forks"]
        assert fork["at"] == {"seq": point, "hash": hash_of(connection, point)}
        branches = [(b["first"]["seq"], b["last"]["seq"]) for b in fork["branches"]]
        # The branch written first ends before the other began; the other goes on to the head.
        assert branches == [(first, other - 1), (other, head - 1)]
        assert all(b["first"]["hash"] == hash_of(connection, b["first"]["seq"]) for b in fork["branches"])


def test_a_later_fork_or_edit_is_not_covered_by_an_earlier_reanchor(db: Database, world: World) -> None:
    forked(db, world)
    reanchor_chain(db.uow(), world.admin, "old fork")
    with db.engine.connect() as connection:
        point = head_seq(connection)
    add_agencies(db, world, "Golf")
    again = append_following(db, point, "Hotel")
    report = check_chain(db.uow())
    assert [(p.seq, p.kind) for p in report.problems] == [(again, FORK)]
    assert len(report.reanchored) == 1


def test_a_branch_that_goes_on_after_the_other_is_accepted_with_it(db: Database, world: World) -> None:
    """Writers A (two commits) and B forked; a third writer then followed A's last entry."""
    add_agencies(db, world, "Alpha")
    with db.engine.connect() as connection:
        point = head_seq(connection)
    add_agencies(db, world, "Bravo")  # A
    a_end = point + 1
    b_first = append_following(db, point, "Charlie")  # B forks at `point`
    a_more = append_following(db, a_end, "Delta")  # C continues A's branch after B's entry
    kinds = [(p.seq, p.kind) for p in check_chain(db.uow()).problems]
    assert kinds == [(b_first, FORK), (a_more, BRANCH)]

    reanchor_chain(db.uow(), world.admin, "three writers at once")
    assert check_chain(db.uow()).intact


def test_only_an_admin_reanchors_and_the_refusal_is_audited(db: Database, world: World) -> None:
    forked(db, world)
    with pytest.raises(PermissionDenied):
        reanchor_chain(db.uow(), world.supervisor_a, "not mine to do")
    with db.engine.connect() as connection:
        last = last_entry(connection)
    assert (last["action"], last["operation"]) == ("denied", "audit.reanchor")
    assert len(check_chain(db.uow()).forks) == 1  # still forked


def test_reanchoring_needs_a_reason_and_a_fork(db: Database, world: World) -> None:
    with pytest.raises(ValidationError):
        reanchor_chain(db.uow(), world.admin, "  ")
    with pytest.raises(ServiceError, match="no fork"):
        reanchor_chain(db.uow(), world.admin, "just in case")
