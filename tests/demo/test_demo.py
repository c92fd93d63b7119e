"""The demo program: the scale table's sizes, byte-identical repeats, every rule exercised,
rows the models read back, one audit entry, and a refusal to write into a store with data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from demo_rules import all_results, manager_loads
from sqlalchemy import func, select, text

from pm_desk.demo import SCALES, DemoSummary, generate_demo
from pm_desk.domain.enums import OPEN_HOLD_STATUSES, Role, TransferStatus
from pm_desk.domain.keys import is_valid_a_number, normalize_name
from pm_desk.domain.policy import Policy, load_policy
from pm_desk.domain.results import RuleResult
from pm_desk.store.audit_log import iter_chain_problems
from pm_desk.store.database import Database, open_database
from pm_desk.store.models import (
    Agency,
    Agreement,
    Assignment,
    AuditEntry,
    CustodyTransfer,
    Officer,
    Override,
    Shift,
    User,
)

ANCHOR = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)


def generate(path: Path, seed: int = 287) -> tuple[Database, DemoSummary]:
    database = open_database(str(path))
    return database, generate_demo(database, "small", seed=seed, anchor=ANCHOR)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    database, summary = generate(tmp_path_factory.mktemp("demo") / "small.sqlite3")
    yield database, summary
    database.close()


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="module")
def results(small: tuple[Database, DemoSummary], policy: Policy) -> list[RuleResult]:
    database, _ = small
    with database.engine.connect() as connection:
        return all_results(connection, ANCHOR, policy)


def count(database: Database, table: object, *where: object) -> int:
    with database.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one()  # type: ignore[arg-type]


def table_names(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT IN ('alembic_version', 'audit_entries', 'app_meta', 'transfer_events', "
                "'filed_reports', 'policy_settings') AND name NOT LIKE 'transfer_search%'"
            )
        ).all()
    return sorted(r.name for r in rows)


def test_sizes_follow_the_scale_table(small: tuple[Database, DemoSummary]) -> None:
    database, summary = small
    scale = SCALES["small"]
    assert count(database, User.__table__, User.role == Role.MANAGER) == scale.managers == 4
    assert count(database, Agreement.__table__) == scale.agreements == 12
    assert count(database, Officer.__table__) == scale.officers == 150
    assert count(database, CustodyTransfer.__table__) == scale.transfers == 2_000
    assert count(database, User.__table__, User.role == Role.SUPERVISOR) == 1  # one per field office
    assert count(database, User.__table__, User.role == Role.STAFF) == 2
    assert count(database, User.__table__, User.role == Role.ADMIN) == 1
    with database.engine.connect() as connection:
        first, last = connection.execute(select(func.min(Shift.starts_at), func.max(Shift.ends_at))).one()
        first_transfer = connection.execute(select(func.min(CustodyTransfer.detainer_issued_at))).scalar_one()
    # One year of on-call, ending a few weeks after the anchor; transfers over the same year.
    assert ANCHOR - timedelta(days=372) <= first <= ANCHOR - timedelta(days=365)
    assert ANCHOR + timedelta(days=21) <= last <= ANCHOR + timedelta(days=35)
    assert ANCHOR - timedelta(days=366) <= first_transfer
    # The summary's counts are the rows there are, for every table the demo fills.
    assert sorted(summary.counts) == table_names(database)
    for name, rows in summary.counts.items():
        assert rows > 0, name
        with database.engine.connect() as connection:
            assert connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() == rows, name


def test_summary_names_the_people_to_act_as(small: tuple[Database, DemoSummary], policy: Policy) -> None:
    database, summary = small
    with database.engine.connect() as connection:
        roles = dict(connection.execute(select(User.email, User.role)).all())
        loads = {m.user_id: m.units / m.capacity for m in manager_loads(connection, ANCHOR, policy)}
        ids = dict(connection.execute(select(User.email, User.id)).all())
    assert roles[summary.admin_email] is Role.ADMIN
    assert roles[summary.staff_email] is Role.STAFF
    assert [roles[e] for e in summary.supervisor_emails] == [Role.SUPERVISOR]
    assert summary.manager_emails == tuple(sorted(e for e, r in roles.items() if r is Role.MANAGER))
    assert summary.default_user_email in summary.manager_emails
    assert loads[ids[summary.default_user_email]] == max(loads.values()) > 1.0


def test_same_seed_and_anchor_give_identical_rows(
    tmp_path: Path, small: tuple[Database, DemoSummary]
) -> None:
    first, _ = small
    second, summary = generate(tmp_path / "again.sqlite3")
    other, _ = generate(tmp_path / "other-seed.sqlite3", seed=288)
    try:
        assert summary == small[1]
        for name in table_names(first):
            query = text(f"SELECT * FROM {name} ORDER BY id")
            with first.engine.connect() as a, second.engine.connect() as b:
                assert a.execute(query).all() == b.execute(query).all(), name
        query = text("SELECT state, name FROM agencies ORDER BY state, name")
        with first.engine.connect() as a, other.engine.connect() as c:
            assert a.execute(query).all() != c.execute(query).all()
    finally:
        second.close()
        other.close()


def test_every_rule_has_something_to_report(results: list[RuleResult]) -> None:
    found = {(r.rule, r.status) for r in results}
    expected = {
        ("refresher", "due_soon"),
        ("refresher", "overdue"),
        ("revocation", "revocation_due"),
        ("initial_training", "waiting"),
        ("equipment", "late"),
        ("equipment", "alarm"),
        ("hold", "due_soon"),
        ("hold", "breached"),
        ("renewal", "due_soon"),
        ("renewal", "overdue"),
        ("steering_committee", "due_soon"),
        ("steering_committee", "overdue"),
        ("complaint", "report_late"),
        ("complaint", "resolution_overdue"),
        ("finding", "overdue"),
        ("load", "overload"),
        ("fatigue", "violation"),
        ("gap", "gap"),
    }
    assert expected <= found, sorted(expected - found)


def test_waiting_officers_have_a_class_with_seats(results: list[RuleResult]) -> None:
    waiting = [r for r in results if r.rule == "initial_training"]
    assert waiting
    assert all(r.detail["next_class_location"] == "FLETC Charleston, SC" for r in waiting)
    assert all(r.detail["next_class_free_seats"] > 0 for r in waiting)


def test_holds_around_the_anchor(small: tuple[Database, DemoSummary], results: list[RuleResult]) -> None:
    database, _ = small
    holds = [r for r in results if r.rule == "hold"]
    due_soon = [r for r in holds if r.status == "due_soon"]
    assert 3 <= len(due_soon) <= 10
    assert all(
        isinstance(r.due, datetime) and ANCHOR < r.due <= ANCHOR + timedelta(hours=6) for r in due_soon
    )
    with database.engine.connect() as connection:
        open_holds = connection.execute(
            select(CustodyTransfer.release_eligible_at).where(
                CustodyTransfer.status.in_(list(OPEN_HOLD_STATUSES))
            )
        ).scalars()
        comfortable = [
            r for r in open_holds if r is not None and r + timedelta(hours=48) > ANCHOR + timedelta(hours=6)
        ]
        statuses = dict(
            connection.execute(
                select(CustodyTransfer.status, func.count()).group_by(CustodyTransfer.status)
            ).all()
        )
    assert comfortable  # open holds with more than six hours left
    assert statuses[TransferStatus.TRANSFERRED] > 0.8 * 2_000
    assert statuses[TransferStatus.RELEASED_NO_PICKUP] > 0
    assert statuses[TransferStatus.CANCELLED] > 0


def test_closed_breaches_are_few(small: tuple[Database, DemoSummary]) -> None:
    database, _ = small
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(CustodyTransfer.release_eligible_at, CustodyTransfer.pickup_at).where(
                CustodyTransfer.status == TransferStatus.TRANSFERRED
            )
        ).all()
    breaches = [p for r, p in rows if p is not None and r is not None and p > r + timedelta(hours=48)]
    assert 0 < len(breaches) < 0.06 * len(rows)


def test_records_are_consistent(small: tuple[Database, DemoSummary]) -> None:
    database, _ = small
    with database.engine.connect() as connection:
        agencies = connection.execute(select(Agency.state, Agency.name, Agency.name_key)).all()
        transfers = connection.execute(
            select(CustodyTransfer.agreement_id, CustodyTransfer.subject_ref, CustodyTransfer.a_number)
        ).all()
        open_assignments = connection.execute(
            select(Assignment.agreement_id, Assignment.manager_id).where(Assignment.ends_at.is_(None))
        ).all()
        managers = dict(connection.execute(select(Agreement.id, Agreement.manager_id)).all())
        two_models = connection.execute(
            select(Agreement.agency_id)
            .group_by(Agreement.agency_id)
            .having(func.count(func.distinct(Agreement.model)) == 2)
        ).all()
        overrides = connection.execute(select(Override.shift_id, Override.starts_at, Override.ends_at)).all()
        shifts = {s.id: s for s in connection.execute(select(Shift.id, Shift.starts_at, Shift.ends_at))}
    assert all(state == "FL" and key == normalize_name(name) for state, name, key in agencies)
    assert len({(s, k) for s, _, k in agencies}) == len(agencies)
    assert two_models
    assert all(a is None or (is_valid_a_number(a) and len(a) == 10) for _, _, a in transfers)
    assert any(a is None for _, _, a in transfers)
    assert len({(g, ref) for g, ref, _ in transfers}) == len(transfers)
    assert sorted(open_assignments) == sorted(managers.items())
    for shift_id, starts_at, ends_at in overrides:
        assert shifts[shift_id].starts_at <= starts_at < ends_at <= shifts[shift_id].ends_at


def test_instants_compare_like_the_models_write_them(small: tuple[Database, DemoSummary]) -> None:
    """Rows written in bulk hold the same text as the ORM would write: bound filters agree."""
    database, _ = small
    since = ANCHOR - timedelta(days=30)
    with database.uow() as uow:
        every = uow.session.execute(select(CustodyTransfer.detainer_issued_at)).scalars().all()
        recent = uow.session.execute(
            select(func.count()).where(CustodyTransfer.detainer_issued_at > since)
        ).scalar_one()
        transfer = uow.session.execute(select(CustodyTransfer).limit(1)).scalar_one()
        assert transfer.detainer_issued_at.tzinfo is UTC
        assert transfer.version == 1 and transfer.deleted_at is None and transfer.updated_by is not None
    assert recent == sum(1 for at in every if at > since) > 0


def test_one_audit_entry_keeps_the_chain_valid(small: tuple[Database, DemoSummary]) -> None:
    database, summary = small
    with database.engine.connect() as connection:
        entries = connection.execute(
            select(AuditEntry.operation, AuditEntry.action, AuditEntry.actor_email, AuditEntry.after)
        ).all()
        assert list(iter_chain_problems(connection)) == []
    assert len(entries) == 1
    operation, action, actor, after = entries[0]
    assert (operation, action, actor) == ("demo.generate", "create", summary.admin_email)
    recorded = json.loads(after or "{}")
    assert recorded["scale"] == "small" and recorded["custody_transfers"] == 2_000
    assert recorded["anchor"] == "2026-10-31T12:00:00Z"


def test_refuses_a_store_that_has_data(small: tuple[Database, DemoSummary]) -> None:
    database, _ = small
    with pytest.raises(ValueError, match="already has data"):
        generate_demo(database, "small", anchor=ANCHOR)
    assert count(database, Agreement.__table__) == 12
    assert count(database, AuditEntry.__table__) == 1


def test_unknown_scale_and_naive_anchor_are_refused(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "empty.sqlite3"))
    try:
        with pytest.raises(ValueError, match="unknown demo scale 'huge'"):
            generate_demo(database, "huge", anchor=ANCHOR)
        with pytest.raises(ValueError, match="time zone"):
            generate_demo(database, "small", anchor=datetime(2026, 10, 31, 12, 0))
        assert count(database, Agreement.__table__) == 0
    finally:
        database.close()


def test_progress_is_reported_up_to_the_end(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "progress.sqlite3"))
    seen: list[tuple[str, float]] = []
    try:
        generate_demo(database, "small", anchor=ANCHOR, progress=lambda m, f: seen.append((m, f)))
    finally:
        database.close()
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any("Custody transfers" in m for m, _ in seen)
