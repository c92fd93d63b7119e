"""Narrowing the compliance reads to records that can be due never changes the results."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pm_desk.demo import generate_demo
from pm_desk.domain.policy import load_policy
from pm_desk.services.compliance import compliance_results
from pm_desk.store.database import open_database
from pm_desk.store.queries import compliance as queries
from support import FIXED_NOW, FakeClock


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    db = open_database(str(tmp_path_factory.mktemp("narrow") / "demo.sqlite3"), clock=FakeClock())
    generate_demo(db, "small", anchor=FIXED_NOW)
    yield db
    db.close()


@pytest.mark.parametrize("days", [-400, -30, -3, 0, 1, 2, 20, 200])
def test_narrowed_reads_give_the_same_results(demo, days: int, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_policy()
    as_of = FIXED_NOW + timedelta(days=days, hours=days % 7)
    with demo.uow() as uow:
        narrowed = compliance_results(uow, policy, as_of)
    load_officers, load_transfers = queries.load_officers, queries.load_open_transfers
    monkeypatch.setattr(
        queries,
        "load_officers",
        lambda s, i, m, trained_before=None, **other: load_officers(s, i, m, **other),
    )
    monkeypatch.setattr(
        queries,
        "load_open_transfers",
        lambda s, i, m, eligible_by=None, **other: load_transfers(s, i, m, **other),
    )
    with demo.uow() as uow:
        everything = compliance_results(uow, policy, as_of)
    assert narrowed == everything
    if days == 0:  # the demo's open holds are near their deadlines at its anchor
        assert {item.rule for item in everything} >= {"hold", "refresher", "revocation"}
